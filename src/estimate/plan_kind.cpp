#include <fmt/format.h>

#include "estimate/field_parsers.hpp"
#include "estimate/kind.hpp"
#include "estimate/uncertainty_rows.hpp"
#include "llmcost/error.hpp"
#include "llmcost/hf_config.hpp"
#include "llmcost/plan.hpp"
#include "llmcost/units.hpp"

namespace llmcost {
namespace {

const std::vector<Field<PlanInputs>>& plan_fields() {
  static const std::vector<Field<PlanInputs>> f = [] {
    std::vector<Field<PlanInputs>> v{
        {"model", "ID", "catalog model (its shape: layers, d_model, heads, vocab)",
         [](PlanInputs& in, std::string_view t) { in.model = parse_id(t); }},
        {"model-config", "FILE", "Hugging Face config.json to read the architecture from (instead of --model)",
         [](PlanInputs& in, std::string_view t) { in.model_config = load_hf_config(parse_file(t)); }},
        {"hardware", "ID", "accelerator id (default: the offer's)",
         [](PlanInputs& in, std::string_view t) { in.hardware = parse_id(t); }},
        {"offer", "ID", "cloud offer id that sets price and accelerator (default: assumption default_train_offer)",
         [](PlanInputs& in, std::string_view t) { in.offer = parse_id(t); }},
        {"chips", "N", "accelerators in the job (default: the model's published cluster)",
         [](PlanInputs& in, std::string_view t) { in.chips = parse_whole(t, "chips"); }},
        {"global-batch", "TOKENS",
         "tokens per optimizer step, e.g. 4M (default: the model's published batch, else assumption "
         "plan_global_batch_tokens)",
         [](PlanInputs& in, std::string_view t) { in.global_batch = parse_count(t); }},
        {"seq-len", "TOKENS", "tokens per sequence (default: the model's seq_len)",
         [](PlanInputs& in, std::string_view t) { in.seq_len = parse_whole(t, "tokens"); }},
        {"tokens", "COUNT", "training tokens of the whole run, e.g. 1T (default: the model's train_tokens)",
         [](PlanInputs& in, std::string_view t) { in.tokens = parse_count(t); }},
        {"dtype", "DTYPE",
         "training precision: bf16, fp16, fp32, tf32 or fp8 (fp8 runs the layers' GEMMs at the fp8 peak)",
         [](PlanInputs& in, std::string_view t) { in.dtype = parse_id(t); }},
        {"layout", "LAYOUT",
         "evaluate this layout instead of searching: tp=8,pp=8,dp=16,vp=1,mb=1,recompute=selective,zero=1 "
         "(keys tp pp dp cp ep vp mb recompute zero sp flash; dp defaults to what the chips leave)",
         [](PlanInputs& in, std::string_view t) { in.layout = parse_id(t); }},
        {"attention", "KERNEL", "flash (fused, default) or unfused (Megatron-LM before 2023)",
         [](PlanInputs& in, std::string_view t) {
           if (t == "flash")
             in.attention = Attention::flash;
           else if (t == "unfused")
             in.attention = Attention::unfused;
           else
             throw InputError(fmt::format("expected flash or unfused, got '{}'", t));
         }},
        {"runtime-efficiency", "FRACTION",
         "share of ideal kernel time sustained (default: assumption plan_runtime_efficiency)",
         [](PlanInputs& in, std::string_view t) { in.runtime_efficiency = parse_fraction(t); }},
        {"top", "N", "alternatives to list after the best plan (default 5)",
         [](PlanInputs& in, std::string_view t) { in.top = parse_whole(t, "layouts"); }},
        {"calibration", "FILE",
         "calibration file from 'llmcost calibrate --out': its GEMM sweep and bandwidth replace the defaults",
         [](PlanInputs& in, std::string_view t) { in.calibration = load_calibration(parse_file(t)); }},
    };
    add_uncertainty_fields(v, "ranges of step time, MFU and run time by Monte Carlo over the assumptions' spreads");
    return v;
  }();
  return f;
}

}  // namespace

const EstimateKind& plan_kind() {
  static const KindOf<PlanInputs> kind(
      {"plan", "the fastest parallel layout of a training run: step time, MFU, memory",
       "Examples:\n"
       "  llmcost plan --model megatron-1t --hardware a100-80gb --chips 3072 --global-batch 6291456\n"
       "  llmcost plan --model llama3-70b --offer aws-p5 --chips 1024 --global-batch 4M\n"
       "  llmcost plan --model gpt3 --hardware a100-80gb --chips 1024 "
       "--layout tp=8,pp=16,mb=1,recompute=selective,zero=1",
       plan_fields, estimate_plan});
  return kind;
}

}  // namespace llmcost
