#include "llmcost/report.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "llmcost/error.hpp"

namespace llmcost {

std::string_view unit_name(Unit unit) {
  switch (unit) {
    case Unit::none: return "";
    case Unit::nats: return "nats";
    case Unit::count: return "count";
    case Unit::params: return "params";
    case Unit::tokens: return "tokens";
    case Unit::flop: return "flop";
    case Unit::flop_per_s: return "flop/s";
    case Unit::fraction: return "fraction";
    case Unit::ratio: return "ratio";
    case Unit::usd: return "usd";
    case Unit::usd_per_hour: return "usd/h";
    case Unit::usd_per_kwh: return "usd/kwh";
    case Unit::seconds: return "s";
    case Unit::hours: return "h";
    case Unit::years: return "years";
    case Unit::bytes: return "bytes";
    case Unit::bytes_per_s: return "bytes/s";
    case Unit::watts: return "w";
    case Unit::kwh: return "kwh";
    case Unit::kg_co2e: return "kg";
    case Unit::kg_per_kwh: return "kg/kwh";
    case Unit::flag: return "bool";
    case Unit::tokens_per_s: return "tokens/s";
  }
  return "";
}

double Report::add(std::string key, std::string label, double value, Unit unit, std::string formula) {
  rows.push_back(Row{std::move(key), std::move(label), value, unit, std::move(formula), {}, {}, false});
  return value;
}

double Report::add_input(std::string key, std::string label, double value, Unit unit, std::string source,
                         std::string cite) {
  rows.push_back(Row{std::move(key), std::move(label), value, unit, {}, std::move(source), std::move(cite), true});
  return value;
}

void Report::add_context(std::string key, std::string label, std::string value, std::string source,
                         std::string cite) {
  context.push_back(
      TextAssumption{std::move(key), std::move(label), std::move(value), std::move(source), std::move(cite)});
}

void Report::add_text_result(std::string key, std::string label, std::string value, std::string formula) {
  context.push_back(TextAssumption{std::move(key), std::move(label), std::move(value), std::move(formula), {}, true});
}

const TextAssumption* Report::find_text(std::string_view key) const {
  for (const auto& c : context) {
    if (c.key == key) return &c;
  }
  return nullptr;
}

const Row* Report::find(std::string_view key) const {
  for (const auto& row : rows) {
    if (row.key == key) return &row;
  }
  return nullptr;
}

double Report::value(std::string_view key) const {
  if (const Row* row = find(key)) return row->value;
  throw std::out_of_range("report has no key '" + std::string(key) + "'");
}

void require_finite(const Report& report) {
  for (const Row& row : report.rows) {
    if (std::isfinite(row.value)) continue;
    throw InputError(fmt::format("{}: {} ({}) came out {}: an input is out of range{}", report.kind, row.label, row.key,
                                 std::isnan(row.value) ? "undefined" : "infinite",
                                 row.input ? "" : " (check the sizes, rates and catalog values it rests on)"));
  }
}

}  // namespace llmcost
