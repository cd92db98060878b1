// The CPU path of `llmcost calibrate`: the GPU pipeline's steps on the host, so the whole
// calibrate -> file -> estimate chain runs (and is tested) on any machine. Eigen fp32 GEMM
// and STREAM-like copy/triad loops (McCalpin, STREAM benchmark), on every hardware thread.
#include <fmt/format.h>
#include <sched.h>
#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <functional>
#include <thread>
#include <vector>

#include "llmcost/calibrate.hpp"

namespace llmcost {
namespace {

using Clock = std::chrono::steady_clock;

struct CpuPlan {
  std::vector<long long> sizes;  // square GEMM sizes
  size_t stream_elems;           // doubles per STREAM array
  size_t flush_bytes;            // written between runs to evict the caches
  double budget_s;               // timed runs per measurement stop after about this long
};

// Default: arrays of 128 MiB, far beyond any last-level cache (STREAM asks for 4x), and the
// GEMM sizes where Eigen reaches its plateau; about 5 s on 2 cores. Quick: under a second.
CpuPlan plan(bool quick) {
  if (quick) return {{64, 128}, size_t{1} << 20, size_t{4} << 20, 0.02};
  return {{256, 512, 1024, 2048}, size_t{1} << 24, size_t{64} << 20, 0.4};
}

// The CPUs this process may run on (taskset, container limits), not all the machine has.
size_t threads() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return size_t(CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

// Calls fn(begin, end) on contiguous chunks of [0, n), one thread each, at most `max_threads`.
void parallel_for(size_t n, const std::function<void(size_t, size_t)>& fn, size_t max_threads = SIZE_MAX) {
  const size_t t = std::max<size_t>(1, std::min(threads(), max_threads));
  std::vector<std::thread> pool;
  for (size_t i = 0; i < t; ++i) pool.emplace_back(fn, n * i / t, n * (i + 1) / t);
  for (auto& th : pool) th.join();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t h = v.size() / 2;
  return v.size() % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}

// Median wall time of `fn` after one warm-up run; `flush` runs untimed before each run. At
// least 3 timed runs, more for short ones until `budget_s` is spent (at most 50).
double time_median(double budget_s, const std::function<void()>& flush, const std::function<void()>& fn) {
  auto timed = [&] {
    flush();
    const auto t0 = Clock::now();
    fn();
    return std::chrono::duration<double>(Clock::now() - t0).count();
  };
  const double warm = timed();
  const int runs = std::clamp(static_cast<int>(budget_s / std::max(warm, 1e-9)), 3, 50);
  std::vector<double> times(static_cast<size_t>(runs));
  for (double& t : times) t = timed();
  return median(times);
}

std::string cpu_name() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) != 0) continue;
    const size_t colon = line.find(':');
    if (colon != std::string::npos && colon + 2 <= line.size()) return line.substr(colon + 2);
  }
  return "unknown CPU";
}

std::optional<double> cpu_max_mhz() {
  std::ifstream in("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq");
  double khz = 0;
  if (in >> khz && khz > 0) return khz / 1000;
  return std::nullopt;
}

GemmRow measure_gemm(long long n, const CpuPlan& p, const std::function<void()>& flush) {
  const auto size = static_cast<Eigen::Index>(n);
  const Eigen::MatrixXf a = Eigen::MatrixXf::Random(size, size), b = Eigen::MatrixXf::Random(size, size);
  Eigen::MatrixXf c(size, size);
  // Eigen parallelises GEMM only with OpenMP; column blocks of C on std::threads do the same.
  // At least 64 columns per thread: narrower blocks leave Eigen's kernels starved.
  auto product = [&] {
    parallel_for(
        static_cast<size_t>(n),
        [&](size_t j0, size_t j1) {
          const auto cols = static_cast<Eigen::Index>(j1 - j0);
          c.middleCols(static_cast<Eigen::Index>(j0), cols).noalias() =
              a * b.middleCols(static_cast<Eigen::Index>(j0), cols);
        },
        static_cast<size_t>(n) / 64);
  };
  GemmRow row{"fp32", n, n, n, time_median(p.budget_s, flush, product), 0};
  row.tflops = 2.0 * double(n) * double(n) * double(n) / row.seconds / 1e12;
  return row;
}

std::vector<BandwidthRow> measure_bandwidth(const CpuPlan& p, const std::function<void()>& flush,
                                            const std::function<void(const char*)>& step) {
  const size_t n = p.stream_elems;
  std::vector<double> a(n), b(n), c(n);
  // First touch from the threads that will stream the data (NUMA placement, as STREAM does).
  parallel_for(n, [&](size_t i0, size_t i1) {
    std::fill(a.begin() + ptrdiff_t(i0), a.begin() + ptrdiff_t(i1), 1.0);
    std::fill(b.begin() + ptrdiff_t(i0), b.begin() + ptrdiff_t(i1), 2.0);
    std::fill(c.begin() + ptrdiff_t(i0), c.begin() + ptrdiff_t(i1), 0.0);
  });
  const double s = 3.0, bytes = 8.0 * double(n);
  struct Kernel {
    const char* name;
    double bytes;  // STREAM counts reads and writes, not write-allocate traffic
    std::function<void(size_t, size_t)> body;
  };
  const Kernel kernels[] = {
      {"copy", 2 * bytes,
       [&](size_t i0, size_t i1) {
         for (size_t i = i0; i < i1; ++i) c[i] = a[i];
       }},
      {"triad", 3 * bytes,
       [&](size_t i0, size_t i1) {
         for (size_t i = i0; i < i1; ++i) a[i] = b[i] + s * c[i];
       }},
      {"memcpy", 2 * bytes, [&](size_t i0, size_t i1) { std::memcpy(&b[i0], &c[i0], (i1 - i0) * sizeof(double)); }},
  };
  std::vector<BandwidthRow> rows;
  for (const Kernel& k : kernels) {
    const double t = time_median(p.budget_s, flush, [&] { parallel_for(n, k.body); });
    rows.push_back({k.name, k.bytes, t, k.bytes / t / 1e9});
    step(k.name);
  }
  return rows;
}

}  // namespace

Calibration calibrate_cpu(const CalibrateOptions& options) {
  for (const auto& d : options.dtypes) {
    if (d != "fp32") throw InputError(fmt::format("the CPU path measures fp32 only, got '{}'", d));
  }
  Eigen::initParallel();  // Eigen's cache-size statics, before GEMMs run on several threads
  const CpuPlan p = plan(options.quick);
  std::vector<char> scratch(p.flush_bytes);
  int pass = 0;
  auto flush = [&] { std::memset(scratch.data(), ++pass, scratch.size()); };
  const int total = static_cast<int>(p.sizes.size()) + 3;
  int done = 0;
  auto step = [&](std::string_view what) {
    if (options.progress) options.progress(++done, total, what);
  };
  if (options.progress) options.progress(0, total, "starting");

  Calibration c;
  c.device = cpu_name();
  c.driver = fmt::format("Eigen {}.{}.{} ({}), {} threads", EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION,
                         EIGEN_MINOR_VERSION, Eigen::SimdInstructionSetsInUse(), threads());
  c.accelerator = "cpu";
  c.method = "cpu";
  c.date = utc_timestamp();
  c.sm_clock_mhz = cpu_max_mhz();
  for (long long n : p.sizes) {
    c.gemm.push_back(measure_gemm(n, p, flush));
    step(fmt::format("fp32 {}x{}x{}", n, n, n));
  }
  c.bandwidth = measure_bandwidth(p, flush, [&](const char* name) { step(name); });
  summarize(c);
  return c;
}

}  // namespace llmcost
