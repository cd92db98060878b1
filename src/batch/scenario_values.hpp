// The values of one scenario input: a single value, a list, or a range table expanded to the
// decimals it stands for.
#pragma once

#include <string>
#include <vector>

#include "catalog/toml_record.hpp"

namespace llmcost {

// How many values the input `key` has (a range is read and counted, not built). Throws
// InputError for a malformed list or range.
size_t input_count(const toml::node& node, const std::string& file, const std::string& key);

// Every value of the input `key` as the flag would take it: one for a plain value, each item of a
// list, each point of a range ({ from, to, step } or { from, to, count }). Throws InputError.
std::vector<std::string> input_values(const toml::node& node, const std::string& file, const std::string& key);

}  // namespace llmcost
