// Scaling-law ranges (docs/uncertainty.md §3) against an independent check: bootstraps of `fit` on
// data generated here from besiroglu2024 with noise, never against the propagation's own output.
// Tagged [slow] (a 300-resample bootstrap): CTest module `slow`, left out of the sanitizer pass.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <string>

#include "helpers.hpp"
#include "llmcost/fit.hpp"
#include "llmcost/fit_report.hpp"
#include "llmcost/scaling.hpp"

namespace llmcost {
namespace {

using test::default_catalog;

// 240 rows from besiroglu2024 (E 1.8172, A 482.01, B 2085.43, α 0.3478, β 0.3658, written here) on
// the ranges of the Chinchilla runs, N 7e7-1.6e10 × D 5e9-5e11 on a 20 × 12 log grid, loss ×
// exp(0.009·z): the noise at which a bootstrap's standard errors come within 20% of the published
// ones. Seed 11: not the seed the catalog's correlation was derived from (7).
FitData besiroglu_data(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto uniform = [&] { return (static_cast<double>(rng() >> 11) + 0.5) * 0x1.0p-53; };
  FitData data;
  data.origin = "synthetic besiroglu2024";
  for (int i = 0; i < 20; ++i) {
    const double n = 7e7 * std::pow(1.6e10 / 7e7, i / 19.0);
    for (int j = 0; j < 12; ++j) {
      const double d = 5e9 * std::pow(5e11 / 5e9, j / 11.0);
      const double z = std::sqrt(-2 * std::log(uniform())) * std::cos(2 * std::numbers::pi * uniform());
      const double loss = 1.8172 + 482.01 / std::pow(n, 0.3478) + 2085.43 / std::pow(d, 0.3658);
      data.points.push_back({n, d, loss * std::exp(0.009 * z)});
    }
  }
  return data;
}

Report optimal_95(const std::string& law, const Catalog& cat) {
  OptimalInputs in;
  in.law = law;
  in.flops = 5.76e23;
  in.uncertainty.on = true;
  in.uncertainty.interval = 95;
  return estimate_optimal(in, cat);
}

TEST_CASE("uncertainty: N_opt intervals of a law against a bootstrap of data generated from it", "[slow]") {
  FitOptions o;
  o.coarse_grid = true;
  o.bootstrap = 300;
  o.at_flops = 5.76e23;
  o.seed = 11;
  const FitResult fit = fit_law(besiroglu_data(11), o);
  REQUIRE(fit.n_opt);
  const double lo = fit.n_opt->lo95, hi = fit.n_opt->hi95;
  INFO("bootstrap N_opt 95% interval " << lo << " - " << hi);

  // besiroglu2024 as the catalog carries it (published standard errors, derived correlation):
  // its 95% interval at Gopher's budget holds each bound of the bootstrap's within 20%.
  const Report r = optimal_95("besiroglu2024", default_catalog());
  const double p_lo = r.value("params_opt_p2_5"), p_hi = r.value("params_opt_p97_5");
  INFO("optimal --law besiroglu2024 --uncertainty --interval 95: " << p_lo << " - " << p_hi);
  CHECK(p_lo == Approx(lo).epsilon(0.20));
  CHECK(p_hi == Approx(hi).epsilon(0.20));
  CHECK(p_lo < r.value("params_opt"));
  CHECK(r.value("params_opt") < p_hi);
  // Without the correlation the parameters' errors compound: several times wider.
  Catalog independent = default_catalog();
  independent.load_text(
      "[[law]]\nid = \"besiroglu-independent\"\nform = \"hoffmann\"\ne = 1.8172\na = 482.01\nb = 2085.43\n"
      "alpha = 0.3478\nbeta = 0.3658\nstd_errors = { e = 0.03, a = 124.58, b = 1293.23, alpha = 0.015, beta = 0.021 }\n"
      "source = \"test\"\n",
      "independent.toml");
  const Report wide = optimal_95("besiroglu-independent", independent);
  CHECK(wide.value("params_opt_p97_5") / wide.value("params_opt_p2_5") > 5 * (p_hi / p_lo));

  // fit --bootstrap --save-law feeds the same machinery: the saved law's standard errors and
  // correlation, propagated through optimal, reproduce the bootstrap's own N_opt interval within 10%.
  Catalog saved = default_catalog();
  saved.load_text(law_file_text(fit, "fitted", "test"), "fitted.toml");
  REQUIRE(saved.law("fitted").correlation.size() == 25);
  const Report f = optimal_95("fitted", saved);
  INFO("optimal --law fitted --uncertainty --interval 95: " << f.value("params_opt_p2_5") << " - "
                                                            << f.value("params_opt_p97_5"));
  CHECK(f.value("params_opt_p2_5") == Approx(lo).epsilon(0.10));
  CHECK(f.value("params_opt_p97_5") == Approx(hi).epsilon(0.10));
}

}  // namespace
}  // namespace llmcost
