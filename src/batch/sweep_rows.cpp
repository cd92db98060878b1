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
namespace {

// Axes with more values than this have their texts made per row, not held (a 10,000,000-value
// range would double its memory).
constexpr size_t kHeldTexts = size_t{1} << 16;

// The scenario input of each axis (the inputs with more than one value, in order).
std::vector<const ScenarioInput*> axis_inputs(const Scenario& s) {
  std::vector<const ScenarioInput*> out;
  for (const auto& in : s.inputs) {
    if (in.values.size() > 1) out.push_back(&in);
  }
  return out;
}

std::string quoted(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

const std::string& axis_text(const Scenario& s, const SweepResult& r, size_t row, size_t axis) {
  return axis_inputs(s).at(axis)->values[static_cast<size_t>(r.rows[row * r.width() + axis])];
}

RowFormat::RowFormat(const Scenario& s, const SweepResult& shape, bool csv)
    : csv_(csv), axes_(shape.axes.size()), width_(shape.width()) {
  // Report keys that are not also axes (an axis column already holds the value as given).
  for (size_t k = 0; k < shape.keys.size(); ++k) {
    if (std::find(shape.axes.begin(), shape.axes.end(), shape.keys[k]) == shape.axes.end()) keys_.push_back(k);
  }
  std::vector<std::string> columns(shape.axes);
  for (size_t k : keys_) columns.push_back(shape.keys[k]);
  if (csv_) {
    for (size_t i = 0; i < columns.size(); ++i) header_ += (i ? "," : "") + csv_field(columns[i]);
    header_ += '\n';
  } else {
    for (const auto& c : columns) names_.push_back(quoted(c) + ":");
  }
  for (const ScenarioInput* in : axis_inputs(s)) {
    texts_.emplace_back();
    if (in->values.size() > kHeldTexts) continue;
    for (const auto& v : in->values) texts_.back().push_back(csv_ ? csv_field(v) : quoted(v));
  }
  inputs_ = axis_inputs(s);
}

void RowFormat::append(std::string& out, const double* rows, size_t count) const {
  fmt::memory_buffer buf;
  auto put = [&](std::string_view text) { buf.append(text.data(), text.data() + text.size()); };
  for (size_t row = 0; row < count; ++row) {
    const double* r = rows + row * width_;
    if (!csv_) buf.push_back('{');
    for (size_t a = 0; a < axes_; ++a) {
      const auto v = static_cast<size_t>(r[a]);
      if (a) buf.push_back(',');
      if (!csv_) put(names_[a]);
      if (!texts_[a].empty()) {
        put(texts_[a][v]);
      } else {
        put(csv_ ? csv_field(inputs_[a]->values[v]) : quoted(inputs_[a]->values[v]));
      }
    }
    for (size_t i = 0; i < keys_.size(); ++i) {
      const double v = r[axes_ + keys_[i]];
      if (axes_ + i > 0) buf.push_back(',');
      if (!csv_) put(names_[axes_ + i]);
      // Shortest round-trip form: valid JSON for every finite value. NaN and ±inf: empty or null.
      if (std::isfinite(v)) {
        fmt::format_to(std::back_inserter(buf), "{}", v);
      } else if (!csv_) {
        put("null");
      }
    }
    if (!csv_) buf.push_back('}');
    buf.push_back('\n');
  }
  out.append(buf.data(), buf.size());
}

std::string sweep_rows_csv(const Scenario& s, const SweepResult& r) {
  const RowFormat format(s, r, true);
  std::string out = format.header();
  format.append(out, r.rows.data(), r.row_count());
  return out;
}

std::string sweep_rows_jsonl(const Scenario& s, const SweepResult& r) {
  const RowFormat format(s, r, false);
  std::string out;
  format.append(out, r.rows.data(), r.row_count());
  return out;
}

}  // namespace llmcost
