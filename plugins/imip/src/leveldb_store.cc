// The LevelDB calendar store. Keys, all prefixed by a tag and the user:
//   O user \0 uid \0 rid            → the stored object (JSON)
//   B user \0 end start uid \0 rid  → a busy period (JSON), ordered by end time
//   I user \0 uid \0 rid end start  → "" (finds an object's busy keys)
//   M user \0 maxlen                → the longest period stored (seconds, decimal)
//   Q group \0 user \0 uid \0 occ    → a quota journal entry (JSON), by occurrence
//   q user \0 uid \0 group            → "" (the groups whose journal holds the user's uid)
//   C user \0 uid \0 rid            → a cancelled object (JSON, as O)
//   K user \0 uid \0 rid            → a COUNTER sent (JSON: the object, proposed, expires)
// Times are seconds since the epoch as 8 big-endian bytes with the sign bit flipped, so
// byte order is time order; `rid` is empty for a whole event. A session's writes wait in
// an overlay that reads see, and go to LevelDB in one WriteBatch on Commit.
#include <leveldb/db.h>
#include <leveldb/write_batch.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "magent/imip/store.h"

namespace magent::imip {
namespace {

namespace json = boost::json;
using std::chrono::seconds;

std::int64_t Seconds(TimePoint t) {
  return std::chrono::duration_cast<seconds>(t.time_since_epoch()).count();
}
TimePoint FromSeconds(std::int64_t s) { return TimePoint(seconds(s)); }

void AppendTime(std::string& key, TimePoint t) {
  const auto biased = static_cast<std::uint64_t>(Seconds(t)) ^ (std::uint64_t{1} << 63);
  for (int shift = 56; shift >= 0; shift -= 8) {
    key.push_back(static_cast<char>((biased >> shift) & 0xff));
  }
}

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
                   std::optional<TimePoint> rid) {
  std::string key = Prefix(tag, user);
  key.append(uid);
  key.push_back('\0');
  if (rid) AppendTime(key, *rid);
  return key;
}

std::string ObjectKey(std::string_view user, std::string_view uid, std::optional<TimePoint> rid) {
  return UidKey('O', user, uid, rid);
}

json::value ToJson(const StoredObject& o) {
  return {{"uid", o.uid},
          {"rid", o.recurrence_id ? json::value(Seconds(*o.recurrence_id)) : json::value(nullptr)},
          {"sequence", o.sequence},
          {"dtstamp", Seconds(o.dtstamp)},
          {"summary", o.summary},
          {"organizer", o.organizer},
          {"partstat", o.partstat},
          {"calendar", o.calendar}};
}

json::value ToJson(const BusyPeriod& b) {
  return {{"start", Seconds(b.period.start)},
          {"end", Seconds(b.period.end)},
          {"uid", b.uid},
          {"rid", b.recurrence_id ? json::value(Seconds(*b.recurrence_id)) : json::value(nullptr)},
          {"summary", b.summary},
          {"offer", b.offer},
          {"expires", Seconds(b.expires)}};
}

json::value ToJson(const QuotaEntry& e) {
  return {{"resource", e.resource},
          {"organizer", e.organizer},
          {"uid", e.uid},
          {"occurrence", Seconds(e.occurrence)},
          {"start", Seconds(e.period.start)},
          {"end", Seconds(e.period.end)},
          {"summary", e.summary}};
}

json::value ToJson(const StoredCounter& c) {
  return {{"object", ToJson(c.object)},
          {"proposed_start", Seconds(c.proposed.start)},
          {"proposed_end", Seconds(c.proposed.end)},
          {"expires", c.expires ? json::value(Seconds(*c.expires)) : json::value(nullptr)}};
}

std::optional<TimePoint> OptionalTime(const json::object& o, std::string_view name) {
  const json::value& v = o.at(name);
  if (v.is_null()) return std::nullopt;
  return FromSeconds(v.to_number<std::int64_t>());
}

// Throws (boost::json) when a field is missing or of the wrong type.
StoredObject ObjectFromJson(const json::object& o) {
  StoredObject out;
  out.uid = json::value_to<std::string>(o.at("uid"));
  out.recurrence_id = OptionalTime(o, "rid");
  out.sequence = o.at("sequence").to_number<int>();
  out.dtstamp = FromSeconds(o.at("dtstamp").to_number<std::int64_t>());
  out.summary = json::value_to<std::string>(o.at("summary"));
  out.organizer = json::value_to<std::string>(o.at("organizer"));
  out.partstat = json::value_to<std::string>(o.at("partstat"));
  out.calendar = json::value_to<std::string>(o.at("calendar"));
  return out;
}

Result<StoredObject> ObjectFromJson(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return Status::Corruption("a stored object is not JSON");
  try {
    return ObjectFromJson(v.as_object());
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("a stored object is damaged: ") + e.what());
  }
}

Result<StoredCounter> CounterFromJson(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return Status::Corruption("a stored counter-proposal is not JSON");
  try {
    const json::object& o = v.as_object();
    StoredCounter out;
    out.object = ObjectFromJson(o.at("object").as_object());
    out.proposed = {FromSeconds(o.at("proposed_start").to_number<std::int64_t>()),
                    FromSeconds(o.at("proposed_end").to_number<std::int64_t>())};
    out.expires = OptionalTime(o, "expires");
    return out;
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("a stored counter-proposal is damaged: ") + e.what());
  }
}

Result<BusyPeriod> BusyFromJson(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return Status::Corruption("a stored busy period is not JSON");
  try {
    const json::object& o = v.as_object();
    BusyPeriod out;
    out.period = {FromSeconds(o.at("start").to_number<std::int64_t>()),
                  FromSeconds(o.at("end").to_number<std::int64_t>())};
    out.uid = json::value_to<std::string>(o.at("uid"));
    out.recurrence_id = OptionalTime(o, "rid");
    out.summary = json::value_to<std::string>(o.at("summary"));
    out.offer = o.at("offer").as_bool();
    out.expires = FromSeconds(o.at("expires").to_number<std::int64_t>());
    return out;
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("a stored busy period is damaged: ") + e.what());
  }
}

Result<QuotaEntry> QuotaEntryFromJson(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return Status::Corruption("a quota journal entry is not JSON");
  try {
    const json::object& o = v.as_object();
    QuotaEntry out;
    out.resource = json::value_to<std::string>(o.at("resource"));
    out.organizer = json::value_to<std::string>(o.at("organizer"));
    out.uid = json::value_to<std::string>(o.at("uid"));
    out.occurrence = FromSeconds(o.at("occurrence").to_number<std::int64_t>());
    out.period = {FromSeconds(o.at("start").to_number<std::int64_t>()),
                  FromSeconds(o.at("end").to_number<std::int64_t>())};
    out.summary = json::value_to<std::string>(o.at("summary"));
    return out;
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("a quota journal entry is damaged: ") + e.what());
  }
}

// Q group \0 user \0 uid \0 [occ]: a journal entry, or without `occurrence` the prefix of
// every entry the user holds for uid in the group.
std::string QuotaKey(std::string_view group, std::string_view user, std::string_view uid,
                     std::optional<TimePoint> occurrence) {
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

class LevelDbSession final : public StoreSession {
 public:
  LevelDbSession(std::unique_lock<std::mutex> held, leveldb::DB* db, std::string user, bool sync)
      : held_(std::move(held)), db_(db), user_(std::move(user)), sync_(sync) {}

  Result<std::optional<StoredObject>> GetObject(std::string_view uid,
                                                std::optional<TimePoint> rid) override {
    auto value = Get(ObjectKey(user_, uid, rid));
    if (!value.ok()) return value.status();
    if (!*value) return std::optional<StoredObject>();
    auto object = ObjectFromJson(**value);
    if (!object.ok()) return object.status();
    return std::optional<StoredObject>(std::move(*object));
  }

  Status PutObject(const StoredObject& object) override {
    Put(ObjectKey(user_, object.uid, object.recurrence_id), json::serialize(ToJson(object)));
    return Status::OK();
  }

  Status RemoveObject(std::string_view uid, std::optional<TimePoint> rid) override {
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

  Result<std::vector<BusyPeriod>> Busy(Period window, TimePoint now) override {
    auto longest = Get(Prefix('M', user_) + "maxlen");
    if (!longest.ok()) return longest.status();
    const seconds maxlen(*longest ? std::stoll(**longest) : 0);
    // Periods that end after the window starts, up to those too short to reach back in.
    std::string begin = Prefix('B', user_);
    AppendTime(begin, window.start + seconds(1));
    std::string end = Prefix('B', user_);
    AppendTime(end, window.end + maxlen + seconds(1));
    auto rows = Scan(begin, end);
    if (!rows.ok()) return rows.status();
    std::vector<BusyPeriod> out;
    for (const auto& [key, value] : *rows) {
      auto busy = BusyFromJson(value);
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

  Status SetBusy(std::string_view uid, std::optional<TimePoint> rid,
                 const std::vector<BusyPeriod>& periods) override {
    const std::string prefix = UidKey('I', user_, uid, rid);
    auto old = Scan(prefix, PrefixEnd(prefix));
    if (!old.ok()) return old.status();
    for (const auto& [index_key, unused] : *old) {
      // I user \0 uid \0 rid end start → B user \0 end start uid \0 rid
      const std::string_view rest = std::string_view(index_key).substr(Prefix('I', user_).size());
      const std::string_view times = rest.substr(rest.size() - 16);
      const std::string_view uid_rid = rest.substr(0, rest.size() - 16);
      Delete(index_key);
      Delete(Prefix('B', user_) + std::string(times) + std::string(uid_rid));
    }
    seconds longest(0);
    if (auto current = Get(Prefix('M', user_) + "maxlen"); current.ok() && *current) {
      longest = seconds(std::stoll(**current));
    }
    for (const BusyPeriod& b : periods) {
      std::string times;
      AppendTime(times, b.period.end);
      AppendTime(times, b.period.start);
      std::string uid_rid(uid);
      uid_rid.push_back('\0');
      if (b.recurrence_id) AppendTime(uid_rid, *b.recurrence_id);
      Put(Prefix('B', user_) + times + uid_rid, json::serialize(ToJson(b)));
      Put(Prefix('I', user_) + uid_rid + times, "");
      longest =
          std::max(longest, std::chrono::duration_cast<seconds>(b.period.end - b.period.start));
    }
    Put(Prefix('M', user_) + "maxlen", std::to_string(longest.count()));
    return Status::OK();
  }

  Result<std::vector<QuotaEntry>> QuotaEntries(std::string_view group, TimePoint now) override {
    const std::string prefix = Prefix('Q', group);
    auto rows = Scan(prefix, PrefixEnd(prefix));
    if (!rows.ok()) return rows.status();
    std::vector<QuotaEntry> out;
    for (const auto& [key, value] : *rows) {
      auto entry = QuotaEntryFromJson(value);
      if (!entry.ok()) return entry.status();
      if (entry->period.end > now) out.push_back(std::move(*entry));
    }
    std::sort(out.begin(), out.end(), [](const QuotaEntry& a, const QuotaEntry& b) {
      return a.period.start < b.period.start;
    });
    return out;
  }

  Status SetQuotaEntries(std::string_view group, std::string_view uid, std::optional<TimePoint> rid,
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
      Put(QuotaKey(group, user_, uid, e.occurrence), json::serialize(ToJson(e)));
    }
    const std::string index = UidKey('q', user_, uid, std::nullopt) + std::string(group);
    if (!entries.empty()) {
      Put(index, "");
    } else if (!rid) {
      Delete(index);
    }
    return Status::OK();
  }

  Status ReleaseQuotaEntries(std::string_view uid, std::optional<TimePoint> rid) override {
    const std::string prefix = UidKey('q', user_, uid, std::nullopt);
    auto groups = Scan(prefix, PrefixEnd(prefix));
    if (!groups.ok()) return groups.status();
    for (const auto& [key, unused] : *groups) {
      const std::string group = key.substr(prefix.size());
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
    return Status::OK();
  }

  Result<std::optional<StoredObject>> GetCancellation(std::string_view uid,
                                                      std::optional<TimePoint> rid) override {
    auto value = Get(UidKey('C', user_, uid, rid));
    if (!value.ok()) return value.status();
    if (!*value) return std::optional<StoredObject>();
    auto object = ObjectFromJson(**value);
    if (!object.ok()) return object.status();
    return std::optional<StoredObject>(std::move(*object));
  }

  Status PutCancellation(const StoredObject& object) override {
    Put(UidKey('C', user_, object.uid, object.recurrence_id), json::serialize(ToJson(object)));
    return Status::OK();
  }

  Status RemoveCancellation(std::string_view uid, std::optional<TimePoint> rid) override {
    Delete(UidKey('C', user_, uid, rid));
    return Status::OK();
  }

  Result<std::optional<StoredCounter>> GetCounter(std::string_view uid,
                                                  std::optional<TimePoint> rid) override {
    auto value = Get(UidKey('K', user_, uid, rid));
    if (!value.ok()) return value.status();
    if (!*value) return std::optional<StoredCounter>();
    auto counter = CounterFromJson(**value);
    if (!counter.ok()) return counter.status();
    return std::optional<StoredCounter>(std::move(*counter));
  }

  Status PutCounter(const StoredCounter& counter) override {
    Put(UidKey('K', user_, counter.object.uid, counter.object.recurrence_id),
        json::serialize(ToJson(counter)));
    return Status::OK();
  }

  Status RemoveCounter(std::string_view uid, std::optional<TimePoint> rid) override {
    Delete(UidKey('K', user_, uid, rid));
    return Status::OK();
  }

 private:
  static std::string PrefixEnd(std::string prefix) {
    prefix.push_back('\xff');  // Keys never hold 0xff after a prefix: UTF-8 has no such byte.
    return prefix;
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
    for (it->Seek(begin); it->Valid() && it->key().ToString() < end; it->Next()) {
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
        std::move(held), db_.get(), std::string(user), options_.sync));
  }

 private:
  Status OpenDatabase(std::chrono::steady_clock::time_point deadline) {
    leveldb::Options options;
    options.create_if_missing = true;
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
  std::unique_ptr<leveldb::DB> db_;  // Open from the first session on.
};

}  // namespace

Result<std::unique_ptr<CalendarStore>> OpenLevelDbStore(LevelDbStoreOptions options) {
  if (options.path.empty()) return Status::InvalidArgument("the calendar store needs a path");
  return std::unique_ptr<CalendarStore>(std::make_unique<LevelDbStore>(std::move(options)));
}

}  // namespace magent::imip
