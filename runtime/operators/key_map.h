// Hash maps keyed by encoded keys, looked up with the hash that the key
// encoder computed along with the bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace fsql {

/// Returns a 64-bit hash of an encoded key. Compiled key functions return the
/// same value for the same bytes.
uint64_t HashKey(std::string_view key);

/// The constants of HashKey, which generated key functions use too.
inline constexpr uint64_t kKeyHashSeed = 0x2545F4914F6CDD1DULL;
inline constexpr uint64_t kKeyHashMultiplier = 0x9E3779B97F4A7C15ULL;
inline constexpr uint64_t kKeyHashFinalizer = 0xFF51AFD7ED558CCDULL;

/// An encoded key and its HashKey, filled together by KeyEncoder so that a
/// lookup does not hash the bytes a second time.
struct HashedKey {
  std::string bytes;
  uint64_t hash = 0;
};

/// Hashes stored keys with HashKey and takes a HashedKey's hash as it is, so
/// both hash alike.
struct KeyHash {
  using is_transparent = void;
  size_t operator()(std::string_view key) const { return HashKey(key); }
  size_t operator()(const std::string& key) const { return HashKey(key); }
  size_t operator()(const HashedKey& key) const { return key.hash; }
};

/// Byte equality between stored keys, string views and HashedKeys.
struct KeyEqual {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return a == b; }
  bool operator()(const HashedKey& a, std::string_view b) const { return a.bytes == b; }
  bool operator()(std::string_view a, const HashedKey& b) const { return a == b.bytes; }
};

/// A hash map from encoded key to `T` that finds a HashedKey without hashing it.
template <typename T>
using KeyMap = std::unordered_map<std::string, T, KeyHash, KeyEqual>;

/// Returns the entry of `key`, created empty when there is none.
template <typename T>
T& FindOrCreate(KeyMap<T>& map, const HashedKey& key) {
  auto it = map.find(key);
  if (it == map.end()) it = map.emplace(key.bytes, T()).first;
  return it->second;
}

}  // namespace fsql
