// Typed reads of one Hugging Face config.json object, shared by the importer (hf_config.cpp) and
// the per-family readers (hf_families.cpp). Every error names the origin and the field.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace llmcost {

using HfJson = nlohmann::json;
using HfKeys = std::initializer_list<std::string_view>;

// A field can have aliases (transformers' attribute_map: n_layer for num_hidden_layers); the first
// key names it in errors.
class HfReader {
 public:
  HfReader(const HfJson& json, std::string origin, std::string type)
      : json_(json), origin_(std::move(origin)), type_(std::move(type)) {}

  int size(HfKeys keys) const { return integer(keys, 1); }  // required, > 0
  std::optional<int> opt_size(HfKeys keys) const { return opt_integer(keys, 1); }

  // Required integer >= min (null is a wrong type, not an absence).
  int integer(HfKeys keys, std::int64_t min) const;
  // Absent or null -> nullopt.
  std::optional<int> opt_integer(HfKeys keys, std::int64_t min) const;
  bool flag(std::string_view key, bool fallback) const;
  std::optional<std::string> opt_string(std::string_view key) const;
  const std::string& type() const { return type_; }

  [[noreturn]] void fail(std::string_view key, std::string_view message) const;

  // A JSON value as shown in errors, cut to 40 characters.
  static std::string shown(const HfJson& v);

 private:
  const HfJson* find(HfKeys keys, std::string_view* found) const;
  int checked(const HfJson& v, std::string_view key, std::int64_t min) const;

  const HfJson& json_;
  std::string origin_;
  std::string type_;
};

}  // namespace llmcost
