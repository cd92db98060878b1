// The machine renderers of a Report: JSON and CSV, raw values in base units.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "llmcost/csv.hpp"
#include "llmcost/format.hpp"
#include "report/layout.hpp"
#include "report/render_data.hpp"

namespace llmcost {

// The columns of the JSON rows: what --explain shows, formula (or method), source and reference.
// A text result carries its derivation in `source` (Report::add_text_result): the formula column.
std::string render_csv(const Report& r) {
  std::string out = "key,label,value,unit,role,formula,source,reference\n";
  for (const auto& row : r.rows) {
    out += fmt::format("{},{},{},{},{},{},{},{}\n", row.key, csv_field(row.label), row.value, unit_name(row.unit),
                       row.input ? "input" : "result", csv_field(derivation(row)), csv_field(render_text(row.source)),
                       csv_field(row.cite));
  }
  for (const auto& c : r.context) {
    if (c.result) {
      out += fmt::format("{},{},{},text,result,{},,{}\n", c.key, csv_field(c.label), csv_field(c.value),
                         csv_field(c.source), csv_field(c.cite));
    }
  }
  return out;
}

namespace {

using nlohmann::ordered_json;

ordered_json json_values(const Report& r) {
  ordered_json values = ordered_json::object();
  for (const auto& row : r.rows) {
    if (row.unit == Unit::flag)
      values[row.key] = row.value != 0;
    else
      values[row.key] = json_number(row.value, row.unit);
  }
  for (const auto& c : r.context) {
    if (c.result) values[c.key] = c.value;
  }
  return values;
}

ordered_json json_row(const Report& r, const Row& row) {
  ordered_json o;
  o["key"] = row.key;
  o["label"] = row.label;
  o["value"] = json_number(row.value, row.unit);
  o["unit"] = unit_name(row.unit);
  o["role"] = row.input ? "input" : "result";
  if (!row.formula.empty()) {
    o["formula"] = symbolic(row.formula);
    o["substituted"] = substitute_formula(r, row);
  }
  if (!row.method.empty()) o["method"] = row.method;
  if (!row.source.empty()) o["source"] = render_text(row.source);
  if (!row.cite.empty()) o["reference"] = row.cite;
  return o;
}

ordered_json json_assumptions(const Report& r) {
  ordered_json assumptions = ordered_json::array();
  for (const auto& c : r.context) {
    if (c.result) continue;
    assumptions.push_back(ordered_json{
        {"key", c.key}, {"label", c.label}, {"value", c.value}, {"source", c.source}, {"reference", c.cite}});
  }
  for (const auto& row : r.rows) {
    if (!row.input) continue;
    assumptions.push_back(ordered_json{{"key", row.key},
                                       {"label", row.label},
                                       {"value", json_number(row.value, row.unit)},
                                       {"source", render_text(row.source)},
                                       {"reference", row.cite}});
  }
  return assumptions;
}

}  // namespace

std::string render_json(const Report& r) {
  ordered_json j;
  j["kind"] = r.kind;
  j["title"] = render_text(r.title);
  j["values"] = json_values(r);
  ordered_json rows = ordered_json::array();
  for (const auto& row : r.rows) rows.push_back(json_row(r, row));
  j["rows"] = rows;
  j["assumptions"] = json_assumptions(r);
  ordered_json notes = ordered_json::array();
  for (const auto& note : r.notes) notes.emplace_back(render_text(note));
  j["notes"] = notes;
  return json_text(j);
}

}  // namespace llmcost
