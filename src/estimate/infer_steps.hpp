// The steps of an inference estimate: resolve (catalog, once), compute (numbers only), rows
// (infer_report.cpp). A roofline of prefill and decode beside the FLOP rule.
#pragma once

#include <memory>
#include <string>

#include "estimate/resolve.hpp"
#include "llmcost/infer.hpp"
#include "llmcost/plan.hpp"

namespace llmcost {

struct InferContext {
  ModelParams model;
  Hardware hw;
  std::string wdtype, cdtype, kvdtype;    // weights, matmuls, KV cache
  bool dequantised = false;               // weights stored below 16 bits, multiplied at cdtype
  double peak = 0, bw = 0, chip_mem = 0;  // vendor figures per chip: FLOP/s, bytes/s, bytes
  double roof_peak = 0, roof_bw = 0;      // the roofline's ceilings (measured with a calibration)
  std::string measured_dtype;             // the calibration's GEMM dtype
  double price = 0;                       // per chip-hour; 0 without an offer
  double flop_per_param = 2;              // 2 (1 for an encoder-decoder: half the weights per token)
  bool encoder = false;                   // encoder-only (BERT): one pass over the input, no tokens generated
  double weight_bytes = 0;                // per parameter
  double kv_elements = 0;                 // K+V elements per token per layer; 0 when unknown
  double kv_per_token = 0;                // bytes, all layers
  double attn_flop = 0;                   // attention FLOPs per token per token of context: 4·layers·heads·head_dim
  double attn_peak = 0, attn_eff = 0;     // attention runs at the 16-bit peak × fused-attention efficiency
  std::string attn_peak_dtype;
  // Elementwise traffic per token (norms, residuals, activation), bytes over all layers: the hidden
  // part every chip repeats, the MLP part split over the chips; 0 when the shape is unknown.
  double elem_hidden = 0, elem_mlp = 0;
  double layer_overhead = 0;  // fixed seconds per layer per forward pass (assumption infer_layer_overhead_s)
  double knee = 2;            // p of the soft maximum of a GEMM's math and weight stream
  // MoE: bytes of all routed experts (every MoE layer) and the routing; 0 when the model's expert
  // shape is unknown (the active-parameter bound stands in).
  double routed_bytes = 0, experts = 0, experts_per_token = 0;
  // Tensor parallelism over the replica's chips: per layer two all-reduces of the activations, over
  // the scale-up links when the chips fit one domain, else the network; 0 link: not costed.
  double layers = 0, d_model = 0, kv_copies = 1;
  double tp_link = 0;            // achievable bytes/s per chip per direction, for this many chips
  LinkFigures links;             // the accelerator's, as the planner takes them
  double kv_per_token_base = 0;  // before copies
  std::string tp_link_source;
  double mfu = 0, prompt = 0, output = 0, compute_eff = 0, bandwidth_eff = 0, max_batch_cap = 0;
  double chips = 0;
  std::string chips_source;
  // Pipeline parallelism: stages of layers / pp each on tp = chips / pp chips; the batch runs as pp
  // micro-batches; activations cross the stages over pp_link.
  double pp = 1, tp = 1, pp_link = 0;
  std::string pp_source;
  double cached = 0;  // leading prompt tokens every request shares, prefilled once and held once
  // Speculative decoding: the draft model (on the replica's first stage's chips), its k proposed
  // tokens per step and their acceptance rate α.
  std::shared_ptr<const InferContext> draft;
  double spec_k = 0, spec_alpha = 0;
  std::string spec_k_source, spec_alpha_source;
  std::string compute_eff_source, bandwidth_eff_source;
  double watts = 0;  // server power per chip at full load; 0 when the chip's TDP is unknown
  std::string watts_source;
  double pue = 0, grid = 0;    // assumptions pue, grid_kg_per_kwh
  double context = 0;          // longest prompt + output the model serves; 0 when unknown
  std::string context_source;  // "given", "catalog max_seq_len", ...
};

struct InferNumbers {
  double flop_per_token = 0, chip_s_1k = 0, cost_1k = 0;
  double weights = 0, per_seq_kv = 0, free_bytes = 0, max_fit = 0, batch = 0, kv_total = 0, memory_per_chip = 0;
  bool fits = false, memory_bound = false;
  double ttft = 0, tpot = 0, latency = 0, tokens_per_s = 0, tokens_per_s_per_chip = 0;
  double cost_in_1m = 0, cost_out_1m = 0, cost_request = 0;
  double latency_budget_s = 0, batch_within_budget = 0;  // with --latency-budget-ms
  double energy_out_1m_kwh = 0, co2e_out_1m_kg = 0;      // per 1M output tokens, when the power is known
  double tp_prefill = 0, tp_decode = 0;                  // tensor-parallel communication of a prefill and a decode step
  double pp_prefill = 0, pp_decode = 0;                  // activations between pipeline stages, likewise
  double shared_kv = 0, draft_weights = 0;               // a cached prefix's KV cache; a draft model's weights
  double spec_tokens = 0, verify = 0, draft_step = 0, draft_prefill = 0;  // speculative decoding
  // The parts of a prefill (p) and a decode step (d): GEMM math, weight stream, the GEMMs' soft
  // maximum of the two, attention, elementwise kernels; the fixed per-pass overhead.
  double p_compute = 0, p_weights = 0, p_gemm = 0, p_attn = 0, p_elem = 0;
  double d_compute = 0, d_weights = 0, d_gemm = 0, d_attn = 0, d_elem = 0;
  double overhead = 0;
  bool slo = false;      // --ttft-ms or --tpot-ms given
  bool slo_met = true;   // the batch meets them
  double slo_batch = 0;  // the largest batch that meets them (0: none does)
};

// Resolves ids, dtypes and defaults; throws InputError for unknown ids and unusable combinations.
InferContext resolve_inference(const InferInputs& in, const Catalog& cat);

// The arithmetic of the estimate.
InferNumbers compute_inference(const InferInputs& in, const InferContext& c);

}  // namespace llmcost
