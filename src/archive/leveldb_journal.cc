// LevelDbJournal: the Journal (core/journal.h) of a durable runtime, in a LevelDB
// database. OpenLevelDbJournal is declared in core/journal.h.
//
// Keys are a tag and a big-endian id, so each kind of entry is a range in id order:
//   'A' id  agent        'E' id  event body   'N'  the highest event id issued
//   'S' id  source       'T' id  event state  'V'  the journal's format version
// Staged writes go into one WriteBatch; Commit() swaps it out and writes it under a
// writer lock, so batches reach LevelDB in staging order and concurrent commits share one
// write (group commit).
#include <leveldb/db.h>
#include <leveldb/write_batch.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "archive/journal_codec.h"
#include "core/journal.h"

namespace magent::internal {
namespace {

// The layout of keys and entries; a journal written with a higher one is refused.
constexpr std::string_view kFormat = "1";

void PutBigEndian(std::uint64_t v, char* out) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(v >> (56 - 8 * i));
}

std::uint64_t BigEndian(const char* p) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

std::string Key(char tag, std::uint64_t id) {
  std::string key(9, '\0');
  key[0] = tag;
  PutBigEndian(id, key.data() + 1);
  return key;
}

std::uint64_t IdOf(const leveldb::Slice& key) { return BigEndian(key.data() + 1); }

std::string_view View(const leveldb::Slice& s) { return {s.data(), s.size()}; }

Status FromLevelDb(const leveldb::Status& s, const std::string& what) {
  if (s.ok()) return Status::OK();
  if (s.IsCorruption()) return Status::Corruption(what + ": " + s.ToString());
  if (s.IsNotFound()) return Status::NotFound(what + ": " + s.ToString());
  return Status::Unavailable(what + ": " + s.ToString());
}

class LevelDbJournal final : public Journal {
 public:
  LevelDbJournal(std::unique_ptr<leveldb::DB> db, std::string path, bool sync)
      : db_(std::move(db)), path_(std::move(path)) {
    write_options_.sync = sync;
  }

  Status Load(JournalContents& out) override {
    JournalDecoder decode;
    std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const leveldb::Slice key = it->key();
      const std::string_view value = View(it->value());
      if (key == leveldb::Slice("N") && value.size() == 8) {
        out.last_event_id = DecodeU64(value);
        continue;
      }
      if (key == leveldb::Slice("V")) {
        if (value > kFormat) {
          return Status::Corruption("journal " + path_ + " has format " + std::string(value) +
                                    "; this build reads " + std::string(kFormat));
        }
        continue;
      }
      if (key.size() != 9) return Status::Corruption(Where(key) + ": unknown key");
      Status s;
      switch (key[0]) {
        case 'A':
          s = decode.Agent(value, out.agents.emplace_back());
          break;
        case 'E': {
          JournalEvent& e = out.events.emplace_back();
          e.id = EventId(IdOf(key));
          s = decode.EventBody(value, e);
          break;
        }
        case 'S':
          s = decode.Source(value, out.sources.emplace_back());
          break;
        case 'T': {
          JournalEvent* e = FindEvent(out, EventId(IdOf(key)));
          if (!e) return Status::Corruption(Where(key) + ": a state without its event");
          s = decode.EventState(value, *e);
          if (s.ok()) ApplyModified(*e);
          break;
        }
        default:
          return Status::Corruption(Where(key) + ": unknown key");
      }
      if (!s.ok()) return Status::Corruption(Where(key) + ": " + s.message());
    }
    return FromLevelDb(it->status(), "journal " + path_);
  }

  void StageSource(const JournalSource& source) override {
    std::string value = EncodeSource(source);
    std::lock_guard lock(stage_mu_);
    staged_->Put(Key('S', source.id.value()), value);
  }

  void StageAgent(const JournalAgent& agent) override {
    std::string value = EncodeAgent(agent);
    std::lock_guard lock(stage_mu_);
    staged_->Put(Key('A', agent.id.value()), value);
  }

  void StageEventBody(EventId id, std::string&& body, const JournalEventState* state) override {
    std::string last = EncodeU64(id.value());
    std::string state_value = state ? EncodeEventState(*state) : std::string();
    // One lock: a Commit takes the body and its state together or neither.
    std::lock_guard lock(stage_mu_);
    staged_->Put(Key('E', id.value()), body);
    if (state) staged_->Put(Key('T', id.value()), state_value);
    staged_->Put("N", last);
  }

  void StageLastEventId(EventId id) override {
    std::string last = EncodeU64(id.value());
    std::lock_guard lock(stage_mu_);
    staged_->Put("N", last);
  }

  void StageEventState(EventId id, const JournalEventState& state) override {
    std::string value = EncodeEventState(state);
    std::lock_guard lock(stage_mu_);
    staged_->Put(Key('T', id.value()), value);
  }

  void StageErase(const std::vector<EventId>& ids) override {
    std::lock_guard lock(stage_mu_);
    for (EventId id : ids) {
      staged_->Delete(Key('E', id.value()));
      staged_->Delete(Key('T', id.value()));
    }
  }

  Status Commit() override {
    std::lock_guard writer(write_mu_);
    {
      std::lock_guard lock(stage_mu_);
      if (Empty(*writing_)) {
        if (Empty(*staged_)) return Status::OK();
        std::swap(staged_, writing_);
      } else {
        // The last write failed: it goes again, followed by what was staged since.
        writing_->Append(*staged_);
        staged_->Clear();
      }
    }
    leveldb::Status s = db_->Write(write_options_, writing_.get());
    if (!s.ok()) return FromLevelDb(s, "journal " + path_);
    writing_->Clear();  // Keeps its storage for the next batch.
    return Status::OK();
  }

 private:
  static std::string EncodeU64(std::uint64_t v) {
    std::string out(8, '\0');
    PutBigEndian(v, out.data());
    return out;
  }
  static std::uint64_t DecodeU64(std::string_view bytes) { return BigEndian(bytes.data()); }
  static std::string Where(const leveldb::Slice& key) {
    return "journal entry " + std::string(1, key.size() ? key[0] : '?') +
           (key.size() == 9 ? std::to_string(IdOf(key)) : std::string());
  }
  static JournalEvent* FindEvent(JournalContents& out, EventId id) {
    // States arrive in id order behind all bodies: a binary search over the bodies.
    auto it = std::lower_bound(out.events.begin(), out.events.end(), id,
                               [](const JournalEvent& e, EventId i) { return e.id < i; });
    return it != out.events.end() && it->id == id ? &*it : nullptr;
  }

  const std::unique_ptr<leveldb::DB> db_;
  const std::string path_;
  leveldb::WriteOptions write_options_;
  const std::size_t empty_size_ = leveldb::WriteBatch().ApproximateSize();
  bool Empty(const leveldb::WriteBatch& batch) const {
    return batch.ApproximateSize() == empty_size_;
  }

  // Lock order: write_mu_, then stage_mu_.
  std::mutex write_mu_;  // Held while writing: batches go in staging order.
  // The batch being written, or whose write failed (it goes first next time). Swapped
  // with staged_ under both locks.
  std::unique_ptr<leveldb::WriteBatch> writing_ = std::make_unique<leveldb::WriteBatch>();

  std::mutex stage_mu_;
  std::unique_ptr<leveldb::WriteBatch> staged_ =
      std::make_unique<leveldb::WriteBatch>();  // Guarded by stage_mu_.
};

}  // namespace

Result<std::unique_ptr<Journal>> OpenLevelDbJournal(const JournalOptions& options) {
  if (options.path.empty()) return Status::InvalidArgument("journal path is empty");
  leveldb::Options db_options;
  db_options.create_if_missing = true;
  // A damaged log or table is an error, not silently skipped entries (lost events).
  db_options.paranoid_checks = true;
  leveldb::DB* raw = nullptr;
  leveldb::Status s = leveldb::DB::Open(db_options, options.path, &raw);
  if (!s.ok()) return FromLevelDb(s, "cannot open journal " + options.path);
  std::unique_ptr<leveldb::DB> db(raw);
  std::string format;
  s = db->Get(leveldb::ReadOptions(), "V", &format);
  if (s.IsNotFound()) {
    leveldb::WriteOptions sync;
    sync.sync = true;
    s = db->Put(sync, "V", leveldb::Slice(kFormat.data(), kFormat.size()));
  }
  if (!s.ok()) return FromLevelDb(s, "journal " + options.path);
  return std::unique_ptr<Journal>(
      std::make_unique<LevelDbJournal>(std::move(db), options.path, options.sync));
}

}  // namespace magent::internal
