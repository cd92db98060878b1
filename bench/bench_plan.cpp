// Benchmarks of the performance model (not a test): layouts evaluated per second on one thread,
// the layout search of a 1T model on 3,072 A100s, and the whole `llmcost plan` process for it.
// Run: cmake -S . -B build -DLLMCOST_BENCH=ON && cmake --build build && build/bench/bench_plan
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <vector>

#include "llmcost/catalog.hpp"
#include "llmcost/plan.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

int main() {
  using namespace llmcost;
  Catalog catalog;
  catalog.load_dir(LLMCOST_DATA_DIR);
  catalog.validate();
  const PerfShape shape = perf_shape(catalog.model("megatron-1t"));
  const PerfHardware hw = perf_hardware(catalog.accelerator("a100-80gb"), "bf16", 3072, catalog, nullptr);
  PerfRun run;
  run.seq_len = 2048;
  run.global_batch = 3072;
  run.memory_overhead = 0.08;

  // One layout, many times: the inner loop of the search.
  Layout l;
  l.tp = 8, l.pp = 64, l.dp = 6, l.mb = 1, l.recompute = Recompute::selective, l.zero = 1;
  constexpr int kEvals = 2000000;
  double sink = 0;
  auto t0 = Clock::now();
  for (int i = 0; i < kEvals; ++i) {
    l.mb = 1 + (i & 1);
    sink += evaluate_layout(shape, hw, l, run).step_s;
  }
  const double per_s = kEvals / seconds_since(t0);
  fmt::print("layout evaluations: {:.3g} per second on one thread (target >= 1e6)\n", per_s);

  // The whole search, as `llmcost plan` runs it.
  constexpr int kSearches = 20;
  long long evaluated = 0;
  t0 = Clock::now();
  for (int i = 0; i < kSearches; ++i)
    sink += static_cast<double>(search_layouts(shape, hw, run, 3072, true, 5, &evaluated).size());
  fmt::print("search 1T on 3,072 A100s: {} layouts in {:.2f} ms\n", evaluated, seconds_since(t0) / kSearches * 1e3);

  // The whole process, data loading included (median of 20 runs).
  std::vector<double> times;
  for (int i = 0; i < 20; ++i) {
    t0 = Clock::now();
    const int rc = std::system(LLMCOST_BIN
                               " plan --model megatron-1t --hardware a100-80gb --chips 3072 "
                               "--global-batch 6291456 --quiet > /dev/null");
    times.push_back(seconds_since(t0));
    if (rc != 0) return 1;
  }
  std::sort(times.begin(), times.end());
  fmt::print("process `llmcost plan --model megatron-1t --chips 3072`: {:.1f} ms median (target < 100 ms)\n",
             times[times.size() / 2] * 1e3);
  return sink > 0 ? 0 : 1;
}
