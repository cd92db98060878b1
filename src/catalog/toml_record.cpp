#include "catalog/toml_record.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "llmcost/text.hpp"

namespace llmcost {

toml::table parse_toml(std::string_view text, const std::string& origin) {
  try {
    return toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    const auto& begin = e.source().begin;
    throw InputError(fmt::format("{}:{}:{}: {}", origin, begin.line, begin.column, e.description()));
  }
}

Origin origin_of(const toml::node& node, const std::string& file) {
  const auto& begin = node.source().begin;
  return Origin{file, static_cast<int>(begin.line), static_cast<int>(begin.column)};
}

void field_error(const toml::node& node, const std::string& file, std::string_view field, std::string_view message) {
  throw InputError(fmt::format("{}: field '{}': {}", origin_of(node, file).str(), field, message));
}

std::vector<std::pair<std::string, const toml::node*>> in_file_order(const toml::table& table) {
  struct Entry {
    toml::source_position at;
    std::string name;
    const toml::node* node;
  };
  std::vector<Entry> entries;
  entries.reserve(table.size());
  for (const auto& [key, node] : table) entries.push_back({key.source().begin, std::string(key.str()), &node});
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::pair(a.at.line, a.at.column) < std::pair(b.at.line, b.at.column);
  });
  std::vector<std::pair<std::string, const toml::node*>> out;
  out.reserve(entries.size());
  for (auto& e : entries) out.emplace_back(std::move(e.name), e.node);
  return out;
}

std::optional<double> as_number(const toml::node& node) {
  if (auto i = node.value_exact<int64_t>()) return static_cast<double>(*i);
  if (auto d = node.value_exact<double>()) return *d;
  return std::nullopt;
}

namespace {

std::string_view type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    default: return "a date/time";
  }
}

}  // namespace

const toml::node* RecordReader::get(std::string_view key) {
  used_.emplace(key);
  return table_.get(key);
}

void RecordReader::missing(std::string_view key) const {
  throw InputError(fmt::format("{}: missing required field '{}'", origin().str(), key));
}

std::optional<std::string> RecordReader::opt_string(std::string_view key) {
  const toml::node* node = get(key);
  if (!node) return std::nullopt;
  auto s = node->value_exact<std::string>();
  if (!s) field_error(*node, file_, key, fmt::format("expected a string, got {}", type_name(*node)));
  if (s->empty()) field_error(*node, file_, key, "must not be empty");
  return *s;
}

std::string RecordReader::string(std::string_view key) {
  auto s = opt_string(key);
  if (!s) missing(key);
  return *s;
}

std::vector<std::string> RecordReader::string_list(std::string_view key) {
  std::vector<std::string> out;
  const toml::node* node = get(key);
  if (!node) return out;
  const toml::array* arr = node->as_array();
  if (!arr) field_error(*node, file_, key, fmt::format("expected an array of strings, got {}", type_name(*node)));
  for (const toml::node& item : *arr) {
    auto s = item.value_exact<std::string>();
    if (!s || s->empty()) field_error(item, file_, key, "expected an array of non-empty strings");
    out.push_back(*s);
  }
  return out;
}

std::optional<double> RecordReader::opt_positive(std::string_view key) {
  const toml::node* node = get(key);
  if (!node) return std::nullopt;
  auto v = as_number(*node);
  if (!v) field_error(*node, file_, key, fmt::format("expected a number, got {}", type_name(*node)));
  if (!std::isfinite(*v) || *v <= 0) {
    field_error(*node, file_, key, fmt::format("expected a positive number, got {}", *v));
  }
  return v;
}

double RecordReader::positive(std::string_view key) {
  auto v = opt_positive(key);
  if (!v) missing(key);
  return *v;
}

std::optional<int> RecordReader::opt_integer(std::string_view key, long long min, long long max) {
  const toml::node* node = get(key);
  if (!node) return std::nullopt;
  auto v = node->value_exact<int64_t>();
  if (!v) field_error(*node, file_, key, fmt::format("expected an integer, got {}", type_name(*node)));
  if (*v < min || *v > max) {
    field_error(*node, file_, key, fmt::format("expected an integer in [{}, {}], got {}", min, max, *v));
  }
  return static_cast<int>(*v);
}

std::optional<bool> RecordReader::opt_bool(std::string_view key) {
  const toml::node* node = get(key);
  if (!node) return std::nullopt;
  auto v = node->value_exact<bool>();
  if (!v) field_error(*node, file_, key, fmt::format("expected a boolean (true or false), got {}", type_name(*node)));
  return *v;
}

std::optional<double> RecordReader::opt_fraction(std::string_view key) {
  const toml::node* node = get(key);
  if (!node) return std::nullopt;
  auto v = as_number(*node);
  if (!v) field_error(*node, file_, key, fmt::format("expected a number, got {}", type_name(*node)));
  if (!std::isfinite(*v) || *v <= 0 || *v > 1) {
    field_error(*node, file_, key, fmt::format("expected a fraction in (0, 1], got {}", *v));
  }
  return v;
}

int RecordReader::integer(std::string_view key, long long min, long long max) {
  auto v = opt_integer(key, min, max);
  if (!v) missing(key);
  return *v;
}

const toml::table* RecordReader::opt_table(std::string_view key) {
  const toml::node* node = get(key);
  if (!node) return nullptr;
  const toml::table* t = node->as_table();
  if (!t) field_error(*node, file_, key, fmt::format("expected a table, got {}", type_name(*node)));
  return t;
}

const toml::node* RecordReader::opt_node(std::string_view key) {
  return get(key);
}

void RecordReader::finish() const {
  for (const auto& [name, node] : in_file_order(table_)) {
    if (used_.count(name)) continue;
    const toml::key& key = table_.find(name)->first;
    const auto& begin = key.source().begin;
    const std::string known = closest(key.str(), std::vector<std::string>(used_.begin(), used_.end()), 3);
    const std::string hint = known.empty() ? "" : fmt::format("; did you mean '{}'?", known);
    throw InputError(
        fmt::format("{}:{}:{}: field '{}': unknown field{}", file_, begin.line, begin.column, key.str(), hint));
  }
}

}  // namespace llmcost
