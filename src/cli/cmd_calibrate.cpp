// `llmcost calibrate`: measures GEMM throughput and memory bandwidth (CUDA, or the CPU with
// --cpu), prints the sweep and the summary against the catalog peaks, and with --out writes the
// calibration file the estimators read (--calibration FILE).
#include <fmt/format.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "llmcost/atomic_file.hpp"
#include "llmcost/calibrate.hpp"
#include "llmcost/error.hpp"
#include "llmcost/listing.hpp"

namespace llmcost::cli {
namespace {

struct CalibrateFlags {
  bool cpu = false, quick = false;
  int device = 0;
  std::vector<std::string> dtypes;
  std::string out, as;
  CLI::Option* device_option = nullptr;                     // given or not: --device has no meaning with --cpu
  CLI::Option *out_option = nullptr, *as_option = nullptr;  // given, even empty
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

// Table and Markdown: the sweep, then the summary. JSON: the summary report, as every report
// command prints it, with the sweep's rows under "sweep". CSV: the sweep.
std::string results_text(const Listing& sweep, const Report& summary) {
  const Format format = parse_format(common().format);
  if (format == Format::json) {
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(render_report(summary));
    j["sweep"] = nlohmann::ordered_json::parse(render_listing(sweep, format));
    return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  }
  if (format == Format::csv) return render_listing(sweep, format);
  return (common().quiet ? "" : render_listing(sweep, format) + "\n") + render_report(summary);
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
  f.out_option =
      sub.add_option("--out", f.out, "write the calibration file (TOML) here, atomically")->type_name("FILE");
  f.as_option =
      sub.add_option("--as", f.as, "compare with this catalog accelerator instead of matching the device name")
          ->type_name("ID");
  sub.add_flag("--quick", f.quick, "a few small sizes only (smoke tests; not a calibration to rely on)");
}

int run_calibrate() {
  const CalibrateFlags& f = flags();
  if (f.cpu && f.device_option->count() > 0) throw InputError("give either --cpu or --device, not both");
  check_dtypes(f);
  parse_format(common().format);
  if (f.out_option->count() > 0 && f.out.empty()) throw InputError("--out: expected a file name, got ''");
  if (f.as_option->count() > 0 && f.as.empty()) throw InputError("--as: expected an accelerator id, got ''");
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
  const PeakRef ref = resolve_peak_reference(c, catalog, f.as);
  // The output rendered first, then the file, then the output printed: when the file cannot be
  // written, no report is printed as if it had been.
  const std::string text = results_text(calibration_sweep(c, ref), calibration_summary(c, ref));
  if (!f.out.empty()) write_file_atomic(f.out, calibration_to_toml(c));  // whole or none, signals held
  print_text(text);
  return 0;
}

}  // namespace llmcost::cli
