// The boundary between llmcost and its CUDA plugin, libllmcost_gpu.so (src/gpu/, built when the
// CUDA toolkit is found). Only `calibrate` loads it, with dlopen: linking cuBLASLt into the
// program would make every command pay ~150 ms and ~200 MB to load it.
// Both sides are built together from this header; kAbi catches a plugin from another build.
#pragma once

#include <string>

#include "llmcost/calibration.hpp"

namespace llmcost::gpu {

// Bump when this header or the structs of calibration.hpp change.
constexpr int kAbi = 1;

constexpr const char* kAbiSymbol = "llmcost_gpu_abi";
constexpr const char* kAvailableSymbol = "llmcost_gpu_available";
constexpr const char* kMeasureSymbol = "llmcost_gpu_measure";

using AbiFn = int (*)();
// True when CUDA can run on `device`; else false and `reason`, one line for the user.
using AvailableFn = bool (*)(int device, std::string& reason);
// Measures the sweep: fills device, driver, clocks, gemm and bandwidth rows and notes (the caller
// adds method, date and the summary). False and `error` on failure; never throws.
using MeasureFn = bool (*)(const CalibrateOptions& options, Calibration& out, std::string& error);

}  // namespace llmcost::gpu
