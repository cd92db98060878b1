// Inference economics, two ways, always both: the FLOP rule (2·N FLOPs per token at an MFU,
// the reference case's method) and a roofline model of prefill and decode (decode is bound by
// memory bandwidth: weights + KV cache are read for every generated token).
#pragma once

#include <optional>
#include <string>

#include "llmcost/calibration.hpp"
#include "llmcost/catalog.hpp"
#include "llmcost/report.hpp"
#include "llmcost/uncertainty.hpp"

namespace llmcost {

struct InferInputs {
  std::string model;                           // catalog id
  std::optional<Model> model_config;           // from a Hugging Face config.json
  std::optional<double> params;                // overrides the model's parameter count
  std::string hardware;                        // accelerator id
  std::string offer;                           // offer id (default: assumption default_infer_offer)
  std::optional<double> mfu;                   // FLOP rule utilisation (default: assumption infer_mfu)
  std::string dtype;                           // weights: fp32 | fp16 | bf16 | fp8 | int8 | int4
  std::string kv_dtype;                        // KV cache: fp32 | fp16 | bf16 | fp8 | int8
  std::optional<double> chips;                 // chips serving one replica (tensor × pipeline parallel)
  std::optional<double> pp;                    // pipeline stages (default: one per scale-up domain beyond one)
  std::optional<double> batch;                 // concurrent sequences
  std::optional<double> prompt_tokens;         // per request
  std::optional<double> output_tokens;         // per request
  std::optional<double> cached_prompt_tokens;  // leading prompt tokens all requests share, kept cached
  std::string draft_model;                     // speculative decoding: the draft model's catalog id
  std::optional<double> spec_tokens;           // tokens the draft proposes per step (k)
  std::optional<double> acceptance;            // probability the target accepts each proposal (α)
  std::optional<double> seq_len;               // context limit; default: the model's max_seq_len, else seq_len
  std::optional<double> compute_efficiency;    // achieved / peak FLOP/s in the roofline
  std::optional<double> bandwidth_efficiency;  // achieved / peak memory bandwidth
  std::optional<double> latency_budget_ms;     // report the largest batch whose request latency fits
  std::optional<double> ttft_ms;               // SLO: time to first token at most this
  std::optional<double> tpot_ms;               // SLO: time per output token at most this
  std::optional<Calibration> calibration;      // measured GEMM and bandwidth ceilings for the roofline
  std::optional<double> layer_overhead;        // seconds per layer per pass (default: infer_layer_overhead_s);
                                               // rlhf sets its generation engine's
  UncertaintyOptions uncertainty;              // --uncertainty (docs/uncertainty.md §1)
};

// Estimates serving cost and speed. Throws InputError for unknown ids and inconsistent inputs.
Report estimate_inference(const InferInputs& in, const Catalog& catalog);

// Bytes per element of a serving dtype ("int4" = 0.5); throws InputError for an unknown one.
double dtype_bytes(const std::string& dtype);

}  // namespace llmcost
