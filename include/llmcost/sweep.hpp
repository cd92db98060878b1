// Sweeps: a scenario whose inputs are lists or ranges expands to the cartesian product of its
// axes. Every point is evaluated (train points through the allocation-free compute_training
// path; other kinds through their estimator), filtered by `where`, and kept whole or as the
// best K by a report key.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "llmcost/catalog.hpp"
#include "llmcost/scenario.hpp"

namespace llmcost {

struct SweepResult;

// Takes a sweep's kept rows while the sweep runs, in their final order (point order; best first
// with `best`), a block at a time, so that they can be written out instead of held: memory stays
// bounded by the blocks in flight, whatever the point count.
class RowSink {
 public:
  RowSink() = default;
  virtual ~RowSink() = default;
  RowSink(const RowSink&) = delete;
  RowSink& operator=(const RowSink&) = delete;

  // Before the first row: `shape` has the axes, keys, where and best (no rows). May throw.
  virtual void begin(const Scenario& scenario, const SweepResult& shape) = 0;
  // `count` rows of shape.width() values each: axis value indices, then the report values.
  virtual void rows(const double* rows, size_t count) = 0;
  // After the last row (`complete`), or when the sweep failed after begin (its rows are void).
  virtual void end(bool complete) = 0;
};

struct SweepOptions {
  std::string where;                     // overrides the scenario's; "" keeps its own
  std::string best;                      // overrides the scenario's
  bool maximize = false;                 // with best (or the scenario's maximize)
  double top = 0;                        // overrides the scenario's when > 0
  int threads = 0;                       // 0: all hardware threads
  bool keep_rows = true;                 // keep every kept row in SweepResult::rows; else only the best
  std::function<void(double)> progress;  // fraction done; may be empty
  RowSink* sink = nullptr;               // also hands every kept row to the sink, in order
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
// SweepResult::rows holds every kept row with keep_rows; without it, the best `top` rows with
// `best` (the best one when there is no `top`) and none without `best`: a sweep that keeps no
// rows, or hands them to a sink, needs memory for a few blocks of points, not for all of them.
SweepResult run_sweep(const Scenario& scenario, const Catalog& catalog, const SweepOptions& options);

// The text of an axis value in a kept row ("aws-p4d-1yr", "0.4").
const std::string& axis_text(const Scenario& scenario, const SweepResult& result, size_t row, size_t axis);

// Writes the kept rows as CSV (header: axes, then keys) or JSON lines.
std::string sweep_rows_csv(const Scenario& scenario, const SweepResult& result);
std::string sweep_rows_jsonl(const Scenario& scenario, const SweepResult& result);

// The rows of one sweep as CSV or JSON lines, a block at a time (for a RowSink): axis columns hold
// the values as written in the scenario, report columns the raw numbers, non-finite ones empty
// (CSV) or null (JSON lines).
class RowFormat {
 public:
  RowFormat(const Scenario& scenario, const SweepResult& shape, bool csv);
  // The CSV header line ("" for JSON lines).
  const std::string& header() const { return header_; }
  // `count` rows of the sweep's width appended to `out`.
  void append(std::string& out, const double* rows, size_t count) const;

 private:
  bool csv_;
  size_t axes_ = 0, width_ = 0;
  std::vector<size_t> keys_;                     // report columns written (axes are not repeated)
  std::vector<std::string> names_;               // JSON lines: "name": per axis, then per key
  std::vector<const ScenarioInput*> inputs_;     // of each axis
  std::vector<std::vector<std::string>> texts_;  // [axis][value index], CSV fields or JSON strings
  std::string header_;
};

}  // namespace llmcost
