// Column layout and escaping shared by the human renderers (report tables, listings, Markdown).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "llmcost/report.hpp"

namespace llmcost {

// Columns `s` takes in a terminal: UTF-8 code points.
size_t display_width(std::string_view s);

// `s` padded with spaces to `width` columns.
std::string pad(std::string_view s, size_t width);

// `s` as a Markdown table cell ('|' escaped, control characters shown: printable).
std::string md_cell(std::string_view s);

// A row's formula with each {key} replaced by the key itself: "chip_hours × 3600 / chips".
std::string symbolic(const std::string& formula);

// A row's value for people; plain-number inputs as given (up to 6 digits).
std::string row_value(const Row& row);

// A row's formula with every {key} replaced by that row's human value; "" without a formula.
std::string substitute_formula(const Report& report, const Row& row);

// True when `value` in `unit` is written as a JSON integer: a whole count (chips, layers), or a
// whole number shown as given below 1e9 (a year, instances per offer). Other numbers stay floats.
bool json_integer(double value, Unit unit);

// `value` as JSON: an integer when json_integer says so, else the double.
nlohmann::ordered_json json_number(double value, Unit unit);

// A JSON document as text, with bytes that are not UTF-8 (a file name) replaced by U+FFFD
// instead of failing.
std::string json_text(const nlohmann::ordered_json& doc);

// How a row's value came about, for JSON and CSV: its formula (symbolic) or its method.
std::string derivation(const Row& row);

}  // namespace llmcost
