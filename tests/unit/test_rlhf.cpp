// `llmcost rlhf` against DeepSpeed-Chat's published times (docs/finetune-rlhf-data.md §1-§2;
// docs/finetune.md §3): each row runs the published configuration (actor, reward model, GPUs, and
// where the script is known its prompts per GPU, generation tensor parallelism and the steps'
// batches and data) with the tool's defaults for every efficiency. Rows the model misses by more
// than 25% are named and checked to still miss, so that a fix moves them into the checked rows.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "helpers.hpp"
#include "llmcost/infer.hpp"
#include "llmcost/rlhf.hpp"

namespace llmcost {
namespace {

using test::default_catalog;

RlhfInputs inputs(const char* actor, const char* gpu, double chips) {
  RlhfInputs in;
  in.actor = actor;
  in.reward = "opt-350m";
  in.hardware = gpu;
  in.chips = chips;
  return in;
}

// The scripts behind the per-step tables (docs/finetune-rlhf-data.md §2).
RlhfInputs opt13b_node(const char* gpu) {
  RlhfInputs in = inputs("opt-13b", gpu, 8);
  in.batch_per_gpu = 16, in.gen_tp = 2;
  return in;
}
RlhfInputs opt66b_cluster() {
  RlhfInputs in = inputs("opt-66b", "a100-80gb", 64);
  in.batch_per_gpu = 4, in.gen_tp = 8, in.rm_batch = 2;
  return in;
}
RlhfInputs opt1b_a6000() {
  RlhfInputs in = inputs("opt-1.3b", "a6000", 1);
  in.sft_samples = 45754, in.sft_epochs = 1, in.sft_batch = 16, in.rm_pairs = 15251, in.rm_batch = 16;
  in.prompts = 15251, in.batch_per_gpu = 16;
  return in;
}

struct Row {
  const char* id;
  RlhfInputs in;
  const char* key;
  double published_s;
  bool known_miss;
};

TEST_CASE("rlhf: DeepSpeed-Chat's published step times", "[rlhf]") {
  const Row rows[] = {
      {"step 3, OPT-13B, 8 × A100-80GB", opt13b_node("a100-80gb"), "step3_time_s", 9 * 3600.0, true},
      {"step 3, OPT-30B, 8 × A100-80GB", inputs("opt-30b", "a100-80gb", 8), "step3_time_s", 18 * 3600.0, true},
      {"step 3, OPT-13B, 64 × A100-80GB", inputs("opt-13b", "a100-80gb", 64), "step3_time_s", 1.25 * 3600, false},
      {"step 3, OPT-175B, 64 × A100-80GB", inputs("opt-175b", "a100-80gb", 64), "step3_time_s", 20 * 3600.0, false},
      {"step 1, OPT-13B, 8 × A100-40GB", opt13b_node("a100-40gb"), "step1_time_s", 2.5 * 3600, false},
      {"step 2, OPT-350M, 8 × A100-40GB", opt13b_node("a100-40gb"), "step2_time_s", 0.25 * 3600, false},
      {"step 3, OPT-13B, 8 × A100-40GB", opt13b_node("a100-40gb"), "step3_time_s", 10.8 * 3600, true},
      {"step 1, OPT-66B, 64 × A100-80GB", opt66b_cluster(), "step1_time_s", 82 * 60.0, true},
      {"step 2, OPT-350M, 64 × A100-80GB", opt66b_cluster(), "step2_time_s", 5 * 60.0, false},
      {"step 3, OPT-66B, 64 × A100-80GB", opt66b_cluster(), "step3_time_s", 7.5 * 3600, true},
      {"step 1, OPT-1.3B, 1 × A6000", opt1b_a6000(), "step1_time_s", 2900, false},
      {"step 2, OPT-350M, 1 × A6000", opt1b_a6000(), "step2_time_s", 670, false},
      {"step 3, OPT-1.3B, 1 × A6000", opt1b_a6000(), "step3_time_s", 1.2 * 3600, false},
  };
  const bool show = std::getenv("LLMCOST_RLHF_TABLE") != nullptr;
  std::vector<double> step3_ratios, training_ratios;  // published / predicted
  for (const Row& row : rows) {
    const Report r = estimate_rlhf(row.in, default_catalog());
    const double predicted = r.value(row.key), err = predicted / row.published_s - 1;
    if (show) {
      std::printf("| %s | %.3g h | %.3g h | %+.1f%% | %.3f |\n", row.id, row.published_s / 3600, predicted / 3600,
                  100 * err, row.published_s / predicted);
    }
    INFO(row.id << ": published " << row.published_s << " s, predicted " << predicted << " s");
    if (row.known_miss) {
      CHECK(std::abs(err) > 0.25);
    } else {
      CHECK(std::abs(err) <= 0.25);
    }
    (std::string(row.key) == "step3_time_s" ? step3_ratios : training_ratios).push_back(row.published_s / predicted);
  }
  // The catalog's validation-error spreads are these rows' published / predicted ratios (to three
  // decimals): a change to the model that moves a row must carry its new ratio into the catalog.
  for (const auto& [id, ratios] : {std::pair<const char*, std::vector<double>>{"rlhf_step3_time_error", step3_ratios},
                                   {"rlhf_training_time_error", training_ratios}}) {
    INFO(id);
    const Assumption& a = default_catalog().assumption(id);
    REQUIRE(a.spread);
    std::vector<double> catalog = a.spread->values, measured = ratios;
    std::sort(catalog.begin(), catalog.end());
    std::sort(measured.begin(), measured.end());
    REQUIRE(catalog.size() == measured.size());
    for (size_t i = 0; i < catalog.size(); ++i) CHECK(catalog[i] == Approx(measured[i]).margin(6e-4));
  }
}

TEST_CASE("rlhf: a PPO step is generation, scoring and training; the run is its steps", "[rlhf]") {
  RlhfInputs in = opt13b_node("a100-80gb");
  in.offer = "azure-nd-a100-80gb-2023";
  in.hardware.clear();
  const Report r = estimate_rlhf(in, default_catalog());
  CHECK(r.value("ppo_step_s") == Approx(r.value("gather_s") + r.value("generation_s") + r.value("experience_s") +
                                        r.value("train_actor_s") + r.value("train_critic_s"))
                                     .epsilon(1e-12));
  // 264,292 prompts over 8 GPUs at 16 a step: ceil(33,037 / 16) = 2,065 steps (DeepSpeed-Chat's count).
  CHECK(r.value("ppo_steps") == 2065);
  CHECK(r.value("step3_time_s") == Approx(2065 * r.value("ppo_step_s")).epsilon(1e-12));
  CHECK(r.value("total_time_s") ==
        Approx(r.value("step1_time_s") + r.value("step2_time_s") + r.value("step3_time_s")).epsilon(1e-12));
  CHECK(r.value("step3_cost_usd") == Approx(r.value("step3_time_s") * 8 / 3600 * 4.0).epsilon(1e-9));
  // DeepSpeed-Chat's LoRA: rank 128 on every decoder linear of OPT-13B (q, k, v, o of 5,120 → 5,120;
  // fc1, fc2 of 5,120 ↔ 20,480; 40 layers) = 471,859,200, plus the 50,272 × 5,120 embedding.
  CHECK(r.value("actor_trainable_params") == 128.0 * (4 * 10240 + 2 * 25600) * 40 + 50272.0 * 5120);
  // Step 1: 132,147 samples × 2 epochs × 512 tokens; step 2: 264,292 pairs × 2 × 512.
  CHECK(r.value("sft_tokens") == 132147.0 * 2 * 512);
  CHECK(r.value("rm_tokens") == 264292.0 * 2 * 512);
  // Generation is `infer`'s request at 16 × 2 prompts on 2 chips, with the hybrid engine's
  // per-layer overhead (assumption rlhf_generation_layer_overhead_s).
  InferInputs gen;
  gen.model = "opt-13b", gen.hardware = "a100-80gb", gen.chips = 2, gen.pp = 1, gen.batch = 32;
  gen.prompt_tokens = 256, gen.output_tokens = 256, gen.dtype = gen.kv_dtype = "bf16";
  gen.layer_overhead = 2.2e-4;
  CHECK(r.value("generation_s") ==
        Approx(estimate_inference(gen, default_catalog()).value("request_latency_s")).epsilon(1e-12));
}

TEST_CASE("rlhf: OPT-13B fits one A100-80GB; the largest actor per GPU", "[rlhf]") {
  const Report one = estimate_rlhf(inputs("opt-13b", "a100-80gb", 1), default_catalog());
  CHECK(one.value("fits") == 1);
  CHECK(one.value("memory_per_gpu_bytes") <= 80e9);
  // DeepSpeed-Chat's Table 3, the largest actor trained on one GPU: V100 32GB OPT-2.7B, A6000
  // OPT-6.7B, A100-80GB OPT-13B (A100-40GB, OPT-6.7B there, the model puts at OPT-2.7B).
  for (const auto& [gpu, largest] : {std::pair<const char*, const char*>{"a100-80gb", "opt-13b"},
                                     {"a6000", "opt-6.7b"},
                                     {"v100-32gb", "opt-2.7b"}}) {
    INFO(gpu);
    CHECK(estimate_rlhf(inputs("opt-1.3b", gpu, 1), default_catalog()).find_text("largest_actor")->value == largest);
  }
  // OPT-30B does not fit one A100-80GB.
  CHECK(estimate_rlhf(inputs("opt-30b", "a100-80gb", 1), default_catalog()).value("fits") == 0);
}

}  // namespace
}  // namespace llmcost
