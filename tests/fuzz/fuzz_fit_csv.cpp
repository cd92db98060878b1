// libFuzzer target: the fit CSV reader, and a coarse fit of whatever it accepts.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "llmcost/error.hpp"
#include "llmcost/fit.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const llmcost::FitData d = llmcost::read_fit_csv(text, "runs.csv");
    for (const auto& p : d.points) {
      // Each value positive and finite (their product may overflow: 7e301 parameters is a number).
      const bool ok = p.params > 0 && p.tokens > 0 && p.loss > 0 && std::isfinite(p.params) &&
                      std::isfinite(p.tokens) && std::isfinite(p.loss);
      if (!ok) std::abort();
    }
    if (d.points.size() <= 64) {
      llmcost::FitOptions o;
      o.coarse_grid = true;
      o.threads = 1;
      (void)llmcost::fit_law(d, o);
    }
  } catch (const llmcost::InputError&) {
  }
  return 0;
}
