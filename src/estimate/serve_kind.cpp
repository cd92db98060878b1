#include <fmt/format.h>

#include "estimate/field_parsers.hpp"
#include "estimate/kind.hpp"
#include "estimate/uncertainty_rows.hpp"
#include "llmcost/error.hpp"
#include "llmcost/hf_config.hpp"
#include "llmcost/serve.hpp"
#include "llmcost/text.hpp"
#include "llmcost/units.hpp"

namespace llmcost {
namespace {

// "a,b,c": offer ids, none empty.
std::vector<std::string> parse_offers(std::string_view text) {
  std::vector<std::string> out = split(text, ',');
  for (const std::string& id : out) {
    if (id.empty()) throw InputError(fmt::format("expected offer ids separated by commas, got '{}'", text));
  }
  return out;
}

const std::vector<Field<ServeInputs>>& serve_fields() {
  static const std::vector<Field<ServeInputs>> f = [] {
    std::vector<Field<ServeInputs>> v{
        {"model", "ID", "catalog model id or alias",
         [](ServeInputs& in, std::string_view t) { in.serving.model = parse_id(t); }},
        {"model-config", "FILE", "Hugging Face config.json to read the architecture from (instead of --model)",
         [](ServeInputs& in, std::string_view t) { in.serving.model_config = load_hf_config(parse_file(t)); }},
        {"offer", "IDS", "cloud offer id, or several to compare: a,b,c (default: assumption default_infer_offer)",
         [](ServeInputs& in, std::string_view t) { in.offers = parse_offers(t); }},
        {"rps", "RATE", "mean requests per second",
         [](ServeInputs& in, std::string_view t) { in.rps = parse_positive(t); }},
        {"tokens-per-day", "COUNT", "mean tokens a day, input + output, e.g. 10B (instead of --rps)",
         [](ServeInputs& in, std::string_view t) { in.tokens_per_day = parse_count(t); }},
        {"peak-to-mean", "RATIO", "peak over mean traffic, provisioned for (default: assumption serve_peak_to_mean)",
         [](ServeInputs& in, std::string_view t) { in.peak_to_mean = parse_factor(t); }},
        {"prompt-tokens", "N", "prompt tokens per request (default: assumption infer_prompt_tokens)",
         [](ServeInputs& in, std::string_view t) { in.serving.prompt_tokens = parse_whole(t, "tokens"); }},
        {"output-tokens", "N", "generated tokens per request (default: assumption infer_output_tokens)",
         [](ServeInputs& in, std::string_view t) { in.serving.output_tokens = parse_whole(t, "tokens"); }},
        {"dtype", "DTYPE", "weight dtype: fp16, bf16, fp8, int8, int4 (default: bf16, else fp16)",
         [](ServeInputs& in, std::string_view t) { in.serving.dtype = parse_id(t); }},
        {"kv-dtype", "DTYPE", "KV cache dtype (default: 16-bit)",
         [](ServeInputs& in, std::string_view t) { in.serving.kv_dtype = parse_id(t); }},
        {"chips", "N", "chips per replica (default: as llmcost infer chooses them)",
         [](ServeInputs& in, std::string_view t) { in.serving.chips = parse_whole(t, "chips"); }},
        {"pp", "N", "pipeline stages per replica (default: as llmcost infer chooses them)",
         [](ServeInputs& in, std::string_view t) { in.serving.pp = parse_whole(t, "pp"); }},
        {"cached-prompt-tokens", "N", "leading prompt tokens every request shares, prefilled once (default: 0)",
         [](ServeInputs& in, std::string_view t) {
           in.serving.cached_prompt_tokens = parse_whole(t, "cached-prompt-tokens");
         }},
        {"draft-model", "ID", "speculative decoding with this draft model",
         [](ServeInputs& in, std::string_view t) { in.serving.draft_model = parse_id(t); }},
        {"spec-tokens", "K", "tokens the draft proposes per step (default: assumption infer_spec_tokens)",
         [](ServeInputs& in, std::string_view t) { in.serving.spec_tokens = parse_whole(t, "spec-tokens"); }},
        {"acceptance", "FRACTION", "acceptance rate per proposed token (default: assumption infer_spec_acceptance)",
         [](ServeInputs& in, std::string_view t) { in.serving.acceptance = parse_fraction(t); }},
        {"ttft-ms", "MS", "SLO: time to first token at most this",
         [](ServeInputs& in, std::string_view t) { in.serving.ttft_ms = parse_positive(t, "ms"); }},
        {"tpot-ms", "MS", "SLO: time per output token at most this",
         [](ServeInputs& in, std::string_view t) { in.serving.tpot_ms = parse_positive(t, "ms"); }},
    };
    add_uncertainty_fields(
        v, "ranges of replicas, cost, latency, energy and emissions by Monte Carlo over the assumptions' spreads");
    return v;
  }();
  return f;
}

}  // namespace

const EstimateKind& serve_kind() {
  static const KindOf<ServeInputs> kind(
      {"serve", "capacity for a traffic level: replicas, accelerators, utilisation, $ a month, $ per 1M tokens",
       "Examples:\n"
       "  llmcost serve --model llama3-70b --offer runpod-h200 --rps 20 --ttft-ms 500 --tpot-ms 50\n"
       "  llmcost serve --model llama3-8b --offer runpod-h100,aws-p5,lambda-h100-8x --tokens-per-day 10B\n"
       "  llmcost serve --model llama3-70b --offer aws-p5 --rps 5 --prompt-tokens 4000 --output-tokens 300",
       serve_fields, estimate_serving});
  return kind;
}

}  // namespace llmcost
