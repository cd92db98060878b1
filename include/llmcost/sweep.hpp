// Sweeps: a scenario whose inputs are lists or ranges expands to the cartesian product of its
// axes. Every point is evaluated (train points through the allocation-free compute_training
// path; other kinds through their estimator), filtered by `where`, and kept whole or as the
// best K by a report key.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "llmcost/catalog.hpp"
#include "llmcost/scenario.hpp"

namespace llmcost {

struct SweepOptions {
  std::string where;                     // overrides the scenario's; "" keeps its own
  std::string best;                      // overrides the scenario's
  bool maximize = false;                 // with best (or the scenario's maximize)
  double top = 0;                        // overrides the scenario's when > 0
  int threads = 0;                       // 0: all hardware threads
  bool keep_rows = true;                 // keep every passing row (for --rows); else only the best
  std::function<void(double)> progress;  // fraction done; may be empty
};

struct SweepResult {
  std::vector<std::string> axes;  // swept input names (columns first)
  std::vector<std::string> keys;  // report keys (columns after the axes)
  double points = 0;              // evaluated
  double passed = 0;              // satisfied `where`
  std::vector<double> rows;       // kept rows, row-major: axes (value index) then keys
  std::string where, best;
  bool maximize = false;

  size_t width() const { return axes.size() + keys.size(); }
  size_t row_count() const { return width() ? rows.size() / width() : 0; }
  // A report value of a kept row by key; NaN if there is no such key.
  double at(size_t row, std::string_view key) const;
  // The value number (index into the scenario input's values) of an axis in a kept row.
  size_t axis_index(size_t row, std::string_view axis) const;
};

// Runs the sweep. Throws InputError (naming the scenario's file and the offending input or the
// `where` expression) for bad input; a point whose inputs are inconsistent is an error too.
SweepResult run_sweep(const Scenario& scenario, const Catalog& catalog, const SweepOptions& options);

// The text of an axis value in a kept row ("aws-p4d-1yr", "0.4").
const std::string& axis_text(const Scenario& scenario, const SweepResult& result, size_t row, size_t axis);

// Writes the kept rows as CSV (header: axes, then keys) or JSON lines.
std::string sweep_rows_csv(const Scenario& scenario, const SweepResult& result);
std::string sweep_rows_jsonl(const Scenario& scenario, const SweepResult& result);

}  // namespace llmcost
