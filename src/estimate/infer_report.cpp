// Inference economics, the rows step: resolve → compute (infer.cpp) → these rows, each result
// with its formula over other rows.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "estimate/infer_steps.hpp"
#include "estimate/uncertainty_rows.hpp"

namespace llmcost {
namespace {

double input_row(Report& r, const Catalog& cat, const std::optional<double>& given, double value, std::string key,
                 std::string label, Unit unit, std::string_view assumption) {
  if (given) return r.add_input(std::move(key), std::move(label), value, unit, "given");
  return r.add_input(std::move(key), std::move(label), value, unit, assumption_source(assumption),
                     cite(cat.assumption(assumption)));
}

// The key of the parameters a token runs through: active_params for an MoE model.
std::string active_key(const InferContext& c) {
  return c.model.active != c.model.params ? "active_params" : "params";
}

void add_hardware_rows(Report& r, const InferInputs& in, const InferContext& c) {
  const Accelerator& acc = *c.hw.acc;
  const std::string acc_src = "catalog accelerator " + acc.id;
  if (c.dequantised) {
    r.notes.emplace_back(
        fmt::format("{} has no {} units: {} weights are dequantised and multiplied at {} (weight-only "
                    "quantisation)",
                    acc.id, c.wdtype, c.wdtype, c.cdtype));
  }
  r.add_context("dtype", "Weights / matmul / KV dtype", fmt::format("{} / {} / {}", c.wdtype, c.cdtype, c.kvdtype),
                in.dtype.empty() ? "default: bf16, else fp16" : "given");
  // Integer units do integer operations: the peak is in TOPS, shown in the FLOP/s unit.
  r.add_input("peak_flop_per_s",
              fmt::format("Peak {} per chip (dense{})", c.cdtype,
                          c.cdtype.rfind("int", 0) == 0 ? ", TOPS: integer operations" : ""),
              c.peak, Unit::flop_per_s, acc_src, cite(acc));
  r.add_input("memory_bandwidth_bytes_per_s", "Memory bandwidth per chip", c.bw, Unit::bytes_per_s, acc_src);
  r.add_input("chip_memory_bytes", "Memory per chip", c.chip_mem, Unit::bytes, acc_src);
  if (in.calibration) {
    const Calibration& cal = *in.calibration;
    r.add_context("calibration", "Calibration", fmt::format("{} ({}, {})", cal.device, cal.method, cal.date),
                  "given: " + cal.origin.file);
    r.add_input("measured_flop_per_s", fmt::format("Measured {} GEMM ceiling per chip", c.measured_dtype), c.roof_peak,
                Unit::flop_per_s, "calibration " + cal.origin.file);
    r.add_input("measured_bandwidth_bytes_per_s", "Measured memory bandwidth per chip", c.roof_bw, Unit::bytes_per_s,
                "calibration " + cal.origin.file);
    r.notes.emplace_back(
        "the roofline uses the calibration's measured ceilings: its GEMM rate at plan_runtime_efficiency, its "
        "bandwidth as measured");
  }
  if (c.hw.offer) add_offer_price(r, c.hw);
}

// The reference case's method (docs/reference-case.md §3): 2·N FLOPs per token at an MFU.
void add_flop_rule_rows(Report& r, const Catalog& cat, const InferInputs& in, const InferContext& c,
                        const InferNumbers& n) {
  r.add("flop_per_token", "Inference FLOP per token", n.flop_per_token, Unit::flop,
        c.flop_per_param == 1 ? fmt::format("{{{}}} [encoder-decoder: half the weights per token]", active_key(c))
                              : fmt::format("2 × {{{}}}", active_key(c)));
  input_row(r, cat, in.mfu, c.mfu, "mfu", "MFU (FLOP rule)", Unit::fraction, "infer_mfu");
  r.add("chip_seconds_per_1k_tokens", "Chip time per 1K tokens (FLOP rule)", n.chip_s_1k, Unit::seconds,
        "{flop_per_token} × 1000 / ({peak_flop_per_s} × {mfu})");
  if (c.hw.offer) {
    r.add("cost_per_1k_tokens_usd", "Cost per 1K tokens (FLOP rule)", n.cost_1k, Unit::usd,
          "{chip_seconds_per_1k_tokens} × {usd_per_chip_hour} / 3600");
    // The roofline's rows are per 1M tokens, as APIs price them: the FLOP rule's too.
    r.add("cost_per_1m_tokens_usd", "Cost per 1M tokens (FLOP rule)", n.cost_1k * 1000, Unit::usd,
          "{cost_per_1k_tokens_usd} × 1000");
  }
}

void add_workload_rows(Report& r, const Catalog& cat, const InferInputs& in, const InferContext& c,
                       const InferNumbers& n) {
  r.add("weights_bytes", "Weights", n.weights, Unit::bytes,
        fmt::format("{{params}} × {} [bytes per {} weight]", c.weight_bytes, c.wdtype));
  if (c.kv_per_token > 0) {
    Text source = Text::of("{}: {} layers × {} K+V elements × {} B", c.model.source,
                           Quantity{double(*c.model.model->layers), Unit::exact}, Quantity{c.kv_elements, Unit::exact},
                           Quantity{dtype_bytes(c.kvdtype), Unit::exact});
    if (c.kv_copies > 1) {
      source += Text::of(" × {} copies ({} chips share {} key/value heads)", Quantity{c.kv_copies, Unit::exact},
                         Quantity{c.chips, Unit::count}, Quantity{double(*c.model.model->kv_heads), Unit::count});
    }
    r.add_input("kv_bytes_per_token", "KV cache per token", c.kv_per_token, Unit::bytes, source);
  } else if (!c.encoder) {
    r.notes.emplace_back("the model's layers and heads are unknown: the KV cache is left out of memory and time");
  }
  input_row(r, cat, in.prompt_tokens, c.prompt, "prompt_tokens", "Prompt tokens per request", Unit::tokens,
            "infer_prompt_tokens");
  if (c.encoder) {
    r.add_input("output_tokens", "Output tokens per request", 0, Unit::tokens,
                "encoder-only model: one pass over the input, nothing generated");
  } else {
    input_row(r, cat, in.output_tokens, c.output, "output_tokens", "Output tokens per request", Unit::tokens,
              "infer_output_tokens");
  }
  r.add_input("compute_efficiency", "Compute efficiency", c.compute_eff, Unit::fraction, c.compute_eff_source);
  if (in.bandwidth_efficiency || in.calibration) {
    r.add_input("bandwidth_efficiency", "Bandwidth efficiency", c.bandwidth_eff, Unit::fraction,
                c.bandwidth_eff_source);
  } else {
    input_row(r, cat, in.bandwidth_efficiency, c.bandwidth_eff, "bandwidth_efficiency", "Bandwidth efficiency",
              Unit::fraction, "plan_memory_efficiency");
  }
  r.add_input("chips", "Chips per replica", c.chips, Unit::count, c.chips_source);
}

void add_memory_rows(Report& r, const Catalog& cat, const InferInputs& in, const InferContext& c,
                     const InferNumbers& n) {
  if (in.batch) {
    r.add_input("batch", "Batch (concurrent sequences)", n.batch, Unit::count, "given");
  } else {
    r.add_input("batch", "Batch (concurrent sequences)", n.batch, Unit::count,
                Text::of("default: largest that fits, at most {} (assumption infer_max_batch)",
                         Quantity{c.max_batch_cap, Unit::count}),
                cite(cat.assumption("infer_max_batch")));
  }
  const bool kv = c.kv_per_token > 0;
  // Per sequence: its own tokens' KV (a cached prefix is held once) and the draft model's KV.
  std::string own = c.cached > 0 ? "({prompt_tokens} - {cached_prompt_tokens} + {output_tokens})"
                                 : "({prompt_tokens} + {output_tokens})";
  std::string per_seq = own + " × {kv_bytes_per_token}";
  if (c.draft && c.draft->kv_per_token > 0)
    per_seq += " + ({prompt_tokens} + {output_tokens}) × {draft_kv_bytes_per_token}";
  if (c.cached > 0)
    r.add_input("cached_prompt_tokens", "Cached prompt prefix (shared)", c.cached, Unit::tokens, "given");
  if (c.draft) {
    r.add_input("draft_weights_bytes", "Draft model's weights", n.draft_weights, Unit::bytes,
                fmt::format("{}: params × {} B", c.draft->model.source, c.draft->weight_bytes));
    if (c.draft->kv_per_token > 0) {
      r.add_input("draft_kv_bytes_per_token", "Draft model's KV cache per token", c.draft->kv_per_token, Unit::bytes,
                  c.draft->model.source);
    }
  }
  const std::string shared = c.cached > 0 ? " + {cached_prompt_tokens} × {kv_bytes_per_token}" : "";
  r.add("kv_cache_bytes", "KV cache (whole batch)", n.kv_total, Unit::bytes,
        kv ? "{batch} × (" + per_seq + ")" + shared : "0 [KV cache unknown]");
  const std::string weights = c.draft ? "{weights_bytes} + {draft_weights_bytes}" : "{weights_bytes}";
  r.add("memory_per_chip_bytes", "Memory per chip used", n.memory_per_chip, Unit::bytes,
        "(" + weights + " + {kv_cache_bytes}) / {chips}");
  r.add("fits", "Fits in memory", n.fits ? 1 : 0, Unit::flag, "{memory_per_chip_bytes} <= {chip_memory_bytes}");
  if (n.per_seq_kv > 0 || n.free_bytes < 0) {  // with no KV cache to count, no batch limit to report
    r.add("max_batch_fit", "Largest batch that fits", n.max_fit, Unit::count,
          kv ? "max(floor(({chips} × {chip_memory_bytes} - (" + weights + shared + ")) / (" + per_seq + ")), 0)"
             : "0 [the weights alone do not fit]");
  }
  if (n.fits) return;
  const std::string acc = c.hw.acc->id;
  r.notes.emplace_back(
      n.max_fit >= 1 ? Text::of("a batch of {} does not fit on {} × {}: the largest that fits is {}",
                                Quantity{n.batch, Unit::count}, Quantity{c.chips, Unit::count}, acc,
                                Quantity{n.max_fit, Unit::count})
                     : Text::of("the weights alone ({}) exceed the memory of {} × {} ({}): add chips or quantise; "
                                "times below assume they fit",
                                Quantity{n.weights, Unit::bytes}, Quantity{c.chips, Unit::count}, acc,
                                Quantity{c.chips * c.chip_mem, Unit::bytes}));
}

// The roofline's formulas, over the ceilings it used: measured with a calibration, else vendor.
struct RooflineTerms {
  std::string compute, bandwidth, chip_bandwidth;
};

// The chips a pass is split over: all of them, or a pipeline stage's.
std::string tp_var(const InferContext& c) {
  return c.pp > 1 ? "{tensor_parallel}" : "{chips}";
}

// The prompt tokens a prefill computes: all, or those after a cached prefix.
std::string fresh_tokens(const InferContext& c) {
  return c.cached > 0 ? "({prompt_tokens} - {cached_prompt_tokens})" : "{prompt_tokens}";
}

// The sequences of one pass: the batch, or a pipeline micro-batch of it.
std::string micro_batch(const InferContext& c) {
  return c.pp > 1 ? "{batch} / {pipeline_stages}" : "{batch}";
}

RooflineTerms roofline_terms(const InferInputs& in, const InferContext& c) {
  RooflineTerms t;
  t.compute = fmt::format("({} × {{{}}} × {{compute_efficiency}})", tp_var(c),
                          in.calibration ? "measured_flop_per_s" : "peak_flop_per_s");
  const std::string bw = in.calibration ? "measured_bandwidth_bytes_per_s" : "memory_bandwidth_bytes_per_s";
  t.bandwidth = fmt::format("({} × {{{}}} × {{bandwidth_efficiency}})", tp_var(c), bw);
  t.chip_bandwidth = fmt::format("({{{}}} × {{bandwidth_efficiency}})", bw);
  return t;
}

// Bytes of weights a pass over `tokens` tokens reads (a formula over rows).
std::string weights_read(const InferContext& c, const std::string& tokens) {
  if (c.routed_bytes > 0) {
    return fmt::format("{{weights_bytes}} - {{routed_expert_bytes}} × (1 - {{experts_per_token}} / {{experts}}) ^ ({})",
                       tokens);
  }
  if (c.model.active != c.model.params) {
    return fmt::format("min({{weights_bytes}}, {} × {{active_params}} × {})", tokens, c.weight_bytes);
  }
  return "{weights_bytes}";
}

// Pipeline stages: their layout and the activations' hops between them.
void add_pipeline_rows(Report& r, const InferContext& c, const InferNumbers& n) {
  if (c.pp <= 1) return;
  r.add_input("pipeline_stages", "Pipeline stages", c.pp, Unit::count, c.pp_source);
  r.add("tensor_parallel", "Chips per stage (tensor parallel)", c.tp, Unit::count, "{chips} / {pipeline_stages}");
  if (c.pp_link <= 0 || c.d_model <= 0) {
    r.notes.emplace_back("no link data between the pipeline stages: the activations' hops are left out");
    return;
  }
  r.add_input("pp_link_bytes_per_s", "Stage-to-stage link per chip (achieved)", c.pp_link, Unit::bytes_per_s,
              c.chips <= c.links.domain ? "scale-up links (catalog: scaleup_gbps × efficiency)"
                                        : "network (catalog: scaleout_gbps × efficiency)");
  const std::string per = " × {d_model} × 2 / {pp_link_bytes_per_s} + {collective_latency_s})";
  r.add("pp_hops_prefill_s", "Pipeline hops per prefill", n.pp_prefill, Unit::seconds,
        fmt::format("({{pipeline_stages}} - 1) × ({} × {}{}", micro_batch(c), fresh_tokens(c), per));
  r.add("pp_hops_decode_s", "Pipeline hops per decode step", n.pp_decode, Unit::seconds,
        fmt::format("({{pipeline_stages}} - 1) × ({}{}", micro_batch(c), per));
}

// Tensor-parallel all-reduces: their inputs and times; returns "" when there are none.
std::string add_tp_rows(Report& r, const InferContext& c, const InferNumbers& n) {
  if (c.d_model > 0 && (c.tp > 1 || c.pp > 1))
    r.add_input("d_model", "Hidden size", c.d_model, Unit::count, c.model.source);
  if (c.links.collective_latency > 0 && (c.tp > 1 || c.pp > 1)) {
    r.add_input("collective_latency_s", "Latency per collective", c.links.collective_latency, Unit::seconds,
                assumption_source("plan_collective_latency_s"));
  }
  add_pipeline_rows(r, c, n);
  if (c.tp <= 1) return {};
  if (c.tp_link <= 0 || c.layers <= 0) {
    r.notes.emplace_back("no link data for tensor parallelism over these chips: its communication is left out");
    return {};
  }
  r.add_input("tp_link_bytes_per_s", "Tensor-parallel link per chip (achieved)", c.tp_link, Unit::bytes_per_s,
              c.tp_link_source);
  const std::string t = tp_var(c);
  const std::string per =
      fmt::format(" × {} × {{d_model}} × 2 / {{tp_link_bytes_per_s}} + {{collective_latency_s}})", micro_batch(c));
  r.add("tp_comm_prefill_s", "Tensor-parallel communication per prefill", n.tp_prefill, Unit::seconds,
        fmt::format("2 × {{layers}} × (2 × ({0} - 1) / {0} × {2}{1}", t, per, fresh_tokens(c)));
  r.add("tp_comm_decode_s", "Tensor-parallel communication per decode step", n.tp_decode, Unit::seconds,
        fmt::format("2 × {{layers}} × (2 × ({0} - 1) / {0}{1}", t, per));
  return "tp";
}

// The inputs of the kernel-by-kernel pass: shape, attention rate, elementwise traffic, overheads.
void add_pass_inputs(Report& r, const Catalog& cat, const InferInputs& in, const InferContext& c) {
  if (c.routed_bytes > 0) {
    r.add_input("routed_expert_bytes", "Routed experts' weights (all MoE layers)", c.routed_bytes, Unit::bytes,
                c.model.source + ": MoE layers × experts × (2 or 3) × d_model × expert_ffn_dim × bytes");
    r.add_input("experts", "Routed experts per MoE layer", c.experts, Unit::count, c.model.source);
    r.add_input("experts_per_token", "Experts per token", c.experts_per_token, Unit::count, c.model.source);
  }
  if (c.layers > 0) r.add_input("layers", "Layers", c.layers, Unit::count, c.model.source);
  if (c.attn_flop > 0) {
    r.add_input("attn_flop_per_context_token", "Attention FLOPs per token per context token", c.attn_flop, Unit::flop,
                c.model.source + ": 4 × layers × heads × head_dim");
    r.add_input("attention_peak_flop_per_s", fmt::format("Peak {} per chip for attention", c.attn_peak_dtype),
                c.attn_peak, Unit::flop_per_s, "catalog accelerator " + c.hw.acc->id);
    r.add_input("attention_efficiency", "Fused-attention efficiency", c.attn_eff, Unit::fraction,
                "assumption plan_flash_efficiency × plan_runtime_efficiency",
                cite(cat.assumption("plan_flash_efficiency")));
  }
  if (c.elem_hidden > 0) {
    r.add_input("elementwise_bytes_per_token", "Elementwise traffic per token per chip",
                c.elem_hidden + c.elem_mlp / c.tp, Unit::bytes,
                c.model.source +
                    ": layers × (22 × d_model + (6 gated, else 4) × MLP width / chips per stage) bytes (norms, "
                    "residuals, activation)");
  }
  if (c.layers > 0) {
    if (in.layer_overhead) {
      r.add_input("layer_overhead_s", "Fixed time per layer per pass", c.layer_overhead, Unit::seconds, "given");
    } else {
      r.add_input("layer_overhead_s", "Fixed time per layer per pass", c.layer_overhead, Unit::seconds,
                  assumption_source("infer_layer_overhead_s"), cite(cat.assumption("infer_layer_overhead_s")));
    }
  }
  r.add_input("roofline_knee", "Soft-maximum exponent of a GEMM's math and weights", c.knee, Unit::ratio,
              assumption_source("infer_roofline_knee"), cite(cat.assumption("infer_roofline_knee")));
}

struct PassRows {
  double compute, weights, gemm, attn, elem;
};

// One pass's rows (prefix "prefill" or "decode") and the formula of their sum.
std::string add_pass_rows(Report& r, const InferContext& c, const RooflineTerms& t, const std::string& prefix,
                          const std::string& tokens, const std::string& attn_context, const PassRows& v,
                          const std::string& comm_key) {
  const std::string what = prefix == "prefill" ? "prefill" : "decode step";
  r.add(prefix + "_compute_s", "GEMM math per " + what, v.compute, Unit::seconds,
        fmt::format("{{flop_per_token}} × {} / {}", tokens, t.compute));
  r.add(prefix + "_weights_s", "Weight stream per " + what, v.weights, Unit::seconds,
        fmt::format("({}) / {}", weights_read(c, tokens), t.bandwidth));
  r.add(prefix + "_gemm_s", "GEMMs per " + what, v.gemm, Unit::seconds,
        fmt::format("({{{0}_compute_s}} ^ {{roofline_knee}} + {{{0}_weights_s}} ^ {{roofline_knee}}) ^ (1 / "
                    "{{roofline_knee}})",
                    prefix));
  std::string sum = "{" + prefix + "_gemm_s}";
  std::vector<std::string> attn;
  if (c.attn_flop > 0) {
    attn.push_back(
        fmt::format("{{attn_flop_per_context_token}} × {} × {} / ({} × {{attention_peak_flop_per_s}} "
                    "× {{attention_efficiency}})",
                    tokens, attn_context, tp_var(c)));
  }
  if (c.kv_per_token > 0)
    attn.push_back(fmt::format("{} × {} × {{kv_bytes_per_token}} / {}", tokens,
                               prefix == "prefill" ? "1" : attn_context, t.bandwidth));
  if (!attn.empty()) {
    r.add(prefix + "_attention_s", "Attention per " + what, v.attn, Unit::seconds,
          attn.size() == 2 ? fmt::format("max({}, {})", attn[0], attn[1]) : attn[0]);
    sum += " + {" + prefix + "_attention_s}";
  }
  if (c.elem_hidden > 0) {
    r.add(prefix + "_elementwise_s", "Elementwise kernels per " + what, v.elem, Unit::seconds,
          fmt::format("{} × {{elementwise_bytes_per_token}} / {}", tokens, t.chip_bandwidth));
    sum += " + {" + prefix + "_elementwise_s}";
  }
  if (!comm_key.empty()) sum += " + {" + comm_key + "}";
  if (c.layers > 0) sum += " + {layers} × {layer_overhead_s}";
  return sum;
}

// Speculative decoding: the draft's k proposals, their acceptance and the target's check.
void add_speculation_rows(Report& r, const Catalog& cat, const InferContext& c, const InferNumbers& n) {
  r.add_input("spec_tokens", "Tokens the draft proposes per step", c.spec_k, Unit::count, c.spec_k_source,
              c.spec_k_source == "given" ? std::string() : cite(cat.assumption("infer_spec_tokens")));
  r.add_input("acceptance", "Acceptance rate per proposed token", c.spec_alpha, Unit::fraction, c.spec_alpha_source,
              c.spec_alpha_source == "given" ? std::string() : cite(cat.assumption("infer_spec_acceptance")));
  r.add("expected_tokens_per_step", "Tokens per step (expected)", n.spec_tokens, Unit::tokens,
        c.spec_alpha >= 1 ? "{spec_tokens} + 1" : "(1 - {acceptance} ^ ({spec_tokens} + 1)) / (1 - {acceptance})");
  r.add_input("draft_step_s", "Draft model's decode step", n.draft_step, Unit::seconds,
              fmt::format("llmcost infer --model {} on {} chips, the same batch", c.draft->model.model->id, c.tp));
  r.add_found("verify_step_s", "Target's check of k + 1 tokens per sequence", n.verify, Unit::seconds,
              "the decode step's kernels over spec_tokens + 1 tokens per sequence: their math, attention and "
              "elementwise work grow k + 1-fold, the weight and KV-cache reads and the per-layer overhead do not");
}

void add_roofline_rows(Report& r, const Catalog& cat, const InferInputs& in, const InferContext& c,
                       const InferNumbers& n) {
  const RooflineTerms t = roofline_terms(in, c);
  add_pass_inputs(r, cat, in, c);
  const std::string comm = add_tp_rows(r, c, n);
  // The prefill's attention: token i attends to i tokens (causal), to all of them in an encoder.
  const std::string mb = c.pp > 1 ? "(" + micro_batch(c) + ")" : micro_batch(c);
  // With a cached prefix of N, the new tokens N + 1 … P attend to (P·(P + 1) − N·(N + 1)) / 2 in all.
  const std::string prefill_context =
      c.encoder      ? "{prompt_tokens}"
      : c.cached > 0 ? "({prompt_tokens} × ({prompt_tokens} + 1) - {cached_prompt_tokens} × ({cached_prompt_tokens} + "
                       "1)) / (2 × ({prompt_tokens} - {cached_prompt_tokens}))"
                     : "({prompt_tokens} + 1) / 2";
  std::string ttft =
      add_pass_rows(r, c, t, "prefill", mb + " × " + fresh_tokens(c), prefill_context,
                    {n.p_compute, n.p_weights, n.p_gemm, n.p_attn, n.p_elem}, comm.empty() ? "" : "tp_comm_prefill_s");
  // A pipeline fills in 2·pp − 1 stage times for its pp micro-batches.
  if (c.pp > 1) {
    ttft = "(" + ttft + ") × (2 × {pipeline_stages} - 1) / {pipeline_stages}";
    if (c.pp_link > 0 && c.d_model > 0) ttft += " + {pp_hops_prefill_s}";
  }
  if (c.encoder) {
    r.add("time_to_first_token_s", "Time to encode the batch", n.ttft, Unit::seconds, ttft);
    r.add("request_latency_s", "Request latency", n.latency, Unit::seconds, "{time_to_first_token_s}");
    r.add("tokens_per_s", "Input tokens/s per replica", n.tokens_per_s, Unit::tokens_per_s,
          "{batch} × {prompt_tokens} / {time_to_first_token_s}");
    r.add("tokens_per_s_per_chip", "Input tokens/s per chip", n.tokens_per_s_per_chip, Unit::tokens_per_s,
          "{tokens_per_s} / {chips}");
    return;
  }
  if (c.draft) {
    r.add_context("draft_model", "Draft model (speculative decoding)",
                  c.draft->model.model ? c.draft->model.model->id : "", "given");
    r.add_input("draft_prefill_s", "Draft model's prefill", n.draft_prefill, Unit::seconds,
                fmt::format("llmcost infer --model {} on {} chips, the same requests", c.draft->model.model->id, c.tp));
    ttft += " + {draft_prefill_s}";
  }
  r.add("time_to_first_token_s", "Time to first token", n.ttft, Unit::seconds, ttft);
  std::string tpot =
      add_pass_rows(r, c, t, "decode", mb, "({prompt_tokens} + {output_tokens} / 2)",
                    {n.d_compute, n.d_weights, n.d_gemm, n.d_attn, n.d_elem}, comm.empty() ? "" : "tp_comm_decode_s");
  if (c.pp > 1 && c.pp_link > 0 && c.d_model > 0) tpot += " + {pp_hops_decode_s}";
  if (c.draft) {
    // The plain step above becomes the verification of k + 1 tokens per sequence.
    r.add("decode_step_s", "Decode step, one token per sequence",
          n.d_gemm + n.d_attn + n.d_elem + n.tp_decode + n.overhead + n.pp_decode, Unit::seconds, tpot);
    add_speculation_rows(r, cat, c, n);
    tpot = "({verify_step_s} + {spec_tokens} × {draft_step_s}) / {expected_tokens_per_step}";
  }
  r.add("time_per_output_token_s", "Time per output token", n.tpot, Unit::seconds, tpot);
  r.add_text_result("bound", "Decode is bound by", n.memory_bound ? "memory bandwidth" : "compute",
                    "streaming the weights and KV cache against the GEMM and attention math of a decode step");
  r.add("request_latency_s", "Request latency", n.latency, Unit::seconds,
        "{time_to_first_token_s} + ({output_tokens} - 1) × {time_per_output_token_s}");
  r.add("tokens_per_s", "Output tokens/s per replica", n.tokens_per_s, Unit::tokens_per_s,
        "{batch} / {time_per_output_token_s}");
  r.add("tokens_per_s_per_chip", "Output tokens/s per chip", n.tokens_per_s_per_chip, Unit::tokens_per_s,
        "{tokens_per_s} / {chips}");
}

void add_energy_rows(Report& r, const Catalog& cat, const InferContext& c, const InferNumbers& n) {
  if (c.watts <= 0 || c.encoder) return;
  r.add_input("watts_per_chip", "Server power per chip", c.watts, Unit::watts, c.watts_source);
  r.add_input("pue", "Datacenter PUE", c.pue, Unit::ratio, assumption_source("pue"), cite(cat.assumption("pue")));
  r.add_input("grid_kg_per_kwh", "Grid carbon intensity", c.grid, Unit::kg_per_kwh,
              assumption_source("grid_kg_per_kwh"), cite(cat.assumption("grid_kg_per_kwh")));
  r.add("energy_per_1m_output_tokens_kwh", "Energy per 1M output tokens", n.energy_out_1m_kwh, Unit::kwh,
        "{chips} × {watts_per_chip} × {pue} × {time_per_output_token_s} / {batch} × 1e6 / 3.6e6");
  r.add("co2e_per_1m_output_tokens_kg", "Emissions per 1M output tokens", n.co2e_out_1m_kg, Unit::kg_co2e,
        "{energy_per_1m_output_tokens_kwh} × {grid_kg_per_kwh}");
}

void add_cost_rows(Report& r, const InferInputs& in, const InferContext& c, const InferNumbers& n) {
  if (c.hw.offer) {
    r.add("cost_per_1m_input_tokens_usd", "Cost per 1M input tokens (roofline)", n.cost_in_1m, Unit::usd,
          "{chips} × {usd_per_chip_hour} / 3600 × {time_to_first_token_s} / ({batch} × {prompt_tokens}) × 1e6");
    if (c.encoder) {
      r.add("cost_per_request_usd", "Cost per request (roofline)", n.cost_request, Unit::usd,
            "{cost_per_1m_input_tokens_usd} × {prompt_tokens} / 1e6");
    } else {
      r.add("cost_per_1m_output_tokens_usd", "Cost per 1M output tokens (roofline)", n.cost_out_1m, Unit::usd,
            "{chips} × {usd_per_chip_hour} / 3600 × {time_per_output_token_s} / {batch} × 1e6");
      r.add("cost_per_request_usd", "Cost per request (roofline)", n.cost_request, Unit::usd,
            "{cost_per_1m_input_tokens_usd} × {prompt_tokens} / 1e6 + {cost_per_1m_output_tokens_usd} × "
            "{output_tokens} / 1e6");
    }
  } else {
    r.notes.emplace_back("no price: give --offer ID for costs");
  }
  if (n.slo) {
    if (in.ttft_ms) r.add_input("ttft_slo_s", "SLO: time to first token", *in.ttft_ms / 1000, Unit::seconds, "given");
    if (in.tpot_ms) r.add_input("tpot_slo_s", "SLO: time per output token", *in.tpot_ms / 1000, Unit::seconds, "given");
    r.add_found("max_batch_slo", "Largest batch within the SLOs", n.slo_batch, Unit::count,
                "bisection: the largest batch (at most the cap and what fits) whose TTFT and TPOT meet the SLOs");
    r.add("slo_met", "Meets the SLOs", n.slo_met ? 1 : 0, Unit::flag, {});
    if (!n.slo_met) {
      r.notes.push_back(
          Text::of("no batch meets the SLOs on {} × {}: even batch 1 takes {} to the first token and {} "
                   "per output token; add chips or relax them",
                   Quantity{c.chips, Unit::count}, c.hw.acc->id, Quantity{n.ttft, Unit::seconds},
                   Quantity{n.tpot, Unit::seconds}));
    }
  }
  if (in.latency_budget_ms) {
    r.add_input("latency_budget_s", "Latency budget", n.latency_budget_s, Unit::seconds, "given");
    r.add_found("max_batch_latency_budget", "Largest batch within the latency budget", n.batch_within_budget,
                Unit::count, "bisection: the largest batch whose request latency is at most latency_budget_s");
    if (n.batch_within_budget == 0) r.notes.emplace_back("even a batch of 1 exceeds the latency budget");
  }
}

}  // namespace

static Report estimate_inference_point(const InferInputs& in, const Catalog& cat) {
  const InferContext c = resolve_inference(in, cat);
  const InferNumbers n = compute_inference(in, c);
  Report r;
  r.kind = "infer";
  add_model_rows(r, c.model);
  add_accelerator(r, c.hw);
  add_hardware_rows(r, in, c);
  add_flop_rule_rows(r, cat, in, c, n);
  add_workload_rows(r, cat, in, c, n);
  add_memory_rows(r, cat, in, c, n);
  add_roofline_rows(r, cat, in, c, n);
  add_cost_rows(r, in, c, n);
  add_energy_rows(r, cat, c, n);
  r.notes.emplace_back(c.attn_flop > 0
                           ? "the roofline costs each pass kernel by kernel (docs/serving.md); the FLOP rule folds "
                             "attention, communication and overheads into the MFU"
                           : "the roofline leaves out attention, elementwise kernels and per-layer overheads (the "
                             "model's layers and heads are unknown); the FLOP rule folds all of them into the MFU");
  r.title =
      Text::of("Serving {} on {} × {}{}", model_title(c.model.model, c.model.params, resizes(c.model.model, in.params)),
               Quantity{c.chips, Unit::count}, c.hw.acc->name, c.hw.offer ? " (" + c.hw.offer->id + ")" : "");
  return r;
}

Report estimate_inference(const InferInputs& in, const Catalog& cat) {
  return with_catalog_ranges(
      in, cat, estimate_inference_point,
      {"cost_per_1m_tokens_usd", "time_to_first_token_s", "time_per_output_token_s", "tokens_per_s",
       "cost_per_1m_output_tokens_usd", "energy_per_1m_output_tokens_kwh", "co2e_per_1m_output_tokens_kg"});
}

}  // namespace llmcost
