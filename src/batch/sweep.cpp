#include "llmcost/sweep.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "batch/sweep_points.hpp"
#include "llmcost/error.hpp"
#include "llmcost/text.hpp"

// A sweep: its axes, the options over the scenario's own row choice, the points evaluated in
// parallel (sweep_points.cpp), and the kept rows merged in point order. Rows are written as CSV or
// JSON lines in sweep_rows.cpp.

namespace llmcost {
namespace {

constexpr double kMaxPoints = 1e8;

// The swept inputs (those with more than one value) as the axes of the sweep.
void find_axes(SweepState& st, SweepResult& res) {
  const Scenario& s = st.scenario;
  for (size_t i = 0; i < s.inputs.size(); ++i) {
    if (s.inputs[i].values.size() > 1) {
      st.axes.push_back(i);
      st.radix.push_back(s.inputs[i].values.size());
      res.axes.push_back(s.inputs[i].name);
    }
  }
}

// Which rows are kept: the options over the scenario's where, best, maximize and top. The best key
// must be one of the report keys.
void choose_rows(SweepState& st, SweepResult& res, const SweepOptions& opt) {
  const Scenario& s = st.scenario;
  res.where = opt.where.empty() ? s.where : opt.where;
  res.best = opt.best.empty() ? s.best : opt.best;
  res.maximize = opt.maximize || s.maximize;
  st.where = res.where;
  st.maximize = res.maximize;
  st.top = opt.top > 0 ? opt.top : s.top;
  if (res.best.empty()) return;
  auto it = std::find(res.keys.begin(), res.keys.end(), res.best);
  if (it == res.keys.end()) {
    throw InputError(fmt::format("{}: field 'best': {}", s.file, unknown_id_message("report key", res.best, res.keys)));
  }
  st.best_col = res.axes.size() + static_cast<size_t>(it - res.keys.begin());
}

// The chunks' rows in point order, then the best `top` of them (the first `top` without best).
void collect(SweepState& st, SweepResult& res) {
  size_t kept = 0;
  for (const auto& c : st.chunks) kept += c.rows.size();
  res.rows.reserve(kept);
  for (auto& c : st.chunks) {
    res.passed += c.passed;
    res.rows.insert(res.rows.end(), c.rows.begin(), c.rows.end());
    std::vector<double>().swap(c.rows);
  }
  if (st.best_col) {
    select_best(res.rows, res.width(), *st.best_col, res.maximize, st.top);
  } else {
    res.rows.resize(keep_count(res.row_count(), st.top) * res.width());
  }
}

}  // namespace

double SweepResult::at(size_t row, std::string_view key) const {
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == key) return rows[row * width() + axes.size() + i];
  }
  return std::nan("");
}

size_t SweepResult::axis_index(size_t row, std::string_view axis) const {
  for (size_t i = 0; i < axes.size(); ++i) {
    if (axes[i] == axis) return static_cast<size_t>(rows[row * width() + i]);
  }
  return 0;
}

SweepResult run_sweep(const Scenario& s, const Catalog& catalog, const SweepOptions& opt) {
  SweepState st(s, catalog);
  SweepResult res;
  const double total = s.points();
  if (total > kMaxPoints) {
    throw InputError(fmt::format("{}: the sweep has {} points; at most {} are allowed", s.file, total, kMaxPoints));
  }
  find_axes(st, res);
  st.points = static_cast<size_t>(total);
  first_point(st, &st.keys);
  res.keys = st.keys;
  choose_rows(st, res, opt);
  st.chunks.resize((st.points + kSweepChunk - 1) / kSweepChunk);
  evaluate_points(st, opt.threads, opt.keep_rows, opt.progress);
  res.points = total;
  collect(st, res);
  return res;
}

}  // namespace llmcost
