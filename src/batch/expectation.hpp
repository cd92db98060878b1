// Reading one expectation of a scenario's [expect] table.
#pragma once

#include <string>

#include "catalog/toml_record.hpp"
#include "llmcost/expectation.hpp"

namespace llmcost {

// `key = 1.4e6`, `key = { value, rel | abs }`, `{ shown }` or `{ min, max }`; throws InputError
// naming file:line:col and the field.
Expectation parse_expectation(const std::string& key, const toml::node& node, const std::string& file);

}  // namespace llmcost
