// Fitting the parametric scaling law L(N, D) = E + A/N^α + B/D^β to (params, tokens, loss) rows:
// approach 3 of Hoffmann et al. 2022 ("Training Compute-Optimal Large Language Models", §3.3 and
// App. D.2) as replicated by Besiroglu et al. 2024 ("Chinchilla Scaling: A replication attempt").
// The procedure is fixed by docs/scaling-laws.md: Huber loss (δ = 1e-3) of the
// log-loss prediction summed over rows, L-BFGS with analytic gradients from a grid of starts,
// bootstrap over rows for the uncertainty.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llmcost/catalog.hpp"
#include "llmcost/law.hpp"

namespace llmcost {

// The law has 5 free parameters; fewer rows cannot determine it.
inline constexpr int kMinFitPoints = 5;

// Bootstrap resamples at most: each refits every start, so more is hours of work, not precision.
inline constexpr int kMaxBootstrap = 100000;

// The Huber δ a fit accepts (the procedure's is 1e-3): log-loss residuals are ~1e-3 to 1e-1.
inline constexpr double kMinHuberDelta = 1e-10;
inline constexpr double kMaxHuberDelta = 1;

// One training run: N parameters, D training tokens, final loss in nats/token.
struct FitPoint {
  double params, tokens, loss;
};

struct FitData {
  std::vector<FitPoint> points;
  std::string origin;  // file name for messages
};

// Reads CSV text whose header row names `params,tokens,loss` or `params,flops,loss` (any order,
// case-insensitive, other columns ignored; tokens = flops / (6·params), tokens win if both are
// there). Values accept human counts (70B, 1.4T) and "quoted" fields; blank lines and lines
// starting with '#' are skipped. Throws InputError
// "ORIGIN:LINE:COL: field 'loss': expected a positive number, got 'abc'" for a missing header or
// column, a short row, a non-numeric, non-positive or non-finite value, and fewer than 5 rows.
FitData read_fit_csv(std::string_view text, const std::string& origin);

struct FitOptions {
  // Full grid: α, β ∈ {0, .5, 1, 1.5, 2}, e ∈ {−1, −.5, 0, .5, 1}, a, b ∈ {0, 5, ..., 25} = 4,500 starts.
  // Coarse: its subset α, β ∈ {.5, 1}, e ∈ {−1, 0, 1}, a, b ∈ {0, 10, 20} = 108 starts.
  bool coarse_grid = false;
  double huber_delta = 1e-3;  // δ of the Huber loss on log-loss residuals
  int drop_highest = 0;       // drop the K highest-loss points before fitting
  int bootstrap = 0;          // R bootstrap resamples of the rows (0 = none, at most kMaxBootstrap)
  double at_flops = 0;        // compute budget C for the N_opt(C) interval (0 = skip)
  int threads = 0;            // 0 = all hardware threads
  uint64_t seed = 1;          // bootstrap RNG seed; results are identical run to run
  // Called with the fraction of starts done (bootstrap included), rising in steps of at least
  // 1% and ending at 1.0; from worker threads, under a lock. May be empty.
  std::function<void(double fraction_done)> progress;
};

// Bootstrap summary of one quantity: mean, standard deviation over resamples (the standard
// error) and the 2.5% / 97.5% percentiles.
struct ParamStats {
  double mean, se, lo95, hi95;
};

struct FitResult {
  Law law = hoffmann_law(0, 0, 0, 0, 0);  // best fit, form "hoffmann": L = e + a/N^α + b/D^β (no id or source)
  double a_exp = 0, b_exp = 0;            // compute-optimal exponents a = β/(α+β), b = α/(α+β)
  double objective = 0;                   // summed Huber loss at the optimum
  int points = 0;                         // rows used, after drop_highest
  int starts = 0, converged_starts = 0;
  bool converged = false;  // the best start's L-BFGS met the gradient-norm test
  // The rows can determine all five parameters (their (log N, log D) do not lie on one line) and
  // the best fit has every parameter positive and finite: a law the catalog accepts.
  bool identified = false;
  // "converged", "not converged: ..." or "parameters not identified: ..." (that first); neither is
  // an exception: it is data.
  std::string message;
  // Bootstrap summaries; empty when bootstrap == 0 (n_opt also when at_flops == 0).
  std::optional<ParamStats> E, A, B, alpha, beta, a_exp_stats, b_exp_stats, n_opt;
  int bootstrap_converged = 0;  // resamples whose best start converged (all resamples are summarised)
  // Correlation of (ln E, ln A, ln B, α, β) over the resamples, kLawParams² entries row-major: what
  // `--save-law` stores for `--uncertainty` downstream. Empty without a bootstrap.
  std::vector<double> correlation;
};

// Fits the law to `data` (at least 5 rows after drop_highest). Throws InputError for bad options;
// a fit that does not converge is reported in the result. Deterministic for any thread count.
FitResult fit_law(const FitData& data, const FitOptions& options);

// Why `law`'s hoffmann parameters (e, a, b, alpha, beta) do not make a usable law
// ("alpha = -0.0123 <= 0": a parameter that is not positive and finite, as the catalog requires),
// or "" when they do. The compute-optimal N of a fit is optimal_params in llmcost/law.hpp.
std::string law_params_problem(const Law& law);

}  // namespace llmcost
