// libFuzzer target: every quantity parser and the formatters on arbitrary text. Parsers may only
// throw InputError; formatters must not crash on whatever a parser accepted.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "llmcost/error.hpp"
#include "llmcost/format.hpp"
#include "llmcost/units.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  using Parser = double (*)(std::string_view);
  const Parser parsers[] = {llmcost::parse_number, llmcost::parse_count, llmcost::parse_fraction, llmcost::parse_rate,
                            llmcost::parse_usd};
  for (Parser p : parsers) {
    try {
      const double v = p(text);
      if (!std::isfinite(v)) std::abort();  // a parser must never return NaN or inf
      (void)llmcost::format_sig(v);
      (void)llmcost::format_scaled(v);
      (void)llmcost::format_usd(v);
      (void)llmcost::format_si(v, "B");
      (void)llmcost::format_duration(std::fabs(v));
      (void)llmcost::format_percent(v);
      (void)llmcost::format_count(v);
    } catch (const llmcost::InputError&) {
    }
  }
  try {
    const double v = llmcost::parse_duration_s(text, 86400);
    if (!(v > 0) || !std::isfinite(v)) std::abort();
  } catch (const llmcost::InputError&) {
  }
  try {
    (void)llmcost::parse_positive(text, "W");
  } catch (const llmcost::InputError&) {
  }
  try {
    // A figure as printed: finite, and its half unit positive and finite.
    const llmcost::ShownFigure f = llmcost::parse_shown(text);
    if (!std::isfinite(f.value) || !(f.half_unit > 0) || !std::isfinite(f.half_unit)) std::abort();
    (void)llmcost::format_scaled_sig(f.value);
  } catch (const llmcost::InputError&) {
  }
  return 0;
}
