// Benchmark of the scaling-law fitter (not a test): the full 4,500-start grid of approach 3 on
// 245 synthetic rows (the size of the Besiroglu et al. 2024 data set), and a coarse-grid
// bootstrap. Target: the full grid in under 1 s on 2 cores.
// Run: cmake -S . -B build -DLLMCOST_BENCH=ON && cmake --build build && build/bench/bench_fit [threads]
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <random>

#include "llmcost/fit.hpp"
#include "llmcost/law.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// CPU seconds of the process, all threads: on a shared machine this moves less than wall time.
double cpu_seconds() {
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

// 245 rows from the besiroglu2024 law (E 1.8172, A 482.01, B 2085.43, α 0.3478, β 0.3658) with
// N log-uniform in [7e7, 1.6e10], D log-uniform in [5e9, 5e11] and 1% log-normal noise on the loss.
llmcost::FitData synthetic_rows() {
  const llmcost::Law law = llmcost::hoffmann_law(1.8172, 482.01, 2085.43, 0.3478, 0.3658);
  std::mt19937_64 rng(2024);
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> noise(0, 0.01);
  llmcost::FitData data;
  data.origin = "synthetic";
  for (int i = 0; i < 245; ++i) {
    const double n = std::exp(std::log(7e7) + u(rng) * std::log(1.6e10 / 7e7));
    const double d = std::exp(std::log(5e9) + u(rng) * std::log(5e11 / 5e9));
    const double loss = law.e + law.a / std::pow(n, law.alpha) + law.b / std::pow(d, law.beta);
    data.points.push_back({n, d, loss * std::exp(noise(rng))});
  }
  return data;
}

void print_law(const llmcost::FitResult& r) {
  fmt::print("  E {:.4f}  A {:.2f}  B {:.2f}  alpha {:.4f}  beta {:.4f}  a {:.4f}  objective {:.6g}\n", r.law.e,
             r.law.a, r.law.b, r.law.alpha, r.law.beta, r.a_exp, r.objective);
  fmt::print("  {} of {} starts converged; best: {}\n", r.converged_starts, r.starts, r.message);
}

}  // namespace

int main(int argc, char** argv) {
  llmcost::FitOptions options;
  options.threads = argc > 1 ? std::atoi(argv[1]) : 0;
  const llmcost::FitData data = synthetic_rows();

  auto t0 = Clock::now();
  double cpu0 = cpu_seconds();
  const llmcost::FitResult full = llmcost::fit_law(data, options);
  double dt = seconds_since(t0);
  fmt::print("full grid, {} rows, {} starts: {:.3f} s wall, {:.3f} s CPU ({:.0f} starts/s)\n", full.points, full.starts,
             dt, cpu_seconds() - cpu0, full.starts / dt);
  print_law(full);

  options.coarse_grid = true;
  t0 = Clock::now();
  const llmcost::FitResult coarse = llmcost::fit_law(data, options);
  dt = seconds_since(t0);
  fmt::print("coarse grid, {} starts: {:.4f} s\n", coarse.starts, dt);
  print_law(coarse);

  options.bootstrap = 100;
  options.at_flops = 5.76e23;
  t0 = Clock::now();
  cpu0 = cpu_seconds();
  const llmcost::FitResult boot = llmcost::fit_law(data, options);
  dt = seconds_since(t0);
  fmt::print("bootstrap 100 resamples, coarse grid: {:.3f} s wall, {:.3f} s CPU ({:.1f} ms per resample)\n", dt,
             cpu_seconds() - cpu0, dt / 100 * 1e3);
  if (boot.alpha && boot.beta && boot.n_opt) {
    fmt::print("  alpha {:.4f} ± {:.4f} [{:.4f}, {:.4f}]  beta {:.4f} ± {:.4f}  N_opt(5.76e23) 95% [{:.3g}, {:.3g}]\n",
               boot.alpha->mean, boot.alpha->se, boot.alpha->lo95, boot.alpha->hi95, boot.beta->mean, boot.beta->se,
               boot.n_opt->lo95, boot.n_opt->hi95);
  }
  return 0;
}
