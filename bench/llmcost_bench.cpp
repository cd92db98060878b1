// Every benchmark target of llmcost on google-benchmark (not a test: the machine is shared, so
// figures vary). Each benchmark's label states its target.
// Run: cmake -S . -B build -DLLMCOST_BENCH=ON && cmake --build build && build/bench/llmcost_bench
#include <benchmark/benchmark.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <string>

#include "llmcost/catalog.hpp"
#include "llmcost/data_paths.hpp"
#include "llmcost/fit.hpp"
#include "llmcost/law.hpp"
#include "llmcost/plan.hpp"
#include "llmcost/scenario.hpp"
#include "llmcost/sweep.hpp"
#include "llmcost/train.hpp"

namespace {

using namespace llmcost;

const Catalog& catalog() {
  static const Catalog c = load_catalog({LLMCOST_DATA_DIR});
  return c;
}

void catalog_load(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(load_catalog({LLMCOST_DATA_DIR}).models().size());
  state.SetLabel("data/ parsed and validated");
}
BENCHMARK(catalog_load)->Unit(benchmark::kMillisecond);

void train_report(benchmark::State& state) {
  TrainInputs in;
  in.model = "gpt3";
  in.offer = "gcp-tpu-v4-1yr";
  int i = 0;
  for (auto _ : state) {
    in.mfu = 0.3 + 0.4 * (i++ % 100) / 100.0;
    benchmark::DoNotOptimize(estimate_training(in, catalog()).value("cost_usd"));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("full report per estimate");
}
BENCHMARK(train_report)->Unit(benchmark::kMicrosecond);

void train_uncertainty_10k(benchmark::State& state) {
  TrainInputs in;
  in.model = "gpt3";
  in.uncertainty.on = true;  // 10,000 Latin-hypercube samples, the planning of the point included
  for (auto _ : state) benchmark::DoNotOptimize(estimate_training(in, catalog()).value("cost_usd_p95"));
  state.SetLabel("target < 20 ms");
}
BENCHMARK(train_uncertainty_10k)->Unit(benchmark::kMillisecond);

void layout_evaluate(benchmark::State& state) {
  const PerfShape shape = perf_shape(catalog().model("megatron-1t"));
  const PerfHardware hw = perf_hardware(catalog().accelerator("a100-80gb"), "bf16", 3072, catalog(), nullptr);
  PerfRun run;
  run.seq_len = 2048, run.global_batch = 3072, run.memory_overhead = 0.08;
  Layout l;
  l.tp = 8, l.pp = 64, l.dp = 6, l.mb = 1, l.recompute = Recompute::selective, l.zero = 1;
  int i = 0;
  for (auto _ : state) {
    l.mb = 1 + (i++ & 1);
    benchmark::DoNotOptimize(evaluate_layout(shape, hw, l, run).step_s);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("target >= 1M layouts/s on one thread");
}
BENCHMARK(layout_evaluate);

void plan_search_1t(benchmark::State& state) {
  const PerfShape shape = perf_shape(catalog().model("megatron-1t"));
  const PerfHardware hw = perf_hardware(catalog().accelerator("a100-80gb"), "bf16", 3072, catalog(), nullptr);
  PerfRun run;
  run.seq_len = 2048, run.global_batch = 3072, run.memory_overhead = 0.08;
  long long evaluated = 0;
  for (auto _ : state) benchmark::DoNotOptimize(search_layouts(shape, hw, run, 3072, true, 5, &evaluated).size());
  state.counters["layouts"] = static_cast<double>(evaluated);
  state.SetLabel("1T model on 3,072 A100s");
}
BENCHMARK(plan_search_1t)->Unit(benchmark::kMillisecond);

// 245 rows from besiroglu2024 with 1% log-normal noise (the size of Besiroglu et al.'s data).
FitData fit_rows() {
  const Law law = hoffmann_law(1.8172, 482.01, 2085.43, 0.3478, 0.3658);
  std::mt19937_64 rng(2024);
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> noise(0, 0.01);
  FitData data;
  data.origin = "synthetic";
  for (int i = 0; i < 245; ++i) {
    const double n = std::exp(std::log(7e7) + u(rng) * std::log(1.6e10 / 7e7));
    const double d = std::exp(std::log(5e9) + u(rng) * std::log(5e11 / 5e9));
    data.points.push_back(
        {n, d, (law.e + law.a / std::pow(n, law.alpha) + law.b / std::pow(d, law.beta)) * std::exp(noise(rng))});
  }
  return data;
}

void fit_full_grid(benchmark::State& state) {
  const FitData data = fit_rows();
  FitOptions o;  // all cores
  for (auto _ : state) benchmark::DoNotOptimize(fit_law(data, o).objective);
  state.SetLabel("4,500 starts on 245 rows, target < 1 s");
}
BENCHMARK(fit_full_grid)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void fit_bootstrap_100(benchmark::State& state) {
  const FitData data = fit_rows();
  FitOptions o;
  o.coarse_grid = true, o.bootstrap = 100, o.at_flops = 5.76e23;
  for (auto _ : state) benchmark::DoNotOptimize(fit_law(data, o).objective);
  state.SetLabel("coarse grid, 100 resamples");
}
BENCHMARK(fit_bootstrap_100)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

void sweep(benchmark::State& state, const char* toml, int threads) {
  const Scenario s = parse_scenario(toml, "bench.toml");
  SweepOptions opt;
  opt.threads = threads;
  opt.keep_rows = false;
  double points = 0;
  for (auto _ : state) points += run_sweep(s, catalog(), opt).points;
  state.counters["points/s"] = benchmark::Counter(points, benchmark::Counter::kIsRate);
}

constexpr const char* kTrainSweep = R"(kind = "train"
[inputs]
model = "llama2-70b"
offer = ["aws-p4d-1yr", "aws-p5", "gcp-tpu-v4-1yr", "lambda-h100-8x"]
mfu = { from = 0.2, to = 0.6, count = 500 }
chips = { from = 64, to = 64000, step = 64 }
)";

void sweep_train(benchmark::State& state) {
  sweep(state, kTrainSweep, 1);
  state.SetLabel("2M points, target >= 1M points/s on one thread");
}
BENCHMARK(sweep_train)->Unit(benchmark::kMillisecond)->UseRealTime();

void sweep_train_uncertainty(benchmark::State& state) {
  sweep(state, R"(kind = "train"
best = "cost_usd_p95"
[inputs]
model = "llama2-70b"
offer = ["aws-p4d-1yr", "aws-p5", "gcp-tpu-v4-1yr", "lambda-h100-8x"]
chips = { from = 64, to = 160000, step = 64 }
uncertainty = true
samples = 1000
)",
        static_cast<int>(state.range(0)));
  state.SetLabel("10,000 points x 1,000 samples, threads (0: all), target: seconds");
}
BENCHMARK(sweep_train_uncertainty)->Arg(1)->Arg(0)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

void sweep_infer(benchmark::State& state) {
  sweep(state, R"(kind = "infer"
[inputs]
model = "llama2-70b"
offer = "aws-p5"
batch = { from = 1, to = 256, step = 1 }
dtype = ["bf16", "fp8", "int8", "int4"]
)",
        1);
  state.SetLabel("full report per point, one thread");
}
BENCHMARK(sweep_infer)->Unit(benchmark::kMillisecond)->UseRealTime();

// The whole process, data loading included, output discarded.
void process(benchmark::State& state, const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (auto _ : state) {
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid == 0) {
      if (!freopen("/dev/null", "w", stdout)) _exit(127);
      execv(argv[0], argv.data());
      _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) state.SkipWithError("the process failed");
  }
}

void process_train(benchmark::State& state) {
  process(state, {LLMCOST_BIN, "train", "--model", "gpt3"});
  state.SetLabel("llmcost train --model gpt3, target < 10 ms");
}
BENCHMARK(process_train)->Unit(benchmark::kMillisecond)->UseRealTime();

void process_plan(benchmark::State& state) {
  process(state, {LLMCOST_BIN, "plan", "--model", "megatron-1t", "--hardware", "a100-80gb", "--chips", "3072",
                  "--global-batch", "6291456", "--quiet"});
  state.SetLabel("llmcost plan of a 1T model on 3,072 A100s, target < 100 ms");
}
BENCHMARK(process_plan)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
