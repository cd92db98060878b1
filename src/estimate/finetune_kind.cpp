#include <fmt/format.h>

#include "estimate/field_parsers.hpp"
#include "estimate/kind.hpp"
#include "estimate/uncertainty_rows.hpp"
#include "llmcost/error.hpp"
#include "llmcost/finetune.hpp"
#include "llmcost/hf_config.hpp"
#include "llmcost/text.hpp"
#include "llmcost/units.hpp"

namespace llmcost {
namespace {

std::string one_of(std::string_view text, std::initializer_list<std::string_view> allowed) {
  for (std::string_view a : allowed) {
    if (text == a) return std::string(text);
  }
  std::vector<std::string> names(allowed.begin(), allowed.end());
  throw InputError(fmt::format("expected {}, got '{}'", join_or(names), text));
}

const std::vector<Field<FinetuneInputs>>& finetune_fields() {
  static const std::vector<Field<FinetuneInputs>> f = [] {
    std::vector<Field<FinetuneInputs>> v{
        {"model", "ID", "catalog model id or alias",
         [](FinetuneInputs& in, std::string_view t) { in.model = parse_id(t); }},
        {"model-config", "FILE", "Hugging Face config.json to read the architecture from (instead of --model)",
         [](FinetuneInputs& in, std::string_view t) { in.model_config = load_hf_config(parse_file(t)); }},
        {"params", "COUNT", "parameter count without a shape (full fine-tuning by the MFU rule), e.g. 7B",
         [](FinetuneInputs& in, std::string_view t) { in.params = parse_count(t); }},
        {"tokens", "COUNT", "tokens the run trains on, epochs included (DPO: chosen and rejected both), e.g. 100M",
         [](FinetuneInputs& in, std::string_view t) { in.tokens = parse_count(t); }},
        {"method", "METHOD", "full, lora or qlora (default: lora)",
         [](FinetuneInputs& in, std::string_view t) {
           in.method = one_of(t, {"full", "lora", "qlora"});
         }},
        {"rank", "R", "LoRA rank (default: assumption finetune_lora_rank, 8; with qlora finetune_qlora_rank, 64)",
         [](FinetuneInputs& in, std::string_view t) { in.rank = parse_whole(t, "rank"); }},
        {"targets", "LIST",
         "adapted matrices, comma-separated: q,k,v,o,gate,up,down or all (default: q,v; with qlora all)",
         [](FinetuneInputs& in, std::string_view t) { in.targets = split(t, ','); }},
        {"objective", "OBJECTIVE", "sft or dpo (default: sft)",
         [](FinetuneInputs& in, std::string_view t) {
           in.objective = one_of(t, {"sft", "dpo"});
         }},
        {"hardware", "ID", "accelerator id (default: the offer's)",
         [](FinetuneInputs& in, std::string_view t) { in.hardware = parse_id(t); }},
        {"offer", "ID", "cloud offer id: price and accelerator (default: assumption default_train_offer)",
         [](FinetuneInputs& in, std::string_view t) { in.offer = parse_id(t); }},
        {"chips", "N", "accelerators (default: one instance of a multi-chip offer, else 1)",
         [](FinetuneInputs& in, std::string_view t) { in.chips = parse_whole(t, "chips"); }},
        {"seq-len", "TOKENS", "tokens per sequence (default: assumption finetune_seq_len)",
         [](FinetuneInputs& in, std::string_view t) { in.seq_len = parse_whole(t, "tokens"); }},
        {"global-batch", "TOKENS", "tokens per optimizer step (default: assumption finetune_batch_tokens)",
         [](FinetuneInputs& in, std::string_view t) { in.batch_tokens = parse_count(t); }},
        {"mfu", "FRACTION", "time by the MFU rule at this utilisation instead of the performance model",
         [](FinetuneInputs& in, std::string_view t) { in.mfu = parse_fraction(t); }},
        {"dtype", "DTYPE", "compute dtype: bf16 or fp16 (default: the accelerator's 16-bit format)",
         [](FinetuneInputs& in, std::string_view t) {
           in.dtype = one_of(t, {"bf16", "fp16"});
         }},
        {"calibration", "FILE", "calibration file from 'llmcost calibrate --out': measured GEMM sweep and bandwidth",
         [](FinetuneInputs& in, std::string_view t) { in.calibration = load_calibration(parse_file(t)); }},
    };
    add_uncertainty_fields(v, "ranges of time and cost by Monte Carlo over the assumptions' spreads");
    return v;
  }();
  return f;
}

}  // namespace

const EstimateKind& finetune_kind() {
  static const KindOf<FinetuneInputs> kind(
      {"finetune", "cost and time of fine-tuning: full, LoRA or QLoRA, SFT or DPO",
       "Examples:\n"
       "  llmcost finetune --model llama2-7b --tokens 100M --offer runpod-h100\n"
       "  llmcost finetune --model llama-65b --method qlora --tokens 50M --hardware a6000 --chips 1\n"
       "  llmcost finetune --model llama3-70b --method full --objective dpo --tokens 200M --offer aws-p5",
       finetune_fields, estimate_finetune});
  return kind;
}

}  // namespace llmcost
