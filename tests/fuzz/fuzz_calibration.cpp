// libFuzzer target: the calibration file reader; what it accepts must write and read back equal.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "llmcost/calibration.hpp"

#include "llmcost/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const llmcost::Calibration c = llmcost::read_calibration(text, "c.toml");
    const llmcost::Calibration again = llmcost::read_calibration(llmcost::calibration_to_toml(c), "again.toml");
    if (!(again.gemm_tflops == c.gemm_tflops) || again.bandwidth_gbps != c.bandwidth_gbps) std::abort();
  } catch (const llmcost::InputError&) {
  }
  return 0;
}
