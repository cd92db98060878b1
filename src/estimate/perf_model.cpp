// The training performance model (llmcost/perf.hpp): one step of one layout, costed kernel by
// kernel on the most loaded accelerator.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "llmcost/error.hpp"
#include "llmcost/perf.hpp"

namespace llmcost {
namespace {

// Per-device work of one layer for one micro-batch, forward pass only.
struct LayerWork {
  double gemm_s = 0;         // dense GEMMs (QKV, projection, MLP)
  double attn_core_s = 0;    // scores, softmax, dropout, attention over values
  double elementwise_s = 0;  // norms, bias-dropout-residual, activation
  double tp_comm_s = 0;      // tensor-parallel collectives of the forward pass
  double ep_comm_s = 0;      // expert all-to-all of the forward pass
  double flop = 0;           // hardware FLOPs of the forward pass on this device
  double attn_core_flop = 0;
};

double ring_factor(int n) {
  return n <= 1 ? 0.0 : static_cast<double>(n - 1) / n;
}

// Time of C[m×n] = A[m×k]·B[k×n] (`batch` of them): the larger of its FLOPs at the achievable
// matmul rate and its 2-byte operands at the achievable memory bandwidth (roofline).
double gemm_seconds(const PerfHardware& hw, double m, double n, double k, double batch = 1, bool linear = false) {
  const double flop = 2 * m * n * k * batch;
  const bool low_precision = linear && hw.linear_peak > hw.peak;  // fp8 GEMMs on a chip with fp8 units
  const double linear_eff = hw.linear_efficiency > 0 ? hw.linear_efficiency : hw.matmul_efficiency;
  const double rate = low_precision      ? hw.linear_peak * linear_eff
                      : hw.measured_gemm ? hw.measured_gemm(m, n, k)
                                         : hw.peak * hw.matmul_efficiency;
  const double bytes = 2 * batch * (m * k + k * n + m * n);
  return std::max(flop / rate, bytes / (hw.memory_bw * hw.memory_efficiency)) / hw.runtime_efficiency;
}

double stream_seconds(const PerfHardware& hw, double bytes) {
  return bytes / (hw.memory_bw * hw.memory_efficiency * hw.runtime_efficiency);
}

// Link for a group of `span` consecutive ranks: scale-up when it fits one domain.
double link_bw(const PerfHardware& hw, int span) {
  return span <= hw.domain ? hw.scaleup_bw : hw.scaleout_bw;
}

double mlp_matrices(const PerfShape& s) {
  return s.gated ? 3.0 : 2.0;
}

// Forward work of one layer on one device (tp·cp shards), micro-batch `b`.
LayerWork layer_work(const PerfShape& s, const PerfHardware& hw, const Layout& l, double seq, bool moe) {
  LayerWork w;
  const double t = l.tp, b = l.mb, h = s.hidden, hd = s.head_dim;
  const double local_seq = seq / l.cp;
  const double tokens = b * local_seq;
  const double kv = s.kv_heads * hd;
  const double heads_local = s.heads / t;
  // Dense GEMMs of attention.
  w.gemm_s += gemm_seconds(hw, tokens, (s.heads * hd + 2 * kv) / t, h, 1, true);
  w.gemm_s += gemm_seconds(hw, tokens, h, s.heads * hd / t, 1, true);
  w.flop += 2 * tokens * h * (s.heads * hd + 2 * kv + s.heads * hd) / t;
  // Attention core: scores and values over the whole (causal, unmasked-computed) sequence.
  const double core_flop = 4 * b * heads_local * local_seq * seq * hd;
  w.attn_core_flop = core_flop;
  if (l.flash) {
    // A fused kernel skips the masked half and keeps nothing s² in memory.
    w.attn_core_s = 0.5 * core_flop / (hw.peak * hw.flash_efficiency * hw.runtime_efficiency);
  } else {
    w.attn_core_s =
        gemm_seconds(hw, local_seq, seq, hd, b * heads_local) + gemm_seconds(hw, local_seq, hd, seq, b * heads_local);
    const double scores = b * heads_local * local_seq * seq;
    w.attn_core_s += stream_seconds(hw, 9 * scores);  // softmax read+write 4 B, dropout 5 B per score
  }
  w.flop += core_flop;
  // MLP: dense, or routed experts plus shared ones.
  const double g = mlp_matrices(s);
  if (moe) {
    const int local_experts = std::max(1, s.experts / l.ep);
    const double routed = tokens * s.experts_per_token;  // token-expert pairs this device computes
    const double per_expert = routed / local_experts;
    w.gemm_s += local_experts * (gemm_seconds(hw, per_expert, s.expert_ffn * (g - 1) / t, h, 1, true) +
                                 gemm_seconds(hw, per_expert, h, s.expert_ffn / t, 1, true));
    w.gemm_s += gemm_seconds(hw, tokens, s.experts, h);  // router
    const double shared_ffn = static_cast<double>(s.shared_experts) * s.expert_ffn;
    if (shared_ffn > 0) {
      w.gemm_s += gemm_seconds(hw, tokens, shared_ffn * (g - 1) / t, h, 1, true) +
                  gemm_seconds(hw, tokens, h, shared_ffn / t, 1, true);
    }
    const double ffn_total = s.experts_per_token * double(s.expert_ffn) + shared_ffn;
    w.flop += 2 * tokens * h * ffn_total * g / t + 2 * tokens * h * s.experts;
    w.elementwise_s += stream_seconds(hw, (g == 3 ? 6 : 4) * tokens * ffn_total / t);
    // Dispatch and combine: each token's hidden state to its experts and back.
    const double a2a = 2 * tokens * s.experts_per_token * h * 2 * ring_factor(l.ep);
    w.ep_comm_s = l.ep > 1 ? a2a / link_bw(hw, l.tp * l.cp * l.ep) : 0;
  } else {
    w.gemm_s +=
        gemm_seconds(hw, tokens, s.ffn * (g - 1) / t, h, 1, true) + gemm_seconds(hw, tokens, h, s.ffn / t, 1, true);
    w.flop += 2 * tokens * h * s.ffn * g / t;
    w.elementwise_s += stream_seconds(hw, (g == 3 ? 6 : 4) * tokens * s.ffn / t);
  }
  // Two norms and two bias-dropout-residual kernels: 22 bytes per hidden element, on a 1/t shard
  // with sequence parallelism.
  const double hidden_elems = tokens * h / (l.sp ? t : 1);
  w.elementwise_s += stream_seconds(hw, 22 * hidden_elems);
  // Tensor parallelism: two all-reduces (or two all-gather + reduce-scatter pairs) of b·s·h.
  if (l.tp > 1) {
    const double bytes = 2 * (2 * ring_factor(l.tp) * tokens * h * 2);
    w.tp_comm_s = bytes / link_bw(hw, l.tp) + (l.sp ? 4 : 2) * hw.collective_latency;
  }
  // Context parallelism: keys and values of the other ranks' chunks.
  if (l.cp > 1) {
    const double kv_bytes = 2 * b * seq * kv / t * 2 * ring_factor(l.cp);
    w.tp_comm_s += std::max(0.0, kv_bytes / link_bw(hw, l.tp * l.cp) - w.attn_core_s);
  }
  return w;
}

// The layers a device holds: layers / pp (the first stage's, with any dense prefix counted).
double device_params(const PerfShape& s, const Layout& l) {
  const double per_stage = static_cast<double>(s.layers) / l.pp;
  const double dense_on_first = std::min<double>(s.dense_layers, per_stage);
  const double moe_on_first = s.experts > 0 ? per_stage - dense_on_first : 0;
  const double dense_count = per_stage - moe_on_first;
  double p = dense_count * layer_params(s, false) / l.tp;
  if (moe_on_first > 0) {
    const double attn = layer_params(s, false) - mlp_matrices(s) * s.hidden * double(s.ffn);
    const double experts_local = std::max(1.0, double(s.experts) / l.ep);
    const double expert = mlp_matrices(s) * s.hidden * double(s.expert_ffn);
    p += moe_on_first * (attn + (experts_local + s.shared_experts) * expert + s.hidden * double(s.experts)) / l.tp;
  }
  return p + static_cast<double>(s.vocab) * s.hidden / l.tp;  // the embedding (first stage)
}

// Experts' parameters are sharded over ep as well as tp; a ZeRO shard is over dp·cp.
void memory(const PerfShape& s, const PerfHardware& hw, const Layout& l, const PerfRun& run, int micro_batches,
            StepEstimate& e) {
  const double p = device_params(s, l);
  const double shard = static_cast<double>(l.dp) * l.cp;
  e.weight_mem = p * run.weight_bytes / (l.zero >= 3 ? shard : 1);
  // With a frozen base only the adapters (spread over the model's shards like its layers) learn.
  const double learning = run.frozen_base ? run.trainable / (static_cast<double>(l.tp) * l.pp) : p;
  if (run.frozen_base) e.weight_mem += learning * 2 / (l.zero >= 3 ? shard : 1);
  // A DPO reference beside a fully fine-tuned policy: a second copy of the weights.
  if (run.reference_forward && !run.frozen_base) e.weight_mem *= 2;
  e.grad_mem = learning * run.grad_bytes / (l.zero >= 2 ? shard : 1);
  e.optimizer_mem = learning * run.optimizer_bytes / (l.zero >= 1 ? shard : 1);
  const double per_stage = static_cast<double>(s.layers) / l.pp;
  double in_flight = std::min(l.pp, micro_batches);
  if (l.vp > 1) in_flight *= 1 + static_cast<double>(l.pp - 1) / (static_cast<double>(l.pp) * micro_batches);
  e.activation_mem = per_stage * in_flight * layer_activation_bytes(s, l, run.seq_len);
  if (l.recompute == Recompute::full) {
    Layout one = l;
    one.recompute = Recompute::none;
    e.activation_mem += layer_activation_bytes(s, one, run.seq_len);  // the layer being recomputed
  }
  const double used = e.weight_mem + e.grad_mem + e.optimizer_mem + e.activation_mem;
  e.overhead_mem = hw.memory_bytes * run.memory_overhead;
  e.total_mem = used + e.overhead_mem;
  e.fits = e.total_mem <= hw.memory_bytes;
}

}  // namespace

std::string_view recompute_name(Recompute r) {
  switch (r) {
    case Recompute::none: return "none";
    case Recompute::selective: return "selective";
    case Recompute::full: return "full";
  }
  return "?";
}

std::string layout_text(const Layout& l) {
  std::string out = fmt::format("tp={},pp={},dp={}", l.tp, l.pp, l.dp);
  if (l.cp > 1) out += fmt::format(",cp={}", l.cp);
  if (l.ep > 1) out += fmt::format(",ep={}", l.ep);
  if (l.vp > 1) out += fmt::format(",vp={}", l.vp);
  out += fmt::format(",mb={},recompute={},zero={}", l.mb, recompute_name(l.recompute), l.zero);
  if (l.tp > 1) out += l.sp ? ",sp=on" : ",sp=off";
  if (l.flash) out += ",flash=on";
  return out;
}

PerfShape perf_shape(const Model& m) {
  const auto need = [&](const std::optional<int>& v, const char* field) {
    if (!v) throw InputError(fmt::format("model '{}' has no {}: the performance model needs its shape", m.id, field));
    return *v;
  };
  PerfShape s;
  s.layers = need(m.layers, "layers");
  s.hidden = need(m.d_model, "d_model");
  s.heads = need(m.heads, "heads");
  s.vocab = need(m.vocab, "vocab");
  s.kv_heads = m.kv_heads.value_or(s.heads);
  s.head_dim = m.head_dim.value_or(s.hidden / s.heads);
  s.ffn = m.ffn_dim.value_or(4 * s.hidden);
  s.gated = m.gated_mlp.value_or(false);
  s.experts = m.experts.value_or(0);
  s.experts_per_token = m.experts_per_token.value_or(s.experts > 0 ? 1 : 0);
  s.shared_experts = m.shared_experts.value_or(0);
  s.expert_ffn = m.expert_ffn_dim.value_or(s.ffn);
  s.dense_layers = m.dense_layers.value_or(0);
  s.params = m.params;
  s.active = m.active();
  return s;
}

double layer_params(const PerfShape& s, bool moe_layer) {
  const double h = s.hidden, hd = s.head_dim;
  const double attn = h * (s.heads * hd + 2.0 * s.kv_heads * hd) + s.heads * hd * h;
  if (!moe_layer) return attn + mlp_matrices(s) * h * s.ffn;
  return attn + (s.experts + s.shared_experts) * mlp_matrices(s) * h * s.expert_ffn + h * s.experts;
}

double layer_activation_bytes(const PerfShape& s, const Layout& l, double seq_len) {
  const double sbh = seq_len / l.cp * l.mb * s.hidden;
  const double t = l.tp, h = s.hidden;
  if (l.recompute == Recompute::full) return 2 * sbh / (l.sp && l.tp > 1 ? t : 1);
  // Korthikanti et al. 2022 §4.1, generalised to grouped KV and other MLP sizes: 10·sbh that tensor
  // parallelism leaves whole (norm inputs, QKV and MLP inputs, dropout masks), what it shards
  // (Q, K, V, projection input, MLP activations: 24·sbh for GPT), and 5·a·s²·b of attention scores.
  const double kv = 2.0 * s.kv_heads * s.head_dim / h;
  const double mlp = 2.0 * s.ffn / h * (s.gated ? 3 : 2);
  const double sharded = (2 + 2 * kv + 2 + mlp) * sbh;
  const double whole = 10 * sbh;
  const double scores = l.flash || l.recompute == Recompute::selective ? 0 : 5.0 * s.heads * seq_len / h * sbh;
  return (l.sp ? whole / t : whole) + (sharded + scores) / t;
}

std::string layout_problem(const PerfShape& s, const Layout& l, const PerfRun& run) {
  if (l.tp < 1 || l.pp < 1 || l.dp < 1 || l.cp < 1 || l.ep < 1 || l.vp < 1 || l.mb < 1)
    return "every parallel degree and the micro-batch must be at least 1";
  if (s.heads % l.tp != 0) return fmt::format("tp={} does not divide the model's {} attention heads", l.tp, s.heads);
  if (s.kv_heads % l.tp != 0 && l.tp % s.kv_heads != 0)
    return fmt::format("tp={} and the model's {} key/value heads do not divide one another", l.tp, s.kv_heads);
  if (s.layers % (l.pp * l.vp) != 0)
    return fmt::format("pp={} × vp={} does not divide the model's {} layers", l.pp, l.vp, s.layers);
  if (l.vp > 1 && l.pp < 2) return "interleaving (vp > 1) needs pipeline parallelism (pp > 1)";
  if (static_cast<long long>(run.seq_len) % l.cp != 0)
    return fmt::format("cp={} does not divide the sequence length {}", l.cp, run.seq_len);
  if (l.ep > 1 && (s.experts == 0 || s.experts % l.ep != 0))
    return s.experts == 0 ? "ep > 1 needs a mixture-of-experts model"
                          : fmt::format("ep={} does not divide the model's {} experts", l.ep, s.experts);
  if (l.ep > 1 && (static_cast<long long>(l.dp) * l.cp) % l.ep != 0)
    return fmt::format("ep={} does not divide dp × cp = {}", l.ep, static_cast<long long>(l.dp) * l.cp);
  if (l.zero < 0 || l.zero > 3) return "zero must be 0, 1, 2 or 3";
  const double per_step = static_cast<double>(l.mb) * l.dp;
  const double m = run.round_batch ? std::ceil(run.global_batch / per_step) : run.global_batch / per_step;
  if (run.round_batch && m * per_step > run.global_batch * 1.1 + 1e-9)
    return fmt::format("rounding the global batch of {} sequences up to micro-batch {} × dp {} adds more than 10%",
                       run.global_batch, l.mb, l.dp);
  if (m < 1 || std::abs(m - std::round(m)) > 1e-9)
    return fmt::format("the global batch of {} sequences is not a multiple of micro-batch {} × dp {} = {}",
                       run.global_batch, l.mb, l.dp, per_step);
  if (l.vp > 1 && static_cast<long long>(std::round(m)) % l.pp != 0)
    return fmt::format("the interleaved schedule needs the {} micro-batches to be a multiple of pp={}", m, l.pp);
  return {};
}

StepEstimate evaluate_layout(const PerfShape& s, const PerfHardware& hw, const Layout& l, const PerfRun& run) {
  StepEstimate e;
  const double per_round = static_cast<double>(l.mb) * l.dp;
  const int m = static_cast<int>(run.round_batch ? std::ceil(run.global_batch / per_round - 1e-9)
                                                 : std::round(run.global_batch / per_round));
  e.micro_batches = m;
  const double seq = run.seq_len;
  const double per_stage = static_cast<double>(s.layers) / l.pp;
  // The device's layers: dense ones first when the model has a dense prefix.
  const double dense_here = s.experts > 0 ? std::min<double>(s.dense_layers, per_stage) : per_stage;
  const LayerWork dense = layer_work(s, hw, l, seq, false);
  const LayerWork moe = s.experts > 0 ? layer_work(s, hw, l, seq, true) : dense;
  const double moe_here = per_stage - dense_here;
  const auto sum = [&](double LayerWork::*f) { return dense_here * dense.*f + moe_here * moe.*f; };
  const double fwd_compute = sum(&LayerWork::gemm_s) + sum(&LayerWork::attn_core_s) + sum(&LayerWork::elementwise_s);
  const double fwd_comm = sum(&LayerWork::tp_comm_s) + sum(&LayerWork::ep_comm_s);
  // Backward: twice the forward kernels and the same collectives again.
  double recompute = 0, recompute_comm = 0;
  if (l.recompute == Recompute::full) {
    recompute = fwd_compute;
    recompute_comm = fwd_comm;
  } else if (l.recompute == Recompute::selective && !l.flash) {
    recompute = sum(&LayerWork::attn_core_s);
  }
  // The output layer on the last stage: logits GEMM forward and backward, fp32 cross-entropy.
  const double tokens = static_cast<double>(l.mb) * seq / l.cp;
  const double logits = 3 * gemm_seconds(hw, tokens, static_cast<double>(s.vocab) / l.tp, s.hidden) +
                        stream_seconds(hw, 16 * tokens * s.vocab / l.tp);
  // Pipeline transfers: activations forward, gradients backward, per chunk boundary.
  double p2p = 0;
  if (l.pp > 1) {
    const double bytes = tokens * s.hidden * 2 / l.tp;
    // Neighbouring stages share a scale-up domain only when the whole job fits in one.
    const long long job = static_cast<long long>(l.tp) * l.cp * l.dp * l.pp;
    p2p = 2.0 * l.vp * bytes / (job <= hw.domain ? hw.scaleup_bw : hw.scaleout_bw);
  }
  // Backward: twice the forward kernels; with a frozen base its GEMMs (and the logits') compute
  // input gradients only, once the forward's cost, and the adapters' own GEMMs (6 FLOPs per
  // parameter per token) run at the matmul rate.
  const double gemm = sum(&LayerWork::gemm_s);
  double compute_mb = 3 * fwd_compute + logits;
  double forward_mb = fwd_compute + logits / 3;
  if (run.frozen_base) {
    const double adapters = 6 * run.trainable / (static_cast<double>(l.tp) * l.pp) * tokens /
                            (hw.peak * hw.matmul_efficiency * hw.runtime_efficiency);
    compute_mb = 3 * fwd_compute - gemm + logits * 2 / 3 + adapters;
  }
  if (run.reference_forward) compute_mb += forward_mb, forward_mb *= 2;
  const double per_mb = compute_mb + recompute + 3 * fwd_comm + recompute_comm + p2p;
  const double stages_in_flight = static_cast<double>(l.pp - 1) / l.vp;
  e.compute_s = m * compute_mb;
  e.forward_s = m * forward_mb;
  e.recompute_s = m * recompute;
  e.tp_comm_s =
      m * (3 * sum(&LayerWork::tp_comm_s) + (l.recompute == Recompute::full ? sum(&LayerWork::tp_comm_s) : 0));
  e.ep_comm_s =
      m * (3 * sum(&LayerWork::ep_comm_s) + (l.recompute == Recompute::full ? sum(&LayerWork::ep_comm_s) : 0));
  e.pp_comm_s = m * p2p;
  e.bubble_s = stages_in_flight * per_mb;
  double step = (m + stages_in_flight) * per_mb;
  // Data parallelism. Gradients reduce once a step (ring all-reduce, or reduce-scatter and
  // all-gather with a sharded optimizer: the same bytes), overlapped with the last backward pass.
  const double params = device_params(s, l);
  const int dp_group = l.dp * l.cp;
  const double dp_bw = link_bw(hw, l.tp * dp_group);
  if (l.zero >= 3) {
    // FSDP / ZeRO-3: weights gathered for forward and backward and gradients scattered, per
    // micro-batch, prefetched behind the compute.
    // Gathers: forward, backward, and the recomputed forward of full recomputation.
    const double gathers = l.recompute == Recompute::full ? 3 : 2;
    const double learning = run.frozen_base ? run.trainable / (static_cast<double>(l.tp) * l.pp) : params;
    const double bytes = (params * gathers * run.weight_bytes + learning * 2) * ring_factor(dp_group);
    const double comm = m * (bytes / dp_bw + (gathers + 1) * per_stage * hw.collective_latency);
    e.dp_comm_s = std::max(0.0, comm - hw.zero3_overlap * std::min(comm, step));
    step += e.dp_comm_s;
  } else if (dp_group > 1) {
    const double learning = run.frozen_base ? run.trainable / (static_cast<double>(l.tp) * l.pp) : params;
    const double bytes = learning * run.grad_bytes * 2 * ring_factor(dp_group);
    const double comm = bytes / dp_bw + hw.collective_latency;
    const double window = 2 * fwd_compute;  // the last micro-batch's backward
    e.dp_comm_s = std::max(0.0, comm - window);
    step += e.dp_comm_s;
  }
  // Adam: read and write fp32 master weights and both moments, read gradients, write weights.
  const double local =
      (run.frozen_base ? run.trainable / (static_cast<double>(l.tp) * l.pp) : params) / (l.zero >= 1 ? dp_group : 1);
  e.optimizer_s = stream_seconds(hw, local * (24 + run.grad_bytes + run.weight_bytes));
  step += e.optimizer_s;
  e.step_s = step;

  // FLOPs of the whole cluster per step: 3 × forward (model); + recomputed forward (hardware).
  const double chips = static_cast<double>(l.tp) * l.pp * l.dp * l.cp;
  const double seqs = m * per_round;  // the global batch, rounded up with round_batch
  // A device computes 1/(tp·cp) of one micro-batch: scale its forward FLOPs to the whole batch.
  const double per_layer_fwd_model = seqs * (static_cast<double>(l.tp) * l.cp) / l.mb;
  const double dense_layers_total = s.experts > 0 ? s.dense_layers : s.layers;
  const double moe_layers_total = s.layers - dense_layers_total;
  const double fwd_layers = per_layer_fwd_model * (dense_layers_total * dense.flop + moe_layers_total * moe.flop);
  const double fwd_logits = 2 * seqs * seq * s.hidden * static_cast<double>(s.vocab);
  // A frozen base: forward and input gradients (2 × forward) plus the adapters' 6 FLOPs per
  // parameter per token; a DPO reference: one more forward.
  e.model_flop =
      run.frozen_base ? 2 * (fwd_layers + fwd_logits) + 6 * run.trainable * seqs * seq : 3 * (fwd_layers + fwd_logits);
  if (run.reference_forward) e.model_flop += fwd_layers + fwd_logits;
  double re = 0;
  if (l.recompute == Recompute::full) re = fwd_layers;
  if (l.recompute == Recompute::selective && !l.flash)
    re = per_layer_fwd_model * (dense_layers_total * dense.attn_core_flop + moe_layers_total * moe.attn_core_flop);
  e.hardware_flop = e.model_flop + re;
  e.tokens_per_s = seqs * seq / step;
  e.mfu = e.model_flop / (step * chips * hw.peak);
  e.hfu = e.hardware_flop / (step * chips * hw.peak);
  memory(s, hw, l, run, m, e);
  // What the step loses most to, besides compute.
  const std::pair<double, std::string_view> parts[] = {{e.tp_comm_s, "tensor-parallel communication"},
                                                       {e.pp_comm_s, "pipeline transfers"},
                                                       {e.dp_comm_s, "data-parallel communication"},
                                                       {e.ep_comm_s, "expert all-to-all"},
                                                       {e.bubble_s, "pipeline bubble"},
                                                       {e.recompute_s, "activation recomputation"},
                                                       {e.optimizer_s, "optimizer step"}};
  const auto* worst = std::max_element(std::begin(parts), std::end(parts),
                                       [](const auto& a, const auto& b) { return a.first < b.first; });
  e.bottleneck = worst->first > 0 ? worst->second : "compute";
  return e;
}

}  // namespace llmcost
