// The LevelDB calendar store. Keys, all prefixed by a tag and the user:
//   O user \0 uid \0 rid            → the stored object
//   B user \0 end start uid \0 rid  → a busy period, ordered by end time
//   I user \0 uid \0                → where the uid's busy periods are: (rid, end, start)s
//   M user \0 maxlen                → the longest period stored (seconds, decimal)
//   Q group \0 user \0 uid \0 occ   → a quota journal entry, by occurrence
//   q user \0 uid \0                → the groups whose journal holds the user's uid (one
//                                      value, so a uid in none costs a Get, not a scan)
//   C user \0 uid \0 rid            → a cancelled object (as O)
//   K user \0 uid \0 rid            → a COUNTER sent: the object, proposed period, expiry
// Times are seconds since the epoch as 8 big-endian bytes with the sign bit flipped, so
// byte order is time order; `rid` is empty for a whole event. Values are binary: a format
// byte (kFormat), then the fields in order, strings as a varint length and the bytes;
// ints and times as in keys (building and parsing JSON took about 5% of a decision).
// Objects (O, C, and the object in K) are written in kObjectFormat, which adds the
// organizer's recorded SENT-BY; those of kFormat, written before it, are still read (no
// SENT-BY recorded). A value in another format (early development builds wrote JSON) is
// reported as corrupt, not migrated: no release wrote one. A session's writes wait in an
// overlay that reads see, and go to LevelDB in one WriteBatch on Commit.
#include <leveldb/db.h>
#include <leveldb/filter_policy.h>
#include <leveldb/write_batch.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <mutex>
#include <thread>

#include "magent/imip/store.h"
#include "store_records.h"

namespace magent::imip {
namespace {

using internal::AppendTime;
using internal::BusyPlace;
using internal::DecodeBusy;
using internal::DecodeCounter;
using internal::DecodeGroups;
using internal::DecodeObject;
using internal::DecodePlaces;
using internal::DecodeQuotaEntry;
using internal::Encode;
using std::chrono::seconds;

std::string Prefix(char tag, std::string_view user) {
  std::string key(1, tag);
  key.append(user);
  key.push_back('\0');
  return key;
}

// tag user \0 uid \0 [rid]: an object's key (O, and C, K for its cancellation and counter),
// or the prefix of its busy index (I).
// Without a rid, also the prefix of every instance's.
std::string UidKey(char tag, std::string_view user, std::string_view uid,
                   std::optional<UtcTime> rid) {
  std::string key = Prefix(tag, user);
  key.append(uid);
  key.push_back('\0');
  if (rid) AppendTime(key, *rid);
  return key;
}

std::string ObjectKey(std::string_view user, std::string_view uid, std::optional<UtcTime> rid) {
  return UidKey('O', user, uid, rid);
}

// Q group \0 user \0 uid \0 [occ]: a journal entry, or without `occurrence` the prefix of
// every entry the user holds for uid in the group.
std::string QuotaKey(std::string_view group, std::string_view user, std::string_view uid,
                     std::optional<UtcTime> occurrence) {
  std::string key = Prefix('Q', group);
  key.append(user);
  key.push_back('\0');
  key.append(uid);
  key.push_back('\0');
  if (occurrence) AppendTime(key, *occurrence);
  return key;
}

Status FromLevelDb(const leveldb::Status& s) {
  if (s.ok()) return Status::OK();
  if (s.IsCorruption()) return Status::Corruption("calendar store: " + s.ToString());
  return Status::Unavailable("calendar store: " + s.ToString());
}

// Each user's longest stored period, as committed, once a session has read or written it.
using LongestPeriods = std::map<std::string, seconds, std::less<>>;

class LevelDbSession final : public StoreSession {
 public:
  LevelDbSession(std::unique_lock<std::mutex> held, leveldb::DB* db, std::string user, bool sync,
                 LongestPeriods& committed_longest)
      : held_(std::move(held)),
        db_(db),
        user_(std::move(user)),
        sync_(sync),
        committed_longest_(committed_longest) {}

  Result<std::optional<StoredObject>> GetObject(std::string_view uid,
                                                std::optional<UtcTime> rid) override {
    auto value = Get(ObjectKey(user_, uid, rid));
    if (!value.ok()) return value.status();
    if (!*value) return std::optional<StoredObject>();
    auto object = DecodeObject(**value);
    if (!object.ok()) return object.status();
    return std::optional<StoredObject>(std::move(*object));
  }

  Result<std::vector<StoredObject>> GetObjects(std::string_view uid) override {
    const std::string prefix = ObjectKey(user_, uid, std::nullopt);
    auto rows = Scan(prefix, PrefixEnd(prefix));
    if (!rows.ok()) return rows.status();
    std::vector<StoredObject> out;
    for (const auto& [key, value] : *rows) {
      auto object = DecodeObject(value);
      if (!object.ok()) return object.status();
      out.push_back(std::move(*object));
    }
    return out;
  }

  Status PutObject(const StoredObject& object) override {
    Put(ObjectKey(user_, object.uid, object.recurrence_id), Encode(object));
    return Status::OK();
  }

  Status RemoveObject(std::string_view uid, std::optional<UtcTime> rid) override {
    if (Status s = SetBusy(uid, rid, {}); !s.ok()) return s;
    if (rid) {
      Delete(ObjectKey(user_, uid, rid));
      return Status::OK();
    }
    // The whole event: its master and every instance.
    const std::string prefix = ObjectKey(user_, uid, std::nullopt);
    auto objects = Scan(prefix, PrefixEnd(prefix));
    if (!objects.ok()) return objects.status();
    for (const auto& [key, value] : *objects) Delete(key);
    return Status::OK();
  }

  Result<std::vector<BusyPeriod>> Busy(Period window, UtcTime now) override {
    auto maxlen = Longest();
    if (!maxlen.ok()) return maxlen.status();
    // Periods that end after the window starts, up to those too short to reach back in.
    std::string begin = Prefix('B', user_);
    AppendTime(begin, window.start + seconds(1));
    std::string end = Prefix('B', user_);
    AppendTime(end, window.end + *maxlen + seconds(1));
    auto rows = Scan(begin, end);
    if (!rows.ok()) return rows.status();
    std::vector<BusyPeriod> out;
    for (const auto& [key, value] : *rows) {
      auto busy = DecodeBusy(value);
      if (!busy.ok()) return busy.status();
      if (busy->period.start >= window.end || busy->period.end <= window.start) continue;
      if (busy->offer && busy->expires <= now) continue;
      out.push_back(std::move(*busy));
    }
    std::sort(out.begin(), out.end(), [](const BusyPeriod& a, const BusyPeriod& b) {
      return a.period.start < b.period.start;
    });
    return out;
  }

  Status SetBusy(std::string_view uid, std::optional<UtcTime> rid,
                 const std::vector<BusyPeriod>& periods) override {
    // The uid's index says where its periods are, so replacing them needs no scan.
    const std::string index_key = UidKey('I', user_, uid, std::nullopt);
    auto index = Get(index_key);
    if (!index.ok()) return index.status();
    std::vector<BusyPlace> places;
    if (*index) {
      auto old = DecodePlaces(**index);
      if (!old.ok()) return old.status();
      for (const BusyPlace& p : *old) {
        if (rid && p.rid != rid) {
          places.push_back(p);
        } else {
          Delete(BusyKey(uid, p));
        }
      }
    }
    auto longest = Longest();
    if (!longest.ok()) return longest.status();
    seconds grown = *longest;
    for (const BusyPeriod& b : periods) {
      const BusyPlace& p = places.emplace_back(
          BusyPlace{.rid = b.recurrence_id, .end = b.period.end, .start = b.period.start});
      Put(BusyKey(uid, p), Encode(b));
      grown = std::max(grown, std::chrono::duration_cast<seconds>(b.period.end - b.period.start));
    }
    if (places.empty()) {
      if (*index) Delete(index_key);  // No tombstone for a UID that never held a period.
    } else {
      Put(index_key, Encode(places));
    }
    if (grown != *longest) {
      Put(Prefix('M', user_) + "maxlen", std::to_string(grown.count()));
      longest_ = grown;
    }
    return Status::OK();
  }

  Result<std::vector<QuotaEntry>> QuotaEntries(std::string_view group, UtcTime now) override {
    const std::string prefix = Prefix('Q', group);
    auto rows = Scan(prefix, PrefixEnd(prefix));
    if (!rows.ok()) return rows.status();
    std::vector<QuotaEntry> out;
    for (const auto& [key, value] : *rows) {
      auto entry = DecodeQuotaEntry(value);
      if (!entry.ok()) return entry.status();
      if (entry->period.end > now) out.push_back(std::move(*entry));
    }
    std::sort(out.begin(), out.end(), [](const QuotaEntry& a, const QuotaEntry& b) {
      return a.period.start < b.period.start;
    });
    return out;
  }

  Status SetQuotaEntries(std::string_view group, std::string_view uid, std::optional<UtcTime> rid,
                         const std::vector<QuotaEntry>& entries) override {
    if (rid) {
      Delete(QuotaKey(group, user_, uid, rid));
    } else {
      const std::string prefix = QuotaKey(group, user_, uid, std::nullopt);
      auto old = Scan(prefix, PrefixEnd(prefix));
      if (!old.ok()) return old.status();
      for (const auto& [key, unused] : *old) Delete(key);
    }
    for (const QuotaEntry& e : entries) {
      Put(QuotaKey(group, user_, uid, e.occurrence), Encode(e));
    }
    // The uid's group list: the group joins it with entries, and leaves it when the whole
    // event's are gone (an occurrence's release leaves the others').
    if (entries.empty() && rid) return Status::OK();
    auto groups = Groups(uid);
    if (!groups.ok()) return groups.status();
    const auto at = std::find(groups->begin(), groups->end(), group);
    const bool listed = at != groups->end();
    if (!entries.empty() && !listed) {
      groups->emplace_back(group);
    } else if (entries.empty() && listed) {
      groups->erase(at);
    } else {
      return Status::OK();
    }
    const std::string index = UidKey('q', user_, uid, std::nullopt);
    if (groups->empty()) {
      Delete(index);
    } else {
      Put(index, Encode(*groups));
    }
    return Status::OK();
  }

  // The groups whose journal holds the user's `uid`.
  Result<std::vector<std::string>> Groups(std::string_view uid) {
    auto value = Get(UidKey('q', user_, uid, std::nullopt));
    if (!value.ok()) return value.status();
    if (!*value) return std::vector<std::string>();
    return DecodeGroups(**value);
  }

  Status ReleaseQuotaEntries(std::string_view uid, std::optional<UtcTime> rid) override {
    auto groups = Groups(uid);
    if (!groups.ok()) return groups.status();
    for (const std::string& group : *groups) {
      if (Status s = SetQuotaEntries(group, uid, rid, {}); !s.ok()) return s;
    }
    return Status::OK();
  }

  Status Commit() override {
    leveldb::WriteBatch batch;
    for (const auto& [key, value] : overlay_) {
      if (value) {
        batch.Put(key, *value);
      } else {
        batch.Delete(key);
      }
    }
    leveldb::WriteOptions options;
    options.sync = sync_;
    if (Status s = FromLevelDb(db_->Write(options, &batch)); !s.ok()) return s;
    overlay_.clear();
    if (longest_) committed_longest_[user_] = *longest_;
    return Status::OK();
  }

  Result<std::optional<StoredObject>> GetCancellation(std::string_view uid,
                                                      std::optional<UtcTime> rid) override {
    auto value = Get(UidKey('C', user_, uid, rid));
    if (!value.ok()) return value.status();
    if (!*value) return std::optional<StoredObject>();
    auto object = DecodeObject(**value, "cancellation");
    if (!object.ok()) return object.status();
    return std::optional<StoredObject>(std::move(*object));
  }

  Status PutCancellation(const StoredObject& object) override {
    Put(UidKey('C', user_, object.uid, object.recurrence_id), Encode(object));
    return Status::OK();
  }

  Status RemoveCancellation(std::string_view uid, std::optional<UtcTime> rid) override {
    Delete(UidKey('C', user_, uid, rid));
    return Status::OK();
  }

  Result<std::optional<StoredCounter>> GetCounter(std::string_view uid,
                                                  std::optional<UtcTime> rid) override {
    auto value = Get(UidKey('K', user_, uid, rid));
    if (!value.ok()) return value.status();
    if (!*value) return std::optional<StoredCounter>();
    auto counter = DecodeCounter(**value);
    if (!counter.ok()) return counter.status();
    return std::optional<StoredCounter>(std::move(*counter));
  }

  Status PutCounter(const StoredCounter& counter) override {
    Put(UidKey('K', user_, counter.object.uid, counter.object.recurrence_id), Encode(counter));
    return Status::OK();
  }

  Status RemoveCounter(std::string_view uid, std::optional<UtcTime> rid) override {
    Delete(UidKey('K', user_, uid, rid));
    return Status::OK();
  }

 private:
  static std::string PrefixEnd(std::string prefix) {
    prefix.push_back('\xff');  // Keys never hold 0xff after a prefix: UTF-8 has no such byte.
    return prefix;
  }

  // B user \0 end start uid \0 rid
  std::string BusyKey(std::string_view uid, const BusyPlace& p) const {
    std::string key = Prefix('B', user_);
    AppendTime(key, p.end);
    AppendTime(key, p.start);
    key.append(uid);
    key.push_back('\0');
    if (p.rid) AppendTime(key, *p.rid);
    return key;
  }

  // The longest period of the user's, as this session sees it (one read per process).
  Result<seconds> Longest() {
    if (longest_) return *longest_;
    if (auto known = committed_longest_.find(user_); known != committed_longest_.end()) {
      return *(longest_ = known->second);
    }
    // Nothing in the overlay yet: only SetBusy writes it, and it sets longest_.
    auto stored = Get(Prefix('M', user_) + "maxlen");
    if (!stored.ok()) return stored.status();
    longest_ = seconds(*stored ? std::stoll(**stored) : 0);
    committed_longest_[user_] = *longest_;
    return *longest_;
  }

  void Put(std::string key, std::string value) { overlay_[std::move(key)] = std::move(value); }
  void Delete(std::string key) { overlay_[std::move(key)] = std::nullopt; }

  Result<std::optional<std::string>> Get(const std::string& key) {
    if (auto it = overlay_.find(key); it != overlay_.end()) return it->second;
    std::string value;
    const leveldb::Status s = db_->Get(leveldb::ReadOptions(), key, &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    if (Status st = FromLevelDb(s); !st.ok()) return st;
    return std::optional<std::string>(std::move(value));
  }

  // [begin, end) as the session sees it: the database with the overlay on top.
  Result<std::map<std::string, std::string>> Scan(const std::string& begin,
                                                  const std::string& end) {
    std::map<std::string, std::string> rows;
    std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
    for (it->Seek(begin); it->Valid() && it->key().compare(end) < 0; it->Next()) {
      rows.emplace(it->key().ToString(), it->value().ToString());
    }
    if (Status s = FromLevelDb(it->status()); !s.ok()) return s;
    for (auto o = overlay_.lower_bound(begin); o != overlay_.end() && o->first < end; ++o) {
      if (o->second) {
        rows[o->first] = *o->second;
      } else {
        rows.erase(o->first);
      }
    }
    return rows;
  }

  std::unique_lock<std::mutex> held_;  // The store, for this session alone.
  leveldb::DB* db_;
  std::string user_;
  bool sync_;
  LongestPeriods& committed_longest_;  // The store's; guarded by the mutex `held_` holds.
  std::optional<seconds> longest_;     // Read or grown by this session.
  std::map<std::string, std::optional<std::string>> overlay_;
};

// The database is opened by the first session and stays open while the store lives:
// LevelDB's lock keeps other processes out for that long (a pipe process lives for one
// message), and sessions of this process take turns on a mutex. Opening per session
// would recover LevelDB's log each time, about 50 ms with a year of bookings.
class LevelDbStore final : public CalendarStore {
 public:
  explicit LevelDbStore(LevelDbStoreOptions options) : options_(std::move(options)) {}

  Result<std::unique_ptr<StoreSession>> Open(std::string_view user, Duration wait) override {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    // Polled like the other process's lock below: a timed wait on the mutex would use
    // pthread_mutex_clocklock, which ThreadSanitizer does not see.
    std::unique_lock<std::mutex> held(mu_, std::defer_lock);
    for (auto pause = std::chrono::milliseconds(1); !held.try_lock();
         pause = std::min(pause * 2, std::chrono::milliseconds(50))) {
      if (std::chrono::steady_clock::now() >= deadline) {
        return Status::Unavailable("calendar store '" + options_.path +
                                   "' is busy: another session of this process holds it");
      }
      std::this_thread::sleep_for(pause);
    }
    if (db_ == nullptr) {
      if (Status s = OpenDatabase(deadline); !s.ok()) return s;
    }
    return std::unique_ptr<StoreSession>(std::make_unique<LevelDbSession>(
        std::move(held), db_.get(), std::string(user), options_.sync, longest_));
  }

 private:
  Status OpenDatabase(std::chrono::steady_clock::time_point deadline) {
    leveldb::Options options;
    options.create_if_missing = true;
    // Most requests look up a UID the store does not hold yet: the filter answers that
    // without reading a block of each table.
    options.filter_policy = filter_.get();
    auto pause = std::chrono::milliseconds(1);
    for (;;) {
      leveldb::DB* db = nullptr;
      const leveldb::Status s = leveldb::DB::Open(options, options_.path, &db);
      if (s.ok()) {
        db_.reset(db);
        return Status::OK();
      }
      // Another process holds LevelDB's lock: wait for it, within bounds.
      const bool held = s.IsIOError() && s.ToString().find("lock") != std::string::npos;
      if (!held) return FromLevelDb(s);
      if (std::chrono::steady_clock::now() >= deadline) {
        return Status::Unavailable("calendar store '" + options_.path +
                                   "' is busy: " + s.ToString());
      }
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::milliseconds(50));
    }
  }

  LevelDbStoreOptions options_;
  std::mutex mu_;
  const std::unique_ptr<const leveldb::FilterPolicy> filter_{leveldb::NewBloomFilterPolicy(10)};
  std::unique_ptr<leveldb::DB> db_;  // Open from the first session on; uses `filter_`.
  LongestPeriods longest_;           // Guarded by mu_.
};

}  // namespace

Result<std::unique_ptr<CalendarStore>> OpenLevelDbStore(LevelDbStoreOptions options) {
  if (options.path.empty()) return Status::InvalidArgument("the calendar store needs a path");
  return std::unique_ptr<CalendarStore>(std::make_unique<LevelDbStore>(std::move(options)));
}

}  // namespace magent::imip
