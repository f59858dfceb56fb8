// Stream buffers for Boost archives that serve many records or entries: one archive is
// made once (it costs a std::locale, as much as a record) and pointed at new bytes each
// time.
#ifndef MAGENT_SRC_ARCHIVE_BYTE_STREAMS_H_
#define MAGENT_SRC_ARCHIVE_BYTE_STREAMS_H_

#include <streambuf>
#include <string>
#include <string_view>

namespace magent::internal {

// Appends what is written to a string, which can change between records: no stream
// state, no copy at the end.
class StringSink final : public std::streambuf {
 public:
  void set_target(std::string* out) { out_ = out; }

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    out_->append(s, static_cast<std::size_t>(n));
    return n;
  }
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      out_->push_back(traits_type::to_char_type(c));
    }
    return traits_type::not_eof(c);
  }

 private:
  std::string* out_ = nullptr;
};

// Reads bytes it does not own, in place; they can change between records.
class BytesSource final : public std::streambuf {
 public:
  void set_source(std::string_view bytes) {
    char* begin = const_cast<char*>(bytes.data());  // Never written: get area only.
    setg(begin, begin, begin + bytes.size());
  }
  bool exhausted() { return in_avail() == 0; }
};

}  // namespace magent::internal

#endif  // MAGENT_SRC_ARCHIVE_BYTE_STREAMS_H_
