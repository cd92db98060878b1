#include "catalog/hf_reader.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "llmcost/error.hpp"

namespace llmcost {
namespace {

// Largest size accepted for any field (2^28): sums such as H + 2K and kv_lora_rank + rope stay in an int.
constexpr std::int64_t kMaxSize = std::int64_t{1} << 28;

}  // namespace

int HfReader::integer(HfKeys keys, std::int64_t min) const {
  std::string_view key = *keys.begin();
  const HfJson* v = find(keys, &key);
  if (!v) fail(key, fmt::format("missing; a '{}' config needs it", type_));
  return checked(*v, key, min);
}

std::optional<int> HfReader::opt_integer(HfKeys keys, std::int64_t min) const {
  std::string_view key = *keys.begin();
  const HfJson* v = find(keys, &key);
  if (!v || v->is_null()) return std::nullopt;
  return checked(*v, key, min);
}

bool HfReader::flag(std::string_view key, bool fallback) const {
  const HfJson* v = find({key}, &key);
  if (!v || v->is_null()) return fallback;
  if (!v->is_boolean()) fail(key, fmt::format("expected true or false, got {}", shown(*v)));
  return v->get<bool>();
}

std::optional<std::string> HfReader::opt_string(std::string_view key) const {
  const HfJson* v = find({key}, &key);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_string()) fail(key, fmt::format("expected a string, got {}", shown(*v)));
  return v->get<std::string>();
}

void HfReader::fail(std::string_view key, std::string_view message) const {
  throw InputError(fmt::format("{}: field '{}': {}", origin_, key, message));
}

std::string HfReader::shown(const HfJson& v) {
  std::string s = v.dump();
  return s.size() > 40 ? s.substr(0, 37) + "..." : s;
}

const HfJson* HfReader::find(HfKeys keys, std::string_view* found) const {
  for (std::string_view k : keys) {
    auto it = json_.find(std::string(k));
    if (it != json_.end()) {
      *found = k;
      return &*it;
    }
  }
  return nullptr;
}

int HfReader::checked(const HfJson& v, std::string_view key, std::int64_t min) const {
  std::optional<std::int64_t> x;
  if (v.is_number_unsigned())
    x = std::int64_t(std::min<std::uint64_t>(v.get<std::uint64_t>(), kMaxSize + 1));
  else if (v.is_number_integer())
    x = v.get<std::int64_t>();
  if (x && *x > kMaxSize) fail(key, fmt::format("{} is too large (at most {})", shown(v), kMaxSize));
  if (x && *x >= min) return int(*x);
  const std::string want = min == 1 ? "a positive integer" : fmt::format("an integer >= {}", min);
  fail(key, fmt::format("expected {}, got {}", want, shown(v)));
}

}  // namespace llmcost
