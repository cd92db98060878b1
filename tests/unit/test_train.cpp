// Training estimator against the reference case (docs/reference-case.md §4-5) and
// against hand-computed values. Each expected number is derived in the comment beside it.
#include <catch2/catch.hpp>

#include <cmath>

#include "helpers.hpp"
#include "llmcost/error.hpp"
#include "llmcost/format.hpp"
#include "llmcost/train.hpp"

using Catch::Matchers::WithinRel;
using llmcost::estimate_training;
using llmcost::InputError;
using llmcost::render_text;
using llmcost::TrainInputs;
using llmcost::test::default_catalog;

namespace {

TrainInputs tpu_v4(const std::string& model) {
  TrainInputs in;
  in.model = model;
  in.offer = "gcp-tpu-v4-1yr";
  in.mfu = 0.462;
  return in;
}

}  // namespace

TEST_CASE("Train: GPT-3 on TPU v4 reproduces docs/reference-case.md §4", "[train][reference]") {
  const auto r = estimate_training(tpu_v4("gpt3"), default_catalog());
  // 6 × 175e9 × 300e9 = 3.15e23 FLOP.
  CHECK_THAT(r.value("train_flop"), WithinRel(3.15e23, 1e-12));
  // 3.15e23 / (275e12 × 0.462) = 2.4793e9 s = 6.887e5 chip-hours (reference: 6.89e5).
  CHECK_THAT(r.value("chip_hours"), WithinRel(6.89e5, 0.005));
  // 6.887e5 × $2.03 = $1.398M (reference: ≈ $1.4M, ±2%).
  CHECK_THAT(r.value("cost_usd"), WithinRel(1.40e6, 0.02));
  CHECK_THAT(r.value("usd_per_chip_hour"), WithinRel(2.03, 1e-12));
}

TEST_CASE("Train: other reference models on TPU v4", "[train][reference]") {
  // cost = 6·N·D / (275e12 · 0.462) / 3600 · 2.03
  const std::pair<const char*, double> cases[] = {
      {"palm", 1.12e7},        // 6·540e9·780e9 = 2.527e24 → 5.525e6 chip-h → $11.22M
      {"gopher", 2.24e6},      // 6·280e9·300e9 = 5.04e23 → 1.102e6 chip-h → $2.237M
      {"mt-nlg", 3.81e6},      // 6·530e9·270e9 = 8.586e23 → 1.877e6 chip-h → $3.811M
      {"chinchilla", 2.61e6},  // 6·70e9·1.4e12 = 5.88e23 → 1.286e6 chip-h → $2.610M
  };
  for (const auto& [model, cost] : cases) {
    INFO(model);
    CHECK_THAT(estimate_training(tpu_v4(model), default_catalog()).value("cost_usd"), WithinRel(cost, 0.02));
  }
  // PaLM chip-hours, reference: 5.53e6.
  CHECK_THAT(estimate_training(tpu_v4("palm"), default_catalog()).value("chip_hours"), WithinRel(5.53e6, 0.005));
}

TEST_CASE("Train: GPT-3 on 10,000 V100 reproduces Patterson et al. 2021", "[train][reference]") {
  TrainInputs in;
  in.model = "gpt3";
  in.hardware = "v100-32gb";
  in.chips = 10000;
  in.achieved_tflops = 24.6;
  in.watts_per_chip = 330;
  in.pue = 1.10;
  in.grid_kg_per_kwh = 0.429;
  // By the 6ND rule, 3.15e23 FLOP: 3.15e23 / 24.6e12 / 3600 = 3.5569e6 GPU-h, × 0.330 kW × 1.10 =
  // 1.29116e6 kWh, 0.3% above the paper's 1,287 MWh, which starts from its measured 3.14e23.
  auto r = estimate_training(in, default_catalog());
  CHECK_THAT(r.value("energy_kwh"), WithinRel(3.15e23 / 24.6e12 / 3600 * 0.330 * 1.10, 1e-12));
  // MFU against the V100's 125 TFLOP/s fp16 peak: 24.6 / 125 = 19.68%.
  CHECK_THAT(r.value("mfu"), WithinRel(0.1968, 1e-9));
  CHECK(r.find("cost_usd") == nullptr);  // no offer, not owned: no price invented
  // With the paper's 3.14e23 (--train-flop), every figure as the reference prints it:
  in.train_flop = 3.14e23;
  r = estimate_training(in, default_catalog());
  // 3.14e23 / 24.6e12 / 3600 = 3.54562e6 GPU-h ("3.55 M GPU-hours").
  CHECK_THAT(r.value("chip_hours"), WithinRel(3.14e23 / 24.6e12 / 3600, 1e-12));
  CHECK(std::round(r.value("chip_hours") / 1e4) == 355);
  // / 10,000 / 24 = 14.773 days ("14.8 days").
  CHECK(std::round(r.value("wall_time_s") / 86400 * 10) == 148);
  // 3.54562e6 × 0.330 × 1.10 = 1,287,060 kWh ("≈ 1,287 MWh").
  CHECK(std::round(r.value("energy_kwh") / 1e3) == 1287);
  // × 0.429 = 552,149 kg ("≈ 552 tCO2e").
  CHECK(std::round(r.value("co2e_kg") / 1e3) == 552);
  // The given total is an input, and the note says how far it is from the rule (-0.32%).
  CHECK(r.find("train_flop")->input);
  CHECK(render_text(r.notes.front()) == "--train-flop 3.14e23 replaces the 6ND rule's 3.15e23 (-0.3%)");
  in.flops_rule = llmcost::FlopsRule::detailed;
  CHECK_THROWS_WITH(estimate_training(in, default_catalog()),
                    "give either --train-flop or --flops-rule detailed, not both");
}

TEST_CASE("Train: memory of the training state (docs/reference-case.md §5)", "[train][reference]") {
  TrainInputs in;
  in.model = "gpt3";
  in.hardware = "h100-sxm";
  auto r = estimate_training(in, default_catalog());
  CHECK_THAT(r.value("train_state_bytes"), WithinRel(3.5e12, 1e-12));  // 175e9 × 20 B
  CHECK(r.value("min_chips_for_memory") == 44);                        // ceil(3.5e12 / 80e9) = ceil(43.75)
  in.model = "bert-large";
  r = estimate_training(in, default_catalog());
  CHECK_THAT(r.value("train_state_bytes"), WithinRel(6.8e9, 1e-12));  // 340e6 × 20 B
  CHECK(r.value("min_chips_for_memory") == 1);
}

TEST_CASE("Train: chips solved from days, rounded to whole instances and memory", "[train]") {
  TrainInputs in;
  in.model = "gpt3";
  in.offer = "aws-p4d-1yr";  // 8 × A100 40GB per instance
  in.mfu = 0.5;
  in.days = 30;
  const auto r = estimate_training(in, default_catalog());
  // 3.15e23 / (312e12 × 0.5) / 3600 = 5.6090e5 GPU-h; / (30 × 24) = 779.0 → 780 = 97.5 instances → 784 (98 × 8).
  CHECK(r.value("chips") == 784);
  // Wall time = 5.6090e5 × 3600 / 784 = 2.5756e6 s, just under 30 days.
  CHECK_THAT(r.value("wall_time_s"), WithinRel(5.6090e5 * 3600 / 784, 1e-4));
  // $19.22 / 8 = $2.4025 per GPU-hour; cost = 5.6090e5 × 2.4025 = $1.3476M.
  CHECK_THAT(r.value("cost_usd"), WithinRel(1.3476e6, 1e-3));

  // Memory floor: a tiny budget of days can't go below what holds the state... and a huge one
  // can't go below min_chips_for_memory either (GPT-3 on A100 40GB: ceil(3.5e12 / 40e9) = 88).
  in.days = 100000;
  CHECK(estimate_training(in, default_catalog()).value("chips") == 88);
}

TEST_CASE("Train: owned hardware amortises purchase and pays electricity", "[train]") {
  TrainInputs in;
  in.model = "gpt3";
  in.hardware = "a100-40gb";
  in.own = true;
  in.mfu = 0.5;
  in.chips = 1024;
  in.lifetime_years = 4;
  in.usd_per_kwh = 0.10;
  in.pue = 1.2;
  in.watts_per_chip = 400;
  const auto r = estimate_training(in, default_catalog());
  const double gpu_h = 3.15e23 / (312e12 * 0.5) / 3600;  // 5.6090e5
  const double purchase = default_catalog().accelerator("a100-40gb").purchase_usd.value();
  // One basis, the system cost per accelerator: the A100's chip-alone price × 1.64 (Epoch's server
  // overhead, assumption server_cost_overhead). Straight-line: system × GPU-h / (4 × 8760 h).
  CHECK_THAT(r.value("hardware_cost_usd"), WithinRel(purchase * 1.64 * gpu_h / (4 * 8760), 1e-9));
  CHECK_THAT(r.value("capital_cost_usd"), WithinRel(purchase * 1.64 * 1024, 1e-12));
  // Energy: GPU-h × 0.4 kW × 1.2 = 2.6923e5 kWh; × $0.10 = $26,923.
  CHECK_THAT(r.value("energy_cost_usd"), WithinRel(gpu_h * 0.4 * 1.2 * 0.10, 1e-9));
  CHECK_THAT(r.value("cost_usd"), WithinRel(r.value("hardware_cost_usd") + r.value("energy_cost_usd"), 1e-12));
}

TEST_CASE("Train: MoE models take FLOPs from active and memory from total parameters", "[train]") {
  TrainInputs in;
  in.model = "mixtral-8x7b";
  in.tokens = 1e12;
  in.hardware = "h100-sxm";
  const auto& m = default_catalog().model("mixtral-8x7b");
  REQUIRE(m.active_params);
  const auto r = estimate_training(in, default_catalog());
  CHECK_THAT(r.value("train_flop"), WithinRel(6 * *m.active_params * 1e12, 1e-12));
  CHECK_THAT(r.value("train_state_bytes"), WithinRel(m.params * 20, 1e-12));
}

TEST_CASE("Train: detailed FLOP rule adds 6·n_layer·n_ctx·d_model per token (Kaplan 2020)", "[train]") {
  TrainInputs in = tpu_v4("gpt3");
  in.flops_rule = llmcost::FlopsRule::detailed;
  const auto r = estimate_training(in, default_catalog());
  // GPT-3: 96 layers, n_ctx 2048, d_model 12288: 6·96·2048·12288 = 1.4496e10 per token on top of
  // 6·175e9 = 1.05e12: (1.05e12 + 1.4496e10) × 300e9 = 3.1935e23 FLOP.
  CHECK_THAT(r.value("train_flop"), WithinRel(3.1935e23, 1e-4));
}

TEST_CASE("Train: default offer, MFU and days are the catalog's stated assumptions", "[train]") {
  TrainInputs in;
  in.model = "gpt3";
  // No --mfu: the performance model plans it for the chips the 30 days need (the layout is stated),
  // with goodput 0.9 (Llama 3's > 90% effective training time) on top.
  const auto planned = estimate_training(in, default_catalog());
  REQUIRE(planned.find_text("layout") != nullptr);
  CHECK(planned.find("mfu")->method.find("performance model") != std::string::npos);
  CHECK(planned.value("mfu") > 0.3);
  CHECK(planned.value("mfu") < 0.7);
  CHECK(planned.value("goodput") == 0.9);
  CHECK_THAT(planned.value("chip_hours"),
             WithinRel(planned.value("train_flop") / planned.value("achieved_flop_per_s") / 3600 / 0.9, 1e-12));
  // With the reference case's MFU it is the reference case again: $1.40M, no goodput.
  in.mfu = 0.462;
  const auto r = estimate_training(in, default_catalog());
  CHECK(r.find("goodput") == nullptr);
  CHECK_THAT(r.value("mfu"), WithinRel(0.462, 1e-12));
  CHECK_THAT(r.value("cost_usd"), WithinRel(1.40e6, 0.02));
  CHECK_THAT(r.value("target_time_s"), WithinRel(30 * 86400.0, 1e-12));
  bool offer_stated = false;
  for (const auto& c : r.context)
    offer_stated |= c.key == "offer" && c.source.find("default_train_offer") != std::string::npos;
  CHECK(offer_stated);
}

TEST_CASE("Train: inconsistent or impossible inputs are errors", "[train][errors]") {
  TrainInputs in = tpu_v4("gpt3");
  in.achieved_tflops = 100;
  CHECK_THROWS_WITH(estimate_training(in, default_catalog()), "give either --mfu or --achieved-tflops, not both");
  in = tpu_v4("gpt3");
  in.mfu.reset();
  in.achieved_tflops = 300;  // TPU v4 peaks at 275
  CHECK_THROWS_WITH(estimate_training(in, default_catalog()),
                    Catch::Contains("exceeds the bf16 peak of tpu-v4 (275 TFLOP/s)"));
  in = tpu_v4("gpt3");
  in.hardware = "h100-sxm";
  CHECK_THROWS_WITH(estimate_training(in, default_catalog()),
                    "--hardware h100-sxm conflicts with --offer gcp-tpu-v4-1yr, which rents tpu-v4");
  in = tpu_v4("gpt3");
  in.dtype = "fp8";
  CHECK_THROWS_WITH(estimate_training(in, default_catalog()), Catch::Contains("tpu-v4 has no fp8 peak"));
  in = tpu_v4("gtp3");
  CHECK_THROWS_WITH(estimate_training(in, default_catalog()), "unknown model 'gtp3'; did you mean 'gpt3'?");
  in = TrainInputs{};
  CHECK_THROWS_AS(estimate_training(in, default_catalog()), InputError);
  in = tpu_v4("gpt3");
  in.chips = 64;
  in.days = 10;
  CHECK_THROWS_WITH(estimate_training(in, default_catalog()), "give either --chips or --days, not both");
  in = TrainInputs{};
  in.model = "gpt3";
  in.hardware = "tpu-v4";
  in.own = true;  // TPUs are not sold
  CHECK_THROWS_WITH(estimate_training(in, default_catalog()), Catch::Contains("has no purchase_usd"));
}

TEST_CASE("Train: fewer chips than the state needs is reported, not hidden", "[train]") {
  TrainInputs in = tpu_v4("gpt3");
  in.chips = 16;  // 16 × 34.36 GB < 3.5 TB
  const auto r = estimate_training(in, default_catalog());
  bool noted = false;
  for (const auto& n : r.notes) noted |= render_text(n).find("at least 102 are needed") != std::string::npos;
  CHECK(noted);  // ceil(3.5e12 / 34.36e9) = ceil(101.86) = 102
}

TEST_CASE("Train: a calibration's measured GEMM ceiling replaces the vendor peak", "[train]") {
  TrainInputs in;
  in.model = "gpt3";
  in.hardware = "h100-sxm";
  in.offer = "aws-p5";
  in.calibration = llmcost::load_calibration(std::string(LLMCOST_TEST_DIR) + "/calibration/h100-sxm.toml");
  const double measured = *in.calibration->gemm_flops("bf16");
  auto r = estimate_training(in, default_catalog());
  // Without --mfu: achieved = measured × 0.58 (assumption calibrated_train_efficiency); MFU is
  // reported against both ceilings.
  CHECK_THAT(r.value("achieved_flop_per_s"), WithinRel(measured * 0.58, 1e-12));
  CHECK_THAT(r.value("mfu"), WithinRel(measured * 0.58 / 989.5e12, 1e-12));
  CHECK_THAT(r.value("mfu_vs_measured"), WithinRel(0.58, 1e-12));
  CHECK_THAT(r.value("chip_hours"), WithinRel(3.15e23 / (measured * 0.58) / 3600, 1e-12));
  // With --mfu (against the vendor peak), the measured ceiling bounds it.
  in.mfu = 0.4;
  r = estimate_training(in, default_catalog());
  CHECK_THAT(r.value("mfu_vs_measured"), WithinRel(0.4 * 989.5e12 / measured, 1e-12));
  in.mfu = 0.9;  // 890 TFLOP/s > the measured ceiling
  CHECK_THROWS_WITH(estimate_training(in, default_catalog()),
                    Catch::Contains("exceeds the calibrated bf16 GEMM ceiling"));
}

TEST_CASE("Train: a calibration names the accelerator when no offer or hardware does", "[train]") {
  TrainInputs in;
  in.model = "gpt3";
  in.calibration = llmcost::load_calibration(std::string(LLMCOST_TEST_DIR) + "/calibration/h100-sxm.toml");
  const auto r = estimate_training(in, default_catalog());
  // Not the default offer's TPU v4: the H100 it measured, bare (no price is invented for it).
  CHECK(r.find("peak_flop_per_s")->value == 989.5e12);
  CHECK(r.find("cost_usd") == nullptr);
  CHECK(r.find("usd_per_chip_hour") == nullptr);
  // An offer still decides when given: one of the H100 it measured is priced.
  in.offer = "aws-p5";
  CHECK(estimate_training(in, default_catalog()).find("usd_per_chip_hour")->value == 98.32 / 8);
  // A TPU v4 offer (275 TFLOP/s peak) is slower than the H100's measured 753.6: refused, since the
  // MFU against the TPU's peak would pass 100%.
  in.offer = "gcp-tpu-v4-1yr";
  CHECK_THROWS_WITH(estimate_training(in, default_catalog()), Catch::Contains("is above the bf16 peak of tpu-v4"));
}

TEST_CASE("Train: --params on a catalog model says what it replaced", "[train]") {
  TrainInputs in;
  in.model = "gpt3";
  in.params = 7e9;
  const auto r = estimate_training(in, default_catalog());
  CHECK(render_text(r.title) == "Training GPT-3 175B resized to 7B parameters on 39 × Google TPU v4 (gcp-tpu-v4-1yr)");
  CHECK(render_text(r.notes.front()) ==
        "--params 7B replaces gpt3's 175B: its other figures (architecture, training tokens) "
        "still come from catalog model gpt3");
  // 6 × 7e9 × 300e9 = 1.26e22: the model's tokens, the given size.
  CHECK_THAT(r.value("train_flop"), WithinRel(1.26e22, 1e-12));
  in.flops_rule = llmcost::FlopsRule::detailed;  // GPT-3's attention term on a 7B model: refused
  CHECK_THROWS_WITH(estimate_training(in, default_catalog()),
                    "--flops-rule detailed takes the architecture of gpt3: it does not hold with --params");
}
