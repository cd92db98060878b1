// The human renderers of a Report: table (with --explain), Markdown, and --quiet's key-value lines.
#include "llmcost/render.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "llmcost/error.hpp"
#include "llmcost/format.hpp"
#include "report/layout.hpp"
#include "report/render_data.hpp"

namespace llmcost {

namespace {

// The widths of the label and value columns of a table.
std::pair<size_t, size_t> column_widths(const Report& r) {
  size_t label_w = 0, value_w = 0;
  for (const auto& row : r.rows) {
    if (row.companion) continue;
    label_w = std::max(label_w, display_width(printable(row.label)));
    value_w = std::max(value_w, display_width(format_value(row.value, row.unit)));
  }
  for (const auto& c : r.context) {
    label_w = std::max(label_w, display_width(printable(c.label)));
    value_w = std::max(value_w, display_width(printable(c.value)));
  }
  return {label_w, value_w};
}

// A result with its --uncertainty interval beside it: "$1.40M ($1.10M–$1.90M)".
std::string value_with_range(const Row& row) {
  std::string out = format_value(row.value, row.unit);
  if (std::isfinite(row.low) && std::isfinite(row.high))
    out += fmt::format(" ({}–{})", format_value(row.low, row.unit), format_value(row.high, row.unit));
  return out;
}

std::string table_results(const Report& r, bool explain, size_t label_w) {
  std::string out;
  for (const auto& c : r.context) {
    if (!c.result) continue;
    out += fmt::format("  {}  {}\n", pad(printable(c.label), label_w), printable(c.value));
    if (explain && !c.source.empty()) out += fmt::format("      {}: {}\n", c.key, printable(c.source));
  }
  for (const auto& row : r.rows) {
    if (row.input || row.companion) continue;
    out += fmt::format("  {}  {}\n", pad(printable(row.label), label_w), value_with_range(row));
    if (!explain) continue;
    if (!row.formula.empty()) {
      out += fmt::format("      {} = {} = {}\n", row.key, printable(symbolic(row.formula)),
                         printable(substitute_formula(r, row)));
    } else if (!row.method.empty()) {
      out += fmt::format("      {}: {}\n", row.key, printable(row.method));
    }
  }
  return out;
}

std::string table_assumptions(const Report& r, bool explain, size_t label_w, size_t value_w) {
  std::string out;
  std::vector<std::string> cited;  // print each reference once
  auto assumption = [&](const std::string& label, const std::string& value, const std::string& source,
                        const std::string& cite) {
    out += fmt::format("  {}  {}  {}\n", pad(printable(label), label_w), pad(printable(value), value_w),
                       printable(source));
    if (explain && !cite.empty() && std::find(cited.begin(), cited.end(), cite) == cited.end()) {
      out += fmt::format("      source: {}\n", printable(cite));
      cited.push_back(cite);
    }
  };
  for (const auto& c : r.context) {
    if (!c.result) assumption(c.label, c.value, c.source, c.cite);
  }
  for (const auto& row : r.rows) {
    if (row.input) assumption(row.label, row_value(row), render_text(row.source), row.cite);
  }
  return out;
}

std::string render_table(const Report& r, bool explain) {
  const auto [label_w, value_w] = column_widths(r);
  std::string out = printable(render_text(r.title)) + "\n\nResults\n" + table_results(r, explain, label_w);
  out += "\nAssumptions\n" + table_assumptions(r, explain, label_w, value_w);
  if (!r.notes.empty()) {
    out += "\nNotes\n";
    for (const auto& note : r.notes) out += fmt::format("  - {}\n", printable(render_text(note)));
  }
  return out;
}

std::string markdown_results(const Report& r, bool explain) {
  std::string out =
      explain ? "| Result | Value | Key | Formula |\n|---|---|---|---|\n" : "| Result | Value | Key |\n|---|---|---|\n";
  for (const auto& c : r.context) {
    if (c.result)
      out += fmt::format("| {} | {} | `{}` |{}\n", md_cell(c.label), md_cell(c.value), c.key, explain ? " |" : "");
  }
  for (const auto& row : r.rows) {
    if (row.input || row.companion) continue;
    out += fmt::format("| {} | {} | `{}` |", md_cell(row.label), md_cell(value_with_range(row)), row.key);
    if (explain) {
      out += !row.formula.empty()
                 ? fmt::format(" {} = {} |", md_cell(symbolic(row.formula)), md_cell(substitute_formula(r, row)))
                 : fmt::format(" {} |", md_cell(row.method));
    }
    out += "\n";
  }
  return out;
}

std::string render_markdown(const Report& r, bool explain) {
  std::string out = fmt::format("## {}\n\n", md_cell(render_text(r.title))) + markdown_results(r, explain);
  out += explain ? "\n| Assumption | Value | Source | Reference |\n|---|---|---|---|\n"
                 : "\n| Assumption | Value | Source |\n|---|---|---|\n";
  auto line = [&](const std::string& label, const std::string& value, const std::string& source,
                  const std::string& cite) {
    out += fmt::format("| {} | {} | {} |", md_cell(label), md_cell(value), md_cell(source));
    if (explain) out += fmt::format(" {} |", md_cell(cite));
    out += "\n";
  };
  for (const auto& c : r.context) {
    if (!c.result) line(c.label, c.value, c.source, c.cite);
  }
  for (const auto& row : r.rows) {
    if (row.input) line(row.label, row_value(row), render_text(row.source), row.cite);
  }
  if (!r.notes.empty()) {
    out += "\n";
    for (const auto& note : r.notes) out += fmt::format("- {}\n", md_cell(render_text(note)));
  }
  return out;
}

// --quiet: the results only, one "key value" line each; text results (a fit's status, an infer's
// bound) too.
std::string render_quiet(const Report& r) {
  std::string out;
  for (const auto& row : r.rows) {
    if (!row.input) out += fmt::format("{} {}\n", row.key, format_value(row.value, row.unit));
  }
  for (const auto& t : r.context) {
    if (t.result) out += fmt::format("{} {}\n", t.key, printable(t.value));
  }
  return out;
}

}  // namespace

Format parse_format(std::string_view name) {
  if (name == "table") return Format::table;
  if (name == "json") return Format::json;
  if (name == "csv") return Format::csv;
  if (name == "markdown" || name == "md") return Format::markdown;
  throw InputError(fmt::format("--format: expected table, json, csv or markdown, got '{}'", name));
}

std::string render(const Report& report, Format format, bool explain) {
  switch (format) {
    case Format::table: return render_table(report, explain);
    case Format::markdown: return render_markdown(report, explain);
    case Format::quiet: return render_quiet(report);
    case Format::csv: return render_csv(report);
    case Format::json: return render_json(report);
  }
  return {};
}

}  // namespace llmcost
