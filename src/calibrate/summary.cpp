// What `llmcost calibrate` shows: the sweep as a listing and the summary as a report, each
// measurement against the catalog accelerator it is compared with.
#include <fmt/format.h>

#include "llmcost/calibrate.hpp"

namespace llmcost {

PeakRef resolve_peak_reference(Calibration& c, const Catalog& catalog, const std::string& as) {
  if (!as.empty()) {
    c.accelerator = catalog.accelerator(as).id;
    return {&catalog.accelerator(c.accelerator), "--as"};
  }
  if (c.method == "cpu") return {nullptr, "CPU path (no catalog peak; --as ID compares with one)"};
  if (auto id = match_accelerator(c.device, catalog)) {
    c.accelerator = *id;
    return {&catalog.accelerator(*id), "matched by device name"};
  }
  c.accelerator = "unknown";
  return {nullptr, "no catalog accelerator matches this device name; --as ID names one"};
}

namespace {

std::string shape(const GemmRow& g) {
  return fmt::format("{}x{}x{}", g.m, g.n, g.k);
}

Cell fraction_cell(double achieved, std::optional<double> peak) {
  if (!peak) return {"-", std::nullopt};
  return number_cell(achieved / *peak, Unit::fraction);
}

}  // namespace

Listing calibration_sweep(const Calibration& c, const PeakRef& ref) {
  Listing l{fmt::format("Calibration sweep: {}", c.device),
            {"test", "dtype", "shape", "time_s", "achieved", "unit", "fraction_of_peak"},
            {}};
  for (const auto& g : c.gemm) {
    const double flops = g.tflops * 1e12;
    l.rows.push_back({{"gemm", {}},
                      {g.dtype, {}},
                      {shape(g), {}},
                      number_cell(g.seconds, Unit::seconds),
                      number_cell(flops, Unit::flop_per_s),
                      {"flop_per_s", {}},
                      fraction_cell(flops, ref.acc ? ref.acc->peak_flops(g.dtype) : std::nullopt)});
  }
  for (const auto& b : c.bandwidth) {
    const double bps = b.gbps * 1e9;
    std::optional<double> peak;
    if (ref.acc) peak = ref.acc->memory_bandwidth_gbps * 1e9;
    l.rows.push_back({{"bandwidth", {}},
                      {b.kernel, {}},
                      number_cell(b.bytes, Unit::bytes),
                      number_cell(b.seconds, Unit::seconds),
                      number_cell(bps, Unit::bytes_per_s),
                      {"bytes_per_s", {}},
                      fraction_cell(bps, peak)});
  }
  return l;
}

namespace {

void add_gemm_rows(Report& r, const Calibration& c, const PeakRef& ref) {
  for (const auto& [dtype, tflops] : c.gemm_tflops) {
    const std::string k = "gemm_" + dtype;
    r.add_found(k + "_flop_per_s", fmt::format("GEMM {} (best large size)", dtype), tflops * 1e12, Unit::flop_per_s,
                "measured: the best median over the sweep's products of at least 1/64 of the largest's FLOPs");
    const auto peak = ref.acc ? ref.acc->peak_flops(dtype) : std::nullopt;
    if (!peak) continue;
    r.add_input(k + "_peak_flop_per_s", fmt::format("Catalog dense peak, {}", dtype), *peak, Unit::flop_per_s,
                "catalog accelerator " + ref.acc->id, ref.acc->source);
    r.add(k + "_fraction_of_peak", fmt::format("GEMM {} / catalog peak", dtype), tflops * 1e12 / *peak, Unit::fraction,
          fmt::format("{{{0}_flop_per_s}} / {{{0}_peak_flop_per_s}}", k));
  }
}

void add_bandwidth_rows(Report& r, const Calibration& c, const PeakRef& ref) {
  const double bw =
      r.add_found("bandwidth_bytes_per_s", "Memory bandwidth (best of copy, triad)", c.bandwidth_bytes_per_s(),
                  Unit::bytes_per_s, "measured: the better median of the copy and triad kernels");
  if (ref.acc) {
    r.add_input("peak_bandwidth_bytes_per_s", "Catalog memory bandwidth", ref.acc->memory_bandwidth_gbps * 1e9,
                Unit::bytes_per_s, "catalog accelerator " + ref.acc->id, ref.acc->source);
    r.add("bandwidth_fraction_of_peak", "Bandwidth / catalog bandwidth", bw / (ref.acc->memory_bandwidth_gbps * 1e9),
          Unit::fraction, "{bandwidth_bytes_per_s} / {peak_bandwidth_bytes_per_s}");
  }
  for (const auto& b : c.bandwidth) {
    if (b.kernel != "memcpy") continue;
    r.add_found("memcpy_bytes_per_s", c.method == "cuda" ? "cudaMemcpy device to device" : "memcpy", b.gbps * 1e9,
                Unit::bytes_per_s, "measured: the vendor copy, a reference for the kernels");
    r.add("bandwidth_fraction_of_memcpy", c.method == "cuda" ? "Bandwidth / cudaMemcpy" : "Bandwidth / memcpy",
          bw / (b.gbps * 1e9), Unit::fraction, "{bandwidth_bytes_per_s} / {memcpy_bytes_per_s}");
  }
}

}  // namespace

Report calibration_summary(const Calibration& c, const PeakRef& ref) {
  Report r;
  r.kind = "calibrate";
  r.title = fmt::format("Measured throughput of {} ({})", c.device, c.method);
  r.add_context("device", "Device", c.device, c.method == "cuda" ? "CUDA driver" : "/proc/cpuinfo");
  r.add_context("driver", "Software", c.driver, "runtime query");
  r.add_context("accelerator", "Catalog accelerator", c.accelerator, ref.source);
  r.add_context("date", "Measured", c.date, "system clock (UTC)");
  if (c.sm_clock_mhz) {
    r.add_input("sm_clock_mhz", c.method == "cuda" ? "SM clock, peak (MHz)" : "Core clock, max (MHz)", *c.sm_clock_mhz,
                Unit::count, c.method == "cuda" ? "cudaDevAttrClockRate" : "cpufreq cpuinfo_max_freq");
  }
  if (c.memory_clock_mhz) {
    r.add_input("memory_clock_mhz", "Memory clock, peak (MHz)", *c.memory_clock_mhz, Unit::count,
                "cudaDevAttrMemoryClockRate");
  }
  add_gemm_rows(r, c, ref);
  add_bandwidth_rows(r, c, ref);
  r.notes.assign(c.notes.begin(), c.notes.end());
  if (c.method == "cpu") {
    r.notes.emplace_back(
        "CPU path: a portable build (no -march=native), so wide vector units may go unused; "
        "it exists to run the calibrate -> file -> estimate chain anywhere.");
  }
  return r;
}

}  // namespace llmcost
