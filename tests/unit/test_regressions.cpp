// Inputs that once crashed a fuzz target (tests/fuzz/regressions/, named TARGET-what): each must now
// give a clean InputError or a finite result. New crashes found by scripts/fuzz.sh go there too.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "llmcost/catalog.hpp"
#include "llmcost/error.hpp"
#include "llmcost/format.hpp"
#include "llmcost/hf_config.hpp"
#include "llmcost/scenario.hpp"
#include "llmcost/units.hpp"

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `f` and accepts success or InputError; anything else fails the test.
template <class F>
void clean(F&& f) {
  try {
    f();
  } catch (const llmcost::InputError&) {
  }
}

}  // namespace

TEST_CASE("Regressions: every saved fuzz crash input is handled", "[regressions]") {
  const std::filesystem::path dir = std::filesystem::path(LLMCOST_TEST_DIR) / "fuzz" / "regressions";
  size_t n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    const std::string text = slurp(entry.path());
    INFO(name);
    ++n;
    if (name.rfind("units-", 0) == 0) {
      clean([&] {
        const double v = llmcost::parse_usd(text);
        CHECK(std::isfinite(v));
        CHECK_FALSE(llmcost::format_sig(v).empty());
      });
    } else if (name.rfind("hf_config-", 0) == 0) {
      CHECK_THROWS_AS(llmcost::model_from_hf_config(text, name), llmcost::InputError);
    } else if (name.rfind("catalog-", 0) == 0) {
      clean([&] { llmcost::Catalog().load_text(text, name); });
    } else if (name.rfind("scenario-", 0) == 0) {
      clean([&] { (void)llmcost::parse_scenario(text, name); });
    } else {
      FAIL("unknown regression target prefix");
    }
  }
  CHECK(n >= 2);
}

TEST_CASE("Regressions: denormal and huge numbers format compactly", "[regressions]") {
  // "$33375e-314" parsed to 3.3375e-310 and format_sig threw from std::stod (fuzz_units).
  CHECK(llmcost::format_sig(3.3375e-310) == "3.34e-310");
  CHECK(llmcost::format_sig(2.5e-9) == "2.50e-09");
  CHECK(llmcost::format_sig(1e35) == "1.00e+35");
  CHECK(llmcost::format_usd(1e-8) == "$1.00e-08");
}
