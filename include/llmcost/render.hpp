// Turns any Report into text. The only place numbers become strings for people (table,
// Markdown) or machines (JSON, CSV: raw values in base units).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llmcost/report.hpp"

namespace llmcost {

enum class Format { table, json, csv, markdown };

// "table" | "json" | "csv" | "markdown" (or "md"); throws InputError otherwise.
Format parse_format(std::string_view name);

// The human form of a value: format_value(1.398e6, Unit::usd) == "$1.40M".
std::string format_value(double value, Unit unit);

// A row's formula with every {key} replaced by that row's human value; "" without a formula.
std::string substitute_formula(const Report& report, const Row& row);

// Renders the report. `explain` adds the formula chain with numbers and the source of every
// assumption (table and Markdown; JSON and CSV always carry both).
std::string render(const Report& report, Format format, bool explain);

// A plain table of records (catalog listings): text for people, the raw number for JSON/CSV.
struct Cell {
  std::string text;
  std::optional<double> number;
};
struct Listing {
  std::string title;
  std::vector<std::string> columns;  // snake_case; also the JSON keys
  std::vector<std::vector<Cell>> rows;
  bool record = false;  // two columns (field, value): JSON renders one object
};

std::string render_listing(const Listing& listing, Format format);

}  // namespace llmcost
