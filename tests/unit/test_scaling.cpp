// Scaling laws, compute-optimal sizes, the scaling debate and the cost trend, against the check
// values of docs/scaling-laws.md and docs/reference-case.md §6-7 (recomputed by hand).
#include <catch2/catch.hpp>

#include <cmath>

#include "helpers.hpp"
#include "llmcost/error.hpp"
#include "llmcost/law.hpp"
#include "llmcost/scaling.hpp"
#include "llmcost/trend.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using namespace llmcost;
using llmcost::test::default_catalog;

TEST_CASE("Scaling: Chinchilla loss of a 1T model on 300B tokens (docs/reference-case.md §6)", "[scaling][reference]") {
  LossInputs in;
  in.law = "hoffmann2022";
  in.params = 1e12;
  in.tokens = 300e9;
  const auto r = estimate_loss(in, default_catalog());
  // 406.4 / 1e12^0.34 = 406.4 / 1.2023e4 = 0.03380; 410.7 / 3e11^0.28 = 410.7 / 1635.3 = 0.2511.
  CHECK_THAT(r.value("params_term"), WithinRel(0.0338, 0.005));
  CHECK_THAT(r.value("data_term"), WithinRel(0.251, 0.005));
  CHECK_THAT(r.value("loss"), WithinRel(1.975, 0.001));  // 1.69 + 0.0338 + 0.2511
}

TEST_CASE("Scaling: Kaplan 2020 check value", "[scaling]") {
  // docs/scaling-laws.md: L(1e9, 2e10) ≈ 2.3739.
  CHECK_THAT(law_loss(default_catalog().law("kaplan2020"), 1e9, 2e10).loss, WithinAbs(2.3739, 1e-4));
}

TEST_CASE("Scaling: compute-optimal sizes at Gopher's budget", "[scaling][reference]") {
  OptimalInputs in;
  in.flops = 5.76e23;
  in.law = "hoffmann2022-unrounded";
  CHECK_THAT(estimate_optimal(in, default_catalog()).value("params_opt"), WithinRel(40e9, 0.05));  // paper: ~40B
  in.law = "besiroglu2024";
  auto r = estimate_optimal(in, default_catalog());
  CHECK_THAT(r.value("params_opt"), WithinRel(72e9, 0.05));            // Epoch: ~72B
  CHECK_THAT(r.value("tokens_per_param_opt"), WithinRel(18.0, 0.05));  // D/N ≈ 18
  in.law = "hoffmann2022";
  r = estimate_optimal(in, default_catalog());
  CHECK_THAT(r.value("params_opt"), WithinRel(32e9, 0.05));            // rounded: ≈ 32B
  CHECK_THAT(r.value("tokens_per_param_opt"), WithinRel(93.0, 0.05));  // D/N ≈ 93
  // C = 6·N·D holds for the optimum.
  CHECK_THAT(6 * r.value("params_opt") * r.value("tokens_opt"), WithinRel(5.76e23, 1e-12));
}

TEST_CASE("Scaling: Chinchilla beats Gopher at the same compute (docs/reference-case.md §6)", "[scaling][reference]") {
  // Gopher 280B × 300B and Chinchilla 70B × 1.4T use about the same compute (5.04e23 vs 5.88e23).
  const Law& law = default_catalog().law("hoffmann2022");
  CHECK(law_loss(law, 70e9, 1.4e12).loss < law_loss(law, 280e9, 300e9).loss);
  // The 1T model on 300B tokens (L ≈ 1.975) is beaten by Chinchilla (L ≈ 1.937).
  CHECK(law_loss(law, 70e9, 1.4e12).loss < law_loss(law, 1e12, 300e9).loss);
  // At the same compute, the optimum is no worse than any fixed size.
  OptimalInputs in;
  in.flops = 5.76e23;
  in.params = 280e9;
  const auto r = estimate_optimal(in, default_catalog());
  CHECK(r.value("loss_opt") < r.value("loss_at_params"));
}

TEST_CASE("Scaling: Kaplan optimum minimises the loss along the budget", "[scaling]") {
  const Law& law = default_catalog().law("kaplan2020");
  const double c = 1e22, n = optimal_params(law, c);
  const double at = law_loss(law, n, c / (6 * n)).loss;
  CHECK(at <= law_loss(law, n * 1.5, c / (6 * n * 1.5)).loss);
  CHECK(at <= law_loss(law, n / 1.5, c / (6 * n / 1.5)).loss);
}

TEST_CASE("Scaling: budget in dollars becomes FLOPs on an offer", "[scaling]") {
  OptimalInputs in;
  in.budget_usd = 1.398e6;  // GPT-3's cost on TPU v4 at 46.2% (docs/reference-case.md §4)
  in.offer = "gcp-tpu-v4-1yr";
  in.mfu = 0.462;
  // $1.398M / $2.03 × 3600 × 275e12 × 0.462 = 3.15e23 FLOP.
  CHECK_THAT(estimate_optimal(in, default_catalog()).value("flops"), WithinRel(3.15e23, 0.001));
}

TEST_CASE("Scaling: 1e35 FLOPs needs far more data than exists (docs/reference-case.md §8)", "[scaling]") {
  ScaleInputs in;
  in.flops = 1e35;
  in.budget_usd = 1e9;
  const auto r = estimate_scale(in, default_catalog());
  const double n = optimal_params(hoffmann_law(1.69, 406.4, 410.7, 0.34, 0.28), 1e35);
  CHECK_THAT(r.value("params_opt"), WithinRel(n, 1e-12));
  // Tokens 1e35 / (6 N) against a 3e14-token stock: about 4 orders of magnitude short
  // (the debate's "~5 orders of magnitude more data than exists").
  CHECK(std::log10(r.value("data_needed_ratio")) > 3.5);
  // Cost: 1e35 / (275e12 × 0.462) / 3600 × $2.03 = $4.44e17; share of $99.67T.
  const double cost = 1e35 / (275e12 * 0.462) / 3600 * 2.03;
  CHECK_THAT(r.value("cost_usd"), WithinRel(cost, 1e-9));
  CHECK_THAT(r.value("gdp_share"), WithinRel(cost / 99.67e12, 1e-9));
  // Years until $1B at 22%/yr: ln(cost / 1e9) / ln(1.22).
  CHECK_THAT(r.value("years_until_budget"), WithinRel(std::log(cost / 1e9) / std::log(1.22), 1e-9));
  CHECK_THROWS_AS(estimate_scale(ScaleInputs{}, default_catalog()), InputError);
}

TEST_CASE("Scaling: GPT-3 got about 80% cheaper 2020 to 2022 (docs/reference-case.md §7)", "[scaling][reference]") {
  TrendInputs in;
  in.model = "gpt3";
  const auto r = estimate_trend(in, default_catalog());
  // V100 (aws-p3dn $31.212/8 per GPU-h, 125 TFLOP/s, MFU 21.3%): 3.15e23 / 26.625e12 / 3600 × 3.9015
  // = $12.82M. A100 (aws-p4d $32.77/8, 312 TFLOP/s, MFU 46.2%): 3.15e23 / 144.14e12 / 3600 × 4.09625
  // = $2.487M. Decline 1 − 2.487 / 12.82 = 80.6% (the claim: ~80%).
  CHECK_THAT(r.value("actual_train_cost_2020_usd"), WithinRel(3.15e23 / (125e12 * 0.213) / 3600 * 31.212 / 8, 1e-9));
  CHECK_THAT(r.value("actual_decline_2020_2022"), WithinRel(0.806, 0.01));
  // Trend: 1 − 1.22^-2.5 × 0.213 / 0.462 = 1 − 0.6087 × 0.4610 = 71.9%.
  CHECK_THAT(r.value("trend_decline_2_5y"), WithinRel(0.719, 0.005));
  // Each year's training cost falls.
  CHECK(r.value("train_cost_2025_usd") < r.value("train_cost_2024_usd"));
  CHECK(growth_from_doubling(2.46) == Approx(0.3254).epsilon(0.001));
}
