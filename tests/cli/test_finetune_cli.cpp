// `llmcost finetune`: LoRA and QLoRA sizes and memory against their papers, the frozen base's
// FLOPs against full fine-tuning, DPO's reference, the MFU rule without a shape, input errors.
#include <catch2/catch.hpp>

#include <string>

#include "cli_runner.hpp"
#include "report_json.hpp"

namespace {

using llmcost::test::report;
using llmcost::test::run_llmcost;
using llmcost::test::value;

TEST_CASE("finetune: LoRA trains rank × (d_in + d_out) per adapted matrix", "[finetune]") {
  // Llama 2 7B, rank 8 on q and v (the LoRA paper's and PEFT's default): 32 layers × 2 matrices ×
  // 8 × (4,096 + 4,096) = 4,194,304 trainable parameters; from the catalog and from the Hugging
  // Face config alike.
  for (const std::string& model :
       {std::string("--model llama2-7b"), std::string("--model-config '" LLMCOST_TEST_DIR "/hf/llama-2-7b.json'")}) {
    const auto r = report("finetune " + model + " --tokens 10M --hardware h100-sxm");
    CHECK(value(r, "trainable_params") == 4194304);
    CHECK(value(r, "lora_rank") == 8);
  }
  // Every linear layer at rank 16: q, o 2 × 16 × 8,192; k, v 2 × 16 × 8,192 (MHA); gate, up, down
  // 3 × 16 × (4,096 + 11,008): per layer 1,249,280, × 32.
  const auto all = report("finetune --model llama2-7b --tokens 10M --hardware h100-sxm --rank 16 --targets all");
  CHECK(value(all, "trainable_params") == 32.0 * (4 * 16 * 8192 + 3 * 16 * (4096 + 11008)));
  // Grouped-query attention: Llama 3 8B's k and v map 4,096 to 1,024.
  const auto gqa = report("finetune --model llama3-8b --tokens 10M --hardware h100-sxm --targets k");
  CHECK(value(gqa, "trainable_params") == 32.0 * 8 * (4096 + 1024));
}

TEST_CASE("finetune: QLoRA fits a 65B model on one 48 GB GPU", "[finetune]") {
  // Dettmers et al. 2023: a 65B model finetunes on a single 48 GB GPU (LoRA r = 64 on every linear
  // layer, NF4 base with double quantization, 0.127 bits of constants per parameter).
  const auto r = report("finetune --model llama-65b --method qlora --tokens 10M --hardware a6000");
  CHECK(value(r, "lora_rank") == 64);
  CHECK(value(r, "base_bytes_per_param") == Approx((4 + 0.127) / 8).epsilon(1e-3));
  // Adapters: 80 layers × 64 × (4 × 16,384 + 3 × (8,192 + 22,016)) = 799,539,200.
  const double adapters = 80.0 * 64 * (4 * 16384 + 3 * (8192 + 22016));
  CHECK(value(r, "trainable_params") == adapters);
  // The base as the shape counts it: 80 layers × (4 × 8,192² + 3 × 8,192 × 22,016) + the 32,000 ×
  // 8,192 embedding, at 0.5159 bytes; the adapters in bf16.
  const double base = 80.0 * (4 * 8192.0 * 8192 + 3 * 8192.0 * 22016) + 32000.0 * 8192;
  CHECK(value(r, "weight_bytes") == Approx(base * 0.5159 + adapters * 2).epsilon(1e-9));
  CHECK(value(r, "memory_per_chip_bytes") < 48e9);
  CHECK(r["values"]["fits"] == true);
  // 16-bit full fine-tuning of the same model needs over 780 GB (the paper's figure).
  const auto full = report("finetune --model llama-65b --method full --tokens 10M --hardware a6000");
  CHECK(full["values"]["fits"] == false);
  CHECK(value(full, "weight_bytes") + value(full, "gradient_bytes") + value(full, "optimizer_bytes") > 780e9);
}

TEST_CASE("finetune: a frozen base does two thirds of full fine-tuning's FLOPs; DPO adds a reference", "[finetune]") {
  const std::string base = "finetune --model llama2-7b --tokens 10M --hardware h100-sxm --chips 8 ";
  const auto per_token = [](const nlohmann::json& r) {
    return value(r, "model_flop_per_step") / value(r, "tokens_per_step");
  };
  const auto full = report(base + "--method full");
  const auto lora = report(base + "--method lora");
  // Forward (2N) and input gradients (2N) of the base, no weight gradients (2N), plus the adapters.
  CHECK(per_token(lora) - 6 * value(lora, "trainable_params") == Approx(per_token(full) * 2 / 3).epsilon(1e-9));
  CHECK(value(lora, "tokens_per_s") > value(full, "tokens_per_s"));
  // DPO: one more forward pass of the frozen reference over every token.
  const auto dpo = report(base + "--method full --objective dpo");
  CHECK(per_token(dpo) == Approx(per_token(full) * 4 / 3).epsilon(1e-9));
  // A fully fine-tuned policy holds the reference beside it: twice the weights.
  CHECK(value(dpo, "weight_bytes") > 1.9 * value(full, "weight_bytes"));
  // With LoRA the reference is the base itself: no second copy.
  const auto dpo_lora = report(base + "--objective dpo");
  CHECK(value(dpo_lora, "weight_bytes") == Approx(value(lora, "weight_bytes")).epsilon(0.01));
  // Time = tokens / throughput; cost from the offer's price.
  const auto priced = report("finetune --model llama2-7b --tokens 10M --offer runpod-h100");
  CHECK(value(priced, "wall_time_s") == Approx(10e6 / value(priced, "tokens_per_s")).epsilon(1e-12));
  CHECK(value(priced, "cost_usd") ==
        Approx(value(priced, "chip_hours") * value(priced, "usd_per_chip_hour")).epsilon(1e-12));
}

TEST_CASE("finetune: the MFU rule without the model's shape; input errors", "[finetune]") {
  // 6N FLOPs per token at the default training MFU on one H100.
  const auto r = report("finetune --params 7B --method full --tokens 1B --offer runpod-h100");
  CHECK(value(r, "flop_per_token") == 6 * 7e9);
  CHECK(value(r, "tokens_per_s") == Approx(989.5e12 * value(r, "mfu") / 42e9).epsilon(1e-9));
  for (const auto& [args, message] :
       {std::pair<std::string, std::string>{"finetune --model llama2-7b", "finetune needs --tokens"},
        {"finetune --params 7B --tokens 1B", "the adapters' size needs the model's shape"},
        {"finetune --model llama2-7b --tokens 1B --method full --rank 8", "--rank applies with --method lora or qlora"},
        {"finetune --model llama2-7b --tokens 1B --targets q,x", "unknown matrix 'x'"},
        {"finetune --model llama2-7b --tokens 1B --method adapters", "expected full, lora or qlora"}}) {
    const auto e = run_llmcost(args);
    INFO(args << ": " << e.err);
    CHECK(e.rc == 2);
    CHECK(e.err.find(message) != std::string::npos);
    CHECK(e.out.empty());
  }
}

}  // namespace
