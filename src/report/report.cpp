#include "llmcost/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
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
    case Unit::number:
    case Unit::number4:
    case Unit::exact:
    case Unit::sci: return "";
    case Unit::change: return "fraction";
  }
  return "";
}

Text::Text(std::string words) {
  if (!words.empty()) parts_.push_back(Part{std::move(words), std::nullopt});
}

Text::Text(const char* words) : Text(std::string(words)) {}

void Text::build(std::string_view pattern, const std::vector<Text>& args) {
  size_t next = 0;
  for (size_t at; (at = pattern.find("{}")) != std::string_view::npos; pattern.remove_prefix(at + 2)) {
    if (at > 0) parts_.push_back(Part{std::string(pattern.substr(0, at)), std::nullopt});
    assert(next < args.size() && "Text::of: more {} than arguments");
    *this += args[next++];
  }
  assert(next == args.size() && "Text::of: more arguments than {}");
  if (!pattern.empty()) parts_.push_back(Part{std::string(pattern), std::nullopt});
}

Text& Text::operator+=(const Text& more) {
  parts_.insert(parts_.end(), more.parts_.begin(), more.parts_.end());
  return *this;
}

bool Text::empty() const {
  return std::all_of(parts_.begin(), parts_.end(), [](const Part& p) { return p.words.empty() && !p.number; });
}

namespace {

Row& new_row(std::vector<Row>& rows, std::string key, std::string label, double value, Unit unit) {
  Row& row = rows.emplace_back();
  row.key = std::move(key), row.label = std::move(label), row.value = value, row.unit = unit;
  return row;
}

}  // namespace

double Report::add(std::string key, std::string label, double value, Unit unit, std::string formula) {
  Row& row = new_row(rows, std::move(key), std::move(label), value, unit);
  row.formula = std::move(formula);
  return value;
}

double Report::add_found(std::string key, std::string label, double value, Unit unit, std::string method) {
  Row& row = new_row(rows, std::move(key), std::move(label), value, unit);
  row.method = std::move(method);
  return value;
}

double Report::add_input(std::string key, std::string label, double value, Unit unit, Text source, std::string cite) {
  Row& row = new_row(rows, std::move(key), std::move(label), value, unit);
  row.source = std::move(source), row.cite = std::move(cite), row.input = true;
  return value;
}

void Report::add_context(std::string key, std::string label, std::string value, std::string source, std::string cite) {
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
