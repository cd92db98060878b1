#include "estimate/field_parsers.hpp"
#include "estimate/kind.hpp"
#include "estimate/uncertainty_rows.hpp"
#include "llmcost/rlhf.hpp"
#include "llmcost/units.hpp"

namespace llmcost {
namespace {

using F = Field<RlhfInputs>;

const std::vector<F>& rlhf_fields() {
  static const std::vector<F> f = [] {
    std::vector<F> v{
        {"actor", "ID", "the model RLHF trains (catalog id)",
         [](RlhfInputs& in, std::string_view t) { in.actor = parse_id(t); }},
        {"reward", "ID", "the reward model (catalog id)",
         [](RlhfInputs& in, std::string_view t) { in.reward = parse_id(t); }},
        {"critic", "ID", "the critic (default: the reward model's size)",
         [](RlhfInputs& in, std::string_view t) { in.critic = parse_id(t); }},
        {"hardware", "ID", "accelerator id (default: the offer's)",
         [](RlhfInputs& in, std::string_view t) { in.hardware = parse_id(t); }},
        {"offer", "ID", "cloud offer id: price and accelerator (default: assumption default_train_offer)",
         [](RlhfInputs& in, std::string_view t) { in.offer = parse_id(t); }},
        {"chips", "N", "accelerators (default: one instance of a multi-chip offer, else 1)",
         [](RlhfInputs& in, std::string_view t) { in.chips = parse_whole(t, "chips"); }},
        {"sft-samples", "N", "step 1 sequences per epoch (default: assumption rlhf_sft_samples)",
         [](RlhfInputs& in, std::string_view t) { in.sft_samples = parse_whole(t, "samples"); }},
        {"sft-epochs", "N", "step 1 epochs (default: assumption rlhf_sft_epochs)",
         [](RlhfInputs& in, std::string_view t) { in.sft_epochs = parse_whole(t, "epochs"); }},
        {"sft-batch", "N", "step 1 sequences per GPU per micro-batch (default: assumption rlhf_sft_batch)",
         [](RlhfInputs& in, std::string_view t) { in.sft_batch = parse_whole(t, "sequences"); }},
        {"rm-pairs", "N", "step 2 comparisons (default: assumption rlhf_rm_pairs)",
         [](RlhfInputs& in, std::string_view t) { in.rm_pairs = parse_whole(t, "pairs"); }},
        {"rm-batch", "N", "step 2 pairs per GPU per micro-batch (default: assumption rlhf_rm_batch)",
         [](RlhfInputs& in, std::string_view t) { in.rm_batch = parse_whole(t, "pairs"); }},
        {"prompts", "N", "step 3 prompts, one epoch (default: assumption rlhf_prompts)",
         [](RlhfInputs& in, std::string_view t) { in.prompts = parse_whole(t, "prompts"); }},
        {"prompt-tokens", "N", "step 3 prompt length (default: assumption rlhf_prompt_tokens)",
         [](RlhfInputs& in, std::string_view t) { in.prompt_tokens = parse_whole(t, "tokens"); }},
        {"answer-tokens", "N", "step 3 generated answer length (default: assumption rlhf_answer_tokens)",
         [](RlhfInputs& in, std::string_view t) { in.answer_tokens = parse_whole(t, "tokens"); }},
        {"seq-len", "TOKENS", "steps 1 and 2: tokens per padded sequence (default: assumption rlhf_seq_len)",
         [](RlhfInputs& in, std::string_view t) { in.seq_len = parse_whole(t, "tokens"); }},
        {"batch-per-gpu", "N", "step 3 prompts per GPU per PPO step (default: the largest that fits)",
         [](RlhfInputs& in, std::string_view t) { in.batch_per_gpu = parse_whole(t, "prompts"); }},
        {"max-batch", "N", "step 3 prompts per PPO step at most (default: assumption rlhf_max_batch_pairs)",
         [](RlhfInputs& in, std::string_view t) { in.max_batch_pairs = parse_whole(t, "prompts"); }},
        {"gen-tp", "N", "tensor-parallel chips of generation (default: the fewest that hold the actor)",
         [](RlhfInputs& in, std::string_view t) { in.gen_tp = parse_whole(t, "chips"); }},
        {"lora-dim", "R",
         "actor LoRA rank on every decoder linear, 0 for full fine-tuning (default: assumption "
         "rlhf_lora_dim)",
         [](RlhfInputs& in, std::string_view t) { in.lora_dim = parse_number(t); }},
        {"zero", "STAGE", "step 3 ZeRO stage of actor and critic, 0-3 (default: 3, as DeepSpeed-Chat's benchmark)",
         [](RlhfInputs& in, std::string_view t) { in.zero = parse_number(t); }},
    };
    add_uncertainty_fields(v, "ranges of times and costs by Monte Carlo over the assumptions' spreads");
    return v;
  }();
  return f;
}

}  // namespace

const EstimateKind& rlhf_kind() {
  static const KindOf<RlhfInputs> kind(
      {"rlhf", "cost and time of RLHF's three steps (SFT, reward model, PPO) as DeepSpeed-Chat runs them",
       "Examples:\n"
       "  llmcost rlhf --actor opt-13b --reward opt-350m --hardware a100-80gb --chips 8\n"
       "  llmcost rlhf --actor opt-66b --reward opt-350m --offer lambda-h100-8x --chips 64\n"
       "  llmcost rlhf --actor opt-13b --reward opt-350m --hardware a100-80gb --chips 1",
       rlhf_fields, estimate_rlhf});
  return kind;
}

}  // namespace llmcost
