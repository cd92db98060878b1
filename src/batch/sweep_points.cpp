#include "batch/sweep_points.hpp"

#include <fmt/format.h>
#include <muParser.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <thread>

#include "batch/scenario_inputs.hpp"
#include "llmcost/error.hpp"

namespace llmcost {
namespace {

// A compiled `where` constraint bound to one evaluation buffer. It reads the buffer only: an
// assignment (muParser has =, +=, ...) would rewrite the row it filters.
class Constraint {
 public:
  Constraint(const std::string& expr, const std::vector<std::string>& keys, std::vector<double>& values,
             const std::string& file) {
    if (expr.empty()) return;
    if (const std::string bad = constraint_problem(expr); !bad.empty()) {
      throw InputError(fmt::format("{}: field 'where': {} (in \"{}\")", file, bad, expr));
    }
    try {
      for (size_t i = 0; i < keys.size(); ++i) parser_.DefineVar(keys[i], &values[i]);
      parser_.SetExpr(expr);
      parser_.Eval();  // compiles; reports unknown names now rather than at the first point
    } catch (const mu::Parser::exception_type& e) {
      throw InputError(fmt::format("{}: field 'where': {} (in \"{}\")", file, e.GetMsg(), expr));
    }
    active_ = true;
  }
  bool holds() {
    if (!active_) return true;
    const double v = parser_.Eval();
    return v != 0 && !std::isnan(v);
  }

 private:
  mu::Parser parser_;
  bool active_ = false;
};

// Stops the workers and the consumer: no chunk is taken or waited for any more.
void stop(SweepState& st) {
  {
    const std::lock_guard<std::mutex> lock(st.order_mutex);
    st.stopped = true;
  }
  st.chunk_done.notify_all();
  st.chunk_taken.notify_all();
}

// Hands the chunks to `consume` in point order as they are done, freeing each one's rows.
void consume_in_order(SweepState& st, const ChunkConsumer& consume) {
  for (size_t c = 0; c < st.chunks.size(); ++c) {
    {
      std::unique_lock<std::mutex> lock(st.order_mutex);
      st.chunk_done.wait(lock, [&] { return st.chunks[c].done || st.stopped; });
      if (!st.chunks[c].done) return;  // a worker failed
    }
    consume(st.chunks[c]);
    std::vector<double>().swap(st.chunks[c].rows);
    {
      const std::lock_guard<std::mutex> lock(st.order_mutex);
      st.consumed = c + 1;
    }
    st.chunk_taken.notify_all();
  }
}

std::string point_label(const SweepState& st, size_t point) {
  std::string out;
  for (size_t a = st.axes.size(); a-- > 0;) {
    const ScenarioInput& in = st.scenario.inputs[st.axes[a]];
    const size_t v = point % st.radix[a];
    point /= st.radix[a];
    out = fmt::format("{}={}{}{}", in.name, in.values[v], out.empty() ? "" : ", ", out);
  }
  return out;
}

// One thread's evaluator, value buffer and `where`; it takes chunks of points until none is left
// or a point fails.
class Worker {
 public:
  explicit Worker(SweepState& st)
      : st_(st),
        ev_(first_point(st)),
        values_(st.keys.size()),
        where_(st.where, st.keys, values_, st.scenario.file),
        current_(st.axes.size(), 0),
        width_(st.axes.size() + st.keys.size()) {}

  void run(const std::function<void(double)>* progress) {
    for (size_t c; (c = st_.next.fetch_add(1)) < st_.chunks.size();) {
      if (st_.window > 0) {  // stay within the window ahead of the consumer
        std::unique_lock<std::mutex> lock(st_.order_mutex);
        st_.chunk_taken.wait(lock, [&] { return c < st_.consumed + st_.window || st_.stopped; });
        if (st_.stopped) return;
      }
      if (!run_chunk(st_.chunks[c], c * kSweepChunk)) return;
      if (st_.window > 0) {
        {
          const std::lock_guard<std::mutex> lock(st_.order_mutex);
          st_.chunks[c].done = true;
        }
        st_.chunk_done.notify_all();
      }
      const size_t finished = st_.done.fetch_add(1) + 1;
      if (progress && *progress) (*progress)(static_cast<double>(finished) / static_cast<double>(st_.chunks.size()));
    }
  }

 private:
  // Evaluates the points of `chunk` (from point `begin`), keeping the rows that pass; false when a
  // point failed.
  bool run_chunk(SweepChunk& chunk, size_t begin) {
    const size_t end = std::min(st_.points, begin + kSweepChunk);
    for (size_t p = begin; p < end; ++p) {
      move_to(p, p == begin);
      if (!evaluate(p)) return false;
      if (!where_.holds()) continue;
      chunk.passed += 1;
      if (st_.keep_rows || st_.best_col) keep(chunk.rows);
    }
    // Only the best K rows are wanted (the best one without top): trim each chunk to its own best
    // K, so memory stays bounded.
    if (!st_.keep_rows && st_.best_col) {
      select_best(chunk.rows, width_, *st_.best_col, st_.maximize, st_.top > 0 ? st_.top : 1);
    }
    return true;
  }

  // Sets the inputs of point p: its mixed-radix digits, last axis fastest; only changed axes are set
  // again (every axis with `all`, at a chunk's first point).
  void move_to(size_t p, bool all) {
    for (size_t a = st_.axes.size(); a-- > 0;) {
      const size_t v = p % st_.radix[a];
      p /= st_.radix[a];
      if (v != current_[a] || all) {
        current_[a] = v;
        const size_t input = st_.axes[a];
        apply_input(*ev_, st_.kind, st_.fields[input], st_.scenario.inputs[input], v);
      }
    }
  }

  // Evaluates point p into the buffer; a failure is recorded (the lowest point's wins) and stops
  // every worker.
  bool evaluate(size_t p) {
    try {
      ev_->evaluate(values_.data());
      return true;
    } catch (const InputError& e) {
      std::lock_guard<std::mutex> lock(st_.error_mutex);
      if (p < st_.error_point) {
        st_.error_point = p;
        st_.error = fmt::format("{}: point {} ({}): {}", st_.scenario.file, p + 1, point_label(st_, p), e.what());
      }
      st_.next = st_.chunks.size();
      stop(st_);
      return false;
    }
  }

  // Appends the current point (axis value indices, then the values) to `rows`.
  void keep(std::vector<double>& rows) const {
    const size_t at = rows.size();
    rows.resize(at + width_);
    for (size_t a = 0; a < current_.size(); ++a) rows[at + a] = static_cast<double>(current_[a]);
    std::copy(values_.begin(), values_.end(), rows.begin() + static_cast<long>(at + current_.size()));
  }

  SweepState& st_;
  std::unique_ptr<PointEvaluator> ev_;
  std::vector<double> values_;  // bound to where_: never resized
  Constraint where_;
  std::vector<size_t> current_;  // the value index of each axis now set
  const size_t width_;
};

}  // namespace

SweepState::SweepState(const Scenario& s, const Catalog& c)
    : scenario(s), catalog(c), kind(scenario_kind(s)), fields(bind_fields(s, kind)) {}

std::unique_ptr<PointEvaluator> first_point(const SweepState& st, std::vector<std::string>* keys) {
  std::unique_ptr<PointEvaluator> ev = st.kind.make_evaluator(st.catalog);
  for (size_t i = 0; i < st.scenario.inputs.size(); ++i) {
    apply_input(*ev, st.kind, st.fields[i], st.scenario.inputs[i], 0);
  }
  std::vector<std::string> k = ev->keys();
  if (keys) *keys = std::move(k);
  return ev;
}

void evaluate_points(SweepState& st, int threads, const std::function<void(double)>& progress,
                     const ChunkConsumer& consume) {
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  const size_t n = std::min<size_t>(threads > 0 ? static_cast<size_t>(threads) : hw, st.chunks.size());
  // A few chunks per worker in flight: enough to keep them busy while the consumer writes.
  st.window = consume ? 4 * std::max<size_t>(n, 1) : 0;
  std::vector<std::thread> pool;
  std::vector<std::exception_ptr> failures(n + 1);  // the last: the consumer's
  for (size_t t = 0; t < n; ++t) {
    pool.emplace_back([&, t] {
      try {
        Worker(st).run(t == 0 ? &progress : nullptr);
      } catch (...) {
        failures[t] = std::current_exception();
        stop(st);
      }
    });
  }
  if (consume) {
    try {
      consume_in_order(st, consume);
    } catch (...) {
      failures[n] = std::current_exception();
      st.next = st.chunks.size();
      stop(st);
    }
  }
  for (auto& th : pool) th.join();
  for (auto& f : failures) {
    if (f) std::rethrow_exception(f);
  }
  if (!st.error.empty()) throw InputError(st.error);
}

// How many of `n` rows `top` keeps (all when top is 0 or not below n; a double can exceed size_t).
size_t keep_count(size_t n, double top) {
  return top > 0 && top < static_cast<double>(n) ? static_cast<size_t>(top) : n;
}

// Keeps the best `top` rows by column `col` (all rows, sorted, when top is 0), stable by point order.
void select_best(std::vector<double>& rows, size_t width, size_t col, bool maximize, double top) {
  const size_t n = rows.size() / width;
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  auto better = [&](size_t a, size_t b) {
    const double x = rows[a * width + col], y = rows[b * width + col];
    if (ranks_before(x, y, maximize)) return true;
    if (ranks_before(y, x, maximize)) return false;
    return a < b;
  };
  const size_t keep = keep_count(n, top);
  std::partial_sort(order.begin(), order.begin() + static_cast<long>(keep), order.end(), better);
  std::vector<double> out;
  out.reserve(keep * width);
  for (size_t i = 0; i < keep; ++i) {
    out.insert(out.end(), rows.begin() + static_cast<long>(order[i] * width),
               rows.begin() + static_cast<long>((order[i] + 1) * width));
  }
  rows.swap(out);
}

}  // namespace llmcost
