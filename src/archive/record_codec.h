// EventRecord <-> bytes, as the hard archive stores it: a version number, then the fields
// through a Boost.Serialization binary archive (no header). The version lets a newer
// magent read records written by an older one. See docs/archive.md for the layout and
// how to grow the record.
#ifndef MAGENT_SRC_ARCHIVE_RECORD_CODEC_H_
#define MAGENT_SRC_ARCHIVE_RECORD_CODEC_H_

#include <memory>
#include <string>
#include <string_view>

#include "magent/event.h"
#include "magent/status.h"

namespace magent::internal {

// The version new records are written with. Bump it (and keep reading the old ones) when
// EventRecord grows; tests/archive/testdata keeps a record of every earlier version.
inline constexpr unsigned kRecordVersion = 3;

// Encodes many records with one Boost archive, which costs more to set up than a record
// does to write. Not thread-safe: one per appender.
class RecordEncoder {
 public:
  RecordEncoder();
  ~RecordEncoder();
  RecordEncoder(const RecordEncoder&) = delete;
  RecordEncoder& operator=(const RecordEncoder&) = delete;
  // Appends the encoded record to `out`.
  void Encode(const EventRecord& record, std::string& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Appends the encoded record to `out` (an encoder for one record).
void EncodeRecord(const EventRecord& record, std::string& out);
// Decodes many records with one Boost archive. Not thread-safe: one per reader.
class RecordDecoder {
 public:
  RecordDecoder();
  ~RecordDecoder();
  RecordDecoder(const RecordDecoder&) = delete;
  RecordDecoder& operator=(const RecordDecoder&) = delete;
  // Corruption when `bytes` is not a record of a version this magent knows.
  Result<EventRecord> Decode(std::string_view bytes);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Decodes one record (a decoder for one record).
Result<EventRecord> DecodeRecord(std::string_view bytes);

}  // namespace magent::internal

#endif  // MAGENT_SRC_ARCHIVE_RECORD_CODEC_H_
