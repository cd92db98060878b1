// Measuring a device (`llmcost calibrate`): the CPU path, the CUDA path through its plugin, and
// which catalog accelerator a measured device is.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "llmcost/calibration.hpp"
#include "llmcost/catalog.hpp"
#include "llmcost/listing.hpp"
#include "llmcost/report.hpp"

namespace llmcost {

// The catalog accelerator a device name (as the CUDA driver reports it) denotes, or nullopt:
// "NVIDIA H100 80GB HBM3" -> h100-sxm, "NVIDIA H100 PCIe" -> h100-pcie, "NVIDIA H200" -> h200,
// "NVIDIA A100-SXM4-80GB" -> a100-80gb. Variants with other clocks or memory (NVL, PCIe A100)
// match nothing; use `--as ID`.
std::optional<std::string> match_accelerator(std::string_view device_name, const Catalog& catalog);

// The CPU path: Eigen fp32 GEMM over a few square sizes and STREAM-like copy/triad plus memcpy,
// on all hardware threads. Throws InputError for a dtype other than fp32.
Calibration calibrate_cpu(const CalibrateOptions& options);

// The CUDA path: cuBLASLt GEMM sweep per dtype and the copy/triad kernels plus cudaMemcpy, in the
// plugin libllmcost_gpu.so (src/gpu/), loaded on first use. Throws EnvError when there is no
// usable device, the plugin can't be loaded, or llmcost was built without CUDA.
Calibration calibrate_cuda(const CalibrateOptions& options);

// Why calibrate_cuda() would fail for `device` (no device, no driver, built without CUDA), or
// nullopt when it can run.
std::optional<std::string> cuda_unavailable_reason(int device = 0);

// The catalog accelerator a calibration is compared with, and why: `as` (--as ID), else the device
// name matched (match_accelerator), else none. Sets c.accelerator to its id ("unknown" without one;
// "cpu" stays for the CPU path). Throws InputError for an unknown `as`.
struct PeakRef {
  const Accelerator* acc = nullptr;
  std::string source;  // "--as", "matched by device name", or why there is none
};
PeakRef resolve_peak_reference(Calibration& c, const Catalog& catalog, const std::string& as);

// The sweep, one row per measurement, with its fraction of the catalog peak.
Listing calibration_sweep(const Calibration& c, const PeakRef& ref);

// The summary: best GEMM per dtype and bandwidth, against the catalog peaks.
Report calibration_summary(const Calibration& c, const PeakRef& ref);

}  // namespace llmcost
