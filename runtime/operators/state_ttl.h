// Expiry of keyed operator state after 'table.exec.state.ttl'.
//
// Flink's state TTL counts processing time from an entry's last write: reading
// an entry does not extend its life, an expired entry is never read, and
// expiry sends nothing downstream. A later row for the key starts afresh, so a
// GROUP BY emits +I again, and a join no longer matches the forgotten rows.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>

#include "runtime/operators/key_map.h"

namespace fsql {

/// The setting that bounds how long idle keyed state is kept.
inline constexpr std::string_view kStateTtlKey = "table.exec.state.ttl";

/// True when state written at `written` has expired at processing time `now`
/// under `ttl_ms`; a TTL of 0 keeps state forever, as in Flink.
inline bool StateExpired(int64_t written, int64_t now, int64_t ttl_ms) {
  return ttl_ms > 0 && now - written >= ttl_ms;
}

/// A map from encoded key to state whose entries expire `ttl_ms` after their
/// last write. Operators call Sweep once per batch to release the memory of
/// expired entries; Find never returns one either way.
template <typename T>
class TtlMap {
 public:
  explicit TtlMap(int64_t ttl_ms = 0) : ttl_ms_(ttl_ms) {}

  /// Returns the live entry of `key`, or nullptr. An expired entry is removed.
  T* Find(std::string_view key, int64_t now) { return FindLive(key, now); }
  T* Find(const HashedKey& key, int64_t now) { return FindLive(key, now); }

  /// Returns the live entry of `key`, created empty when there is none; either
  /// way it counts as written at `now`.
  T& Write(const std::string& key, int64_t now) {
    auto [it, inserted] = map_.try_emplace(key);
    return Rewrite(it->second, inserted, now);
  }
  T& Write(const HashedKey& key, int64_t now) {
    auto it = map_.find(key);
    bool inserted = it == map_.end();
    if (inserted) it = map_.emplace(key.bytes, Entry()).first;
    return Rewrite(it->second, inserted, now);
  }

  void Erase(const std::string& key) { map_.erase(key); }
  void Erase(const HashedKey& key) {
    auto it = map_.find(key);
    if (it != map_.end()) map_.erase(it);
  }

  /// Removes expired entries. The scan runs at most once per TTL, so an expired
  /// entry may occupy memory for up to twice the TTL.
  void Sweep(int64_t now) {
    if (ttl_ms_ <= 0 || (last_sweep_ != kNever && now - last_sweep_ < ttl_ms_)) return;
    last_sweep_ = now;
    for (auto it = map_.begin(); it != map_.end();) {
      it = StateExpired(it->second.written, now, ttl_ms_) ? map_.erase(it) : std::next(it);
    }
  }

  size_t size() const { return map_.size(); }
  int64_t ttl_ms() const { return ttl_ms_; }

 private:
  struct Entry {
    T value{};
    int64_t written = 0;
  };
  static constexpr int64_t kNever = std::numeric_limits<int64_t>::min();

  template <typename Key>
  T* FindLive(const Key& key, int64_t now) {
    auto it = map_.find(key);
    if (it == map_.end()) return nullptr;
    if (StateExpired(it->second.written, now, ttl_ms_)) {
      map_.erase(it);
      return nullptr;
    }
    return &it->second.value;
  }

  /// Empties an entry that expired, unless it was just created, and marks it written at `now`.
  T& Rewrite(Entry& entry, bool inserted, int64_t now) {
    if (!inserted && StateExpired(entry.written, now, ttl_ms_)) entry.value = T();
    entry.written = now;
    return entry.value;
  }

  KeyMap<Entry> map_;
  int64_t ttl_ms_;
  int64_t last_sweep_ = kNever;
};

}  // namespace fsql
