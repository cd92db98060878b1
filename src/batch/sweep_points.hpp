// The points of a sweep evaluated in parallel: chunks of points handed to worker threads, each
// with its own evaluator and `where` constraint; the rows that pass are kept per chunk, in point
// order. run_sweep (sweep.cpp) prepares the state and merges the chunks.
#pragma once

#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "llmcost/catalog.hpp"
#include "llmcost/estimate.hpp"
#include "llmcost/scenario.hpp"

namespace llmcost {

inline constexpr size_t kSweepChunk = 4096;  // points per chunk

struct SweepChunk {
  std::vector<double> rows;  // kept rows: axis value indices, then the report values
  double passed = 0;
  bool done = false;  // evaluated (set under SweepState::order_mutex when a consumer waits)
};

// Takes the chunks in point order while the sweep runs (and frees their rows), e.g. to write them.
using ChunkConsumer = std::function<void(SweepChunk&)>;

// What the workers share: the scenario bound to its kind, the axes, the row choice and the chunks.
struct SweepState {
  SweepState(const Scenario& s, const Catalog& c);  // binds the inputs: InputError for unknown ones
  const Scenario& scenario;
  const Catalog& catalog;
  const EstimateKind& kind;
  std::vector<size_t> fields;  // the kind's field index of each scenario input
  std::vector<size_t> axes;    // indices of swept inputs
  std::vector<size_t> radix;
  size_t points = 0;
  std::string where;
  std::vector<std::string> keys;
  std::optional<size_t> best_col;  // column of the best key, when there is one
  bool maximize = false;
  double top = 0;
  bool keep_rows = false;  // every passing row is wanted (kept, or handed to a consumer)
  std::vector<SweepChunk> chunks;
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  // With a consumer: chunks are taken in order, and workers stay at most `window` chunks ahead of
  // it, so that the rows in memory are bounded whatever the point count.
  std::mutex order_mutex;
  std::condition_variable chunk_done, chunk_taken;
  size_t consumed = 0;
  size_t window = 0;  // 0: no consumer, no bound
  bool stopped = false;
  std::mutex error_mutex;
  size_t error_point = std::numeric_limits<size_t>::max();
  std::string error;
};

// An evaluator with every input at its first value, its keys fixed there (written to `keys` when
// given): every worker's rows have the columns of the sweep's first point.
std::unique_ptr<PointEvaluator> first_point(const SweepState& st, std::vector<std::string>* keys = nullptr);

// Evaluates every chunk of `st` on up to `threads` threads (0: all hardware threads); the first
// thread reports the fraction done to `progress` when it is set. Keeps every passing row with
// st.keep_rows, else each chunk's best `top` only (the best one without top). With `consume`, the
// calling thread hands it each chunk in point order as soon as it is evaluated. Throws InputError
// for the first point (in point order) that fails, naming its inputs; what `consume` throws stops
// the workers and is rethrown.
void evaluate_points(SweepState& st, int threads, const std::function<void(double)>& progress,
                     const ChunkConsumer& consume = {});

// True when row value `x` ranks before `y`: smaller first (larger with `maximize`), NaN last.
inline bool ranks_before(double x, double y, bool maximize) {
  if (std::isnan(x) != std::isnan(y)) return std::isnan(y);
  return maximize ? x > y : x < y;
}

// How many of `n` rows `top` keeps (all when top is 0 or not below n; a double can exceed size_t).
size_t keep_count(size_t n, double top);

// Keeps the best `top` rows by column `col` (all rows, sorted, when top is 0), stable by point order.
void select_best(std::vector<double>& rows, size_t width, size_t col, bool maximize, double top);

}  // namespace llmcost
