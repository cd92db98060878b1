// Rendering a Listing: aligned columns for people, an array (or one object for a record) in JSON,
// one header and a line per row in CSV.
#include "llmcost/listing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "llmcost/csv.hpp"
#include "llmcost/format.hpp"
#include "report/layout.hpp"

namespace llmcost {
namespace {

using nlohmann::ordered_json;

// A number cell in its unit's JSON form (a whole count is an integer), else the text.
ordered_json json_cell(const Cell& c) {
  if (!c.number) return render_text(c.shown);
  for (const Text::Part& p : c.shown.parts()) {
    if (p.number) return json_number(*c.number, p.number->unit);
  }
  return *c.number;
}

std::string listing_json(const Listing& l) {
  if (l.record) {
    ordered_json o = ordered_json::object();
    for (const auto& row : l.rows) {
      if (row.size() >= 2) o[render_text(row[0].shown)] = json_cell(row[1]);
    }
    return json_text(o);
  }
  ordered_json arr = ordered_json::array();
  for (const auto& row : l.rows) {
    ordered_json o;
    for (size_t i = 0; i < l.columns.size() && i < row.size(); ++i) o[l.columns[i]] = json_cell(row[i]);
    arr.push_back(o);
  }
  return json_text(arr);
}

std::string listing_csv(const Listing& l) {
  std::vector<std::string> header;
  for (const auto& c : l.columns) header.push_back(csv_field(c));
  std::string out = fmt::format("{}\n", fmt::join(header, ","));
  for (const auto& row : l.rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      out += i ? "," : "";
      out += row[i].number ? fmt::format("{}", *row[i].number) : csv_field(render_text(row[i].shown));
    }
    out += "\n";
  }
  return out;
}

std::string listing_markdown(const Listing& l) {
  std::string out = fmt::format("## {}\n\n|", md_cell(l.title));
  for (const auto& c : l.columns) out += fmt::format(" {} |", c);
  out += "\n|";
  for (size_t i = 0; i < l.columns.size(); ++i) out += "---|";
  out += "\n";
  for (const auto& row : l.rows) {
    out += "|";
    for (const auto& cell : row) out += fmt::format(" {} |", md_cell(render_text(cell.shown)));
    out += "\n";
  }
  return out;
}

std::string listing_table(const Listing& l) {
  std::vector<std::vector<std::string>> text;
  std::vector<size_t> width(l.columns.size());
  for (size_t i = 0; i < l.columns.size(); ++i) width[i] = display_width(l.columns[i]);
  for (const auto& row : l.rows) {
    text.emplace_back();
    for (size_t i = 0; i < row.size(); ++i) {
      text.back().push_back(printable(render_text(row[i].shown)));
      if (i < width.size()) width[i] = std::max(width[i], display_width(text.back().back()));
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s;
    for (size_t i = 0; i < cells.size(); ++i)
      s += (i ? "  " : "") + (i + 1 < cells.size() ? pad(cells[i], width[i]) : cells[i]);
    return s + "\n";
  };
  std::string out = l.title.empty() ? "" : printable(l.title) + "\n\n";
  out += line(l.columns);
  for (const auto& row : text) out += line(row);
  return out;
}

}  // namespace

Cell number_cell(double value, Unit unit, std::string_view suffix) {
  return Cell{Text::of("{}{}", Quantity{value, unit}, suffix), value};
}

std::string render_listing(const Listing& l, Format format) {
  switch (format) {
    case Format::json: return listing_json(l);
    case Format::csv: return listing_csv(l);
    case Format::markdown: return listing_markdown(l);
    case Format::table:
    case Format::quiet: break;
  }
  return listing_table(l);
}

}  // namespace llmcost
