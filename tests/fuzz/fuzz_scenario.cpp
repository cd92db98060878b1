// libFuzzer target: scenario files, parsed and (when small) evaluated against the shipped
// catalog. Everything wrong must surface as InputError, or EnvError for a file a scenario names
// that cannot be read (/dev/zero, /dev/stdin: refused at once); nothing may crash or hang.
#include <cstdint>
#include <string>

#include "llmcost/catalog.hpp"
#include "llmcost/data_paths.hpp"
#include "llmcost/error.hpp"
#include "llmcost/scenario.hpp"
#include "llmcost/sweep.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const llmcost::Catalog catalog = llmcost::load_catalog({LLMCOST_DATA_DIR});
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const llmcost::Scenario s = llmcost::parse_scenario(text, "fuzz.toml");
    if (s.points() == 1) {
      (void)llmcost::evaluate_scenario(s, catalog);
    } else if (s.points() <= 64) {
      llmcost::SweepOptions opt;
      opt.threads = 1;
      (void)llmcost::run_sweep(s, catalog, opt);
    }
  } catch (const llmcost::InputError&) {
  } catch (const llmcost::EnvError&) {
  }
  return 0;
}
