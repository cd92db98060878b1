// Inference estimator: the FLOP rule against docs/reference-case.md §3, the roofline against hand computation.
#include <catch2/catch.hpp>
#include <cmath>

#include "helpers.hpp"
#include "llmcost/error.hpp"
#include "llmcost/infer.hpp"

using Catch::Matchers::WithinRel;
using namespace llmcost;
using llmcost::test::default_catalog;

TEST_CASE("Infer: FLOP rule reproduces docs/reference-case.md §3 on AWS p4d and TPU v4", "[infer][reference]") {
  InferInputs in;
  in.model = "gpt3";
  in.offer = "aws-p4d-1yr";
  in.mfu = 0.213;
  auto r = estimate_inference(in, default_catalog());
  // 2 × 175e9 × 1000 / (312e12 × 0.213) = 5.266 GPU-s per 1K tokens (reference: 5.27).
  CHECK_THAT(r.value("chip_seconds_per_1k_tokens"), WithinRel(5.27, 0.002));
  // 5.266 s × $19.22 / 8 / 3600 = $0.003515 (reference: ≈ $0.0035, ±3%).
  CHECK_THAT(r.value("cost_per_1k_tokens_usd"), WithinRel(0.0035, 0.03));
  in.offer = "gcp-tpu-v4-1yr";
  r = estimate_inference(in, default_catalog());
  // 2 × 175e9 × 1000 / (275e12 × 0.213) = 5.975 s × $2.03 / 3600 = $0.003369 (reference: ≈ $0.0034).
  CHECK_THAT(r.value("cost_per_1k_tokens_usd"), WithinRel(0.0034, 0.03));
}

TEST_CASE("Infer: roofline of Llama 2 70B on 2 × H100, batch 64", "[infer]") {
  InferInputs in;
  in.model = "llama2-70b";
  in.hardware = "h100-sxm";
  in.chips = 2;
  in.batch = 64;
  in.prompt_tokens = 1024;
  in.output_tokens = 256;
  const auto r = estimate_inference(in, default_catalog());
  const auto& m = default_catalog().model("llama2-70b");
  const double n = m.params;
  // KV per token: 80 layers × 2 (K, V) × 8 kv heads × 128 head dim × 2 B = 327,680 B (GQA).
  CHECK_THAT(r.value("kv_bytes_per_token"), WithinRel(327680.0, 1e-12));
  // KV of the batch: 64 × (1024 + 256) × 327,680 B = 26.84 GB.
  CHECK_THAT(r.value("kv_cache_bytes"), WithinRel(64 * 1280 * 327680.0, 1e-12));
  const double weights = 2 * n;
  CHECK_THAT(r.value("weights_bytes"), WithinRel(weights, 1e-12));
  // Weights + KV = 2N + 26.84e9 > 2 × 80e9: does not fit; largest batch = floor((160e9 − 2N) / 419.43e6).
  CHECK(r.value("fits") == 0);
  CHECK(r.value("max_batch_fit") == std::floor((160e9 - weights) / (1280 * 327680.0)));
  // The pass, kernel by kernel (docs/serving.md §1), at the defaults: GEMMs at the H100's measured
  // matmul efficiency 0.803 × plan_runtime_efficiency 0.84 of 989.5 TFLOP/s; memory streams at
  // plan_memory_efficiency 0.85 of 3.35 TB/s; attention at plan_flash_efficiency 0.6 × 0.84.
  const double eff = 0.803 * 0.84, bw = 3.35e12 * 0.85, attn_rate = 989.5e12 * 0.6 * 0.84;
  CHECK_THAT(r.value("compute_efficiency"), WithinRel(eff, 1e-12));
  CHECK_THAT(r.value("bandwidth_efficiency"), WithinRel(0.85, 1e-12));
  // Tensor parallelism over 2 chips on NVLink (450 GB/s × 0.82): 2 all-reduces a layer of
  // 2 × (1/2) × tokens × 64 × 8,192 × 2 B, plus 10 µs each.
  const double link = 450e9 * 0.82;
  const double tp_decode = 2 * 80 * (64 * 8192 * 2 / link + 1e-5);
  const double tp_prefill = 2 * 80 * (1024 * 64 * 8192 * 2 / link + 1e-5);
  // Elementwise bytes per token per chip: 80 layers × (22 × 8,192 + 6 × 28,672 / 2 chips).
  const double elem = 80 * (22 * 8192 + 6 * 28672 / 2.0);
  const double overhead = 80 * 55e-6;  // assumption infer_layer_overhead_s per layer
  const double attn_flop = 4.0 * 80 * 64 * 128;
  // Decode step at context 1024 + 128: the GEMMs' math (2N × 64) and weight stream (2N bytes)
  // combined as √(a² + b²); attention reads 64 × 1,152 × 327,680 B of KV cache.
  const double d_math = 2 * n * 64 / (2 * 989.5e12 * eff), d_weights = weights / (2 * bw);
  const double d_attn = std::max(attn_flop * 1152 * 64 / (2 * attn_rate), 64 * 1152 * 327680.0 / (2 * bw));
  const double tpot = std::hypot(d_math, d_weights) + d_attn + 64 * elem / bw + tp_decode + overhead;
  CHECK_THAT(r.value("time_per_output_token_s"), WithinRel(tpot, 1e-9));
  // Weights and KV streamed (d_weights + 64 × 1,152 × 327,680 B) take longer than the math.
  CHECK(r.find_text("bound")->value == "memory bandwidth");
  // Prefill of 64 × 1,024 tokens: compute bound; causal attention over 1,024 × 1,025 / 2 pairs.
  const double tokens = 64 * 1024.0;
  const double p_math = 2 * n * tokens / (2 * 989.5e12 * eff);
  const double p_attn = std::max(attn_flop * tokens * 1025 / 2 / (2 * attn_rate), tokens * 327680.0 / (2 * bw));
  const double ttft = std::hypot(p_math, d_weights) + p_attn + tokens * elem / bw + tp_prefill + overhead;
  CHECK_THAT(r.value("time_to_first_token_s"), WithinRel(ttft, 1e-9));
  CHECK_THAT(r.value("tokens_per_s"), WithinRel(64 / tpot, 1e-9));
  CHECK(r.find("cost_per_1m_output_tokens_usd") == nullptr);  // no offer: no price invented
}

TEST_CASE("Infer: default batch is the largest that fits, capped", "[infer]") {
  InferInputs in;
  in.model = "llama2-7b";
  in.offer = "runpod-h100";  // one H100 80GB
  in.chips = 1;
  in.prompt_tokens = 1000;
  in.output_tokens = 1000;
  const auto r = estimate_inference(in, default_catalog());
  const auto& m = default_catalog().model("llama2-7b");
  // Llama 2 7B: 32 layers × 2 × 32 heads × 128 × 2 B = 524,288 B per token; 2,000 tokens = 1.049 GB.
  const double fit = std::floor((80e9 - 2 * m.params) / (2000 * 524288.0));
  CHECK(r.value("max_batch_fit") == fit);
  CHECK(r.value("batch") == std::min(fit, 256.0));
  CHECK(r.value("fits") == 1);
  // With a price: output cost per 1M tokens = price/s × TPOT / batch × 1e6.
  const double price = default_catalog().offer("runpod-h100").usd_per_chip_hour();
  CHECK_THAT(r.value("cost_per_1m_output_tokens_usd"),
             WithinRel(price / 3600 * r.value("time_per_output_token_s") / r.value("batch") * 1e6, 1e-12));
}

TEST_CASE("Infer: the latency budget picks the largest batch that meets it", "[infer]") {
  InferInputs in;
  in.model = "llama2-7b";
  in.hardware = "h100-sxm";
  in.chips = 1;
  in.prompt_tokens = 512;
  in.output_tokens = 128;
  in.latency_budget_ms = 1500;
  const auto r = estimate_inference(in, default_catalog());
  const double best = r.value("max_batch_latency_budget");
  REQUIRE(best >= 1);
  // Check the boundary against the report's own model at best and best + 1.
  InferInputs at = in;
  at.latency_budget_ms.reset();
  at.batch = best;
  CHECK(estimate_inference(at, default_catalog()).value("request_latency_s") <= 1.5);
  at.batch = best + 1;
  if (best + 1 <= r.value("max_batch_fit")) {
    CHECK(estimate_inference(at, default_catalog()).value("request_latency_s") > 1.5);
  }
}

TEST_CASE("Infer: quantised weights halve the bytes and fall back to 16-bit matmuls without int8 units", "[infer]") {
  InferInputs in;
  in.model = "llama2-70b";
  in.hardware = "a100-80gb";
  in.chips = 1;
  in.dtype = "int4";
  const auto r = estimate_inference(in, default_catalog());
  CHECK_THAT(r.value("weights_bytes"), WithinRel(default_catalog().model("llama2-70b").params * 0.5, 1e-12));
  CHECK_THAT(r.value("peak_flop_per_s"), WithinRel(312e12, 1e-12));  // bf16 peak, weight-only int4
  in.dtype = "bf16";
  in.hardware = "v100-32gb";
  CHECK_THROWS_WITH(estimate_inference(in, default_catalog()), Catch::Contains("v100-32gb has no bf16 peak"));
}

TEST_CASE("Infer: MLA models use their kv_dim for the KV cache", "[infer]") {
  InferInputs in;
  in.model = "deepseek-v3";
  in.hardware = "h200";
  const auto r = estimate_inference(in, default_catalog());
  // 61 layers × 576 elements × 2 B = 70,272 B per token (DeepSeek-V3 §2.1.1).
  CHECK_THAT(r.value("kv_bytes_per_token"), WithinRel(70272.0, 1e-12));
  // FLOPs per token from the 37B active parameters.
  CHECK_THAT(r.value("flop_per_token"), WithinRel(2 * 37e9, 1e-12));
}

TEST_CASE("Infer: default chips are one multi-chip instance, else the cheapest power of two per output token",
          "[infer]") {
  InferInputs in;
  in.model = "gpt3";
  in.offer = "aws-p4d-1yr";  // 8 × A100 40GB per instance: one instance, reported as not fitting
  auto r = estimate_inference(in, default_catalog());
  CHECK(r.value("chips") == 8);
  CHECK(r.value("fits") == 0);  // 350 GB of fp16 weights > 8 × 40 GB
  // Priced per chip: 350e9 / 34.36e9 = 10.2 → 16 hold the weights (power of two), with little room
  // for the KV cache; of the powers of two up to 8× that divide the 96 heads (16 and 32), the default
  // is the cheapest per output token.
  in.offer = "gcp-tpu-v4-1yr";
  r = estimate_inference(in, default_catalog());
  double cheapest = 0, best = 1e300;
  for (double chips : {16.0, 32.0}) {  // 64 and 128 do not divide GPT-3's 96 heads
    InferInputs at = in;
    at.chips = chips;
    const Report e = estimate_inference(at, default_catalog());
    if (e.value("fits") == 1 && e.value("cost_per_1m_output_tokens_usd") < best)
      best = e.value("cost_per_1m_output_tokens_usd"), cheapest = chips;
  }
  CHECK(r.value("chips") == cheapest);
  CHECK(r.value("cost_per_1m_output_tokens_usd") == best);
  CHECK(r.value("fits") == 1);
  in.offer.clear();
  in.hardware = "tpu-v4";  // bare hardware: the same rule, on chip-seconds
  CHECK(estimate_inference(in, default_catalog()).value("chips") == cheapest);
}
