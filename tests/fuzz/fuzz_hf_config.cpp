// libFuzzer target: the Hugging Face config.json reader on arbitrary JSON.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "llmcost/error.hpp"
#include "llmcost/hf_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const llmcost::Model m = llmcost::model_from_hf_config(text, "config.json");
    if (!(m.params > 0) || !std::isfinite(m.params)) std::abort();  // a model always has a size
  } catch (const llmcost::InputError&) {
  }
  return 0;
}
