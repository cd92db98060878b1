// Inference economics, the resolve and compute steps (infer_steps.hpp): the FLOP rule of the
// reference case (docs/reference-case.md §3) and a roofline of prefill and decode (Williams et al.
// 2009). infer_report.cpp writes the rows.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "estimate/infer_steps.hpp"
#include "llmcost/error.hpp"

namespace llmcost {

double dtype_bytes(const std::string& dtype) {
  if (dtype == "fp32" || dtype == "tf32") return 4;
  if (dtype == "fp16" || dtype == "bf16") return 2;
  if (dtype == "fp8" || dtype == "int8") return 1;
  if (dtype == "int4") return 0.5;
  throw InputError(fmt::format("unknown dtype '{}'", dtype));
}

namespace {

// The dtype whose peak runs the matmuls for weights stored as `weights`: the same when the chip
// has it; 8-bit without 8-bit units and int4 run as weight-only quantisation at 16-bit.
std::string compute_dtype(const std::string& weights, const Accelerator& acc, bool explicit_dtype) {
  if (acc.peak_flops(weights)) return weights;
  if (explicit_dtype && (weights == "fp32" || weights == "fp16" || weights == "bf16")) {
    throw InputError(fmt::format("--dtype {}: accelerator {} has no {} peak in the catalog", weights, acc.id, weights));
  }
  for (const char* d : {"bf16", "fp16", "fp32"}) {
    if (acc.peak_flops(d)) return d;
  }
  return acc.peak_tflops.begin()->first;
}

void resolve_dtypes(InferContext& c, const InferInputs& in) {
  const Accelerator& acc = *c.hw.acc;
  c.wdtype = in.dtype.empty() ? acc.default_dtype() : in.dtype;
  c.cdtype = compute_dtype(c.wdtype, acc, !in.dtype.empty());
  c.dequantised = c.cdtype != c.wdtype && c.wdtype != "bf16" && c.wdtype != "fp16" && acc.peak_flops(c.cdtype);
  c.kvdtype = in.kv_dtype.empty() ? (c.wdtype == "bf16" ? "bf16" : "fp16") : in.kv_dtype;
  c.peak = *acc.peak_flops(c.cdtype);
  c.bw = acc.memory_bandwidth_gbps * 1e9;
  c.chip_mem = acc.memory_gb * 1e9;
  c.weight_bytes = dtype_bytes(c.wdtype);
}

// A calibration replaces the vendor ceilings of the roofline with measured ones (the FLOP rule
// keeps the reference case's vendor peak × MFU).
void resolve_ceilings(InferContext& c, const InferInputs& in) {
  c.roof_peak = c.peak, c.roof_bw = c.bw;
  if (!in.calibration) return;
  const Calibration& cal = *in.calibration;
  std::optional<double> measured = cal.gemm_flops(c.cdtype);
  c.measured_dtype = c.cdtype;
  for (const auto& [d, tflops] : cal.gemm_tflops) {
    if (!measured || (!cal.gemm_flops(c.cdtype) && tflops * 1e12 > *measured)) {
      measured = tflops * 1e12, c.measured_dtype = d;
    }
  }
  if (!measured || !(cal.bandwidth_gbps > 0)) {
    throw InputError(fmt::format("--calibration {}: needs a GEMM and a bandwidth measurement", cal.origin.file));
  }
  check_calibration_ceiling(cal, *c.hw.acc, c.measured_dtype, *measured, c.peak);
  c.roof_peak = *measured;
  c.roof_bw = cal.bandwidth_bytes_per_s();
}

// Chips per replica: given; else one instance of a multi-chip offer; else (bare hardware, or an
// offer priced per chip) the fewest, a power of two, whose memory holds the weights.
void resolve_chips(InferContext& c, const InferInputs& in) {
  const double weights = c.model.params * c.weight_bytes;
  if (in.chips) {
    c.chips = *in.chips, c.chips_source = "given";
  } else if (c.hw.offer && c.hw.offer->count > 1) {
    c.chips = c.hw.offer->count, c.chips_source = fmt::format("one {} instance", c.hw.offer->instance);
  } else {
    c.chips = 1;
    while (c.chips * c.chip_mem < weights && c.chips < 65536) c.chips *= 2;
    c.chips_source = "default: fewest (power of two) that hold the weights";
  }
}

// Tensor parallelism splits the attention heads over the chips: a given count must divide them,
// and key/value heads are copied when there are fewer of them than chips.
bool tp_divides(const InferContext& c, double chips) {
  const Model* m = c.model.model;
  if (!m || !m->heads || chips <= 1) return true;
  const long long t = static_cast<long long>(chips), heads = *m->heads, kv = m->kv_heads.value_or(*m->heads);
  return heads % t == 0 && (kv % t == 0 || t % kv == 0);
}

void apply_kv_copies(InferContext& c) {
  const Model* m = c.model.model;
  c.kv_copies = 1;
  if (m && m->kv_heads && !m->kv_dim && c.tp > *m->kv_heads) c.kv_copies = c.tp / *m->kv_heads;
  c.kv_per_token = c.kv_per_token_base * c.kv_copies;
}

// The layout of `pp` stages of chips / pp: the all-reduces run over the scale-up links when a
// stage's chips fit one domain, else the network; the stage-to-stage hops over the scale-up links
// when the replica fits one domain.
void set_layout(InferContext& c, double pp) {
  const double domain = c.links.domain;
  c.pp = pp;
  c.tp = c.chips / c.pp;
  c.tp_link = c.tp <= domain ? c.links.scaleup_bw : c.links.scaleout_bw;
  c.tp_link_source = c.tp <= domain ? "scale-up links (catalog: scaleup_gbps × efficiency)"
                                    : "network (catalog: scaleout_gbps × efficiency)";
  c.pp_link = c.chips <= domain ? c.links.scaleup_bw : c.links.scaleout_bw;
  apply_kv_copies(c);
}

double chip_seconds_per_token(const InferInputs& in, const InferContext& c, bool& usable) {
  const InferNumbers n = compute_inference(in, c);
  usable = n.fits && n.slo_met;
  return c.chips * n.tpot / n.batch;
}

// Pipeline stages: given; else, when the chips span several whole scale-up domains, one tensor-
// parallel group over the network or one stage per domain (only activations cross the network;
// each stage re-reads its weights for every micro-batch), whichever costs fewer chip-seconds per
// output token within memory and the SLOs; else one stage.
void choose_layout(InferContext& c, const InferInputs& in) {
  const double domain = c.links.domain;
  if (in.pp) {
    set_layout(c, *in.pp);
    c.pp_source = "given";
    return;
  }
  set_layout(c, 1);
  c.pp_source = "default: the chips fit one scale-up domain";
  if (!(domain > 1 && c.chips > domain && std::fmod(c.chips, domain) == 0)) return;
  const double staged = c.chips / domain;
  if (c.layers > 0 && staged > c.layers) return;
  bool flat_ok = false, staged_ok = false;
  const double flat = tp_divides(c, c.chips) ? chip_seconds_per_token(in, c, flat_ok) : 0;
  set_layout(c, staged);
  const double per_stage = tp_divides(c, c.tp) ? chip_seconds_per_token(in, c, staged_ok) : 0;
  const bool use_stages = staged_ok ? !flat_ok || per_stage < flat : !flat_ok && per_stage > 0 && per_stage < flat;
  set_layout(c, use_stages ? staged : 1);
  c.pp_source = fmt::format(
      "default: of one tensor-parallel group over the network and one stage per {}-chip scale-up domain, the one "
      "with fewer chip-seconds per output token",
      domain);
}

void resolve_tensor_parallel(InferContext& c, const InferInputs& in, const Catalog& cat) {
  const Model* m = c.model.model;
  if (m && m->layers && m->d_model) c.layers = *m->layers, c.d_model = *m->d_model;
  c.links = link_figures(*c.hw.acc, cat);
  if (in.pp) {
    const double chips = in.chips ? *in.chips : c.chips;
    if (std::fmod(chips, *in.pp) != 0) {
      throw InputError(
          fmt::format("--pp {}: the pipeline stages must divide the {} chips of a replica", *in.pp, chips));
    }
    if (c.layers > 0 && *in.pp > c.layers) {
      throw InputError(fmt::format("--pp {}: more stages than the {} layers of {}", *in.pp, c.layers, m->id));
    }
  }
  choose_layout(c, in);
  if (in.chips && !tp_divides(c, c.tp)) {
    throw InputError(
        fmt::format("--chips {}: tensor parallelism splits the {} attention heads ({} key/value) of {} "
                    "evenly over the {} chips of a stage; give a divisor",
                    *in.chips, *m->heads, m->kv_heads.value_or(*m->heads), m->id, c.tp));
  }
}

// Without --chips (and no multi-chip instance), the fewest chips that hold the weights may leave
// no room for the KV cache (Llama 3 70B in fp16 on one 141 GB H200: batch 5). The default is the
// power of two, from the fewest that hold the weights to 8× as many, with the lowest cost per
// output token (unpriced: the fewest chip-seconds per output token) among those where the batch fits.
void choose_default_chips(InferContext& c, const InferInputs& in) {
  if (in.chips || (c.hw.offer && c.hw.offer->count > 1) || c.chip_mem <= 0) return;
  const double fewest = c.chips;
  double best_chips = fewest, best = std::numeric_limits<double>::infinity();
  for (double chips = fewest; chips <= fewest * 8 && chips <= 65536; chips *= 2) {
    if (in.pp && std::fmod(chips, *in.pp) != 0) continue;
    c.chips = chips;
    choose_layout(c, in);
    if (!tp_divides(c, c.tp)) continue;
    const InferNumbers n = compute_inference(in, c);
    const double per_token = chips * n.tpot / n.batch;  // chip-seconds per output token
    if (n.fits && n.slo_met && per_token < best * (1 - 1e-9)) best = per_token, best_chips = chips;
  }
  c.chips = best_chips;
  choose_layout(c, in);
  c.chips_source = fmt::format(
      "default: of the powers of two from {} (the fewest that hold the weights) to {}, the one with the fewest "
      "chip-seconds per output token{}",
      fewest, fewest * 8, in.ttft_ms || in.tpot_ms ? " within the SLOs" : "");
}

// The soft maximum (a^p + b^p)^(1/p) of a GEMM's math and its weight stream: a GEMM near the
// ridge point reaches neither ceiling (p = 2 by default; p → ∞ is the plain roofline's max).
double soft_max(double a, double b, double p) {
  const double m = std::max(a, b);
  if (m <= 0) return 0;
  return m * std::pow(std::pow(a / m, p) + std::pow(b / m, p), 1 / p);
}

// One forward pass costed kernel by kernel on the replica's chips: the GEMMs (their math and the
// weights they stream, combined by a soft maximum), attention (its FLOPs at the fused-attention rate
// or the KV cache it reads or writes, whichever is longer), the elementwise kernels (norms,
// residuals, activation: a memory stream), the tensor-parallel all-reduces, and a fixed time per
// layer for what the kernels' ideal times leave out (launch gaps, ramp-up and tails, sampling).
struct Roofline {
  const InferContext& c;
  double active_weights;  // bytes of weights one token touches (MoE: its active experts)

  double compute_s(double flop) const { return flop / (c.tp * c.roof_peak * c.compute_eff); }
  double memory_s(double bytes) const { return bytes / (c.tp * c.roof_bw * c.bandwidth_eff); }
  double flop_per_token() const { return c.flop_per_param * c.model.active; }
  double weights() const { return c.model.params * c.weight_bytes; }
  // Weights read by a pass over `tokens` tokens: all of them for a dense model. For MoE, tokens
  // routed to k of E experts each touch E·(1 − (1 − k/E)^tokens) distinct experts per layer in
  // expectation: the routed experts never visited stay unread (shared experts and attention are
  // always read). Without the expert shape, at most the tokens' active parameters.
  double weight_bytes_read(double tokens) const {
    if (c.routed_bytes > 0) return weights() - c.routed_bytes * std::pow(1 - c.experts_per_token / c.experts, tokens);
    return std::min(weights(), tokens * active_weights);
  }
  double gemm_s(double tokens) const {
    return soft_max(compute_s(flop_per_token() * tokens), memory_s(weight_bytes_read(tokens)), c.knee);
  }
  double attention_s(double flop, double kv_bytes) const {
    const double math = c.attn_peak > 0 ? flop / (c.tp * c.attn_peak * c.attn_eff) : 0;
    return std::max(math, memory_s(kv_bytes));
  }
  // Elementwise bytes per chip: the hidden-size kernels on every chip, the MLP's split over them.
  double elementwise_s(double tokens) const {
    return tokens * (c.elem_hidden + c.elem_mlp / c.tp) / (c.roof_bw * c.bandwidth_eff);
  }
  double overhead_s() const { return c.layers * c.layer_overhead; }
  // Tensor-parallel all-reduces of one pass over `tokens` tokens per sequence: 2 per layer, ring
  // volume 2·(t − 1)/t of tokens × batch × d_model × 2 B per chip, plus each collective's latency.
  double tp_comm(double b, double tokens) const {
    if (c.tp <= 1 || c.tp_link <= 0) return 0;
    const double volume = 2 * (c.tp - 1) / c.tp * tokens * b * c.d_model * 2;
    return 2 * c.layers * (volume / c.tp_link + c.links.collective_latency);
  }
  // The prompt tokens a prefill computes: all but a cached shared prefix.
  double fresh() const { return c.prompt - c.cached; }
  // Attention FLOPs of the prefill: token i attends to i tokens (causal: the new tokens N + 1 … P
  // of a prompt with N cached, (P·(P + 1) − N·(N + 1))/2 in all), to all P in an encoder.
  double prefill_attn_flop(double b) const {
    if (c.encoder) return c.attn_flop * c.prompt * c.prompt * b;
    return c.attn_flop * (c.prompt * (c.prompt + 1) - c.cached * (c.cached + 1)) / 2 * b;
  }
  double prefill_attn_s(double b) const { return attention_s(prefill_attn_flop(b), b * fresh() * c.kv_per_token); }
  // A decode step at the mean context P + O/2: every sequence reads its KV cache (a cached prefix
  // too: it is shared in memory, not in the attention kernel's reads).
  double context() const { return c.prompt + c.output / 2; }
  double decode_attn_s(double b, double tokens = 1) const {
    return attention_s(c.attn_flop * context() * b * tokens, b * context() * c.kv_per_token);
  }
  // One pass of a micro-batch of m sequences through every stage (all layers): what a sequence
  // waits for each token.
  double prefill_pass(double m) const {
    const double tokens = m * fresh();
    return gemm_s(tokens) + prefill_attn_s(m) + elementwise_s(tokens) + tp_comm(m, fresh()) + overhead_s();
  }
  // A decode pass over `tokens` tokens per sequence (1; k + 1 when it verifies a draft's k).
  double decode_pass(double m, double tokens = 1) const {
    return gemm_s(m * tokens) + decode_attn_s(m, tokens) + elementwise_s(m * tokens) + tp_comm(m, tokens) +
           overhead_s();
  }
  // Activations crossing the pp − 1 stage boundaries, plus a collective latency each.
  double hops(double m, double tokens) const {
    if (c.pp <= 1 || c.pp_link <= 0) return 0;
    return (c.pp - 1) * (m * tokens * c.d_model * 2 / c.pp_link + c.links.collective_latency);
  }
  // The batch runs as pp micro-batches: the prefill fills the pipeline (2·pp − 1 stage times for
  // pp micro-batches); in decode every micro-batch gets a token each pass, pp stages apart.
  double micro(double b) const { return b / c.pp; }
  double ttft(double b) const {
    const double own = prefill_pass(micro(b)) * (2 * c.pp - 1) / c.pp + hops(micro(b), fresh());
    return own + (c.draft ? draft().ttft(b) : 0);  // the draft model reads the prompt too
  }
  double plain_tpot(double b) const { return c.encoder ? 0 : decode_pass(micro(b)) + hops(micro(b), 1); }
  // Speculative decoding: the draft proposes k tokens (k of its decode steps), the target checks
  // them in one pass over k + 1 tokens per sequence; α^i of the proposals survive to position i, so
  // a step yields (1 − α^(k+1)) / (1 − α) tokens.
  Roofline draft() const { return Roofline{*c.draft, c.draft->model.active * c.draft->weight_bytes}; }
  double expected_tokens() const {
    return c.spec_alpha >= 1 ? c.spec_k + 1 : (1 - std::pow(c.spec_alpha, c.spec_k + 1)) / (1 - c.spec_alpha);
  }
  double verify_s(double b) const { return decode_pass(micro(b), c.spec_k + 1) + hops(micro(b), c.spec_k + 1); }
  double tpot(double b) const {
    if (!c.draft || c.encoder) return plain_tpot(b);
    return (verify_s(b) + c.spec_k * draft().plain_tpot(b)) / expected_tokens();
  }
  double latency(double b) const { return ttft(b) + std::max(0.0, c.output - 1) * tpot(b); }
  // Decode is memory-bound when streaming the weights and KV cache takes longer than the math.
  bool memory_bound(double batch) const {
    const double b = micro(batch);
    const double bytes = weight_bytes_read(b) + b * context() * c.kv_per_token;
    const double math = compute_s(flop_per_token() * b) +
                        (c.attn_peak > 0 ? c.attn_flop * context() * b / (c.tp * c.attn_peak * c.attn_eff) : 0);
    return bytes > 0 && memory_s(bytes) > math;
  }
  // Largest batch in [1, hi] for which `ok` holds (TTFT, TPOT and latency all grow with the
  // batch), or 0.
  template <class Ok>
  double max_batch(double hi, const Ok& ok) const {
    if (hi < 1 || !ok(1.0)) return 0;
    double lo = 1;
    while (lo < hi) {
      const double mid = std::floor((lo + hi + 1) / 2);
      if (ok(mid))
        lo = mid;
      else
        hi = mid - 1;
    }
    return lo;
  }
  double max_batch_within(double hi, double budget_s) const {
    return max_batch(hi, [&](double b) { return latency(b) <= budget_s; });
  }
  // The serving SLOs: time to first token and time per output token (and the request budget).
  bool meets(double b, const InferInputs& in) const {
    return (!in.ttft_ms || ttft(b) <= *in.ttft_ms / 1000) && (!in.tpot_ms || tpot(b) <= *in.tpot_ms / 1000);
  }
};

double or_default(const std::optional<double>& given, const Catalog& cat, std::string_view assumption) {
  return given ? *given : cat.assumption_number(assumption);
}

// The longest context the model serves: --seq-len, else its max_seq_len (a config's
// max_position_embeddings), else the context it was trained at.
void resolve_context(InferContext& c, const InferInputs& in) {
  const Model* m = c.model.model;
  if (in.seq_len) {
    c.context = *in.seq_len, c.context_source = "--seq-len";
  } else if (m && m->max_seq_len) {
    c.context = *m->max_seq_len, c.context_source = c.model.source + " max_seq_len";
  } else if (m && m->seq_len) {
    c.context = *m->seq_len, c.context_source = c.model.source + " seq_len";
  }
  // Grouped-query attention shares key/value heads among query heads: never more of them.
  if (m && m->kv_heads && m->heads && *m->kv_heads > *m->heads) {
    throw InputError(fmt::format("model {}: kv_heads {} exceeds heads {}", m->id, *m->kv_heads, *m->heads));
  }
  // A request longer than the model's context cannot be served.
  if (c.context > 0 && c.prompt + c.output > c.context) {
    throw InputError(
        fmt::format("prompt {} + output {} tokens exceed the {}-token context {} serves ({}); give --seq-len for a "
                    "long-context variant",
                    c.prompt, c.output, c.context, m ? m->id : std::string("the model"), c.context_source));
  }
}

// The model's shape for the kernel-by-kernel pass: attention FLOPs per context token and the
// elementwise traffic per token (the training model's byte counts: 22 bytes per hidden element for
// two norms and two residual kernels, 6 per MLP element for a gated activation, else 4).
void resolve_shape(InferContext& c, const InferInputs& in) {
  const Model* m = c.model.model;
  if (!m || !m->layers || !m->heads || !m->d_model || resizes(m, in.params)) return;
  const double layers = *m->layers, d = *m->d_model;
  const double head_dim = m->head_dim ? double(*m->head_dim) : d / *m->heads;
  c.attn_flop = 4.0 * layers * *m->heads * head_dim;  // QKᵀ and attention over V, 2 FLOPs a multiply-add
  double mlp = m->ffn_dim ? double(*m->ffn_dim) : 4 * d;
  if (m->experts && m->experts_per_token && m->expert_ffn_dim) {
    mlp = (double(*m->experts_per_token) + m->shared_experts.value_or(0)) * *m->expert_ffn_dim;
  }
  c.elem_hidden = layers * 22 * d;
  c.elem_mlp = layers * (m->gated_mlp.value_or(false) ? 6 : 4) * mlp;
}

// Compute efficiency: the GEMM rate the training model uses too, the chip's measured matmul
// efficiency × the runtime efficiency fitted to published runs (docs/performance.md §4); with a
// calibration the measured GEMM rate stands in for the matmul efficiency. Memory streams run at
// plan_memory_efficiency of the datasheet bandwidth, or at the measured bandwidth.
void resolve_efficiencies(InferContext& c, const InferInputs& in, const Catalog& cat) {
  const Accelerator& a = *c.hw.acc;
  const double runtime = cat.assumption_number("plan_runtime_efficiency");
  if (in.compute_efficiency) {
    c.compute_eff = *in.compute_efficiency, c.compute_eff_source = "given";
  } else if (in.calibration) {
    c.compute_eff = runtime;
    c.compute_eff_source = "assumption plan_runtime_efficiency (the calibration's measured GEMM rate is the ceiling)";
  } else {
    const bool fp8 = c.cdtype == "fp8" && a.matmul_efficiency_fp8;
    const double matmul =
        fp8 ? *a.matmul_efficiency_fp8 : a.matmul_efficiency.value_or(cat.assumption_number("plan_matmul_efficiency"));
    c.compute_eff = matmul * runtime;
    c.compute_eff_source = fmt::format("catalog accelerator {} {} × assumption plan_runtime_efficiency", a.id,
                                       fp8 ? "matmul_efficiency_fp8" : "matmul_efficiency");
    if (!fp8 && !a.matmul_efficiency)
      c.compute_eff_source = "assumption plan_matmul_efficiency × plan_runtime_efficiency";
  }
  if (in.bandwidth_efficiency) {
    c.bandwidth_eff = *in.bandwidth_efficiency, c.bandwidth_eff_source = "given";
  } else if (in.calibration) {
    c.bandwidth_eff = 1, c.bandwidth_eff_source = "calibration: the measured bandwidth is achieved";
  } else {
    c.bandwidth_eff = cat.assumption_number("plan_memory_efficiency");
    c.bandwidth_eff_source = assumption_source("plan_memory_efficiency");
  }
  // Attention: a fused kernel at the 16-bit peak (fp8 attention is not assumed).
  for (const char* d : {"bf16", "fp16"}) {
    if (!c.attn_peak && a.peak_flops(d)) c.attn_peak = *a.peak_flops(d), c.attn_peak_dtype = d;
  }
  if (!c.attn_peak) c.attn_peak = c.peak, c.attn_peak_dtype = c.cdtype;
  c.attn_eff = cat.assumption_number("plan_flash_efficiency") * runtime;
  c.layer_overhead = in.layer_overhead ? *in.layer_overhead : cat.assumption_number("infer_layer_overhead_s");
  c.knee = cat.assumption_number("infer_roofline_knee");
  if (!(c.knee >= 1)) throw InputError(fmt::format("assumption infer_roofline_knee: {} must be at least 1", c.knee));
}

// A shared prompt prefix kept in the KV cache (--cached-prompt-tokens): fewer than the prompt.
void resolve_prefix(InferContext& c, const InferInputs& in) {
  if (!in.cached_prompt_tokens) return;
  if (c.encoder) throw InputError("--cached-prompt-tokens: an encoder-only model keeps no KV cache");
  if (*in.cached_prompt_tokens >= c.prompt) {
    throw InputError(fmt::format("--cached-prompt-tokens {}: must be fewer than the {} prompt tokens",
                                 *in.cached_prompt_tokens, c.prompt));
  }
  c.cached = *in.cached_prompt_tokens;
}

// Speculative decoding: the draft model resolved as `infer` would serve it on the chips of one of
// the target's stages, in the target's dtypes, for the same requests.
void resolve_draft(InferContext& c, const InferInputs& in, const Catalog& cat) {
  if (in.draft_model.empty()) {
    if (in.spec_tokens || in.acceptance) throw InputError("--spec-tokens and --acceptance apply with --draft-model");
    return;
  }
  if (c.encoder) throw InputError("--draft-model: an encoder-only model generates no tokens to speculate on");
  InferInputs d;
  d.model = in.draft_model;
  d.hardware = c.hw.acc->id;
  d.dtype = c.wdtype, d.kv_dtype = c.kvdtype;
  d.chips = c.tp, d.pp = 1;
  d.prompt_tokens = c.prompt, d.output_tokens = c.output, d.seq_len = in.seq_len;
  d.compute_efficiency = in.compute_efficiency, d.bandwidth_efficiency = in.bandwidth_efficiency;
  d.calibration = in.calibration;
  try {
    c.draft = std::make_shared<const InferContext>(resolve_inference(d, cat));
  } catch (const InputError& e) {
    throw InputError(fmt::format("--draft-model {} on {} chips: {}", in.draft_model, c.tp, e.what()));
  }
  if (c.draft->model.params >= c.model.params) {
    throw InputError(
        fmt::format("--draft-model {}: a draft must be smaller than the model it drafts for", in.draft_model));
  }
  c.spec_k = or_default(in.spec_tokens, cat, "infer_spec_tokens");
  c.spec_alpha = or_default(in.acceptance, cat, "infer_spec_acceptance");
  c.spec_k_source = in.spec_tokens ? "given" : assumption_source("infer_spec_tokens");
  c.spec_alpha_source = in.acceptance ? "given" : assumption_source("infer_spec_acceptance");
  if (c.spec_k < 1) throw InputError(fmt::format("--spec-tokens {}: the draft proposes at least 1 token", c.spec_k));
}

}  // namespace

InferContext resolve_inference(const InferInputs& in, const Catalog& cat) {
  InferContext c;
  c.model = resolve_model(cat, in.model, in.model_config, in.params, "infer");
  c.hw = resolve_hardware(cat, in.offer, in.hardware, false, "default_infer_offer",
                          in.calibration ? &*in.calibration : nullptr);
  resolve_dtypes(c, in);
  resolve_ceilings(c, in);
  c.price = c.hw.offer ? c.hw.offer->usd_per_chip_hour() : 0;
  c.flop_per_param = c.model.model && c.model.model->architecture == "encoder-decoder" ? 1 : 2;
  const std::optional<double> kv = c.model.model ? c.model.model->kv_elements_per_token_layer() : std::nullopt;
  if (kv && c.model.model->layers) {
    c.kv_elements = *kv;
    c.kv_per_token = *c.model.model->layers * *kv * dtype_bytes(c.kvdtype);
  }
  const Model* m = c.model.model;
  if (m && m->experts && m->experts_per_token && m->expert_ffn_dim && m->layers && m->d_model &&
      !resizes(m, in.params)) {
    const double per_expert = (m->gated_mlp.value_or(false) ? 3.0 : 2.0) * *m->d_model * *m->expert_ffn_dim;
    const double moe_layers = *m->layers - m->dense_layers.value_or(0);
    c.experts = *m->experts, c.experts_per_token = *m->experts_per_token;
    c.routed_bytes = moe_layers * c.experts * per_expert * c.weight_bytes;
  }
  resolve_shape(c, in);
  c.mfu = or_default(in.mfu, cat, "infer_mfu");
  c.prompt = or_default(in.prompt_tokens, cat, "infer_prompt_tokens");
  c.output = or_default(in.output_tokens, cat, "infer_output_tokens");
  // An encoder-only model (BERT) reads its input in one pass and generates nothing: no decode steps,
  // no KV cache to keep.
  c.encoder = c.model.model && c.model.model->architecture == "encoder-only";
  if (c.encoder) {
    if (in.output_tokens) {
      throw InputError(
          fmt::format("--output-tokens: {} is an encoder-only model; it reads its input in one pass and "
                      "generates no tokens",
                      c.model.model->id));
    }
    if (in.tpot_ms) throw InputError("--tpot-ms: an encoder-only model has no output tokens");
    c.output = 0;
    c.kv_per_token = 0;
  }
  resolve_efficiencies(c, in, cat);
  c.max_batch_cap = cat.assumption_number("infer_max_batch");
  // Server power per chip, as train takes it: the catalog's whole-system figure, else TDP × the
  // host share (assumption host_power_ratio).
  const Accelerator& acc = *c.hw.acc;
  if (acc.system_power_w) {
    c.watts = *acc.system_power_w, c.watts_source = "catalog accelerator " + acc.id + ": system_power_w";
  } else if (acc.tdp_w > 0) {
    c.watts = acc.tdp_w * cat.assumption_number("host_power_ratio");
    c.watts_source = "catalog accelerator " + acc.id + ": tdp_w × assumption host_power_ratio";
  }
  c.pue = cat.assumption_number("pue");
  c.grid = cat.assumption_number("grid_kg_per_kwh");
  c.kv_per_token_base = c.kv_per_token;
  resolve_chips(c, in);
  resolve_context(c, in);
  resolve_tensor_parallel(c, in, cat);
  choose_default_chips(c, in);
  resolve_prefix(c, in);
  resolve_draft(c, in, cat);
  return c;
}

InferNumbers compute_inference(const InferInputs& in, const InferContext& c) {
  InferNumbers n;
  const Roofline rf{c, c.model.active * c.weight_bytes};
  // FLOP rule: chip-seconds per 1K tokens = 2·N·1000 / (peak × MFU).
  n.flop_per_token = rf.flop_per_token();
  n.chip_s_1k = n.flop_per_token * 1000 / (c.peak * c.mfu);
  n.cost_1k = n.chip_s_1k * c.price / 3600;
  // Memory: weights + the KV cache of every sequence at full length, spread over the chips.
  n.weights = rf.weights();
  // A cached prefix is held once; a draft model adds its weights and its own KV cache.
  n.shared_kv = c.cached * c.kv_per_token;
  n.per_seq_kv = (c.prompt - c.cached + c.output) * c.kv_per_token;
  if (c.draft) {
    n.draft_weights = c.draft->model.params * c.draft->weight_bytes;
    n.per_seq_kv += (c.prompt + c.output) * c.draft->kv_per_token;
  }
  n.free_bytes = c.chips * c.chip_mem - n.weights - n.draft_weights - n.shared_kv;
  n.max_fit = n.free_bytes < 0 ? 0 : (n.per_seq_kv > 0 ? std::floor(n.free_bytes / n.per_seq_kv) : 1e9);
  n.batch = in.batch ? *in.batch : std::max(1.0, std::min(c.max_batch_cap, n.max_fit));
  n.slo = in.ttft_ms || in.tpot_ms;
  if (n.slo) {
    // The largest batch within the SLOs (and the cap and memory): the cheapest per token that meets them.
    n.slo_batch =
        rf.max_batch(std::max(1.0, std::min(c.max_batch_cap, n.max_fit)), [&](double b) { return rf.meets(b, in); });
    if (!in.batch) n.batch = std::max(1.0, n.slo_batch);
    n.slo_met = rf.meets(n.batch, in);
  }
  n.kv_total = n.batch * n.per_seq_kv + n.shared_kv;
  const double held = n.weights + n.draft_weights + n.kv_total;
  n.memory_per_chip = held / c.chips;
  n.fits = held <= c.chips * c.chip_mem;
  // The passes, kernel by kernel, at the pipeline's micro-batch (the batch without pipeline stages).
  const double m = rf.micro(n.batch);  // sequences per pipeline micro-batch
  n.tp_decode = rf.tp_comm(m, 1);
  n.tp_prefill = rf.tp_comm(m, rf.fresh());
  n.pp_prefill = rf.hops(m, rf.fresh());
  n.pp_decode = rf.hops(m, 1);
  if (c.draft) {
    n.spec_tokens = rf.expected_tokens();
    n.verify = rf.verify_s(n.batch);
    n.draft_step = rf.draft().plain_tpot(n.batch);
    n.draft_prefill = rf.draft().ttft(n.batch);
  }
  n.ttft = rf.ttft(n.batch);
  n.tpot = rf.tpot(n.batch);
  const double prefill_tokens = m * rf.fresh();
  n.p_compute = rf.compute_s(rf.flop_per_token() * prefill_tokens);
  n.p_weights = rf.memory_s(rf.weight_bytes_read(prefill_tokens));
  n.p_gemm = rf.gemm_s(prefill_tokens);
  n.p_attn = rf.prefill_attn_s(m);
  n.p_elem = rf.elementwise_s(prefill_tokens);
  n.d_compute = rf.compute_s(rf.flop_per_token() * m);
  n.d_weights = rf.memory_s(rf.weight_bytes_read(m));
  n.d_gemm = rf.gemm_s(m);
  n.d_attn = rf.decode_attn_s(m);
  n.d_elem = rf.elementwise_s(m);
  n.overhead = rf.overhead_s();
  n.memory_bound = rf.memory_bound(n.batch);
  n.latency = rf.latency(n.batch);
  n.tokens_per_s = c.encoder ? n.batch * c.prompt / n.ttft : n.batch / n.tpot;
  n.tokens_per_s_per_chip = n.tokens_per_s / c.chips;
  // The replica's price per second split by phase: prefill time over prompt tokens, decode time
  // over output tokens.
  const double usd_per_s = c.chips * c.price / 3600;
  n.cost_in_1m = usd_per_s * n.ttft / (n.batch * c.prompt) * 1e6;
  n.cost_out_1m = c.encoder ? 0 : usd_per_s * n.tpot / n.batch * 1e6;
  n.cost_request = usd_per_s * (n.ttft / n.batch + c.output * n.tpot / n.batch);
  // Energy of 1M output tokens: the replica's power for the decode time they take.
  n.energy_out_1m_kwh = c.encoder ? 0 : c.chips * c.watts * c.pue * n.tpot / n.batch * 1e6 / 3.6e6;
  n.co2e_out_1m_kg = n.energy_out_1m_kwh * c.grid;
  if (in.latency_budget_ms) {
    n.latency_budget_s = *in.latency_budget_ms / 1000;
    n.batch_within_budget = rf.max_batch_within(std::max(1.0, std::min(n.max_fit, 1e6)), n.latency_budget_s);
  }
  return n;
}

}  // namespace llmcost
