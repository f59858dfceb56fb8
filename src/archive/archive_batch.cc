#include "archive/archive_batch.h"

#include <string>

#include "archive/archive_keys.h"
#include "archive/record_codec.h"

namespace magent::internal {

std::uint64_t BuildAppendBatch(const std::vector<EventRecord>& records,
                               std::uint64_t first_sequence, std::uint64_t count_before,
                               leveldb::WriteBatch& batch) {
  std::uint64_t sequence = first_sequence;
  RecordEncoder encoder;
  std::string key, value;
  auto put_index = [&](const std::string& prefix, const std::string& order) {
    key.assign(prefix);  // Prefixes are short: no allocation but the key's, once.
    key.append(order);
    batch.Put(key, leveldb::Slice());
  };
  for (const EventRecord& r : records) {
    const std::string order = OrderKey(r.finished, sequence++);
    value.clear();
    encoder.Encode(r, value);
    key.assign(1, kRecordTag);
    key.append(order);
    batch.Put(key, value);
    put_index(IdPrefix(r.id), order);
    put_index(AgentPrefix(r.agent), order);
    // The agent's source and every event source, each once.
    if (r.agent_source) put_index(SourcePrefix(r.agent_source), order);
    for (std::size_t i = 0; i < r.sources.size(); ++i) {
      const SourceId s = r.sources[i].source;
      bool seen = !s || s == r.agent_source;
      for (std::size_t j = 0; j < i && !seen; ++j) seen = r.sources[j].source == s;
      if (!seen) put_index(SourcePrefix(s), order);
    }
    put_index(KindPrefix(r.kind), order);
    put_index(OutcomePrefix(r.outcome), order);
  }
  std::string sequence_value, count_value;
  AppendU64(sequence_value, sequence);
  AppendU64(count_value, count_before + records.size());
  batch.Put(leveldb::Slice(kSequenceKey.data(), kSequenceKey.size()), sequence_value);
  batch.Put(leveldb::Slice(kCountKey.data(), kCountKey.size()), count_value);
  return sequence;
}

}  // namespace magent::internal
