#include "magent/tiered_archive.h"

namespace magent {

namespace {

MemoryArchiveOptions HandingOverTo(MemoryArchiveOptions memory,
                                   std::shared_ptr<PastEventArchive> hard) {
  memory.hand_over_to = std::move(hard);
  return memory;
}

}  // namespace

TieredArchive::TieredArchive(MemoryArchiveOptions memory, std::shared_ptr<PastEventArchive> hard)
    : hard_(std::move(hard)),
      memory_(std::make_unique<MemoryArchive>(HandingOverTo(std::move(memory), hard_))) {}

TieredArchive::~TieredArchive() = default;

Status TieredArchive::Append(std::vector<EventRecord>& records) { return memory_->Append(records); }

Status TieredArchive::AppendBatch(PastRecordBatch& batch) { return memory_->AppendBatch(batch); }

Result<EventRecord> TieredArchive::Get(EventId id) const {
  Result<EventRecord> r = memory_->Get(id);
  if (r.ok() || r.status().code() != StatusCode::kNotFound) return r;
  return hard_->Get(id);
}

std::vector<EventRecord> TieredArchive::Query(const ArchiveQuery& query) const {
  Result<ArchivePage> page = QueryPage(query);
  return page.ok() ? std::move(page->records) : std::vector<EventRecord>{};
}

Result<ArchivePage> TieredArchive::QueryPage(const ArchiveQuery& query) const {
  if (Status s = memory_->HandOverAll(); !s.ok()) return s;
  return hard_->QueryPage(query);
}

std::size_t TieredArchive::size() const {
  return hard_->size() + memory_->hand_over_status().waiting;
}

Status TieredArchive::HandOverAll() { return memory_->HandOverAll(); }

Status TieredArchive::Flush() { return memory_->Flush(); }

HandOverStatus TieredArchive::hand_over_status() const { return memory_->hand_over_status(); }

Result<std::shared_ptr<PastEventArchive>> OpenArchive(ArchiveOptions options) {
  if (options.mode == ArchiveMode::kMemory) {
    return std::shared_ptr<PastEventArchive>(
        std::make_shared<MemoryArchive>(std::move(options.memory)));
  }
  Result<std::unique_ptr<LevelDbArchive>> hard = LevelDbArchive::Open(std::move(options.leveldb));
  if (!hard.ok()) return hard.status();
  std::shared_ptr<PastEventArchive> leveldb = std::move(hard).value();
  if (options.mode == ArchiveMode::kLevelDb) return leveldb;
  return std::shared_ptr<PastEventArchive>(
      std::make_shared<TieredArchive>(std::move(options.memory), std::move(leveldb)));
}

}  // namespace magent
