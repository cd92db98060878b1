// Tests of include/llmcost/fit.hpp: the approach-3 fitter (Hoffmann et al. 2022, App. D.2;
// docs/scaling-laws.md) and optimal_params of llmcost/law.hpp (the CSV reader, the
// report, the law file and the chart: test_fit_io.cpp). Fits are checked against the
// known parameters of synthetic data generated here from published laws, never against the
// fitter's own earlier output.
#include <catch2/catch.hpp>

#include <LBFGS.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "laws/fit_objective.hpp"
#include "laws/fit_simd.hpp"
#include "llmcost/error.hpp"
#include "llmcost/fit.hpp"
#include "llmcost/law.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using llmcost::FitData;
using llmcost::FitOptions;
using llmcost::FitResult;
using llmcost::hoffmann_law;
using llmcost::InputError;
using llmcost::Law;
using llmcost::test::input_error_of;

namespace {

// Published laws (docs/scaling-laws.md).
const Law kHoffmann = hoffmann_law(1.69, 406.4, 410.7, 0.34, 0.28);  // as printed, App. D.2
const Law kHoffmannUnrounded = hoffmann_law(1.6934, 406.40, 410.72, 0.33917, 0.28491);
const Law kBesiroglu = hoffmann_law(1.8172, 482.01, 2085.43, 0.3478, 0.3658);  // Epoch AI replication
const Law kSteep = hoffmann_law(2.1, 900.0, 5000.0, 0.42, 0.45);               // steeper than either

// L = E + A/N^α + B/D^β, written here rather than taken from the library.
double loss_at(const Law& law, double n, double d) {
  return law.e + law.a / std::pow(n, law.alpha) + law.b / std::pow(d, law.beta);
}

// Rows on a log-spaced grid of sizes N in [7e7, 1.6e10] × tokens D in [5e9, 5e11] (the ranges of
// the Chinchilla runs), loss = L(N, D)·exp(σ·z) with z standard normal (Box–Muller over
// mt19937_64, whose output sequence the standard fixes).
FitData synthetic(const Law& law, int sizes, int token_counts, double sigma, uint64_t seed = 7) {
  std::mt19937_64 rng(seed);
  auto uniform = [&] { return (static_cast<double>(rng() >> 11) + 0.5) * 0x1.0p-53; };
  FitData data;
  data.origin = "synthetic";
  for (int i = 0; i < sizes; ++i) {
    const double n = 7e7 * std::pow(1.6e10 / 7e7, i / (sizes - 1.0));
    for (int j = 0; j < token_counts; ++j) {
      const double d = 5e9 * std::pow(5e11 / 5e9, j / (token_counts - 1.0));
      const double z = std::sqrt(-2 * std::log(uniform())) * std::cos(2 * std::numbers::pi * uniform());
      data.points.push_back({n, d, loss_at(law, n, d) * std::exp(sigma * z)});
    }
  }
  return data;
}

llmcost::fit_detail::LogRows log_rows(const FitData& data) {
  llmcost::fit_detail::LogRows rows;
  for (const auto& p : data.points) rows.add(std::log(p.params), std::log(p.tokens), std::log(p.loss), 1);
  rows.pad();
  return rows;
}

// The summed Huber objective (δ = 1e-3) of `law` on `data`.
double objective_at(const FitData& data, const Law& law) {
  const auto rows = log_rows(data);
  Eigen::VectorXd x{{std::log(law.a), std::log(law.b), std::log(law.e), law.alpha, law.beta}}, grad(5);
  return llmcost::fit_detail::HuberLse(rows, 1e-3)(x, grad);
}

// The approach-3 objective again, in long double and written independently of
// src/fit_objective.hpp (a separate instantiation of LBFGSpp, so the test's unoptimised solver
// never stands in for the fitter's optimised one).
using LdVector = Eigen::Matrix<long double, Eigen::Dynamic, 1>;
struct LdObjective {
  std::vector<std::array<long double, 3>> rows;  // log N, log D, log L
  long double operator()(const LdVector& x, LdVector& grad) const {
    const long double delta = 1e-3L;
    long double f = 0;
    grad.setZero(5);
    for (const auto& [n, d, l] : rows) {
      const long double u[3] = {x[0] - x[3] * n, x[1] - x[4] * d, x[2]};
      const long double m = std::max({u[0], u[1], u[2]});
      const long double t[3] = {std::exp(u[0] - m), std::exp(u[1] - m), std::exp(u[2] - m)};
      const long double s = t[0] + t[1] + t[2];
      const long double r = m + std::log(s) - l;
      f += std::abs(r) <= delta ? r * r / 2 : delta * (std::abs(r) - delta / 2);
      const long double k = std::clamp(r, -delta, delta) / s;
      grad[0] += k * t[0], grad[1] += k * t[1], grad[2] += k * t[2];
      grad[3] -= k * t[0] * n, grad[4] -= k * t[1] * d;
    }
    return f;
  }
};

FitOptions coarse(int threads = 0) {
  FitOptions o;
  o.coarse_grid = true;
  o.threads = threads;
  return o;
}

void check_recovers(const FitResult& r, const Law& truth, double exp_tol, double coef_rel) {
  CHECK(r.converged);
  CHECK(r.identified);
  CHECK(r.message == "converged");
  CHECK_THAT(r.law.alpha, WithinAbs(truth.alpha, exp_tol));
  CHECK_THAT(r.law.beta, WithinAbs(truth.beta, exp_tol));
  CHECK_THAT(r.law.e, WithinRel(truth.e, coef_rel));
  CHECK_THAT(r.law.a, WithinRel(truth.a, coef_rel * 10));  // A, B are far less determined than α, β
  CHECK_THAT(r.law.b, WithinRel(truth.b, coef_rel * 10));
}

}  // namespace

// ------------------------------------------------------------------------------ the objective

TEST_CASE("Fit: vector exp and log agree with the standard library", "[fit]") {
  using namespace llmcost::fit_detail;
  // exp over the exponents the objective meets (|u| ≤ 600) and log over the sums it takes.
  double worst_exp = 0, worst_log = 0;
  for (int i = 0; i <= 4000; ++i) {
    const double u = -600 + 1200.0 * i / 4000 + 1e-3 * std::sin(i);
    const V4d e = exp_v<V4d>(V4d{u, u / 3, -u / 7, u / 1000});
    const double expect[] = {std::exp(u), std::exp(u / 3), std::exp(-u / 7), std::exp(u / 1000)};
    for (int k = 0; k < 4; ++k) worst_exp = std::max(worst_exp, std::abs(e[k] / expect[k] - 1));
    const double x = std::exp(-500 + 1000.0 * i / 4000) * (1 + 0.3 * std::cos(i));
    const V4d l = log_v<V4d>(V4d{x, 1 + 1e-3 * i, 1 - 1e-4 * i / 4000, 0.7071 + 1e-5 * i});
    const double expect_log[] = {std::log(x), std::log(1 + 1e-3 * i), std::log(1 - 1e-4 * i / 4000),
                                 std::log(0.7071 + 1e-5 * i)};
    for (int k = 0; k < 4; ++k) {
      worst_log = std::max(worst_log, std::abs(l[k] - expect_log[k]) / std::max(std::abs(expect_log[k]), 1e-300));
    }
  }
  CHECK(worst_exp < 4e-16);  // ≈ 2 ulp
  CHECK(worst_log < 4e-16);
}

TEST_CASE("Fit: the analytic gradient matches finite differences", "[fit]") {
  using namespace llmcost::fit_detail;
  const LogRows rows = log_rows(synthetic(kBesiroglu, 5, 4, 0.02));
  const HuberLse objective(rows, 1e-3);
  // Points on both paths: the vectorised one (|u| ≤ 600) and the shifted one (a = 700).
  for (const Eigen::VectorXd& x :
       {Eigen::VectorXd{{6.0, 7.5, 0.6, 0.35, 0.37}}, Eigen::VectorXd{{3.0, 12.0, -0.5, 0.1, 0.8}},
        Eigen::VectorXd{{700.0, 7.5, 0.6, 30.0, 0.37}}}) {
    Eigen::VectorXd grad(5), scratch(5);
    objective(x, grad);
    for (int k = 0; k < 5; ++k) {
      const double h = 1e-6;
      Eigen::VectorXd up = x, down = x;
      up[k] += h, down[k] -= h;
      const double numeric = (objective(up, scratch) - objective(down, scratch)) / (2 * h);
      INFO("x = " << x.transpose() << ", component " << k);
      CHECK_THAT(grad[k], WithinAbs(numeric, 1e-7 * std::max(1.0, std::abs(numeric))));
    }
  }
}

TEST_CASE("Fit: every kernel computes the same objective", "[fit]") {
  using namespace llmcost::fit_detail;
  // 30 rows, padded to 32: the last block of 8 ends in 2 zero-weight rows.
  const LogRows rows = log_rows(synthetic(kHoffmann, 6, 5, 0.01));
  const double x[5] = {6.0, 6.0, 0.5, 0.34, 0.28};
  const Sums reference = huber_lse_shifted(rows, x, 1e-3);  // scalar, std::exp and std::log
  std::vector<std::pair<const char*, Sums (*)(const LogRows&, const double*, double)>> kernels{
      {"generic", &huber_lse_generic}, {"dispatched", &huber_lse_fast}};
#ifdef LLMCOST_FIT_X86_DISPATCH
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) kernels.push_back({"avx2", &huber_lse_avx2});
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) {
    kernels.push_back({"avx512", &huber_lse_avx512});
  }
#endif
  for (const auto& [name, kernel] : kernels) {
    INFO(name);
    const Sums s = kernel(rows, x, 1e-3);
    CHECK_THAT(s.f, WithinRel(reference.f, 1e-12));
    CHECK_THAT(s.ga, WithinRel(reference.ga, 1e-12));
    CHECK_THAT(s.gb, WithinRel(reference.gb, 1e-12));
    CHECK_THAT(s.gk, WithinRel(reference.gk, 1e-12));
    CHECK_THAT(s.galpha, WithinRel(reference.galpha, 1e-12));
    CHECK_THAT(s.gbeta, WithinRel(reference.gbeta, 1e-12));
  }
}

// ------------------------------------------------------------------------------- the fitter

TEST_CASE("Fit: recovers published laws from noise-free data", "[fit]") {
  for (const Law& truth : {kHoffmann, kBesiroglu, kSteep}) {
    INFO("alpha " << truth.alpha << " beta " << truth.beta);
    const FitResult r = llmcost::fit_law(synthetic(truth, 6, 5, 0), coarse());
    check_recovers(r, truth, 1e-4, 1e-4);
    CHECK(r.objective < 1e-12);  // exact data: every residual vanishes at the optimum
    CHECK(r.objective <= objective_at(synthetic(truth, 6, 5, 0), truth) + 1e-20);
    CHECK(r.points == 30);
    CHECK(r.starts == 108);
    CHECK(r.message == "converged");
    // a = β/(α+β): hoffmann2022 0.28/0.62 = 0.4516 (the paper's approach-3 a ≈ 0.46).
    CHECK_THAT(r.a_exp, WithinAbs(truth.beta / (truth.alpha + truth.beta), 1e-4));
    CHECK_THAT(r.a_exp + r.b_exp, WithinAbs(1.0, 1e-12));
  }
}

TEST_CASE("Fit: recovers published laws from noisy data", "[fit]") {
  // 0.1% log-normal noise on 80 rows: α and β within ±0.005 of the truth, E within 1%; A and B
  // trade off against α and β along a shallow valley and are only known to ~10%.
  for (const Law& truth : {kHoffmann, kBesiroglu, kSteep}) {
    INFO("alpha " << truth.alpha << " beta " << truth.beta);
    const FitData data = synthetic(truth, 10, 8, 0.001);
    const FitResult r = llmcost::fit_law(data, coarse());
    check_recovers(r, truth, 0.005, 0.015);
    CHECK(r.points == 80);
    // The optimiser found a point at least as good as the truth on the objective it minimises.
    CHECK(r.objective <= objective_at(data, truth));
  }
}

TEST_CASE("Fit: converges where the optimum objective is tiny", "[fit]") {
  // 0.02% noise: residuals are ~2e-4 < δ, so f at the optimum is Σ r²/2 ≈ 48·(2e-4)²/2 ≈ 1e-6.
  // A stop on |Δf| ≤ tol·max(|f|, 1) is then an absolute test on a function that is already
  // ~1e-6 everywhere near the optimum, and it fires long before α and β settle
  // (docs/scaling-laws.md, "Pitfall"). The fitter's gradient-norm test (‖∇f‖ ≤ 1e-10) does not.
  const FitData data = synthetic(kHoffmannUnrounded, 8, 6, 0.0002);
  const FitResult r = llmcost::fit_law(data, coarse());
  check_recovers(r, kHoffmannUnrounded, 0.005, 0.01);
  CHECK(r.objective < 1e-5);

  // The naive stop on the same data, from the same start, with LBFGSpp's own f-based test
  // (|f_{k−1} − f_k| ≤ 1e-5·max(|f_k|, |f_{k−1}|, 1), gradient test off) stops far from the optimum.
  LdObjective naive_objective;
  for (const auto& p : data.points) {
    naive_objective.rows.push_back({std::log(static_cast<long double>(p.params)),
                                    std::log(static_cast<long double>(p.tokens)),
                                    std::log(static_cast<long double>(p.loss))});
  }
  LBFGSpp::LBFGSParam<long double> naive;
  naive.epsilon = 0;
  naive.epsilon_rel = 0;
  naive.past = 1;
  naive.delta = 1e-5L;
  naive.max_iterations = 1000;
  naive.linesearch = LBFGSpp::LBFGS_LINESEARCH_BACKTRACKING_WOLFE;
  LBFGSpp::LBFGSSolver<long double, LBFGSpp::LineSearchBracketing> solver(naive);
  LdVector x(5);
  x << 5, 5, 0.5L, 0.5L, 0.5L;  // a start of the coarse grid
  long double fx = 0;
  solver.minimize(naive_objective, x, fx);
  INFO("naive stop at alpha " << static_cast<double>(x[3]) << " beta " << static_cast<double>(x[4]) << " f "
                              << static_cast<double>(fx));
  CHECK(std::abs(static_cast<double>(x[3]) - kHoffmannUnrounded.alpha) +
            std::abs(static_cast<double>(x[4]) - kHoffmannUnrounded.beta) >
        0.02);
  CHECK(static_cast<double>(fx) > 10 * r.objective);
}

TEST_CASE("Fit: results are identical across runs and thread counts", "[fit]") {
  const FitData data = synthetic(kBesiroglu, 5, 4, 0.01);
  FitOptions one = coarse(1), two = coarse(2);
  one.bootstrap = two.bootstrap = 2;
  one.at_flops = two.at_flops = 5.76e23;
  const FitResult a = llmcost::fit_law(data, one);
  const FitResult b = llmcost::fit_law(data, two);
  const FitResult c = llmcost::fit_law(data, two);
  for (const FitResult* other : {&b, &c}) {
    CHECK(a.law.e == other->law.e);
    CHECK(a.law.a == other->law.a);
    CHECK(a.law.b == other->law.b);
    CHECK(a.law.alpha == other->law.alpha);
    CHECK(a.law.beta == other->law.beta);
    CHECK(a.objective == other->objective);
    CHECK(a.converged_starts == other->converged_starts);
    REQUIRE(other->alpha.has_value());
    CHECK(a.alpha->mean == other->alpha->mean);
    CHECK(a.alpha->se == other->alpha->se);
    CHECK(a.n_opt->lo95 == other->n_opt->lo95);
    CHECK(a.n_opt->hi95 == other->n_opt->hi95);
  }
  FitOptions reseeded = one;
  reseeded.seed = 2;
  CHECK(llmcost::fit_law(data, reseeded).alpha->mean != a.alpha->mean);  // the seed matters
}

TEST_CASE("Fit: bootstrap intervals cover the truth on noisy data", "[fit]") {
  // 1% noise on 20 rows; 20 resamples. Five 95% intervals on one fixed data set: the check is
  // deterministic, and each interval would miss the truth for about 1 data set in 20.
  const FitData data = synthetic(kBesiroglu, 5, 4, 0.01);
  FitOptions o = coarse();
  o.bootstrap = 20;
  o.at_flops = 5.76e23;
  const FitResult r = llmcost::fit_law(data, o);
  auto covers = [](const std::optional<llmcost::ParamStats>& s, double truth) {
    REQUIRE(s.has_value());
    INFO("mean " << s->mean << " se " << s->se << " [" << s->lo95 << ", " << s->hi95 << "] truth " << truth);
    CHECK(s->se > 0);
    CHECK(s->lo95 <= s->mean);
    CHECK(s->mean <= s->hi95);
    CHECK(s->lo95 <= truth);
    CHECK(truth <= s->hi95);
  };
  covers(r.E, kBesiroglu.e);
  covers(r.alpha, kBesiroglu.alpha);
  covers(r.beta, kBesiroglu.beta);
  covers(r.a_exp_stats, kBesiroglu.beta / (kBesiroglu.alpha + kBesiroglu.beta));
  covers(r.n_opt, llmcost::optimal_params(kBesiroglu, 5.76e23));
  CHECK(r.bootstrap_converged > 0);
  // No bootstrap: no summaries.
  const FitResult plain = llmcost::fit_law(data, coarse());
  CHECK_FALSE(plain.alpha.has_value());
  CHECK_FALSE(plain.n_opt.has_value());
}

TEST_CASE("Fit: drop_highest removes the highest-loss rows", "[fit]") {
  FitData data = synthetic(kHoffmann, 6, 5, 0);
  // Three diverged runs with absurd losses, scattered through the file.
  FitData clean = data;
  for (size_t i : {3u, 17u, 28u}) data.points[i].loss *= 3;
  FitOptions o = coarse();
  o.drop_highest = 3;
  const FitResult dropped = llmcost::fit_law(data, o);
  const FitResult reference = llmcost::fit_law(clean, coarse());
  CHECK(dropped.points == 27);
  CHECK(reference.points == 30);
  check_recovers(dropped, kHoffmann, 1e-4, 1e-4);
  // Dropping them equals never having them: the same fit as the 27 clean rows.
  FitData by_hand;
  for (size_t i = 0; i < clean.points.size(); ++i) {
    if (i != 3 && i != 17 && i != 28) by_hand.points.push_back(clean.points[i]);
  }
  const FitResult manual = llmcost::fit_law(by_hand, coarse());
  CHECK(dropped.law.alpha == manual.law.alpha);
  CHECK(dropped.law.beta == manual.law.beta);
  CHECK(dropped.objective == manual.objective);
  // Keeping them pulls the fit off the truth.
  const FitResult kept = llmcost::fit_law(data, coarse());
  CHECK(kept.objective > 1e-3);
}

TEST_CASE("Fit: options and rows are validated", "[fit]") {
  const FitData data = synthetic(kHoffmann, 3, 2, 0);  // 6 rows
  auto error_for = [&](auto&& change) {
    FitOptions o = coarse();
    change(o);
    return input_error_of([&] { llmcost::fit_law(data, o); });
  };
  CHECK(error_for([](FitOptions& o) { o.drop_highest = 2; }) ==
        "fit: synthetic: 6 rows, 2 dropped, leave 4; the fit needs at least 5");
  CHECK(error_for([](FitOptions& o) { o.drop_highest = -1; }) == "fit: drop_highest must be 0 or more, got -1");
  CHECK(error_for([](FitOptions& o) { o.huber_delta = 0; }) ==
        "fit: huber_delta must be between 1e-10 and 1 (the procedure's is 1e-3), got 0");
  CHECK(error_for([](FitOptions& o) { o.bootstrap = -3; }) == "fit: bootstrap must be 0 to 100000, got -3");
  CHECK(error_for([](FitOptions& o) { o.bootstrap = 2147483647; }) ==
        "fit: bootstrap must be 0 to 100000, got 2147483647");
  CHECK(error_for([](FitOptions& o) { o.at_flops = -1; }) == "fit: at_flops must be 0 or a positive number, got -1");
  CHECK(error_for([](FitOptions& o) { o.threads = -1; }) == "fit: threads must be 0 (all) or more, got -1");
  FitData bad = data;
  bad.points[4].tokens = 0;
  CHECK(input_error_of([&] { llmcost::fit_law(bad, coarse()); }) ==
        "fit: synthetic: row 5: params, tokens and loss must be positive and finite");
}

TEST_CASE("Fit: rows on one line in (log N, log D) do not identify the law", "[fit]") {
  // log L depends on N through a − α·log N and on D through b − β·log D; with log D = log k +
  // c·log N in every row, α and β trade against each other along a valley of equal objective.
  auto rows = [](auto tokens_of) {
    FitData data;
    data.origin = "rows";
    for (double n : {1e8, 2e8, 4e8, 8e8, 1.6e9, 3.2e9}) {
      const double d = tokens_of(n);
      data.points.push_back({n, d, loss_at(kHoffmann, n, d)});
    }
    return data;
  };
  const std::string why = "parameters not identified: ";
  FitResult r = llmcost::fit_law(rows([](double n) { return 20 * n; }), coarse());
  CHECK_FALSE(r.identified);
  CHECK(r.message == why +
                         "tokens follow params on one power law in every row (e.g. D = 20·N), so the N and D "
                         "terms cannot be separated");
  r = llmcost::fit_law(rows([](double n) { return 3e4 * std::pow(n, 0.7); }), coarse());
  CHECK_FALSE(r.identified);
  r = llmcost::fit_law(rows([](double) { return 2e10; }), coarse());
  CHECK(r.message == why + "every row has the same tokens, so the D term cannot be told from E");
  FitData same;
  same.origin = "same";
  for (int i = 0; i < 15; ++i) same.points.push_back({1e9, 2e10, 2.5});
  r = llmcost::fit_law(same, coarse());
  CHECK(r.message == why + "every row has the same params and tokens");
  // The same rows with D spread independently of N are identified.
  CHECK(llmcost::fit_law(synthetic(kHoffmann, 3, 2, 0), coarse()).identified);
}

TEST_CASE("Fit: law_params_problem names the first parameter the catalog would reject", "[fit]") {
  CHECK(llmcost::law_params_problem(kHoffmann).empty());
  CHECK(llmcost::law_params_problem(hoffmann_law(1.69, 406.4, 410.7, -0.0123, 0.28)) == "alpha = -0.0123 <= 0");
  CHECK(llmcost::law_params_problem(hoffmann_law(0, 406.4, 410.7, 0.34, 0.28)) == "e = 0 <= 0");
  CHECK(llmcost::law_params_problem(hoffmann_law(1.69, HUGE_VAL, 410.7, 0.34, 0.28)) == "a = inf is not finite");
  CHECK(llmcost::law_params_problem(hoffmann_law(1.69, 406.4, 410.7, 0.34, std::nan(""))) ==
        "beta = nan is not finite");
}

TEST_CASE("Fit: progress rises to 1", "[fit]") {
  std::vector<double> seen;
  FitOptions o = coarse(2);
  o.bootstrap = 2;
  o.progress = [&](double f) { seen.push_back(f); };
  llmcost::fit_law(synthetic(kHoffmann, 3, 2, 0), o);
  REQUIRE_FALSE(seen.empty());
  CHECK(std::is_sorted(seen.begin(), seen.end()));
  CHECK(seen.back() == 1.0);
}

TEST_CASE("Fit: the full grid of 4500 starts", "[fit]") {
  // The grid of App. D.2: 5·5·5·6·6 starts, on 20 rows of besiroglu2024 data with 0.1% noise.
  FitOptions o;
  const FitResult r = llmcost::fit_law(synthetic(kBesiroglu, 5, 4, 0.001), o);
  CHECK(r.starts == 4500);
  CHECK(r.converged_starts > 3000);
  check_recovers(r, kBesiroglu, 0.005, 0.01);
}

// ------------------------------------------------------------------------------ optimal_params

TEST_CASE("Fit: optimal_params reproduces the Chinchilla allocations", "[fit]") {
  // C = 5.76e23 (Gopher's budget), N_opt = G·(C/6)^a, G = (αA/(βB))^(1/(α+β)) (docs/scaling-laws.md);
  // C/6 = 9.6e22, ln(9.6e22) = 52.9186.
  // Unrounded Hoffmann: a = 0.28491/0.62408 = 0.456528; G = (0.33917·406.40/(0.28491·410.72))^(1/0.62408)
  //   = 1.177925^1.602359 = 1.30004; (9.6e22)^0.456528 = e^24.1588 = 3.1049e10 → N_opt = 4.036e10 ≈ 40B.
  CHECK_THAT(llmcost::optimal_params(kHoffmannUnrounded, 5.76e23), WithinRel(40e9, 0.05));
  // Epoch: a = 0.3658/0.7136 = 0.512612; G = (0.3478·482.01/(0.3658·2085.43))^(1/0.7136)
  //   = 0.219759^1.401345 = 0.119630; (9.6e22)^0.512612 = 6.0394e11 → N_opt = 7.225e10 ≈ 72B.
  CHECK_THAT(llmcost::optimal_params(kBesiroglu, 5.76e23), WithinRel(72e9, 0.05));
  // Rounded Hoffmann: a = 0.28/0.62 = 0.451613; G = 1.201572^1.612903 = 1.34471;
  //   (9.6e22)^0.451613 = 2.3938e10 → N_opt = 3.219e10 ≈ 32B (docs/scaling-laws.md).
  CHECK_THAT(llmcost::optimal_params(kHoffmann, 5.76e23), WithinRel(32e9, 0.05));
  // No interior optimum without positive exponents.
  CHECK(std::isnan(llmcost::optimal_params(hoffmann_law(1.7, 400, 400, 0, 0.3), 5.76e23)));
}
