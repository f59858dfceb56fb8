#include "magent/leveldb_archive.h"

#include <leveldb/cache.h>
#include <leveldb/db.h>
#include <leveldb/filter_policy.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>

#include "archive/archive_batch.h"
#include "archive/archive_keys.h"
#include "archive/record_codec.h"
#include "archive/record_filter.h"

namespace magent {

namespace {

using internal::kOrderSize;

Status FromLevelDb(const leveldb::Status& s, std::string_view what) {
  const std::string message = std::string(what) + ": " + s.ToString();
  if (s.IsNotFound()) return Status::NotFound(message);
  if (s.IsCorruption()) return Status::Corruption(message);
  if (s.IsInvalidArgument() || s.IsNotSupportedError()) {
    return Status::InvalidArgument(message);
  }
  return Status::Unavailable(message);  // I/O errors, a lock held by another process.
}

bool StartsWith(const leveldb::Slice& key, const std::string& prefix) {
  return key.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), key.data());
}

// A snapshot for the length of one read, so index entries and records agree.
class ScopedSnapshot {
 public:
  explicit ScopedSnapshot(leveldb::DB* db) : db_(db), snapshot_(db->GetSnapshot()) {}
  ~ScopedSnapshot() { db_->ReleaseSnapshot(snapshot_); }
  ScopedSnapshot(const ScopedSnapshot&) = delete;
  ScopedSnapshot& operator=(const ScopedSnapshot&) = delete;
  leveldb::ReadOptions Read() const {
    leveldb::ReadOptions ro;
    ro.snapshot = snapshot_;
    return ro;
  }

 private:
  leveldb::DB* db_;
  const leveldb::Snapshot* snapshot_;
};

}  // namespace

struct LevelDbArchive::Impl {
  ~Impl() {
    db.reset();  // Before the cache and filter it uses.
  }

  Result<std::string> ReadRecord(const leveldb::ReadOptions& ro, std::string_view order) const {
    std::string key(1, internal::kRecordTag);
    key.append(order);
    std::string value;
    leveldb::Status s = db->Get(ro, key, &value);
    if (!s.ok()) {
      return s.IsNotFound() ? Status::Corruption("an index names a missing record")
                            : FromLevelDb(s, "reading a record");
    }
    return value;
  }

  // The index whose entries in the time range take the fewest bytes on disk; ties (e.g.
  // everything still in memory) go to the first listed: agent, source, backed_by, kind,
  // outcome. With no indexed filter, the records themselves in finish order. The source
  // index lists each record under its agent's source and under every event source, so it
  // serves both `source` and `backed_by`; the filter drops the records of the other one.
  std::string ChooseIndex(const ArchiveQuery& q, const std::string& from_order,
                          const std::string& until_order) const {
    std::vector<std::string> prefixes;
    if (q.agent) prefixes.push_back(internal::AgentPrefix(*q.agent));
    if (q.source) prefixes.push_back(internal::SourcePrefix(*q.source));
    if (q.backed_by) prefixes.push_back(internal::SourcePrefix(*q.backed_by));
    if (q.kind) prefixes.push_back(internal::KindPrefix(*q.kind));
    if (q.outcome) prefixes.push_back(internal::OutcomePrefix(*q.outcome));
    if (prefixes.empty()) return std::string(1, internal::kRecordTag);
    if (prefixes.size() == 1) return prefixes.front();
    std::vector<std::string> starts, limits;
    std::vector<leveldb::Range> ranges;
    for (const std::string& p : prefixes) {
      starts.push_back(p + until_order);
      limits.push_back(p + from_order);
    }
    for (std::size_t i = 0; i < prefixes.size(); ++i) ranges.emplace_back(starts[i], limits[i]);
    std::vector<std::uint64_t> sizes(prefixes.size());
    db->GetApproximateSizes(ranges.data(), static_cast<int>(ranges.size()), sizes.data());
    return prefixes[std::min_element(sizes.begin(), sizes.end()) - sizes.begin()];
  }

  LevelDbArchiveOptions options;
  std::unique_ptr<leveldb::Cache> cache;
  std::unique_ptr<const leveldb::FilterPolicy> filter;
  std::unique_ptr<leveldb::DB> db;
  mutable std::mutex append_mu;
  // Guarded by append_mu (and read without it through `count`):
  std::uint64_t next_sequence = 1;
  std::uint64_t count_at_open = 0;
  std::atomic<std::uint64_t> count{0};
};

Result<std::unique_ptr<LevelDbArchive>> LevelDbArchive::Open(LevelDbArchiveOptions options) {
  if (options.path.empty()) return Status::InvalidArgument("archive path is empty");
  if (options.write_buffer_bytes < (64 << 10) || options.write_buffer_bytes > (1 << 30)) {
    return Status::InvalidArgument("archive write buffer must be within 64 KiB and 1 GiB, not " +
                                   std::to_string(options.write_buffer_bytes) + " bytes");
  }
  std::error_code ec;
  if (!options.create_if_missing &&
      !std::filesystem::exists(std::filesystem::path(options.path) / "CURRENT", ec)) {
    return Status::NotFound("no archive at " + options.path);
  }
  auto impl = std::make_unique<Impl>();
  impl->cache.reset(leveldb::NewLRUCache(options.block_cache_bytes));
  impl->filter.reset(leveldb::NewBloomFilterPolicy(10));
  leveldb::Options lo;
  lo.create_if_missing = options.create_if_missing;
  lo.block_cache = impl->cache.get();
  lo.filter_policy = impl->filter.get();
  lo.write_buffer_size = options.write_buffer_bytes;
  leveldb::DB* db = nullptr;
  leveldb::Status s = leveldb::DB::Open(lo, options.path, &db);
  if (!s.ok()) return FromLevelDb(s, "opening the archive at " + options.path);
  impl->db.reset(db);
  for (auto [key, field] : {std::pair{internal::kSequenceKey, &impl->next_sequence},
                            std::pair{internal::kCountKey, &impl->count_at_open}}) {
    std::string value;
    s = db->Get({}, leveldb::Slice(key.data(), key.size()), &value);
    if (s.ok() && value.size() == 8) *field = internal::ReadU64(value);
    if (!s.ok() && !s.IsNotFound()) return FromLevelDb(s, "reading the archive's counters");
  }
  impl->count = impl->count_at_open;
  impl->options = std::move(options);
  return std::unique_ptr<LevelDbArchive>(new LevelDbArchive(std::move(impl)));
}

LevelDbArchive::LevelDbArchive(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LevelDbArchive::~LevelDbArchive() = default;

const LevelDbArchiveOptions& LevelDbArchive::options() const { return impl_->options; }

std::size_t LevelDbArchive::size() const { return impl_->count.load(); }

Status LevelDbArchive::Append(std::vector<EventRecord>& records) {
  for (const EventRecord& r : records) {
    if (r.state != EventState::kPast) {
      return Status::InvalidArgument("event " + r.id.ToString() + " is not Past");
    }
  }
  if (records.empty()) return Status::OK();
  Impl& m = *impl_;
  std::lock_guard lock(m.append_mu);
  leveldb::WriteBatch batch;
  const std::uint64_t count = m.count.load();
  const std::uint64_t sequence = internal::BuildAppendBatch(records, m.next_sequence, count, batch);
  leveldb::WriteOptions wo;
  wo.sync = m.options.sync;
  leveldb::Status s = m.db->Write(wo, &batch);
  if (!s.ok()) return FromLevelDb(s, "appending to the archive");
  m.next_sequence = sequence;
  m.count = count + records.size();
  records.clear();
  return Status::OK();
}

Result<EventRecord> LevelDbArchive::Get(EventId id) const {
  const Impl& m = *impl_;
  const ScopedSnapshot snapshot(m.db.get());
  const std::string prefix = internal::IdPrefix(id);
  std::unique_ptr<leveldb::Iterator> it(m.db->NewIterator(snapshot.Read()));
  it->Seek(prefix);
  if (!it->Valid() || !StartsWith(it->key(), prefix)) {
    if (!it->status().ok()) return FromLevelDb(it->status(), "reading the archive");
    return Status::NotFound("event " + id.ToString() + " is not archived");
  }
  const leveldb::Slice key = it->key();
  Result<std::string> value = m.ReadRecord(
      snapshot.Read(), std::string_view(key.data() + prefix.size(), key.size() - prefix.size()));
  if (!value.ok()) return value.status();
  return internal::DecodeRecord(*value);
}

std::vector<EventRecord> LevelDbArchive::Query(const ArchiveQuery& query) const {
  Result<ArchivePage> page = QueryPage(query);
  return page.ok() ? std::move(page->records) : std::vector<EventRecord>{};
}

Result<ArchivePage> LevelDbArchive::QueryPage(const ArchiveQuery& q) const {
  const Impl& m = *impl_;
  std::optional<std::string> cursor;
  if (!q.cursor.empty()) {
    cursor = internal::DecodeCursor(q.cursor);
    if (!cursor) return Status::InvalidArgument("bad archive cursor '" + q.cursor + "'");
  }
  ArchivePage page;
  if (q.limit == 0) return page;
  // The time range as order keys: `until` is the scan's start, `from` its end.
  const std::string until_order =
      q.finished_until ? internal::OrderBefore(*q.finished_until) : std::string();
  const std::string from_order = q.finished_from ? internal::OrderBefore(*q.finished_from)
                                                 : std::string(kOrderSize + 1, '\xff');
  const std::string prefix = m.ChooseIndex(q, from_order, until_order);
  const bool primary = prefix.size() == 1 && prefix[0] == internal::kRecordTag;

  std::string start = prefix + until_order;
  bool skip_start = false;
  if (cursor && prefix + *cursor > start) {
    start = prefix + *cursor;
    skip_start = true;  // The cursor's own record was on the previous page.
  }
  const ScopedSnapshot snapshot(m.db.get());
  const leveldb::ReadOptions ro = snapshot.Read();
  std::unique_ptr<leveldb::Iterator> it(m.db->NewIterator(ro));
  it->Seek(start);
  if (skip_start && it->Valid() && it->key() == leveldb::Slice(start)) it->Next();
  const internal::RecordFilter filter(q);
  internal::RecordDecoder decoder;
  std::string stored;  // A record read through an index.
  std::string last_order;
  for (; it->Valid() && StartsWith(it->key(), prefix); it->Next()) {
    const leveldb::Slice key = it->key();
    if (key.size() != prefix.size() + kOrderSize) {
      return Status::Corruption("archive key of a wrong size");
    }
    const std::string_view order(key.data() + prefix.size(), kOrderSize);
    if (q.finished_from && internal::OrderFinished(order) < *q.finished_from) break;
    std::string_view bytes(it->value().data(), it->value().size());
    if (!primary) {
      Result<std::string> value = m.ReadRecord(ro, order);
      if (!value.ok()) return value.status();
      stored = std::move(value).value();
      bytes = stored;
    }
    Result<EventRecord> record = decoder.Decode(bytes);
    if (!record.ok()) return record.status();
    if (!filter.MatchesExceptTime(*record)) continue;
    if (page.records.size() == q.limit) {  // One more exists: the page needs a cursor.
      page.next_cursor = internal::EncodeCursor(last_order);
      break;
    }
    page.records.push_back(std::move(record).value());
    last_order.assign(order);
  }
  if (!it->status().ok()) return FromLevelDb(it->status(), "reading the archive");
  return page;
}

}  // namespace magent
