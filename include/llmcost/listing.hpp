// Plain tables of records: catalog listings (`llmcost list`, `llmcost show`) and the calibration
// sweep. Text for people (table, Markdown), the raw number for machines (JSON, CSV).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llmcost/catalog.hpp"
#include "llmcost/render.hpp"
#include "llmcost/report.hpp"

namespace llmcost {

struct Cell {
  Text shown;                    // for people; its numbers are formatted by the renderer
  std::optional<double> number;  // for JSON and CSV, when the cell is a number
};

struct Listing {
  std::string title;
  std::vector<std::string> columns;  // snake_case; also the JSON keys
  std::vector<std::vector<Cell>> rows;
  bool record = false;  // two columns (field, value): JSON renders one object
};

// A number cell shown in `unit` (with `suffix`, e.g. " GB"), raw in JSON and CSV.
Cell number_cell(double value, Unit unit, std::string_view suffix = {});

std::string render_listing(const Listing& listing, Format format);

// The records of one kind: "accelerators", "offers", "models", "assumptions" or "laws" (the
// singular works too). Throws InputError for any other name.
Listing list_records(const Catalog& catalog, std::string_view kind);

// One record by id or alias, with its source and where it was defined. Throws InputError with a
// suggestion for an unknown id.
Listing show_record(const Catalog& catalog, std::string_view id);

}  // namespace llmcost
