// Benchmarks of the train path (not a test): catalog load time and train estimates per second.
// Run: cmake -S . -B build -DLLMCOST_BENCH=ON && cmake --build build && build/bench/bench_train
#include <fmt/format.h>

#include <chrono>

#include "llmcost/catalog.hpp"
#include "llmcost/train.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

int main() {
  using namespace llmcost;
  constexpr int kLoads = 50;
  auto t0 = Clock::now();
  Catalog catalog;
  for (int i = 0; i < kLoads; ++i) {
    catalog = Catalog{};
    catalog.load_dir(LLMCOST_DATA_DIR);
    catalog.validate();
  }
  fmt::print(
      "catalog load (data/, {} records): {:.3f} ms\n",
      catalog.accelerators().size() + catalog.offers().size() + catalog.models().size() + catalog.assumptions().size(),
      seconds_since(t0) / kLoads * 1e3);

  TrainInputs in;
  in.model = "gpt3";
  in.offer = "gcp-tpu-v4-1yr";
  double sink = 0;
  constexpr int kEvals = 20000;
  t0 = Clock::now();
  for (int i = 0; i < kEvals; ++i) {
    in.mfu = 0.3 + 0.4 * (i % 100) / 100.0;
    sink += estimate_training(in, catalog).value("cost_usd");
  }
  const double dt = seconds_since(t0);
  fmt::print("estimate_training (full report): {:.0f} per second ({:.2f} us each; checksum {:.3e})\n", kEvals / dt,
             dt / kEvals * 1e6, sink);
  // --uncertainty: 10,000 Latin-hypercube samples of train's compute step (target < 20 ms), the
  // point estimate's planning included.
  TrainInputs unc;
  unc.model = "gpt3";
  unc.uncertainty.on = true;
  constexpr int kRuns = 20;
  t0 = Clock::now();
  for (int i = 0; i < kRuns; ++i) sink += estimate_training(unc, catalog).value("cost_usd_p95");
  const double with = seconds_since(t0) / kRuns;
  unc.uncertainty.on = false;
  t0 = Clock::now();
  for (int i = 0; i < kRuns; ++i) sink += estimate_training(unc, catalog).value("cost_usd");
  const double without = seconds_since(t0) / kRuns;
  fmt::print("train --uncertainty, 10,000 samples: {:.2f} ms each, of which sampling {:.2f} ms (checksum {:.3e})\n",
             with * 1e3, (with - without) * 1e3, sink);
  return 0;
}
