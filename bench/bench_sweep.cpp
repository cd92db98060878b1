// Benchmarks of `llmcost run` sweeps (not a test): single-thread evaluations per second for train
// and infer points through run_sweep (the code path `llmcost run` takes), then the whole-process
// time of `llmcost train --model gpt3`, data loading included.
// Run: cmake -S . -B build -DLLMCOST_BENCH=ON && cmake --build build && build/bench/bench_sweep
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "llmcost/catalog.hpp"
#include "llmcost/data_paths.hpp"
#include "llmcost/scenario.hpp"
#include "llmcost/sweep.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double evals_per_second(const llmcost::Catalog& cat, const std::string& toml, int threads = 1) {
  const llmcost::Scenario s = llmcost::parse_scenario(toml, "bench.toml");
  llmcost::SweepOptions opt;
  opt.threads = threads;
  opt.keep_rows = false;
  const auto t0 = Clock::now();
  const llmcost::SweepResult r = llmcost::run_sweep(s, cat, opt);
  const double dt = std::chrono::duration<double>(Clock::now() - t0).count();
  return r.points / dt;
}

// Median wall time of running the binary `runs` times with output discarded.
double process_ms(const char* bin, int runs) {
  std::vector<double> ms;
  std::fflush(stdout);  // the child must not inherit unflushed output
  for (int i = 0; i < runs; ++i) {
    const auto t0 = Clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
      if (!freopen("/dev/null", "w", stdout)) _exit(127);
      execl(bin, bin, "train", "--model", "gpt3", static_cast<char*>(nullptr));
      _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

}  // namespace

int main() {
  const llmcost::Catalog cat = llmcost::load_catalog({LLMCOST_DATA_DIR});
  const double train = evals_per_second(cat, R"(kind = "train"
[inputs]
model = "llama2-70b"
offer = ["aws-p4d-1yr", "aws-p5", "gcp-tpu-v4-1yr", "lambda-h100-8x"]
mfu = { from = 0.2, to = 0.6, count = 500 }
chips = { from = 64, to = 64000, step = 64 }
)");
  fmt::print("train sweep, 1 thread: {:.3g} evaluations/s (target >= 1e6)\n", train);
  const double infer = evals_per_second(cat, R"(kind = "infer"
[inputs]
model = "llama2-70b"
offer = "aws-p5"
batch = { from = 1, to = 256, step = 1 }
dtype = ["bf16", "fp8", "int8", "int4"]
)");
  // 10,000 points × 1,000 Monte Carlo samples each, ranked by a percentile (target: seconds).
  const std::string ranged = R"(kind = "train"
best = "cost_usd_p95"
[inputs]
model = "llama2-70b"
offer = ["aws-p4d-1yr", "aws-p5", "gcp-tpu-v4-1yr", "lambda-h100-8x"]
chips = { from = 64, to = 160000, step = 64 }
uncertainty = true
samples = 1000
)";
  for (const int threads : {1, 0}) {
    const auto t0 = Clock::now();
    const double rate = evals_per_second(cat, ranged, threads);
    fmt::print("train sweep with --uncertainty, 10,000 points x 1,000 samples, {}: {:.2f} s ({:.3g} points/s)\n",
               threads == 1 ? "1 thread" : "all cores", std::chrono::duration<double>(Clock::now() - t0).count(), rate);
  }
  fmt::print("infer sweep, 1 thread: {:.3g} evaluations/s (full report per point)\n", infer);
  fmt::print("llmcost train --model gpt3, whole process (median of 50): {:.2f} ms (target < 10 ms)\n",
             process_ms(LLMCOST_BIN, 50));
  return 0;
}
