// RLHF cost and time: InstructGPT's three steps as DeepSpeed-Chat runs them (docs/finetune.md §2):
// supervised fine-tuning of the actor, reward-model training on comparisons, and PPO, whose every
// step generates answers with the actor (the serving model: decode is memory-bound), scores them
// with the actor, a frozen reference, the reward model and the critic, and trains actor and critic
// (the training performance model, ZeRO-3 data parallel). `llmcost rlhf`.
#pragma once

#include <optional>
#include <string>

#include "llmcost/catalog.hpp"
#include "llmcost/report.hpp"
#include "llmcost/uncertainty.hpp"

namespace llmcost {

struct RlhfInputs {
  std::string actor, reward, critic;  // catalog ids; the critic defaults to the reward model
  std::string hardware, offer;
  std::optional<double> chips;            // default: one instance of a multi-chip offer, else 1
  std::optional<double> sft_samples;      // step 1 sequences per epoch
  std::optional<double> sft_epochs;       // step 1 epochs
  std::optional<double> sft_batch;        // step 1 sequences per GPU per micro-batch
  std::optional<double> rm_pairs;         // step 2 comparisons (chosen + rejected sequences each)
  std::optional<double> rm_batch;         // step 2 pairs per GPU per micro-batch
  std::optional<double> prompts;          // step 3 prompts (one epoch)
  std::optional<double> prompt_tokens;    // step 3 prompt length
  std::optional<double> answer_tokens;    // step 3 generated answer length
  std::optional<double> seq_len;          // steps 1 and 2: tokens per (padded) sequence
  std::optional<double> batch_per_gpu;    // step 3 prompts per GPU per step (default: the largest that fits)
  std::optional<double> max_batch_pairs;  // step 3 cap on prompts per step
  std::optional<double> gen_tp;           // tensor parallel degree of generation (default: by memory)
  std::optional<double> lora_dim;         // actor LoRA rank, every decoder linear (0: full fine-tuning)
  std::optional<double> zero;             // step 3 ZeRO stage of actor and critic (default 3)
  UncertaintyOptions uncertainty;         // --uncertainty (docs/uncertainty.md §1)
};

Report estimate_rlhf(const RlhfInputs& in, const Catalog& catalog);

}  // namespace llmcost
