// The kept rows of a sweep as CSV or JSON lines: axis columns hold the values as written in the
// scenario, report columns the raw numbers (base units).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <nlohmann/json.hpp>

#include "llmcost/csv.hpp"
#include "llmcost/sweep.hpp"

namespace llmcost {

const std::string& axis_text(const Scenario& s, const SweepResult& r, size_t row, size_t axis) {
  size_t input = 0;
  for (size_t i = 0, seen = 0; i < s.inputs.size(); ++i) {
    if (s.inputs[i].values.size() > 1 && seen++ == axis) {
      input = i;
      break;
    }
  }
  return s.inputs[input].values[static_cast<size_t>(r.rows[row * r.width() + axis])];
}

namespace {

// Report keys that are not also axes (an axis column already holds the value as given).
std::vector<size_t> output_keys(const SweepResult& r) {
  std::vector<size_t> out;
  for (size_t k = 0; k < r.keys.size(); ++k) {
    if (std::find(r.axes.begin(), r.axes.end(), r.keys[k]) == r.axes.end()) out.push_back(k);
  }
  return out;
}

}  // namespace

std::string sweep_rows_csv(const Scenario& s, const SweepResult& r) {
  fmt::memory_buffer out;
  const std::vector<size_t> keys = output_keys(r);
  for (size_t a = 0; a < r.axes.size(); ++a) fmt::format_to(std::back_inserter(out), "{}{}", a ? "," : "", r.axes[a]);
  for (size_t i = 0; i < keys.size(); ++i) {
    fmt::format_to(std::back_inserter(out), "{}{}", r.axes.size() + i ? "," : "", r.keys[keys[i]]);
  }
  out.push_back('\n');
  for (size_t row = 0; row < r.row_count(); ++row) {
    for (size_t a = 0; a < r.axes.size(); ++a) {
      fmt::format_to(std::back_inserter(out), "{}{}", a ? "," : "", csv_field(axis_text(s, r, row, a)));
    }
    for (size_t i = 0; i < keys.size(); ++i) {
      const size_t k = keys[i];
      const double v = r.rows[row * r.width() + r.axes.size() + k];
      if (r.axes.size() + i > 0) out.push_back(',');
      if (!std::isnan(v)) fmt::format_to(std::back_inserter(out), "{}", v);
    }
    out.push_back('\n');
  }
  return fmt::to_string(out);
}

std::string sweep_rows_jsonl(const Scenario& s, const SweepResult& r) {
  // Names and axis texts escaped by nlohmann-json once; numbers by fmt (shortest round-trip, valid
  // JSON for every finite value); NaN and ±inf as null, as the report JSON writes them.
  auto quoted = [](const std::string& text) { return nlohmann::json(text).dump(); };
  const std::vector<size_t> keys = output_keys(r);
  std::vector<std::string> names;
  for (const auto& axis : r.axes) names.push_back(quoted(axis) + ":");
  for (size_t k : keys) names.push_back(quoted(r.keys[k]) + ":");
  std::vector<std::vector<std::string>> texts(r.axes.size());  // [axis][value index]
  for (size_t i = 0, a = 0; i < s.inputs.size(); ++i) {
    if (s.inputs[i].values.size() < 2) continue;
    for (const auto& v : s.inputs[i].values) texts[a].push_back(quoted(v));
    ++a;
  }
  fmt::memory_buffer out;
  for (size_t row = 0; row < r.row_count(); ++row) {
    out.push_back('{');
    for (size_t a = 0; a < r.axes.size(); ++a) {
      const auto value = static_cast<size_t>(r.rows[row * r.width() + a]);
      fmt::format_to(std::back_inserter(out), "{}{}{}", a ? "," : "", names[a], texts[a][value]);
    }
    for (size_t i = 0; i < keys.size(); ++i) {
      const double v = r.rows[row * r.width() + r.axes.size() + keys[i]];
      fmt::format_to(std::back_inserter(out), "{}{}", r.axes.size() + i > 0 ? "," : "", names[r.axes.size() + i]);
      if (std::isfinite(v))
        fmt::format_to(std::back_inserter(out), "{}", v);
      else
        fmt::format_to(std::back_inserter(out), "null");
    }
    out.push_back('}');
    out.push_back('\n');
  }
  return fmt::to_string(out);
}

}  // namespace llmcost
