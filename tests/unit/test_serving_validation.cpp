// The serving model against published measurements (docs/serving-validation.md, the rows by ID;
// docs/serving.md §3, the table): FasterTransformer's 13B on A100 (kipply), TensorRT-LLM's
// performance tables (v0.9.0, v0.6.1 and v0.5 data, the v0.5.0 H100-vs-A100 blog), vLLM's CI
// latency test and NVIDIA NIM at concurrency 1. Each row runs `infer` with the published model,
// GPU, tensor-parallel degree, batch, prompt and output lengths and dtypes, and the tool's
// defaults for every efficiency. The defaults infer_layer_overhead_s and infer_roofline_knee were
// fitted to the TensorRT-LLM v0.9.0 dense rows only ("T9-"); the other rows are held out.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "llmcost/infer.hpp"

namespace llmcost {
namespace {

enum class Metric { ttft, tpot, latency, throughput };  // throughput: output tok/s per GPU

struct Published {
  const char* id;
  const char* model;
  const char* gpu;
  int tp, batch, prompt, output;
  const char* dtype;  // weights and KV cache
  Metric metric;
  double value;     // ms, or tokens/s per GPU
  bool known_miss;  // outside ±25%, named in docs/serving.md §3 with the reason
};

constexpr const char* kA100 = "a100-80gb";  // TensorRT-LLM's A100 rows: SXM 80GB (docs/serving-validation.md §2)
constexpr Metric kTtft = Metric::ttft, kTpot = Metric::tpot, kLat = Metric::latency, kThr = Metric::throughput;

const Published kRows[] = {
    // FasterTransformer, kipply's "Transformer Inference Arithmetic" (A100 40GB, 16-bit).
    {"K1", "opt-13b", "a100-40gb", 1, 1, 512, 10, "fp16", kTpot, 22.04, false},
    {"K2", "opt-13b", "a100-40gb", 2, 1, 512, 10, "fp16", kTpot, 13.54, false},
    {"K3", "opt-13b", "a100-40gb", 1, 1, 512, 10, "fp16", kTtft, 63.17, false},
    {"K4", "opt-13b", "a100-40gb", 2, 1, 512, 10, "fp16", kTtft, 45.45, false},
    // TensorRT-LLM v0.9.0 performance page: batch-1 first-token latency, static-batch throughput.
    {"T9-1", "gpt-j-6b", kA100, 1, 1, 128, 1, "fp16", kTtft, 14.8, false},
    {"T9-2", "gpt-j-6b", kA100, 1, 1, 2048, 1, "fp16", kTtft, 136.4, false},
    {"T9-3", "llama2-7b", kA100, 1, 1, 128, 1, "fp16", kTtft, 16.2, false},
    {"T9-4", "llama2-7b", kA100, 1, 1, 2048, 1, "fp16", kTtft, 132.4, false},
    {"T9-5", "llama2-70b", kA100, 4, 1, 128, 1, "fp16", kTtft, 45.6, false},
    {"T9-6", "llama2-70b", kA100, 8, 1, 2048, 1, "fp16", kTtft, 249.2, false},
    {"T9-7", "llama2-7b", "h100-sxm", 1, 1, 128, 1, "fp8", kTtft, 6.3, false},
    {"T9-8", "llama2-7b", "h100-sxm", 1, 1, 2048, 1, "fp8", kTtft, 30.8, false},
    {"T9-9", "llama2-70b", "h100-sxm", 4, 1, 128, 1, "fp8", kTtft, 19.6, false},
    {"T9-10", "llama2-70b", "h100-sxm", 8, 1, 2048, 1, "fp8", kTtft, 85.1, false},
    {"T9-11", "mixtral-8x7b", "h100-sxm", 2, 1, 2048, 1, "fp8", kTtft, 89.5, true},
    {"T9-12", "llama2-7b", "h200", 1, 1, 2048, 1, "fp8", kTtft, 30.2, false},
    {"T9-13", "llama2-70b", "h200", 4, 1, 2048, 1, "fp8", kTtft, 103.0, false},
    {"T9-14", "gpt-j-6b", kA100, 1, 512, 128, 128, "fp16", kThr, 5876, false},
    {"T9-15", "llama2-7b", kA100, 1, 256, 128, 128, "fp16", kThr, 5390, false},
    {"T9-16", "llama2-7b", kA100, 1, 32, 128, 2048, "fp16", kThr, 1484, false},
    {"T9-17", "llama2-7b", kA100, 1, 32, 2048, 128, "fp16", kThr, 533, false},
    {"T9-18", "llama2-7b", kA100, 1, 16, 2048, 2048, "fp16", kThr, 603, false},
    {"T9-19", "llama2-70b", kA100, 4, 1024, 128, 128, "fp16", kThr, 686, false},
    {"T9-20", "llama2-7b", "h100-sxm", 1, 896, 128, 128, "fp8", kThr, 19854, false},
    {"T9-21", "llama2-7b", "h100-sxm", 1, 120, 128, 2048, "fp8", kThr, 6944, false},
    {"T9-22", "llama2-7b", "h100-sxm", 1, 84, 2048, 128, "fp8", kThr, 2163, false},
    {"T9-23", "llama2-70b", "h100-sxm", 2, 1024, 128, 128, "fp8", kThr, 3214, false},
    {"T9-24", "llama2-70b", "h100-sxm", 2, 96, 2048, 128, "fp8", kThr, 346, false},
    {"T9-25", "llama2-70b", "h200", 1, 1024, 128, 128, "fp8", kThr, 3989, false},
    {"T9-26", "llama2-70b", "h200", 1, 64, 2048, 128, "fp8", kThr, 418, false},
    // TensorRT-LLM v0.6.1 page (throughput v0.6.1, batch-1 latency from v0.5).
    {"T6-1", "gpt-j-6b", kA100, 1, 1, 128, 1, "fp16", kTtft, 12, false},
    {"T6-2", "gpt-j-6b", kA100, 1, 1, 2048, 1, "fp16", kTtft, 129, false},
    {"T6-3", "llama2-7b", kA100, 1, 1, 2048, 1, "fp16", kTtft, 133, false},
    {"T6-4", "llama2-70b", kA100, 4, 1, 2048, 1, "fp16", kTtft, 377, false},
    {"T6-5", "llama2-7b", "h100-sxm", 1, 1, 2048, 1, "fp8", kTtft, 36, false},
    {"T6-6", "llama2-70b", "h100-sxm", 4, 1, 2048, 1, "fp8", kTtft, 109, false},
    {"T6-7", "gpt-j-6b", kA100, 1, 512, 128, 128, "fp16", kThr, 6374, false},
    {"T6-8", "llama2-7b", kA100, 1, 384, 128, 128, "fp16", kThr, 5586, false},
    {"T6-9", "llama2-7b", kA100, 1, 52, 2048, 128, "fp16", kThr, 591, false},
    {"T6-10", "llama2-7b", "h100-sxm", 1, 768, 128, 128, "fp8", kThr, 19694, false},
    // TensorRT-LLM v0.5.0 blog "H100 has 4.6x A100 Performance" (SXM 80GB, TP1).
    {"B1", "gpt-j-6b", kA100, 1, 64, 128, 128, "fp16", kThr, 3679, false},
    {"B2", "gpt-j-6b", kA100, 1, 64, 128, 128, "fp16", kTtft, 481, false},
    {"B4", "gpt-j-6b", kA100, 1, 1, 128, 1, "fp16", kTtft, 12.5, false},
    {"B5", "gpt-j-6b", "h100-sxm", 1, 64, 128, 128, "fp8", kThr, 10907, false},
    {"B6", "gpt-j-6b", "h100-sxm", 1, 64, 128, 128, "fp8", kTtft, 102, false},
    {"B8", "gpt-j-6b", "h100-sxm", 1, 1, 128, 1, "fp8", kTtft, 7.1, true},
    // vLLM CI latency test (H200, batch 8, 32 in / 128 out, whole batch end to end, BF16).
    {"V1", "llama3-8b", "h200", 1, 8, 32, 128, "bf16", kLat, 833.421, false},
    {"V2", "llama3-70b", "h200", 4, 8, 32, 128, "bf16", kLat, 2077.53, false},
    {"V3", "mixtral-8x7b", "h200", 2, 8, 32, 128, "bf16", kLat, 1917.44, false},
    // NVIDIA NIM 1.8.0, Llama 3.3 70B FP8 on 2 × H100, concurrency 1.
    {"N1", "llama3-70b", "h100-sxm", 2, 1, 5000, 500, "fp8", kTpot, 18.58, false},
    {"N1t", "llama3-70b", "h100-sxm", 2, 1, 5000, 500, "fp8", kTtft, 406.77, false},
    {"N2", "llama3-70b", "h100-sxm", 2, 1, 500, 2000, "fp8", kTpot, 18.91, false},
    {"N2t", "llama3-70b", "h100-sxm", 2, 1, 500, 2000, "fp8", kTtft, 47.77, false},
};

double predict(const Published& p) {
  InferInputs in;
  in.model = p.model;
  in.hardware = p.gpu;
  in.chips = p.tp;
  in.batch = p.batch;
  in.prompt_tokens = p.prompt;
  in.output_tokens = p.output;
  in.seq_len = p.prompt + p.output;  // GPT-J's 2,048-token prompt + 1 output token, as TensorRT-LLM ran it
  in.dtype = in.kv_dtype = p.dtype;
  const Report r = estimate_inference(in, test::default_catalog());
  const double latency = r.value("request_latency_s");
  switch (p.metric) {
    case Metric::ttft: return r.value("time_to_first_token_s") * 1e3;
    case Metric::tpot: return r.value("time_per_output_token_s") * 1e3;
    case Metric::latency: return latency * 1e3;
    case Metric::throughput: break;
  }
  // Static batch: every sequence's output over the whole run (prefill included), per GPU.
  return p.batch * p.output / latency / p.tp;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

TEST_CASE("serving model: published TensorRT-LLM, FasterTransformer, vLLM and NIM rows within 25%", "[serve]") {
  const bool show = std::getenv("LLMCOST_SERVE_TABLE") != nullptr;
  std::vector<double> all, held_out, fitted;
  for (const Published& p : kRows) {
    const double predicted = predict(p);
    const double err = predicted / p.value - 1;
    if (show) std::printf("| %s | %.4g | %.4g | %+.1f%% |\n", p.id, p.value, predicted, 100 * err);
    all.push_back(std::abs(err));
    (std::string(p.id).rfind("T9-", 0) == 0 && !p.known_miss ? fitted : held_out).push_back(std::abs(err));
    INFO(p.id << " " << p.model << " on " << p.tp << " × " << p.gpu << ", batch " << p.batch << ", " << p.prompt
              << " / " << p.output << " tokens: published " << p.value << ", predicted " << predicted);
    if (p.known_miss) {
      CHECK(err < -0.25);  // still a miss: when the model catches it, move it into the checked rows
    } else {
      CHECK(std::abs(err) <= 0.25);
    }
  }
  if (show)
    std::printf("median |error|: all %.1f%%, fitted %.1f%%, held out %.1f%%\n", 100 * median(all), 100 * median(fitted),
                100 * median(held_out));
  CHECK(median(all) <= 0.10);
  CHECK(median(held_out) <= 0.10);
}

// The rows the issue named: FasterTransformer's TP1 and TP2 figures as kipply quotes them.
TEST_CASE("serving model: FasterTransformer 13B on A100, 22.0 / 13.5 ms per token, 63 / 45 ms prefill", "[serve]") {
  for (const Published& p : kRows) {
    if (p.id[0] != 'K') continue;
    INFO(p.id);
    CHECK(predict(p) == Approx(p.value).epsilon(0.25));
  }
}

}  // namespace
}  // namespace llmcost
