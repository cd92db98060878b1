// `llmcost calibrate`: measures GEMM throughput and memory bandwidth (CUDA, or the CPU with
// --cpu), prints the sweep and the summary against the catalog peaks, and with --out writes the
// calibration file the estimators read (--calibration FILE).
#include <fmt/format.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "llmcost/atomic_file.hpp"
#include "llmcost/calibrate.hpp"
#include "llmcost/error.hpp"
#include "llmcost/format.hpp"
#include "llmcost/units.hpp"

namespace llmcost::cli {
namespace {

struct CalibrateFlags {
  bool cpu = false, quick = false;
  int device = 0;
  std::vector<std::string> dtypes;
  std::string out, as;
  CLI::Option* device_option = nullptr;  // given or not: --device has no meaning with --cpu
};
CalibrateFlags& flags() {
  static CalibrateFlags f;
  return f;
}

void check_dtypes(const CalibrateFlags& f) {
  const auto& known = calibration_dtypes();
  for (const auto& d : f.dtypes) {
    if (std::find(known.begin(), known.end(), d) == known.end()) {
      throw InputError(fmt::format("--dtype: expected fp32, tf32, fp16, bf16 or fp8, got '{}'", d));
    }
    if (f.cpu && d != "fp32") throw InputError(fmt::format("--dtype: the CPU path measures fp32 only, got '{}'", d));
  }
}

// Fails before a long measurement rather than after it.
void check_writable(const std::string& path) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  if (access(dir.c_str(), W_OK) != 0) throw EnvError(fmt::format("cannot write '{}': {}", path, std::strerror(errno)));
}


// "[#######.......] 3/12 bf16 8192x8192x8192" on one stderr line, erased when done.
void calibration_progress(int done, int total, std::string_view what) {
  constexpr int kWidth = 28;
  const int filled = total > 0 ? done * kWidth / total : kWidth;
  std::fprintf(stderr, "\r\033[Kcalibrating [%s%s] %d/%d %.*s", std::string(size_t(filled), '#').c_str(),
               std::string(size_t(kWidth - filled), '.').c_str(), done, total, int(what.size()), what.data());
  if (done >= total) std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
}

// The accelerator the measurements are compared with, and why.
struct PeakRef {
  const Accelerator* acc = nullptr;
  std::string source;
};

PeakRef resolve_accelerator(Calibration& c, const Catalog& catalog, const std::string& as) {
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

std::string shape(const GemmRow& g) { return fmt::format("{}x{}x{}", g.m, g.n, g.k); }

Cell fraction_cell(double achieved, std::optional<double> peak) {
  if (!peak) return {"-", std::nullopt};
  return {format_percent(achieved / *peak), achieved / *peak};
}

Listing sweep_listing(const Calibration& c, const PeakRef& ref) {
  Listing l{fmt::format("Calibration sweep: {}", c.device),
            {"test", "dtype", "shape", "time_s", "achieved", "unit", "fraction_of_peak"}, {}};
  for (const auto& g : c.gemm) {
    const double flops = g.tflops * 1e12;
    l.rows.push_back({{"gemm", {}}, {g.dtype, {}}, {shape(g), {}}, {format_duration(g.seconds), g.seconds},
                      {format_value(flops, Unit::flop_per_s), flops}, {"flop_per_s", {}},
                      fraction_cell(flops, ref.acc ? ref.acc->peak_flops(g.dtype) : std::nullopt)});
  }
  for (const auto& b : c.bandwidth) {
    const double bps = b.gbps * 1e9;
    std::optional<double> peak;
    if (ref.acc) peak = ref.acc->memory_bandwidth_gbps * 1e9;
    l.rows.push_back({{"bandwidth", {}}, {b.kernel, {}}, {format_value(b.bytes, Unit::bytes), b.bytes},
                      {format_duration(b.seconds), b.seconds}, {format_value(bps, Unit::bytes_per_s), bps},
                      {"bytes_per_s", {}}, fraction_cell(bps, peak)});
  }
  return l;
}

void add_gemm_rows(Report& r, const Calibration& c, const PeakRef& ref) {
  for (const auto& [dtype, tflops] : c.gemm_tflops) {
    const std::string k = "gemm_" + dtype;
    r.add(k + "_flop_per_s", fmt::format("GEMM {} (best large size)", dtype), tflops * 1e12, Unit::flop_per_s);
    const auto peak = ref.acc ? ref.acc->peak_flops(dtype) : std::nullopt;
    if (!peak) continue;
    r.add_input(k + "_peak_flop_per_s", fmt::format("Catalog dense peak, {}", dtype), *peak, Unit::flop_per_s,
                "catalog accelerator " + ref.acc->id, ref.acc->source);
    r.add(k + "_fraction_of_peak", fmt::format("GEMM {} / catalog peak", dtype), tflops * 1e12 / *peak, Unit::fraction,
          fmt::format("{{{0}_flop_per_s}} / {{{0}_peak_flop_per_s}}", k));
  }
}

void add_bandwidth_rows(Report& r, const Calibration& c, const PeakRef& ref) {
  const double bw = r.add("bandwidth_bytes_per_s", "Memory bandwidth (best of copy, triad)", c.bandwidth_bytes_per_s(),
                          Unit::bytes_per_s);
  if (ref.acc) {
    r.add_input("peak_bandwidth_bytes_per_s", "Catalog memory bandwidth", ref.acc->memory_bandwidth_gbps * 1e9,
                Unit::bytes_per_s, "catalog accelerator " + ref.acc->id, ref.acc->source);
    r.add("bandwidth_fraction_of_peak", "Bandwidth / catalog bandwidth", bw / (ref.acc->memory_bandwidth_gbps * 1e9),
          Unit::fraction, "{bandwidth_bytes_per_s} / {peak_bandwidth_bytes_per_s}");
  }
  for (const auto& b : c.bandwidth) {
    if (b.kernel != "memcpy") continue;
    r.add("memcpy_bytes_per_s", c.method == "cuda" ? "cudaMemcpy device to device" : "memcpy", b.gbps * 1e9,
          Unit::bytes_per_s);
    r.add("bandwidth_fraction_of_memcpy", c.method == "cuda" ? "Bandwidth / cudaMemcpy" : "Bandwidth / memcpy",
          bw / (b.gbps * 1e9), Unit::fraction,
          "{bandwidth_bytes_per_s} / {memcpy_bytes_per_s}");
  }
}

Report summary_report(const Calibration& c, const PeakRef& ref) {
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
  r.notes = c.notes;
  if (c.method == "cpu") {
    r.notes.push_back("CPU path: a portable build (no -march=native), so wide vector units may go unused; "
                      "it exists to run the calibrate -> file -> estimate chain anywhere.");
  }
  return r;
}

void print(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

// Table and Markdown: the sweep, then the summary. JSON: one object with both. CSV: the sweep.
void print_results(const Listing& sweep, const Report& summary) {
  const Format format = parse_format(common().format);
  if (format == Format::json) {
    nlohmann::ordered_json j{{"summary", nlohmann::ordered_json::parse(render(summary, format, false))},
                             {"sweep", nlohmann::ordered_json::parse(render_listing(sweep, format))}};
    print(j.dump(2) + "\n");
  } else if (format == Format::csv) {
    print(render_listing(sweep, format));
  } else {
    if (!common().quiet) print(render_listing(sweep, format) + "\n");
    print_report(summary);
  }
}

}  // namespace

void setup_calibrate(CLI::App& sub) {
  CalibrateFlags& f = flags();
  sub.add_flag("--cpu", f.cpu, "measure the CPU (Eigen fp32 GEMM, STREAM-like bandwidth) instead of a CUDA GPU");
  f.device_option = sub.add_option("--device", f.device, "CUDA device index (not with --cpu)")
                        ->type_name("N")
                        ->check(CLI::NonNegativeNumber);
  sub.add_option("--dtype", f.dtypes, "GEMM dtypes to measure: fp32, tf32, fp16, bf16, fp8 (default: all supported)")
      ->type_name("DTYPE")
      ->delimiter(',');
  sub.add_option("--out", f.out, "write the calibration file (TOML) here, atomically")->type_name("FILE");
  sub.add_option("--as", f.as, "compare with this catalog accelerator instead of matching the device name")
      ->type_name("ID");
  sub.add_flag("--quick", f.quick, "a few small sizes only (smoke tests; not a calibration to rely on)");
}

int run_calibrate() {
  const CalibrateFlags& f = flags();
  if (f.cpu && f.device_option->count() > 0) throw InputError("give either --cpu or --device, not both");
  check_dtypes(f);
  parse_format(common().format);
  const Catalog catalog = load_catalog_from_options();
  if (!f.as.empty()) {
    try {
      catalog.accelerator(f.as);
    } catch (const InputError& e) {
      throw InputError(fmt::format("--as: {}", e.what()));
    }
  }
  if (!f.out.empty()) check_writable(f.out);
  CalibrateOptions opts{f.quick, f.device, f.dtypes, {}};
  if (isatty(STDERR_FILENO) && !common().quiet) opts.progress = calibration_progress;
  Calibration c = f.cpu ? calibrate_cpu(opts) : calibrate_cuda(opts);
  if (opts.progress) std::fputs("\r\033[K", stderr);  // a skipped size leaves the bar short of its end
  const PeakRef ref = resolve_accelerator(c, catalog, f.as);
  // The file first: when it cannot be written, no report is printed as if it had been.
  if (!f.out.empty()) write_file_atomic(f.out, calibration_to_toml(c));  // whole or none, Ctrl-C held
  print_results(sweep_listing(c, ref), summary_report(c, ref));
  return 0;
}

}  // namespace llmcost::cli
