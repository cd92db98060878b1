// Turns any Report into text. The only place numbers become strings for people (table, Markdown,
// the quiet key-value lines) or machines (JSON, CSV: raw values in base units).
#pragma once

#include <string>
#include <string_view>

#include "llmcost/report.hpp"

namespace llmcost {

enum class Format {
  table,
  json,
  csv,
  markdown,
  quiet,  // `--quiet`: one "key value" line per result, values in human units
};

// "table" | "json" | "csv" | "markdown" (or "md"); throws InputError otherwise.
Format parse_format(std::string_view name);

// Renders the report. `explain` adds the formula chain with numbers and the source of every
// assumption (table and Markdown; JSON and CSV always carry both).
std::string render(const Report& report, Format format, bool explain);

}  // namespace llmcost
