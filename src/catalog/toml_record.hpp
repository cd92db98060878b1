// Typed, located reads of one TOML table, shared by the catalog and scenario loaders.
// Every error names file:line:col and the field; finish() rejects keys nobody asked for.
#pragma once

#include <toml++/toml.h>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "llmcost/error.hpp"

namespace llmcost {

// Parses `text` as TOML; a syntax error becomes InputError "origin:line:col: <description>".
toml::table parse_toml(std::string_view text, const std::string& origin);

// The place of a node in `file`.
Origin origin_of(const toml::node& node, const std::string& file);

// Throws InputError "file:line:col: field 'name': message".
[[noreturn]] void field_error(const toml::node& node, const std::string& file, std::string_view field,
                              std::string_view message);

class RecordReader {
 public:
  RecordReader(const toml::table& table, std::string file) : table_(table), file_(std::move(file)) {}

  std::string string(std::string_view key);
  std::optional<std::string> opt_string(std::string_view key);
  std::vector<std::string> string_list(std::string_view key);  // absent -> empty
  double positive(std::string_view key);                       // > 0, finite
  std::optional<double> opt_positive(std::string_view key);
  int integer(std::string_view key, long long min, long long max);
  std::optional<int> opt_integer(std::string_view key, long long min, long long max);
  std::optional<bool> opt_bool(std::string_view key);        // a TOML boolean (true or false)
  std::optional<double> opt_fraction(std::string_view key);  // a number in (0, 1]
  const toml::table* opt_table(std::string_view key);
  const toml::node* opt_node(std::string_view key);

  // Throws for the first key of the table that no read above asked for.
  void finish() const;

  Origin origin() const { return origin_of(table_, file_); }
  const std::string& file() const { return file_; }
  const toml::table& table() const { return table_; }

 private:
  const toml::node* get(std::string_view key);
  [[noreturn]] void missing(std::string_view key) const;

  const toml::table& table_;
  std::string file_;
  std::set<std::string, std::less<>> used_;
};

// The entries of `table` in file order (toml::table iterates in key order).
std::vector<std::pair<std::string, const toml::node*>> in_file_order(const toml::table& table);

// A TOML number (integer or float) as double; nullopt for any other type.
std::optional<double> as_number(const toml::node& node);

}  // namespace llmcost
