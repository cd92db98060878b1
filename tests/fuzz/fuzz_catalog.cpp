// libFuzzer target: the catalog loader on arbitrary TOML, on top of the shipped data. Bad input
// must be an InputError naming the place; a good file must leave a catalog whose lookups work.
#include <cstdint>
#include <string>

#include "llmcost/catalog.hpp"
#include "llmcost/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  llmcost::Catalog c;
  try {
    c.load_text(text, "fuzz.toml");
    c.validate();
    for (const auto& o : c.offers()) (void)c.accelerator(o.accelerator);
    for (const auto& m : c.models()) (void)m.kv_elements_per_token_layer();
  } catch (const llmcost::InputError&) {
  }
  return 0;
}
