#include "llmcost/sweep.hpp"

#include <fmt/format.h>
#include <muParser.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "llmcost/csv.hpp"
#include "llmcost/error.hpp"
#include "llmcost/text.hpp"
#include "batch/scenario_inputs.hpp"
#include "llmcost/estimate.hpp"

namespace llmcost {
namespace {

constexpr size_t kChunk = 4096;
constexpr double kMaxPoints = 1e8;

// A compiled `where` constraint bound to one evaluation buffer.
class Constraint {
 public:
  Constraint(const std::string& expr, const std::vector<std::string>& keys, std::vector<double>& values,
             const std::string& file) {
    if (expr.empty()) return;
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

struct Chunk {
  std::vector<double> rows;  // kept rows
  double passed = 0;
};

struct Shared {
  Shared(const Scenario& s, const Catalog& c)
      : scenario(s), catalog(c), kind(scenario_kind(s)), fields(bind_fields(s, kind)) {}
  const Scenario& scenario;
  const Catalog& catalog;
  const EstimateKind& kind;
  std::vector<size_t> fields;  // the kind's field index of each scenario input
  std::vector<size_t> axes;  // indices of swept inputs
  std::vector<size_t> radix;
  size_t points = 0;
  std::string where;
  std::vector<std::string> keys;
  std::optional<size_t> best_col;  // column of the best key, when there is one
  bool maximize = false;
  double top = 0;
  std::vector<Chunk> chunks;
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  std::mutex error_mutex;
  size_t error_point = std::numeric_limits<size_t>::max();
  std::string error;
};

std::string point_label(const Shared& sh, size_t point) {
  std::string out;
  for (size_t a = sh.axes.size(); a-- > 0;) {
    const ScenarioInput& in = sh.scenario.inputs[sh.axes[a]];
    const size_t v = point % sh.radix[a];
    point /= sh.radix[a];
    out = fmt::format("{}={}{}{}", in.name, in.values[v], out.empty() ? "" : ", ", out);
  }
  return out;
}

void select_best(std::vector<double>& rows, size_t width, size_t col, bool maximize, double top);

// An evaluator with every input at its first value, its keys fixed there: every worker's rows have
// the columns of the sweep's first point.
std::unique_ptr<PointEvaluator> first_point(const Shared& sh, std::vector<std::string>* keys = nullptr) {
  std::unique_ptr<PointEvaluator> ev = sh.kind.make_evaluator(sh.catalog);
  for (size_t i = 0; i < sh.scenario.inputs.size(); ++i) {
    apply_input(*ev, sh.kind, sh.fields[i], sh.scenario.inputs[i], 0);
  }
  std::vector<std::string> k = ev->keys();
  if (keys) *keys = std::move(k);
  return ev;
}

void worker(Shared& sh, bool keep_rows, const std::function<void(double)>* progress) {
  std::unique_ptr<PointEvaluator> ev = first_point(sh);
  std::vector<double> values(sh.keys.size());
  Constraint where(sh.where, sh.keys, values, sh.scenario.file);
  std::vector<size_t> current(sh.axes.size(), 0);
  const size_t width = sh.axes.size() + sh.keys.size();
  for (size_t c; (c = sh.next.fetch_add(1)) < sh.chunks.size();) {
    Chunk& chunk = sh.chunks[c];
    const size_t begin = c * kChunk, end = std::min(sh.points, begin + kChunk);
    for (size_t p = begin; p < end; ++p) {
      // Mixed-radix digits of p, last axis fastest; only changed axes are set again.
      size_t rest = p;
      for (size_t a = sh.axes.size(); a-- > 0;) {
        const size_t v = rest % sh.radix[a];
        rest /= sh.radix[a];
        if (v != current[a] || p == begin) {
          current[a] = v;
          const size_t input = sh.axes[a];
          apply_input(*ev, sh.kind, sh.fields[input], sh.scenario.inputs[input], v);
        }
      }
      try {
        ev->evaluate(values.data());
      } catch (const InputError& e) {
        std::lock_guard<std::mutex> lock(sh.error_mutex);
        if (p < sh.error_point) {
          sh.error_point = p;
          sh.error = fmt::format("{}: point {} ({}): {}", sh.scenario.file, p + 1, point_label(sh, p), e.what());
        }
        sh.next = sh.chunks.size();
        return;
      }
      if (!where.holds()) continue;
      chunk.passed += 1;
      if (!keep_rows && !sh.best_col) continue;
      const size_t at = chunk.rows.size();
      chunk.rows.resize(at + width);
      for (size_t a = 0; a < current.size(); ++a) chunk.rows[at + a] = static_cast<double>(current[a]);
      std::copy(values.begin(), values.end(), chunk.rows.begin() + static_cast<long>(at + current.size()));
    }
    // Only the best K rows are wanted: trim each chunk to its own best K (memory stays bounded).
    if (!keep_rows && sh.best_col && sh.top > 0) select_best(chunk.rows, width, *sh.best_col, sh.maximize, sh.top);
    const size_t finished = sh.done.fetch_add(1) + 1;
    if (progress && *progress) (*progress)(static_cast<double>(finished) / static_cast<double>(sh.chunks.size()));
  }
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
    if (std::isnan(x) != std::isnan(y)) return std::isnan(y);
    if (x != y) return maximize ? x > y : x < y;
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
  Shared sh(s, catalog);
  SweepResult res;
  const double total = s.points();
  if (total > kMaxPoints) {
    throw InputError(fmt::format("{}: the sweep has {} points; at most {} are allowed", s.file, total, kMaxPoints));
  }
  for (size_t i = 0; i < s.inputs.size(); ++i) {
    if (s.inputs[i].values.size() > 1) {
      sh.axes.push_back(i);
      sh.radix.push_back(s.inputs[i].values.size());
      res.axes.push_back(s.inputs[i].name);
    }
  }
  sh.points = static_cast<size_t>(total);
  first_point(sh, &sh.keys);
  res.keys = sh.keys;
  res.where = opt.where.empty() ? s.where : opt.where;
  res.best = opt.best.empty() ? s.best : opt.best;
  res.maximize = opt.maximize || s.maximize;
  const double top = opt.top > 0 ? opt.top : s.top;
  sh.where = res.where;
  size_t best_col = 0;
  if (!res.best.empty()) {
    auto it = std::find(res.keys.begin(), res.keys.end(), res.best);
    if (it == res.keys.end()) throw InputError(fmt::format("{}: field 'best': {}", s.file, unknown_id_message("report key", res.best, res.keys)));
    best_col = res.axes.size() + static_cast<size_t>(it - res.keys.begin());
    sh.best_col = best_col;
  }
  sh.maximize = res.maximize;
  sh.top = top;
  sh.chunks.resize((sh.points + kChunk - 1) / kChunk);
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  const size_t threads = std::min<size_t>(opt.threads > 0 ? static_cast<size_t>(opt.threads) : hw, sh.chunks.size());
  std::vector<std::thread> pool;
  std::vector<std::exception_ptr> failures(threads);
  for (size_t t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      try {
        worker(sh, opt.keep_rows, t == 0 ? &opt.progress : nullptr);
      } catch (...) {
        failures[t] = std::current_exception();
      }
    });
  }
  for (auto& th : pool) th.join();
  for (auto& f : failures) {
    if (f) std::rethrow_exception(f);
  }
  if (!sh.error.empty()) throw InputError(sh.error);
  res.points = total;
  size_t kept = 0;
  for (const auto& c : sh.chunks) kept += c.rows.size();
  res.rows.reserve(kept);
  for (auto& c : sh.chunks) {
    res.passed += c.passed;
    res.rows.insert(res.rows.end(), c.rows.begin(), c.rows.end());
    std::vector<double>().swap(c.rows);
  }
  if (!res.best.empty()) select_best(res.rows, res.width(), best_col, res.maximize, top);
  else res.rows.resize(keep_count(res.row_count(), top) * res.width());
  return res;
}

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
      if (std::isfinite(v)) fmt::format_to(std::back_inserter(out), "{}", v);
      else fmt::format_to(std::back_inserter(out), "null");
    }
    out.push_back('}');
    out.push_back('\n');
  }
  return fmt::to_string(out);
}

}  // namespace llmcost
