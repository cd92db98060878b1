// Fine-tuning cost: full fine-tuning, LoRA and QLoRA, supervised (SFT) or preference (DPO), through
// the training performance model (llmcost/perf.hpp) when the model's shape is known, else the MFU
// rule. `llmcost finetune`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "llmcost/calibration.hpp"
#include "llmcost/catalog.hpp"
#include "llmcost/perf.hpp"
#include "llmcost/report.hpp"
#include "llmcost/uncertainty.hpp"

namespace llmcost {

struct FinetuneInputs {
  std::string model;                   // catalog id
  std::optional<Model> model_config;   // a Hugging Face config.json
  std::optional<double> params;        // a bare parameter count (no shape: the MFU rule)
  std::string hardware, offer;         // as train
  std::optional<double> chips;         // accelerators (default 1)
  std::optional<double> tokens;        // training tokens the policy processes (epochs included)
  std::string method;                  // full | lora | qlora (default lora)
  std::optional<double> rank;          // LoRA rank (default: assumption finetune_lora_rank / qlora_rank)
  std::vector<std::string> targets;    // adapted matrices: q k v o gate up down, or "all"
  std::string objective;               // sft | dpo (default sft)
  std::optional<double> seq_len;       // tokens per sequence (default: assumption finetune_seq_len)
  std::optional<double> batch_tokens;  // tokens per optimizer step (default: assumption finetune_batch_tokens)
  std::optional<double> mfu;           // the MFU rule instead of the performance model
  std::string dtype;                   // bf16 | fp16 (the base's compute dtype)
  std::optional<Calibration> calibration;
  UncertaintyOptions uncertainty;  // --uncertainty (docs/uncertainty.md §1)
};

Report estimate_finetune(const FinetuneInputs& in, const Catalog& catalog);

// The matrices LoRA adapts: "q,v" (the LoRA paper's and Hugging Face PEFT's default for LLaMA),
// "all" (every linear layer, as QLoRA), or a list of q k v o gate up down; InputError otherwise.
std::vector<std::string> lora_targets(const std::vector<std::string>& given, bool all_default);

// LoRA's trainable parameters: rank × (d_in + d_out) for every adapted matrix of every layer (MLP
// matrices once per expert of an MoE layer, the shared experts too).
double lora_trainable(const PerfShape& s, double rank, const std::vector<std::string>& targets);

}  // namespace llmcost
