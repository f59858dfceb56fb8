#include "hostile/store_dump.h"

#include <leveldb/db.h>
#include <leveldb/write_batch.h>

#include <filesystem>
#include <memory>

namespace magent::hostile {

StoreDump DumpStore(const std::string& path) {
  StoreDump dump;
  if (!std::filesystem::exists(path + "/CURRENT")) return dump;
  leveldb::DB* raw = nullptr;
  if (!leveldb::DB::Open(leveldb::Options(), path, &raw).ok()) {
    dump.readable = false;
    return dump;
  }
  const std::unique_ptr<leveldb::DB> db(raw);
  const std::unique_ptr<leveldb::Iterator> it(db->NewIterator(leveldb::ReadOptions()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    dump.records.emplace(it->key().ToString(), it->value().ToString());
  }
  return dump;
}

bool GarbleStore(const std::string& path) {
  // A format byte no version wrote, a NUL, then text an old JSON build might have left.
  const std::string kGarbage("\xff\0garbled{\"json\": true}", 23);
  leveldb::DB* raw = nullptr;
  if (!leveldb::DB::Open(leveldb::Options(), path, &raw).ok()) return false;
  const std::unique_ptr<leveldb::DB> db(raw);
  leveldb::WriteBatch batch;
  const std::unique_ptr<leveldb::Iterator> it(db->NewIterator(leveldb::ReadOptions()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    batch.Put(it->key(), kGarbage);
  }
  leveldb::WriteOptions sync;
  sync.sync = true;
  return db->Write(sync, &batch).ok();
}

}  // namespace magent::hostile
