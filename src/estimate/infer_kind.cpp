#include <fmt/format.h>

#include "estimate/field_parsers.hpp"
#include "estimate/infer_kind.hpp"
#include "estimate/uncertainty_rows.hpp"
#include "llmcost/error.hpp"
#include "llmcost/hf_config.hpp"
#include "llmcost/units.hpp"

namespace llmcost {
namespace {

using F = Field<InferInputs>;

std::string parse_serving_dtype(std::string_view text, bool allow_int4) {
  for (std::string_view d : {"fp32", "fp16", "bf16", "fp8", "int8", "int4"}) {
    if (text == d && (allow_int4 || d != "int4")) return std::string(text);
  }
  throw InputError(fmt::format("expected fp32, fp16, bf16, fp8, int8{}, got '{}'", allow_int4 ? " or int4" : "", text));
}

}  // namespace

const std::vector<F>& infer_fields() {
  static const std::vector<F> fields = [] {
    std::vector<F> v{
        {"model", "ID", "catalog model id or alias (see 'llmcost list models')",
         [](InferInputs& in, std::string_view t) { in.model = parse_id(t); }},
        {"model-config", "FILE", "Hugging Face config.json to read the architecture from (instead of --model)",
         [](InferInputs& in, std::string_view t) { in.model_config = load_hf_config(parse_file(t)); }},
        {"params", "COUNT", "parameter count, e.g. 7B (overrides the model's)",
         [](InferInputs& in, std::string_view t) { in.params = parse_count(t); }},
        {"hardware", "ID", "accelerator id (default: the offer's)",
         [](InferInputs& in, std::string_view t) { in.hardware = parse_id(t); }},
        {"offer", "ID", "cloud offer id: price and accelerator (default: assumption default_infer_offer)",
         [](InferInputs& in, std::string_view t) { in.offer = parse_id(t); }},
        {"mfu", "FRACTION", "utilisation for the FLOP rule, e.g. 21.3% (default: assumption infer_mfu)",
         [](InferInputs& in, std::string_view t) { in.mfu = parse_fraction(t); }},
        {"dtype", "DTYPE", "weight dtype: fp32, fp16, bf16, fp8, int8, int4 (default: bf16, else fp16)",
         [](InferInputs& in, std::string_view t) { in.dtype = parse_serving_dtype(t, true); }},
        {"kv-dtype", "DTYPE", "KV cache dtype: fp32, fp16, bf16, fp8, int8 (default: 16-bit)",
         [](InferInputs& in, std::string_view t) { in.kv_dtype = parse_serving_dtype(t, false); }},
        {"chips", "N",
         "chips per replica (default: one instance of a multi-chip offer, else the cheapest per token from what holds "
         "the weights)",
         [](InferInputs& in, std::string_view t) { in.chips = parse_whole(t, "chips"); }},
        {"pp", "N",
         "pipeline stages per replica, tensor parallel within each (default: one stage per scale-up domain when the "
         "chips span several, else 1)",
         [](InferInputs& in, std::string_view t) { in.pp = parse_whole(t, "pp"); }},
        {"batch", "N", "concurrent sequences (default: the largest that fits, at most assumption infer_max_batch)",
         [](InferInputs& in, std::string_view t) { in.batch = parse_whole(t, "sequences"); }},
        {"prompt-tokens", "N", "prompt tokens per request (default: assumption infer_prompt_tokens)",
         [](InferInputs& in, std::string_view t) { in.prompt_tokens = parse_whole(t, "tokens"); }},
        {"output-tokens", "N", "generated tokens per request (default: assumption infer_output_tokens)",
         [](InferInputs& in, std::string_view t) { in.output_tokens = parse_whole(t, "tokens"); }},
        {"seq-len", "TOKENS",
         "longest prompt + output the model serves (default: its max_seq_len, else the context it was trained at)",
         [](InferInputs& in, std::string_view t) { in.seq_len = parse_whole(t, "tokens"); }},
        {"compute-efficiency", "FRACTION",
         "achieved share of peak FLOP/s (default: the chip's matmul_efficiency × assumption plan_runtime_efficiency; "
         "with --calibration, plan_runtime_efficiency of the measured rate)",
         [](InferInputs& in, std::string_view t) { in.compute_efficiency = parse_fraction(t); }},
        {"bandwidth-efficiency", "FRACTION",
         "achieved share of peak memory bandwidth (default: assumption plan_memory_efficiency; 1 with --calibration)",
         [](InferInputs& in, std::string_view t) { in.bandwidth_efficiency = parse_fraction(t); }},
        {"cached-prompt-tokens", "N",
         "leading prompt tokens every request shares (a system prompt), prefilled once and held once in the KV cache "
         "(default: 0)",
         [](InferInputs& in, std::string_view t) { in.cached_prompt_tokens = parse_whole(t, "cached-prompt-tokens"); }},
        {"draft-model", "ID",
         "speculative decoding: a small catalog model that proposes tokens for the target to check",
         [](InferInputs& in, std::string_view t) { in.draft_model = parse_id(t); }},
        {"spec-tokens", "K", "tokens the draft proposes per step (default: assumption infer_spec_tokens)",
         [](InferInputs& in, std::string_view t) { in.spec_tokens = parse_whole(t, "spec-tokens"); }},
        {"acceptance", "FRACTION",
         "probability the target accepts each proposed token (default: assumption infer_spec_acceptance)",
         [](InferInputs& in, std::string_view t) { in.acceptance = parse_fraction(t); }},
        {"calibration", "FILE", "calibration file from 'llmcost calibrate --out': measured GEMM and bandwidth ceilings",
         [](InferInputs& in, std::string_view t) { in.calibration = load_calibration(parse_file(t)); }},
        {"ttft-ms", "MS", "SLO: time to first token at most this; the batch (and default chips) meet it",
         [](InferInputs& in, std::string_view t) { in.ttft_ms = parse_positive(t, "ms"); }},
        {"tpot-ms", "MS", "SLO: time per output token at most this; the batch (and default chips) meet it",
         [](InferInputs& in, std::string_view t) { in.tpot_ms = parse_positive(t, "ms"); }},
        {"latency-budget-ms", "MS", "report the largest batch whose request latency stays within this budget",
         [](InferInputs& in, std::string_view t) { in.latency_budget_ms = parse_positive(t, "ms"); }},
    };
    add_uncertainty_fields(
        v, "ranges of cost, latency, throughput, energy and emissions by Monte Carlo over the assumptions' spreads");
    return v;
  }();
  return fields;
}

const EstimateKind& infer_kind() {
  static const KindOf<InferInputs> kind(
      {"infer", "cost and speed of serving a model: FLOP rule and roofline (prefill, decode, KV cache)",
       "Examples:\n"
       "  llmcost infer --model gpt3 --offer aws-p4d-1yr --mfu 21.3%\n"
       "  llmcost infer --model llama2-70b --hardware h100-sxm --chips 2 --batch 64 --prompt-tokens 1024 \\\n"
       "                --output-tokens 256\n"
       "  llmcost infer --model llama3-8b --offer runpod-h100 --ttft-ms 200 --tpot-ms 20\n"
       "  llmcost infer --model-config path/to/config.json --offer lambda-h100-8x --dtype fp8\n"
       "  llmcost infer --model llama3-70b --offer lambda-h100-8x --batch 8 --draft-model llama3-8b --spec-tokens 4\n"
       "  llmcost infer --model llama3-8b --offer runpod-h100 --prompt-tokens 2000 --cached-prompt-tokens 1500",
       infer_fields, estimate_inference});
  return kind;
}

}  // namespace llmcost
