// Column layout and escaping shared by the human renderers (report tables, listings, Markdown).
#pragma once

#include <string>
#include <string_view>

#include "llmcost/report.hpp"

namespace llmcost {

// Columns `s` takes in a terminal: UTF-8 code points.
size_t display_width(std::string_view s);

// `s` padded with spaces to `width` columns.
std::string pad(std::string_view s, size_t width);

// `s` as a Markdown table cell ('|' escaped).
std::string md_cell(std::string_view s);

// A row's formula with each {key} replaced by the key itself: "chip_hours × 3600 / chips".
std::string symbolic(const std::string& formula);

// A row's value for people; plain-number inputs as given (up to 6 digits).
std::string row_value(const Row& row);

// A row's formula with every {key} replaced by that row's human value; "" without a formula.
std::string substitute_formula(const Report& report, const Row& row);

// How a row's value came about, for JSON and CSV: its formula (symbolic) or its method.
std::string derivation(const Row& row);

}  // namespace llmcost
