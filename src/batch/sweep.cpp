#include "llmcost/sweep.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "batch/sweep_points.hpp"
#include "batch/sweep_sort.hpp"
#include "llmcost/error.hpp"
#include "llmcost/format.hpp"
#include "llmcost/text.hpp"

// A sweep: its axes, the options over the scenario's own row choice, the points evaluated in
// parallel (sweep_points.cpp), and the kept rows taken in point order as chunks finish: into the
// result, a sink, or (with `best`) a sorter that spills to disk (sweep_sort.cpp). Rows are written
// as CSV or JSON lines in sweep_rows.cpp.

namespace llmcost {
namespace {

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

constexpr size_t kAll = std::numeric_limits<size_t>::max();

// How many rows `top` keeps: all for none (0) or one beyond any count (1e30).
size_t top_rows(double top) {
  return top > 0 && top < 1e18 ? static_cast<size_t>(top) : kAll;
}

// Where the kept rows go, in their final order: the sink, and the result (all of them with
// keep_rows; else the best `top`, or the best one, when there is a best key).
class Delivery {
 public:
  Delivery(SweepResult& res, const SweepState& st, const SweepOptions& opt)
      : res_(res), sink_(opt.sink), limit_(top_rows(st.top)) {
    if (opt.keep_rows) {
      held_ = kAll;
    } else if (st.best_col) {
      held_ = st.top > 0 ? limit_ : 1;
    }
  }
  // Rows wanted from the sorter: what the sink or the result takes.
  size_t wanted() const { return sink_ ? limit_ : std::min(limit_, held_); }
  bool full() const { return delivered_ >= limit_; }

  void operator()(const double* rows, size_t count) {
    count = std::min(count, limit_ - delivered_);
    const size_t hold = std::min(count, held_ - std::min(held_, delivered_));
    res_.rows.insert(res_.rows.end(), rows, rows + hold * res_.width());
    if (sink_) sink_->rows(rows, count);
    delivered_ += count;
  }

 private:
  SweepResult& res_;
  RowSink* sink_;
  size_t limit_;     // rows kept at most (top)
  size_t held_ = 0;  // rows held in the result
  size_t delivered_ = 0;
};

// Evaluates the points, taking the chunks in order: straight to `deliver` without a best key,
// through the sorter with one.
void evaluate(SweepState& st, SweepResult& res, const SweepOptions& opt, Delivery& deliver) {
  const size_t width = res.width();
  ChunkConsumer consume;
  std::unique_ptr<RowSorter> sorter;
  if (st.best_col) {
    const size_t wanted = deliver.wanted();
    sorter = std::make_unique<RowSorter>(width, *st.best_col, st.maximize, wanted == kAll ? 0 : wanted);
    consume = [&](SweepChunk& c) {
      res.passed += c.passed;
      sorter->add(c.rows.data(), c.rows.size() / width);
    };
  } else {
    consume = [&](SweepChunk& c) {
      res.passed += c.passed;
      if (!deliver.full()) deliver(c.rows.data(), c.rows.size() / width);
    };
  }
  evaluate_points(st, opt.threads, opt.progress, consume);
  if (sorter) sorter->drain([&](const double* rows, size_t n) { deliver(rows, n); });
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
  if (total > kMaxSweepPoints) {
    throw InputError(render_text(Text::of(s.file + ": the sweep has {} points; at most {} are allowed",
                                          Quantity{total, Unit::count}, Quantity{kMaxSweepPoints, Unit::count})));
  }
  find_axes(st, res);
  st.points = static_cast<size_t>(total);
  first_point(st, &st.keys);
  res.keys = st.keys;
  choose_rows(st, res, opt);
  // Every passing row is wanted when the result keeps them all or a sink takes them (with a top
  // and a best key, each chunk's best `top` are enough).
  st.keep_rows = opt.keep_rows || (opt.sink && !(st.best_col && top_rows(st.top) != kAll));
  st.chunks.resize((st.points + kSweepChunk - 1) / kSweepChunk);
  Delivery deliver(res, st, opt);
  if (opt.sink) opt.sink->begin(s, res);
  try {
    evaluate(st, res, opt, deliver);
  } catch (...) {
    if (opt.sink) opt.sink->end(false);
    throw;
  }
  res.points = total;
  if (opt.sink) opt.sink->end(true);
  return res;
}

}  // namespace llmcost
