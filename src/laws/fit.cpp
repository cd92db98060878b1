// Approach 3 of Hoffmann et al. 2022 as Besiroglu et al. 2024 replicate it (docs/scaling-laws.md):
// L-BFGS on the summed Huber loss of log-loss residuals from every start of a grid, best
// objective wins; bootstrap over rows for standard errors and intervals.
#include "llmcost/fit.hpp"
#include "llmcost/law.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <mutex>
#include <numeric>

#include "laws/fit_bootstrap.hpp"
#include "laws/fit_objective.hpp"
#include "laws/fit_parallel.hpp"
#include "laws/fit_solve.hpp"
#include "llmcost/error.hpp"

namespace llmcost {
namespace {

using fit_detail::HuberLse;
using fit_detail::LogRows;
using fit_detail::StartResult;
using fit_detail::StartSolver;
using fit_detail::Vec5;

// Serialised progress over `total` starts, reported in steps of at least 1%.
class Progress {
 public:
  Progress(const std::function<void(double)>& callback, double total) : callback_(callback), total_(total) {}
  void advance(int starts) {
    if (!callback_) return;
    const std::lock_guard<std::mutex> lock(mutex_);
    done_ += starts;
    const double fraction = std::min(done_ / total_, 1.0);
    if (fraction >= next_ || fraction == 1.0) {
      callback_(fraction);
      next_ = fraction + 0.01;
    }
  }

 private:
  const std::function<void(double)>& callback_;
  double total_, done_ = 0, next_ = 0;
  std::mutex mutex_;
};

// The best of all starts: the lowest objective, a tie going to the lower start index, so the
// choice does not depend on which thread ran which start.
struct GridFit {
  StartResult best;
  int converged_starts = 0;
};

GridFit best_of(std::vector<StartResult>& results) {
  GridFit fit;
  size_t best = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    if (results[i].converged) ++fit.converged_starts;
    if (results[i].f < results[best].f) best = i;  // strict: the earlier start keeps a tie
  }
  fit.best = std::move(results[best]);
  return fit;
}

// All starts on `workers` threads.
GridFit fit_grid_parallel(const HuberLse& objective, const std::vector<Vec5>& grid, int workers, Progress& progress) {
  std::vector<StartResult> results(grid.size());
  std::vector<StartSolver> solvers(static_cast<size_t>(workers));
  fit_detail::parallel_chunks(static_cast<int>(grid.size()), workers, 8, [&](int worker, int begin, int end) {
    for (int i = begin; i < end; ++i) {
      const auto k = static_cast<size_t>(i);
      results[k] = solvers[static_cast<size_t>(worker)].run(objective, grid[k]);
    }
    progress.advance(end - begin);
  });
  return best_of(results);
}

// All starts on the calling thread (one bootstrap resample).
GridFit fit_grid_serial(const HuberLse& objective, const std::vector<Vec5>& grid, StartSolver& solver,
                        Progress& progress) {
  std::vector<StartResult> results;
  results.reserve(grid.size());
  for (const Vec5& x0 : grid) results.push_back(solver.run(objective, x0));
  progress.advance(static_cast<int>(grid.size()));
  return best_of(results);
}

// x = (log A, log B, log E, α, β) → the law.
Law law_of(const Vec5& x) {
  return hoffmann_law(std::exp(x[2]), std::exp(x[0]), std::exp(x[1]), x[3], x[4]);
}

void check_options(const FitData& data, const FitOptions& o) {
  auto fail = [](const std::string& what) { throw InputError("fit: " + what); };
  // Residuals are differences of log-losses, ~1e-3 to 1e-1: below 1e-10 every residual is in the
  // linear part and the objective's slopes underflow the solver's tolerance; above 1 the Huber loss
  // is plain least squares.
  if (!(o.huber_delta >= kMinHuberDelta && o.huber_delta <= kMaxHuberDelta)) {
    fail(fmt::format("huber_delta must be between {:g} and {:g} (the procedure's is 1e-3), got {:g}", kMinHuberDelta,
                     kMaxHuberDelta, o.huber_delta));
  }
  if (o.drop_highest < 0) fail(fmt::format("drop_highest must be 0 or more, got {}", o.drop_highest));
  if (o.bootstrap < 0 || o.bootstrap > kMaxBootstrap) {
    fail(fmt::format("bootstrap must be 0 to {}, got {}", kMaxBootstrap, o.bootstrap));
  }
  if (!(o.at_flops >= 0) || !std::isfinite(o.at_flops))
    fail(fmt::format("at_flops must be 0 or a positive number, got {}", o.at_flops));
  if (o.threads < 0) fail(fmt::format("threads must be 0 (all) or more, got {}", o.threads));
  for (size_t i = 0; i < data.points.size(); ++i) {
    const FitPoint& p = data.points[i];
    for (double v : {p.params, p.tokens, p.loss}) {
      if (!(v > 0) || !std::isfinite(v)) {
        fail(fmt::format("{}: row {}: params, tokens and loss must be positive and finite", data.origin, i + 1));
      }
    }
  }
  const long long kept = static_cast<long long>(data.points.size()) - o.drop_highest;
  if (kept < kMinFitPoints) {
    fail(fmt::format("{}: {} rows, {} dropped, leave {}; the fit needs at least {}", data.origin, data.points.size(),
                     o.drop_highest, std::max(kept, 0LL), kMinFitPoints));
  }
}

// The rows left after dropping the `k` highest losses (ties: the earlier row goes first), in
// their original order.
std::vector<FitPoint> drop_highest(const std::vector<FitPoint>& points, int k) {
  std::vector<size_t> order(points.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return points[a].loss > points[b].loss; });
  std::vector<bool> dropped(points.size(), false);
  for (size_t i = 0; i < static_cast<size_t>(k); ++i) dropped[order[i]] = true;
  std::vector<FitPoint> kept;
  for (size_t i = 0; i < points.size(); ++i) {
    if (!dropped[i]) kept.push_back(points[i]);
  }
  return kept;
}

// Why the rows cannot determine the five parameters, or "". log L depends on N only through
// a − α·log N and on D only through b − β·log D: when every (log N, log D) lies on one line
// (D = k·N^c, a constant N or D, or one point repeated), a change of α is undone by a change of
// β (or of E), so the minimum is a valley and the point the optimiser stops at means nothing.
std::string design_problem(const std::vector<FitPoint>& points) {
  double mx = 0, my = 0;
  for (const FitPoint& p : points) mx += std::log(p.params), my += std::log(p.tokens);
  mx /= static_cast<double>(points.size()), my /= static_cast<double>(points.size());
  double sxx = 0, syy = 0, sxy = 0, scale = 0;
  for (const FitPoint& p : points) {
    const double x = std::log(p.params) - mx, y = std::log(p.tokens) - my;
    sxx += x * x, syy += y * y, sxy += x * y, scale += mx * mx + my * my;
  }
  const double tiny = 1e-24 * scale;  // spreads below rounding of the logs
  if (sxx <= tiny && syy <= tiny) return "every row has the same params and tokens";
  if (sxx <= tiny) return "every row has the same params, so the N term cannot be told from E";
  if (syy <= tiny) return "every row has the same tokens, so the D term cannot be told from E";
  if (sxy * sxy >= sxx * syy * (1 - 1e-10)) {
    return "tokens follow params on one power law in every row (e.g. D = 20·N), so the N and D terms cannot be "
           "separated";
  }
  return "";
}

LogRows log_rows(const std::vector<FitPoint>& points, const std::vector<int>& counts) {
  LogRows rows;
  for (size_t i = 0; i < points.size(); ++i) {
    if (counts[i] == 0) continue;
    const FitPoint& p = points[i];
    rows.add(std::log(p.params), std::log(p.tokens), std::log(p.loss), counts[i]);
  }
  rows.pad();
  return rows;
}

// Refits `options.bootstrap` resamples of `points` (one per task, in parallel) and summarises
// each parameter over them into `r`.
// Pearson correlations of (ln E, ln A, ln B, α, β) over the resamples whose parameters are all
// positive and finite; empty when fewer than 3 are, or when one parameter does not vary.
std::vector<double> correlation(const std::vector<GridFit>& fits) {
  std::vector<std::array<double, kLawParams>> xs;
  for (const GridFit& fit : fits) {
    const Law l = law_of(fit.best.x);
    if (!law_params_problem(l).empty()) continue;
    xs.push_back({std::log(l.e), std::log(l.a), std::log(l.b), l.alpha, l.beta});
  }
  if (xs.size() < 3) return {};
  std::array<double, kLawParams> mean{};
  for (const auto& x : xs)
    for (size_t i = 0; i < kLawParams; ++i) mean[i] += x[i] / static_cast<double>(xs.size());
  std::vector<double> cov(kLawParams * kLawParams, 0.0);
  for (const auto& x : xs)
    for (size_t i = 0; i < kLawParams; ++i)
      for (size_t j = 0; j < kLawParams; ++j) cov[i * kLawParams + j] += (x[i] - mean[i]) * (x[j] - mean[j]);
  std::vector<double> corr(cov.size());
  for (size_t i = 0; i < kLawParams; ++i) {
    for (size_t j = 0; j < kLawParams; ++j) {
      const double d = std::sqrt(cov[i * kLawParams + i] * cov[j * kLawParams + j]);
      if (!(d > 0)) return {};
      corr[i * kLawParams + j] = i == j ? 1.0 : std::clamp(cov[i * kLawParams + j] / d, -1.0, 1.0);
    }
  }
  return corr;
}

void bootstrap(const std::vector<FitPoint>& points, const FitOptions& options, const std::vector<Vec5>& grid,
               int workers, Progress& progress, FitResult& r) {
  const auto resamples = static_cast<size_t>(options.bootstrap);
  std::vector<GridFit> fits(resamples);
  std::vector<StartSolver> solvers(static_cast<size_t>(workers));
  fit_detail::parallel_chunks(options.bootstrap, workers, 1, [&](int worker, int begin, int end) {
    for (int i = begin; i < end; ++i) {
      const LogRows rows = log_rows(points, fit_detail::resample_counts(options.seed, i, points.size()));
      const HuberLse objective(rows, options.huber_delta);
      fits[static_cast<size_t>(i)] = fit_grid_serial(objective, grid, solvers[static_cast<size_t>(worker)], progress);
    }
  });
  std::vector<double> e, a, b, alpha, beta, a_exp, b_exp, n_opt;
  for (const GridFit& fit : fits) {
    const Law law = law_of(fit.best.x);
    e.push_back(law.e), a.push_back(law.a), b.push_back(law.b);
    alpha.push_back(law.alpha), beta.push_back(law.beta);
    a_exp.push_back(law.beta / (law.alpha + law.beta)), b_exp.push_back(law.alpha / (law.alpha + law.beta));
    if (options.at_flops > 0) n_opt.push_back(optimal_params(law, options.at_flops));
    if (fit.best.converged) ++r.bootstrap_converged;
  }
  using fit_detail::summarise;
  r.E = summarise(e), r.A = summarise(a), r.B = summarise(b), r.alpha = summarise(alpha), r.beta = summarise(beta);
  r.a_exp_stats = summarise(a_exp), r.b_exp_stats = summarise(b_exp);
  if (options.at_flops > 0) r.n_opt = summarise(n_opt);
  r.correlation = correlation(fits);
}

}  // namespace

std::string law_params_problem(const Law& law) {
  const std::pair<const char*, double> params[] = {
      {"e", law.e}, {"a", law.a}, {"b", law.b}, {"alpha", law.alpha}, {"beta", law.beta}};
  for (const auto& [name, v] : params) {
    if (!std::isfinite(v)) return fmt::format("{} = {} is not finite", name, v);
    if (!(v > 0)) return fmt::format("{} = {:.4g} <= 0", name, v);
  }
  return "";
}

FitResult fit_law(const FitData& data, const FitOptions& options) {
  check_options(data, options);
  const std::vector<FitPoint> points = drop_highest(data.points, options.drop_highest);
  const LogRows rows = log_rows(points, std::vector<int>(points.size(), 1));
  const auto grid = fit_detail::start_grid(options.coarse_grid);
  const int starts = static_cast<int>(grid.size());
  const int workers = fit_detail::worker_count(options.threads, std::max(starts, options.bootstrap));
  Progress progress(options.progress, double(starts) * (1.0 + double(options.bootstrap)));

  const GridFit fit = fit_grid_parallel(HuberLse(rows, options.huber_delta), grid, workers, progress);
  FitResult r;
  r.law = law_of(fit.best.x);
  r.a_exp = r.law.beta / (r.law.alpha + r.law.beta);
  r.b_exp = r.law.alpha / (r.law.alpha + r.law.beta);
  r.objective = fit.best.f;
  r.points = static_cast<int>(points.size());
  r.starts = starts;
  r.converged_starts = fit.converged_starts;
  r.converged = fit.best.converged;
  std::string unidentified = design_problem(points);
  if (unidentified.empty()) unidentified = law_params_problem(r.law);
  r.identified = unidentified.empty();
  if (!r.identified) {
    r.message = "parameters not identified: " + unidentified;
  } else {
    r.message = r.converged ? "converged"
                            : fmt::format("not converged: {} (gradient norm {:.3g} at the best start)", fit.best.why,
                                          fit.best.grad_norm);
  }
  if (options.bootstrap > 0) bootstrap(points, options, grid, workers, progress, r);
  return r;
}

}  // namespace llmcost
