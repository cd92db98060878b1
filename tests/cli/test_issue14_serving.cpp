// Issue 14 (serving): regression tests for the audit's items fixed so far (1, 2, 4). Each failed
// before its fix; the numbers in the comments are the audit's.
#include <catch2/catch.hpp>

#include <cmath>

#include <nlohmann/json.hpp>
#include <string>

#include "cli_runner.hpp"
#include "report_json.hpp"

namespace {

using llmcost::test::report;
using llmcost::test::run_llmcost;

using llmcost::test::value;

TEST_CASE("Issue14: default chips leave room for the KV cache (cheapest per output token)", "[regressions]") {
  // Before: 1 × H200 (140 GB of weights on 141 GB), batch 5, $9.27 per 1M output tokens; --chips 2: $0.314.
  const auto r = report("infer --model llama3-70b --offer runpod-h200");
  CHECK(value(r, "chips") == 2);
  CHECK(value(r, "batch") == 256);
  CHECK(value(r, "cost_per_1m_output_tokens_usd") < 0.5);
  CHECK(r["rows"].dump().find("fewest chip-seconds per output token") != std::string::npos);
  // GPT-3 on TPU v4 (34.36 GB per chip): 16 chips held 350 GB with almost nothing left; now more.
  const auto g = report("infer --model gpt3 --offer gcp-tpu-v4-1yr");
  CHECK(value(g, "chips") > 16);
  CHECK(value(g, "cost_per_1m_output_tokens_usd") < 4.41);
}

TEST_CASE("Issue14: requests longer than the context are refused; prefill and decode count attention",
          "[regressions]") {
  // Before: Llama 2 70B (4,096-token context) at a 128K prompt was accepted.
  const auto r = run_llmcost("infer --model llama2-70b --offer aws-p5 --prompt-tokens 131072");
  CHECK(r.rc == 2);
  CHECK(r.err.find("exceed the 4096-token context llama2-70b serves") != std::string::npos);
  CHECK(r.out.empty());
  // --seq-len stands for a long-context variant.
  CHECK(run_llmcost("infer --model llama2-70b --offer aws-p5 --prompt-tokens 131072 --seq-len 135000").rc == 0);
  // Prefill attention grows with the prompt: at 7,500 prompt tokens on Llama 3 8B (8,192 context)
  // the input cost per token is well above the 500-token one (before: the same, compute-bound 2N).
  // Prefill attention is its own kernel: causal, P·(P + 1)/2 context tokens per sequence, at the
  // 16-bit peak × plan_flash_efficiency 0.6 × plan_runtime_efficiency 0.84 (compute bound here).
  const std::string base = "infer --model llama3-8b --offer runpod-h100 --chips 1 --batch 16 --output-tokens 100 ";
  const auto short_prompt = report(base + "--prompt-tokens 500");
  const auto long_prompt = report(base + "--prompt-tokens 7500");
  // 4 × 32 layers × 32 heads × 128 = 524,288 attention FLOPs per token per context token.
  const double attn = value(long_prompt, "attn_flop_per_context_token");
  CHECK(attn == 524288);
  CHECK(value(long_prompt, "attention_efficiency") == Approx(0.6 * 0.84).epsilon(1e-12));
  const double rate = value(long_prompt, "attention_peak_flop_per_s") * 0.6 * 0.84;
  CHECK(value(long_prompt, "prefill_attention_s") == Approx(attn * 16 * 7500 * 7501 / 2 / rate).epsilon(1e-9));
  // It is part of the time to first token, so the input cost per token grows with the prompt: at
  // 7,500 tokens attention is 524,288 × 3,750.5 / (2 × 8e9) = 12% more FLOPs per token than the
  // GEMMs (at a lower rate), at 500 tokens under 1%.
  CHECK(value(long_prompt, "cost_per_1m_input_tokens_usd") / value(short_prompt, "cost_per_1m_input_tokens_usd") > 1.1);
  // Decode reads the KV cache at the mean context P + O/2 (memory bound at batch 16): 16 × 7,550 ×
  // 131,072 B (32 layers × 2 × 8 KV heads × 128 × 2 B) over 3.35 TB/s × 0.85; TPOT's formula names it.
  CHECK(value(long_prompt, "decode_attention_s") ==
        Approx(16 * 7550 * 131072.0 / (value(long_prompt, "memory_bandwidth_bytes_per_s") * 0.85)).epsilon(1e-9));
  std::string tpot_formula;
  for (const auto& row : long_prompt["rows"])
    if (row["key"] == "time_per_output_token_s") tpot_formula = row["formula"].get<std::string>();
  CHECK(tpot_formula.find("decode_attention_s") != std::string::npos);
}

TEST_CASE("Issue14: ChatGPT-style samples are separate sequences sharing one prompt", "[regressions]") {
  // Before: 5 × 533 output tokens were priced as one 2,667-token generation (its KV context 4× too
  // long). Now the output tokens cost what a 533-token answer costs, the 67-token prompt once.
  const auto s = report("search --method cloud --mode chatgpt --offer gcp-tpu-v4-1yr");
  const auto one = report("infer --model gpt3 --offer gcp-tpu-v4-1yr --prompt-tokens 67 --output-tokens 533");
  CHECK(value(s, "cost_per_1m_output_tokens_usd") == Approx(value(one, "cost_per_1m_output_tokens_usd")).epsilon(1e-9));
  CHECK(value(s, "roofline_cost_per_query_usd") ==
        Approx(value(s, "input_tokens") * value(one, "cost_per_1m_input_tokens_usd") / 1e6 +
               value(s, "output_tokens") * value(one, "cost_per_1m_output_tokens_usd") / 1e6)
            .epsilon(1e-9));
}

}  // namespace

namespace {

TEST_CASE("Issue14: MoE decode reads the experts a batch is expected to visit", "[regressions]") {
  // Before: min(total, batch × active) weights per step, which counts attention and shared weights
  // once per token. Mixtral 8x7B: 32 layers × 8 experts × 3 × 4,096 × 14,336 × 2 B of routed experts;
  // B tokens routed to 2 of 8 leave each expert unvisited with probability (1 − 2/8)^B.
  const double routed = 32.0 * 8 * 3 * 4096 * 14336 * 2;
  for (int b : {1, 4, 16}) {
    const auto r = report("infer --model mixtral-8x7b --offer aws-p5 --prompt-tokens 100 --output-tokens 100 --batch " +
                          std::to_string(b));
    CHECK(value(r, "routed_expert_bytes") == Approx(routed).epsilon(1e-12));
    const double weights = value(r, "weights_bytes");
    const double read = weights - routed * std::pow(0.75, b);
    // The weight stream of a decode step: bytes read / (8 × 3.35 TB/s × plan_memory_efficiency 0.85);
    // the tensor-parallel all-reduces over NVLink (450 GB/s × 0.82), 2 a layer.
    CHECK(value(r, "decode_weights_s") == Approx(read / (8 * 3.35e12 * 0.85)).epsilon(1e-9));
    const double tp = 2 * 32 * (2 * 7.0 / 8 * b * 4096 * 2 / (450e9 * 0.82) + 1e-5);
    CHECK(value(r, "tp_comm_decode_s") == Approx(tp).epsilon(1e-9));
    // The step: the GEMMs' √(math² + weights²), attention, elementwise, all-reduces, 32 × 55 µs.
    const double gemm = std::hypot(value(r, "decode_compute_s"), value(r, "decode_weights_s"));
    CHECK(value(r, "decode_gemm_s") == Approx(gemm).epsilon(1e-12));
    CHECK(value(r, "time_per_output_token_s") ==
          Approx(gemm + value(r, "decode_attention_s") + value(r, "decode_elementwise_s") + tp + 32 * 55e-6)
              .epsilon(1e-9));
  }
}

}  // namespace

namespace {

TEST_CASE("Issue14: infer reports energy and emissions per 1M output tokens", "[regressions]") {
  // Before: no energy or emissions. Two H200 servers' share (DGX H200: 10.2 kW / 8 = 1,275 W per
  // GPU) × PUE 1.1 for the decode time of 1M tokens; × 0.429 kg/kWh.
  const auto r = report("infer --model llama3-70b --offer runpod-h200");
  const double kwh = 2 * 1275 * 1.1 * value(r, "time_per_output_token_s") / value(r, "batch") * 1e6 / 3.6e6;
  CHECK(value(r, "watts_per_chip") == 1275);
  CHECK(value(r, "energy_per_1m_output_tokens_kwh") == Approx(kwh).epsilon(1e-12));
  CHECK(value(r, "co2e_per_1m_output_tokens_kg") == Approx(kwh * 0.429).epsilon(1e-12));
}

}  // namespace

namespace {

TEST_CASE("Issue14: TTFT and TPOT SLOs choose the batch and the chips", "[regressions]") {
  // Before: only a whole-request budget, and the --help example answered 0.
  const auto r = report("infer --model llama3-70b --offer runpod-h200 --ttft-ms 100 --tpot-ms 15");
  CHECK(r["values"]["slo_met"] == true);
  CHECK(value(r, "time_to_first_token_s") <= 0.100);
  CHECK(value(r, "time_per_output_token_s") <= 0.015);
  const double chips = value(r, "chips"), batch = value(r, "batch");
  CHECK(batch == value(r, "max_batch_slo"));
  // One more sequence on the same chips breaks an SLO (or the batch is at the cap).
  const auto more = report("infer --model llama3-70b --offer runpod-h200 --chips " + std::to_string(int(chips)) +
                           " --batch " + std::to_string(int(batch + 1)));
  CHECK(
      (batch == 256 || value(more, "time_to_first_token_s") > 0.100 || value(more, "time_per_output_token_s") > 0.015));
  // The chips are the cheapest power of two that meets them: half as many cannot.
  if (chips > 2) {
    const auto half = report("infer --model llama3-70b --offer runpod-h200 --ttft-ms 100 --tpot-ms 15 --chips " +
                             std::to_string(int(chips / 2)));
    CHECK((half["values"]["slo_met"] == false ||
           value(half, "cost_per_1m_output_tokens_usd") >= value(r, "cost_per_1m_output_tokens_usd")));
  }
  // The --help example answers something.
  const auto help = report("infer --model llama3-8b --offer runpod-h100 --ttft-ms 200 --tpot-ms 20");
  CHECK(value(help, "max_batch_slo") >= 1);
  // An SLO no batch meets says so.
  const auto none = report("infer --model llama3-70b --offer runpod-h200 --chips 2 --tpot-ms 1");
  CHECK(none["values"]["slo_met"] == false);
  CHECK(llmcost::test::notes(none).find("no batch meets the SLOs") != std::string::npos);
}

}  // namespace

namespace {

TEST_CASE("Issue14: tensor parallelism is checked, copies KV heads, pays for its links", "[regressions]") {
  // Before: --chips 3 was accepted for 32 heads / 8 KV heads.
  const auto three = run_llmcost("infer --model llama3-8b --offer runpod-h100 --chips 3");
  CHECK(three.rc == 2);
  CHECK(three.err.find("--chips 3: tensor parallelism splits the 32 attention heads (8 key/value)") !=
        std::string::npos);
  // 16 chips over 8 KV heads: each KV head on 2 chips, the KV cache twice as large.
  const auto base = report("infer --model llama3-8b --offer runpod-h100 --chips 8 --batch 8");
  const auto copies = report("infer --model llama3-8b --offer runpod-h100 --chips 16 --pp 1 --batch 8");
  CHECK(value(copies, "kv_bytes_per_token") == 2 * value(base, "kv_bytes_per_token"));
  // Within one 8-GPU NVLink domain the all-reduces use NVLink; 16 chips in one tensor-parallel group
  // (--pp 1) span two servers: the network.
  CHECK(value(base, "tp_link_bytes_per_s") == Approx(450e9 * 0.82));
  CHECK(value(copies, "tp_link_bytes_per_s") == Approx(50e9 * 0.94));
  // A per-step floor: 2 collectives a layer at 10 µs each. GPT-3 125M on 4 H100s (before: 181 µs
  // a step on 8, with no communication at all).
  const auto tiny = report("infer --model gpt3-125m --hardware h100-sxm --chips 4 --batch 1");
  CHECK(value(tiny, "time_per_output_token_s") >= 2 * 12 * 10e-6);
  CHECK(value(tiny, "tp_comm_decode_s") >= 2 * 12 * 10e-6);
}

}  // namespace

namespace {

TEST_CASE("Issue14: encoder-only models are served in one pass, within their context", "[regressions]") {
  // Before: bert-large decoded 533 output tokens at 43 ms each, 600-token requests over its 512.
  const auto r = report("infer --model bert-large --offer runpod-h100");
  CHECK(value(r, "output_tokens") == 0);
  CHECK(!r["values"].contains("time_per_output_token_s"));
  CHECK(!r["values"].contains("cost_per_1m_output_tokens_usd"));
  CHECK(value(r, "request_latency_s") == value(r, "time_to_first_token_s"));
  CHECK(value(r, "tokens_per_s") == Approx(value(r, "batch") * 67 / value(r, "time_to_first_token_s")));
  CHECK(value(r, "kv_cache_bytes") == 0);
  const auto out = run_llmcost("infer --model bert-large --offer runpod-h100 --output-tokens 10");
  CHECK(out.rc == 2);
  CHECK(out.err.find("encoder-only") != std::string::npos);
  const auto longer = run_llmcost("infer --model bert-large --offer runpod-h100 --prompt-tokens 600");
  CHECK(longer.rc == 2);
  CHECK(longer.err.find("exceed the 512-token context bert-large serves") != std::string::npos);
}

}  // namespace

namespace {

TEST_CASE("Issue14: per-1M prices throughout, and API input and output priced apart", "[regressions]") {
  // Before: the FLOP rule only per 1K tokens beside the roofline's per 1M; one API price for both.
  const auto r = report("infer --model llama3-8b --offer runpod-h100");
  CHECK(value(r, "cost_per_1m_tokens_usd") == Approx(1000 * value(r, "cost_per_1k_tokens_usd")).epsilon(1e-12));
  // 67 input and 2,667 output tokens at $0.50 and $1.50 per 1M.
  const auto s = report("search --method api --api-usd-per-1m-input 0.5 --api-usd-per-1m-output 1.5");
  CHECK(value(s, "api_price_per_query_usd") ==
        Approx(value(s, "input_tokens") * 0.5e-6 + value(s, "output_tokens") * 1.5e-6).epsilon(1e-12));
  const auto one = run_llmcost("search --method api --api-usd-per-1m-input 0.5");
  CHECK(one.rc == 2);
  CHECK(one.err.find("give both") != std::string::npos);
  // Without them the reference's single price stands: 2,733 tokens × $0.02 / 1K.
  const auto ref = report("search --method api");
  CHECK(value(ref, "api_price_per_query_usd") == Approx(value(ref, "tokens_per_query") / 1000 * 0.02).epsilon(1e-12));
}

}  // namespace

namespace {

TEST_CASE("Issue14: a model larger than one server is served in pipeline stages", "[regressions]") {
  // Llama 3 405B in bf16 (810 GB) needs 16 H100s: two 8-GPU NVLink servers. Two stages, tensor
  // parallel within each server; only the activations cross the network.
  const std::string flags = "--model llama3-405b --hardware h100-sxm --prompt-tokens 1000 --output-tokens 200 ";
  const auto r = report("infer " + flags + "--batch 16 --pp 2");
  CHECK(value(r, "chips") == 16);
  CHECK(value(r, "pipeline_stages") == 2);
  CHECK(value(r, "tensor_parallel") == 8);
  CHECK(value(r, "tp_link_bytes_per_s") == Approx(450e9 * 0.82));
  CHECK(value(r, "pp_link_bytes_per_s") == Approx(50e9 * 0.94));
  // The batch of 16 runs as 2 micro-batches of 8; each hop carries 8 × 16,384 × 2 B a token.
  CHECK(value(r, "pp_hops_decode_s") == Approx(8 * 16384 * 2 / (50e9 * 0.94) + 1e-5).epsilon(1e-9));
  CHECK(value(r, "tp_comm_decode_s") ==
        Approx(2 * 126 * (2 * 7.0 / 8 * 8 * 16384 * 2 / (450e9 * 0.82) + 1e-5)).epsilon(1e-9));
  const double pass = value(r, "decode_gemm_s") + value(r, "decode_attention_s") + value(r, "decode_elementwise_s") +
                      value(r, "tp_comm_decode_s") + 126 * 55e-6;
  CHECK(value(r, "time_per_output_token_s") == Approx(pass + value(r, "pp_hops_decode_s")).epsilon(1e-9));
  // The prefill fills the pipeline: 2·pp − 1 = 3 stage times of a micro-batch's pass over 2 stages.
  const double prefill = value(r, "prefill_gemm_s") + value(r, "prefill_attention_s") +
                         value(r, "prefill_elementwise_s") + value(r, "tp_comm_prefill_s") + 126 * 55e-6;
  CHECK(value(r, "time_to_first_token_s") == Approx(prefill * 3 / 2 + value(r, "pp_hops_prefill_s")).epsilon(1e-9));
  // Each stage re-reads its weights for every micro-batch: at a small, memory-bound batch one
  // tensor-parallel group of 16 over the network is cheaper per token, and the default takes it;
  // at a large, compute-bound batch the network's all-reduces cost more than the re-reads.
  for (const char* batch : {"16", "256"}) {
    const auto chosen = report("infer " + flags + "--batch " + batch);
    const auto flat = report("infer " + flags + "--pp 1 --batch " + batch);
    const auto staged = report("infer " + flags + "--pp 2 --batch " + batch);
    const double best = std::min(value(flat, "time_per_output_token_s"), value(staged, "time_per_output_token_s"));
    INFO("batch " << batch);
    CHECK(value(chosen, "time_per_output_token_s") == best);
  }
  CHECK(!report("infer " + flags + "--batch 16")["values"].contains("pipeline_stages"));
  CHECK(value(report("infer " + flags + "--batch 256"), "pipeline_stages") == 2);
  // Stages must divide the chips and not outnumber the layers.
  const auto three = run_llmcost("infer --model llama3-405b --hardware h100-sxm --chips 16 --pp 3");
  CHECK(three.rc == 2);
  CHECK(three.err.find("--pp 3: the pipeline stages must divide the 16 chips of a replica") != std::string::npos);
  const auto many = run_llmcost("infer --model gpt3-125m --hardware h100-sxm --chips 16 --pp 16");
  CHECK(many.rc == 2);
  CHECK(many.err.find("--pp 16: more stages than the 12 layers of gpt3-125m") != std::string::npos);
}

}  // namespace
