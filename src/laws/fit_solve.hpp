// One L-BFGS run of the approach-3 objective from one start, and the grid of starts. Private to
// fit.cpp.
#pragma once

#include <LBFGS.h>

#include <Eigen/Core>

#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "laws/fit_line_search.hpp"
#include "laws/fit_objective.hpp"

namespace llmcost::fit_detail {
namespace {  // internal linkage: see fit_simd.hpp

using Vec5 = std::array<double, 5>;  // (a, b, e, α, β)

// The grid of Hoffmann et al. 2022 App. D.2 (docs/scaling-laws.md): α, β ∈ {0, 0.5, 1, 1.5, 2},
// e ∈ {−1, −0.5, 0, 0.5, 1}, a, b ∈ {0, 5, 10, 15, 20, 25}: 5·5·5·6·6 = 4,500 starts.
// The coarse grid keeps α, β ∈ {0.5, 1}, e ∈ {−1, 0, 1}, a, b ∈ {0, 10, 20}: 2·2·3·3·3 = 108
// starts; it brackets every published fit (α, β ≈ 0.3, E ≈ 1.7-1.8, A, B ≈ 4e2-2e3 i.e.
// a, b ≈ 6-8) and is meant for bootstrap resamples and tests. Order: α outermost, b innermost;
// the index is the tie-break between equal objectives.
inline std::vector<Vec5> start_grid(bool coarse) {
  const std::vector<double> exps = coarse ? std::vector<double>{0.5, 1} : std::vector<double>{0, 0.5, 1, 1.5, 2};
  const std::vector<double> es = coarse ? std::vector<double>{-1, 0, 1} : std::vector<double>{-1, -0.5, 0, 0.5, 1};
  const std::vector<double> logs = coarse ? std::vector<double>{0, 10, 20} : std::vector<double>{0, 5, 10, 15, 20, 25};
  std::vector<Vec5> grid;
  for (double alpha : exps)
    for (double beta : exps)
      for (double e : es)
        for (double a : logs)
          for (double b : logs) grid.push_back({a, b, e, alpha, beta});
  return grid;
}

struct StartResult {
  Vec5 x{};
  double f = std::numeric_limits<double>::infinity();
  double grad_norm = std::numeric_limits<double>::infinity();
  bool converged = false;
  std::string why;  // empty when converged
  int evaluations = 0;
};

// Stopping rule: ‖∇f‖₂ ≤ 1e-10, absolute. The optimum's objective is ~1e-3 (a sum of Huber terms
// with δ = 1e-3), so an f-based or x-relative test stops early (docs/scaling-laws.md, "Pitfall").
// m = 10 correction pairs took ~25% fewer evaluations than LBFGSpp's default 6 on 245 rows;
// from the grid's far corners (a = 25, α = 0) a start needs ~100 iterations, never near 1,000.
inline constexpr double kGradTolerance = 1e-10;  // at δ = 1e-3; scaled with δ in StartSolver::run

inline LBFGSpp::LBFGSParam<double> solver_param() {
  LBFGSpp::LBFGSParam<double> p;
  p.m = 10;
  p.epsilon = kGradTolerance;
  p.epsilon_rel = 0;
  p.past = 0;  // no f-based test
  p.max_iterations = 1000;
  p.max_linesearch = 20;
  p.ftol = 1e-4;  // c₁ of the Armijo test
  p.wolfe = 0.9;  // c₂ of the curvature test
  return p;
}

// Runs L-BFGS from `x0`. LBFGSpp throws when a line search fails (typically at the limit of
// floating-point resolution near an optimum, or on a plateau); the start then reports the best
// point it evaluated, as not converged.
class StartSolver {
 public:
  StartSolver() : param_(solver_param()), solver_(param_), x_(5) {}
  StartSolver(const StartSolver&) = delete;  // solver_ keeps a reference to param_
  StartSolver& operator=(const StartSolver&) = delete;

  StartResult run(const HuberLse& objective, const Vec5& x0) {
    Tracked tracked{objective};
    // The gradient of a sum of Huber terms scales with δ (each term's slope is at most δ), so the
    // stopping tolerance does too: 1e-10 at the procedure's δ = 1e-3. An absolute 1e-10 would
    // call a start converged wherever a small δ makes every slope tiny.
    param_.epsilon = kGradTolerance * objective.delta() / 1e-3;
    for (int k = 0; k < 5; ++k) x_[k] = x0[static_cast<size_t>(k)];
    StartResult r;
    try {
      double fx = 0;
      const int iterations = solver_.minimize(tracked, x_, fx);
      r.grad_norm = tracked.last_grad_norm;  // the driver's last evaluation is at x_
      r.f = fx;
      for (int k = 0; k < 5; ++k) r.x[static_cast<size_t>(k)] = x_[k];
      r.converged = r.grad_norm <= param_.epsilon;
      if (!r.converged) r.why = iterations >= param_.max_iterations ? "iteration limit reached" : "stopped";
      if (r.converged && tracked.evaluations <= 1) {  // a flat start is no minimum found
        r.converged = false;
        r.why = "the gradient is below the tolerance at the start itself";
      }
    } catch (const std::exception& e) {
      r.f = tracked.best_f;
      r.x = tracked.best_x;
      r.grad_norm = tracked.best_grad_norm;
      r.converged = false;
      r.why = e.what();
    }
    r.evaluations = tracked.evaluations;
    return r;
  }

 private:
  // The objective, remembering the lowest point it was evaluated at.
  struct Tracked {
    const HuberLse& objective;
    Vec5 best_x{};
    double best_f = std::numeric_limits<double>::infinity();
    double best_grad_norm = std::numeric_limits<double>::infinity();
    double last_grad_norm = std::numeric_limits<double>::infinity();
    double last_noise = 0;  // rounding noise of the last f, for WolfeLineSearch
    int evaluations = 0;
    double operator()(const Eigen::VectorXd& x, Eigen::VectorXd& grad) {
      const double f = objective(x, grad, last_noise);
      ++evaluations;
      last_grad_norm = grad.norm();
      if (f < best_f) {
        best_f = f;
        for (int k = 0; k < 5; ++k) best_x[static_cast<size_t>(k)] = x[k];
        best_grad_norm = last_grad_norm;
      }
      return f;
    }
  };

  LBFGSpp::LBFGSParam<double> param_;
  LBFGSpp::LBFGSSolver<double, WolfeLineSearch> solver_;
  Eigen::VectorXd x_;
};

}  // namespace
}  // namespace llmcost::fit_detail
