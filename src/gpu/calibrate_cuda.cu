// The CUDA plugin of `llmcost calibrate` (entry points: calibrate/plugin_abi.hpp): which device, what to
// sweep, and the sweep itself. GEMM through cuBLASLt (gpu/gemm_lt.hpp), bandwidth through
// copy/triad kernels and cudaMemcpy (gpu/bandwidth.hpp); a size that does not fit in memory is
// skipped with a note. Self-contained: it calls nothing in llmcost_core.
#include <cuda_runtime.h>

#include <algorithm>
#include <string>
#include <vector>

#include "calibrate/plugin_abi.hpp"
#include "gpu/bandwidth.hpp"
#include "gpu/cuda_util.hpp"
#include "gpu/gemm_lt.hpp"
#include "llmcost/calibration.hpp"

namespace llmcost {
namespace {

struct Shape {
  long long m, n, k;
};

// Square products 1024..16384, and transformer MLP products (tokens × d) · (d × 4d): d = 4096
// (7B-class) and d = 8192 (70B-class) with 8192 tokens per micro-batch.
std::vector<Shape> gemm_shapes(bool quick) {
  if (quick) return {{1024, 1024, 1024}, {2048, 2048, 2048}, {2048, 4096, 1024}};
  return {{1024, 1024, 1024},    {2048, 2048, 2048},  {4096, 4096, 4096}, {8192, 8192, 8192},
          {16384, 16384, 16384}, {8192, 16384, 4096}, {8192, 32768, 8192}};
}

std::string version(int v) {
  return std::to_string(v / 1000) + "." + std::to_string(v % 1000 / 10);
}

std::string driver_text(int device) {
  int driver = 0, runtime = 0;
  cudaDriverGetVersion(&driver);
  cudaRuntimeGetVersion(&runtime);
  const size_t lt = cublasLtGetVersion();  // major*10000 + minor*100 + patch
  return "CUDA driver " + version(driver) + ", runtime " + version(runtime) + ", cuBLASLt " +
         std::to_string(lt / 10000) + "." + std::to_string(lt / 100 % 100) + "." + std::to_string(lt % 100) +
         ", compute capability " + std::to_string(gpu::attribute(cudaDevAttrComputeCapabilityMajor, device)) + "." +
         std::to_string(gpu::attribute(cudaDevAttrComputeCapabilityMinor, device));
}

std::string shape_text(const std::string& dtype, const Shape& s) {
  return dtype + " " + std::to_string(s.m) + "x" + std::to_string(s.n) + "x" + std::to_string(s.k);
}

// The dtypes to sweep: the requested ones (all by default) this device runs on tensor cores;
// a requested one it can't run gets a note.
std::vector<const gpu::DtypeSpec*> dtypes_for(const CalibrateOptions& o, int cc, std::vector<std::string>& notes) {
  std::vector<const gpu::DtypeSpec*> out;
  for (const gpu::DtypeSpec& spec : gpu::dtype_specs()) {
    const std::string name = spec.name;
    const bool asked = std::find(o.dtypes.begin(), o.dtypes.end(), name) != o.dtypes.end();
    if (!o.dtypes.empty() && !asked) continue;
    if (cc >= spec.min_cc)
      out.push_back(&spec);
    else
      notes.emplace_back(name + " not measured: needs compute capability " + std::to_string(spec.min_cc / 10) + "." +
                         std::to_string(spec.min_cc % 10) + " or later");
  }
  return out;
}

// RAII for the stream and the cuBLASLt handle.
struct Session {
  cudaStream_t stream = nullptr;
  cublasLtHandle_t handle = nullptr;
  Session() {
    gpu::check(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), "cudaStreamCreate");
    gpu::check_lt(cublasLtCreate(&handle), "cublasLtCreate");
  }
  ~Session() {
    if (handle) cublasLtDestroy(handle);
    if (stream) cudaStreamDestroy(stream);
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
};

void sweep_gemm(Calibration& c, const gpu::GemmContext& ctx, const std::vector<const gpu::DtypeSpec*>& dtypes,
                const std::vector<Shape>& shapes, const std::function<void(std::string_view)>& step) {
  for (const gpu::DtypeSpec* spec : dtypes) {
    for (const Shape& s : shapes) {
      const std::string what = shape_text(spec->name, s);
      try {
        const double t = gpu::time_gemm(ctx, *spec, s.m, s.n, s.k);
        c.gemm.push_back({spec->name, s.m, s.n, s.k, t, 2.0 * double(s.m) * double(s.n) * double(s.k) / t / 1e12});
      } catch (const gpu::OutOfMemory&) {
        c.notes.emplace_back("skipped " + what + ": out of GPU memory");
      } catch (const gpu::NotSupported&) {
        c.notes.emplace_back("skipped " + what + ": cuBLASLt has no algorithm for it");
      }
      step(what);
    }
  }
}

std::optional<std::string> unavailable_reason(int device) {
  const std::string no_device = "no CUDA device found; use --cpu to calibrate the CPU path";
  int driver = 0, runtime = 0, count = 0;
  if (cudaDriverGetVersion(&driver) != cudaSuccess || driver == 0) return no_device;  // no driver installed
  cudaRuntimeGetVersion(&runtime);
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e == cudaErrorInsufficientDriver) {
    return "the CUDA driver (" + version(driver) + ") is older than the CUDA runtime llmcost was built with (" +
           version(runtime) + "); update the driver or use --cpu";
  }
  if (e == cudaErrorNoDevice || (e == cudaSuccess && count == 0)) return no_device;
  if (e != cudaSuccess) return std::string("CUDA is not usable: ") + cudaGetErrorString(e) + "; use --cpu";
  if (device >= count) {
    return "--device " + std::to_string(device) + ": this machine has " + std::to_string(count) + " CUDA device(s)";
  }
  return std::nullopt;
}

Calibration measure(const CalibrateOptions& o) {
  if (auto reason = unavailable_reason(o.device)) throw EnvError(*reason);
  gpu::check(cudaSetDevice(o.device), "cudaSetDevice");
  cudaDeviceProp prop{};
  gpu::check(cudaGetDeviceProperties(&prop, o.device), "cudaGetDeviceProperties");
  Calibration c;
  c.device = prop.name;
  c.driver = driver_text(o.device);
  c.sm_clock_mhz = gpu::attribute(cudaDevAttrClockRate, o.device) / 1000.0;
  c.memory_clock_mhz = gpu::attribute(cudaDevAttrMemoryClockRate, o.device) / 1000.0;
  const int cc = 10 * prop.major + prop.minor;
  const auto dtypes = dtypes_for(o, cc, c.notes);
  const auto shapes = gemm_shapes(o.quick);
  const int total = int(dtypes.size() * shapes.size()) + 3;
  int done = 0;
  auto step = [&](std::string_view what) {
    if (o.progress) o.progress(++done, total, what);
  };
  if (o.progress) o.progress(0, total, "starting");

  Session session;
  gpu::L2Flusher flush(size_t(gpu::attribute(cudaDevAttrL2CacheSize, o.device)));
  const gpu::DeviceBuffer workspace(size_t{32} << 20);
  const double budget_s = o.quick ? 0.02 : 0.2;
  sweep_gemm(c, {session.handle, session.stream, workspace, flush, budget_s}, dtypes, shapes, step);

  // Three arrays of up to 2 GiB (40x an H100's 50 MB L2), at most 3/8 of the free memory.
  size_t free_bytes = 0, total_bytes = 0;
  gpu::check(cudaMemGetInfo(&free_bytes, &total_bytes), "cudaMemGetInfo");
  const size_t array_bytes = std::min(o.quick ? size_t{256} << 20 : size_t{2} << 30, free_bytes / 8);
  try {
    c.bandwidth = gpu::measure_bandwidth(o.device, session.stream, array_bytes, budget_s, flush,
                                         [&](const char* name) { step(name); });
  } catch (const gpu::OutOfMemory&) {
    c.notes.emplace_back("skipped bandwidth: out of GPU memory");
  }
  return c;
}

}  // namespace
}  // namespace llmcost

// The plugin's entry points (calibrate/plugin_abi.hpp), the only symbols it exports. Nothing may escape
// them: an exception crossing dlopen's boundary is fragile, so errors travel as text.
#define LLMCOST_EXPORT extern "C" __attribute__((visibility("default")))

LLMCOST_EXPORT int llmcost_gpu_abi() {
  return llmcost::gpu::kAbi;
}

LLMCOST_EXPORT bool llmcost_gpu_available(int device, std::string& reason) {
  try {
    auto why = llmcost::unavailable_reason(device);
    if (why) reason = *why;
    return !why;
  } catch (...) {
    reason = "CUDA is not usable; use --cpu";
    return false;
  }
}

LLMCOST_EXPORT bool llmcost_gpu_measure(const llmcost::CalibrateOptions& options, llmcost::Calibration& out,
                                        std::string& error) {
  try {
    out = llmcost::measure(options);
    return true;
  } catch (const std::exception& e) {
    error = e.what();
  } catch (const llmcost::gpu::OutOfMemory&) {
    error = "out of GPU memory for the calibration buffers";
  } catch (...) {
    error = "the CUDA calibration failed";
  }
  return false;
}
