// The CUDA path of `llmcost calibrate`: loads the plugin libllmcost_gpu.so (src/gpu/) with dlopen
// on first use, so that no other command pays for loading CUDA.
#include <fmt/format.h>

#include "llmcost/calibrate.hpp"
#include "llmcost/error.hpp"

#ifdef LLMCOST_HAVE_CUDA
#include <dlfcn.h>

#include <cstring>
#include <filesystem>

#include "calibrate/plugin_abi.hpp"
#include "llmcost/files.hpp"
#endif

namespace llmcost {

#ifdef LLMCOST_HAVE_CUDA
namespace {

// The plugin next to an installed binary (<prefix>/lib/llmcost/), else the build tree's.
std::string plugin_path() {
  const std::filesystem::path dir = executable_dir();
  std::error_code ec;
  if (!dir.empty() && std::filesystem::exists(dir / LLMCOST_GPU_PLUGIN_INSTALL_REL, ec)) {
    return (dir / LLMCOST_GPU_PLUGIN_INSTALL_REL).string();
  }
  return LLMCOST_GPU_PLUGIN_BUILD;
}

template <class Fn>
Fn symbol(void* handle, const char* name) {
  Fn fn = nullptr;
  void* p = handle ? dlsym(handle, name) : nullptr;
  static_assert(sizeof fn == sizeof p);
  std::memcpy(&fn, &p, sizeof fn);  // POSIX guarantees object and function pointers convert
  return fn;
}

struct Plugin {
  gpu::AvailableFn available = nullptr;
  gpu::MeasureFn measure = nullptr;
  std::string error;  // why it could not be loaded
};

// Loaded once and never unloaded (CUDA libraries do not unload cleanly).
const Plugin& plugin() {
  static const Plugin loaded = [] {
    Plugin p;
    const std::string path = plugin_path();
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      p.error = fmt::format("cannot load llmcost's CUDA plugin: {}; use --cpu", dlerror());
      return p;
    }
    const auto abi = symbol<gpu::AbiFn>(handle, gpu::kAbiSymbol);
    p.available = symbol<gpu::AvailableFn>(handle, gpu::kAvailableSymbol);
    p.measure = symbol<gpu::MeasureFn>(handle, gpu::kMeasureSymbol);
    if (!abi || abi() != gpu::kAbi || !p.available || !p.measure) {
      p.error = fmt::format("llmcost's CUDA plugin '{}' is from another build; reinstall llmcost or use --cpu", path);
    }
    return p;
  }();
  return loaded;
}

}  // namespace

std::optional<std::string> cuda_unavailable_reason(int device) {
  const Plugin& p = plugin();
  if (!p.error.empty()) return p.error;
  std::string reason;
  if (p.available(device, reason)) return std::nullopt;
  return reason;
}

Calibration calibrate_cuda(const CalibrateOptions& options) {
  if (auto reason = cuda_unavailable_reason(options.device)) throw EnvError(*reason);
  Calibration c;
  std::string error;
  if (!plugin().measure(options, c, error)) throw EnvError(error);
  c.method = "cuda";
  c.date = utc_timestamp();
  summarize(c);
  if (c.gemm_tflops.empty() || c.bandwidth_gbps <= 0) {
    throw EnvError(fmt::format("calibration measured nothing usable on {}{}", c.device,
                               c.notes.empty() ? "" : ": " + c.notes.back()));
  }
  return c;
}
#else
// Built without the CUDA toolkit: the CUDA path exists only to say so.
std::optional<std::string> cuda_unavailable_reason(int) {
  return "this llmcost was built without CUDA; use --cpu";
}
Calibration calibrate_cuda(const CalibrateOptions&) {
  throw EnvError(*cuda_unavailable_reason(0));
}
#endif

}  // namespace llmcost
