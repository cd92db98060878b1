// What `llmcost calibrate` measured on one device, and the calibration file that carries it to the
// estimators (`--calibration FILE` on train, infer and search). Plain data and its file format: the
// CUDA plugin (src/gpu/) sees these types and nothing else of llmcost.
//
// File format (TOML, written by calibration_to_toml, read by read_calibration):
//
//   schema_version = 1                        # required; this llmcost reads 1
//   device = "NVIDIA H100 80GB HBM3"           # required: the name the driver reports
//   driver = "CUDA driver 12.8, runtime 13.0, cuBLASLt 13.0.0"   # required: software that ran it
//   accelerator = "h100-sxm"                  # required: catalog id matched by name or --as ID;
//                                             #   "cpu" (CPU path) or "unknown" (no match)
//   method = "cuda"                           # required: "cuda" | "cpu"
//   date = "2026-11-20T10:11:12Z"             # required: ISO 8601 date or UTC date-time
//   sm_clock_mhz = 1980                       # optional: peak SM (CPU: core) clock, MHz
//   memory_clock_mhz = 2619                   # optional: peak memory clock, MHz
//   bandwidth_gbps = 3010.5                   # required: best of copy/triad, GB/s (1e9 B/s)
//   notes = ["skipped fp32 16384x16384x16384: out of GPU memory"]   # optional
//
//   [gemm_tflops]                             # required, at least one dtype:
//   bf16 = 742.1                              #   fp32 | tf32 | fp16 | bf16 | fp8, TFLOP/s (dense),
//                                             #   the best result among the large sizes
//   [[gemm]]                                  # optional sweep rows, one per measured product
//   dtype = "bf16"                            #   C[m×n] = A[m×k] · B[k×n], 2·m·n·k FLOP
//   m = 8192
//   n = 8192
//   k = 8192
//   seconds = 0.001482                        #   median time of one product
//   tflops = 742.1
//
//   [[bandwidth]]                             # optional sweep rows
//   kernel = "copy"                           #   copy | triad | memcpy (the vendor copy, reference)
//   bytes = 4294967296                        #   bytes moved per run (reads + writes)
//   seconds = 0.001427
//   gbps = 3010.5
//
// Every number must be positive and finite; unknown keys, wrong types and missing required fields
// are InputError naming file:line:col and the field.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llmcost/error.hpp"

namespace llmcost {

// One timed matrix product of the sweep: C[m×n] = A[m×k] · B[k×n].
struct GemmRow {
  std::string dtype;  // fp32 | tf32 | fp16 | bf16 | fp8
  long long m = 0, n = 0, k = 0;
  double seconds = 0;  // median of the timed runs
  double tflops = 0;   // 2·m·n·k / seconds / 1e12

  bool operator==(const GemmRow& o) const;  // (not defaulted: the .cu is compiled as C++17)
};

// One timed memory-bandwidth kernel of the sweep.
struct BandwidthRow {
  std::string kernel;  // copy | triad | memcpy
  double bytes = 0;    // read + written per run
  double seconds = 0;  // median of the timed runs
  double gbps = 0;     // bytes / seconds / 1e9

  bool operator==(const BandwidthRow& o) const;
};

struct Calibration {
  int schema_version = 1;
  std::string device, driver, accelerator, method, date;
  std::optional<double> sm_clock_mhz, memory_clock_mhz;
  std::map<std::string, double> gemm_tflops;  // dtype -> TFLOP/s
  double bandwidth_gbps = 0;
  std::vector<GemmRow> gemm;
  std::vector<BandwidthRow> bandwidth;
  std::vector<std::string> notes;  // sizes skipped and why
  Origin origin;                   // where it was read from (not compared)

  // Measured GEMM throughput in FLOP/s for `dtype`, or nullopt when it was not measured.
  std::optional<double> gemm_flops(std::string_view dtype) const;
  // Measured memory bandwidth in bytes/s.
  double bandwidth_bytes_per_s() const { return bandwidth_gbps * 1e9; }

  // Equal measurements and metadata; `origin` is ignored.
  bool operator==(const Calibration& o) const;
};

// The GEMM dtypes a calibration can hold, in sweep order.
const std::vector<std::string>& calibration_dtypes();

// Parses and validates a calibration file; `origin` names it in errors. Throws InputError.
Calibration read_calibration(std::string_view text, const std::string& origin);

// Reads `path`; EnvError when it can't be read, InputError when it is invalid.
Calibration load_calibration(const std::string& path);

// The file text (format above); read_calibration(calibration_to_toml(c), f) == c. Write it with
// write_file_atomic (llmcost/atomic_file.hpp).
std::string calibration_to_toml(const Calibration& c);

// Sets gemm_tflops and bandwidth_gbps from the sweep rows: per dtype the best result among the
// large products (at least 1/64 of the dtype's largest FLOP count, so launch and tail effects of
// small sizes don't count), and the best of copy/triad (memcpy is a reference only).
void summarize(Calibration& c);

// Current UTC time as "YYYY-MM-DDTHH:MM:SSZ".
std::string utc_timestamp();

// What to measure; both measurement paths take it.
struct CalibrateOptions {
  bool quick = false;               // a few small sizes and buffers (tests, smoke runs)
  int device = 0;                   // CUDA device index
  std::vector<std::string> dtypes;  // empty: all the path supports
  // Called after each measurement: (done, total, what); may be empty.
  std::function<void(int, int, std::string_view)> progress;
};

}  // namespace llmcost
