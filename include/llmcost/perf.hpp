// The training performance model: step time, MFU, HFU and memory per accelerator of one parallel
// layout, from the model's shape, the accelerator and its links. Pure functions: no catalog
// lookups, no I/O. `llmcost plan` searches layouts with it; `train` takes its MFU.
//
// The model follows Narayanan et al. 2021 (PTD-P, SC21) and Korthikanti et al. 2022 (sequence
// parallelism, selective recompute): per layer the GEMMs run at a shape-dependent efficiency
// (roofline: the larger of FLOPs over the achievable matmul rate and bytes over memory bandwidth),
// the memory-bound elementwise kernels at a fraction of memory bandwidth, tensor-parallel
// collectives on the critical path, the 1F1B pipeline bubble (p − 1)/(v·m), pipeline transfers,
// data-parallel gradient reduction overlapped with the last backward pass, ZeRO-3/FSDP gathers
// overlapped with compute as far as the compute lasts, and expert all-to-all for MoE.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "llmcost/calibration.hpp"
#include "llmcost/catalog.hpp"

namespace llmcost {

// What the model needs of a transformer. MoE fields are zero for dense models.
struct PerfShape {
  int layers = 0, hidden = 0, heads = 0, kv_heads = 0, head_dim = 0, ffn = 0, vocab = 0;
  bool gated = false;  // SwiGLU: three MLP matrices
  int experts = 0, experts_per_token = 0, shared_experts = 0, expert_ffn = 0, dense_layers = 0;
  double params = 0;  // total parameters (memory)
  double active = 0;  // parameters a token uses (model FLOPs)
};

// The shape of a catalog model, or InputError naming the first missing field (layers, d_model,
// heads, vocab). ffn_dim defaults to 4·d_model (GPT), kv_heads to heads.
PerfShape perf_shape(const Model& m);

// Parameters of one dense transformer layer (attention + MLP, biases and norms ignored) and of
// one MoE layer's routed experts; embeddings = vocab·hidden (input and output tied or not: see
// perf_params).
double layer_params(const PerfShape& s, bool moe_layer);

// The accelerator and its links, in base units.
struct PerfHardware {
  double peak = 0;               // dense 16-bit FLOP/s: MFU's reference, attention and logits GEMMs
  double linear_peak = 0;        // dense FLOP/s of the layers' linear GEMMs (fp8 training: the fp8 peak)
  double linear_efficiency = 0;  // fraction of linear_peak those GEMMs reach (fp8: the chip's fp8 matmul efficiency)
  double matmul_efficiency = 0;  // fraction of peak a large GEMM reaches (the chip's MAMF / peak)
  double memory_bytes = 0;       // per accelerator
  double memory_bw = 0;          // bytes/s
  double memory_efficiency = 0;  // fraction of memory_bw elementwise kernels reach
  // Fraction of the kernels' ideal time a training framework sustains end to end: sustained clocks
  // under the power limit, launch gaps, small unfused kernels the model does not list.
  double runtime_efficiency = 1;
  int domain = 1;                 // chips per scale-up domain
  double scaleup_bw = 0;          // bytes/s per chip per direction, achievable (bandwidth × efficiency)
  double scaleout_bw = 0;         // bytes/s per chip per direction, achievable
  double collective_latency = 0;  // seconds per collective call
  double zero3_overlap = 0;       // share of min(compute, ZeRO-3 traffic) hidden behind the other
  double flash_efficiency = 0;    // fraction of peak a fused attention kernel reaches
  // Measured GEMM rate for (m, n, k) in FLOP/s from a calibration sweep, when one is given.
  std::function<double(double m, double n, double k)> measured_gemm;
};

enum class Recompute { none, selective, full };
std::string_view recompute_name(Recompute r);

// One parallel layout. tp·pp·dp·cp = chips; ep divides dp·cp (experts share the data-parallel ranks).
struct Layout {
  int tp = 1, pp = 1, dp = 1, cp = 1, ep = 1;
  int vp = 1;  // interleaved (virtual) stages per device
  int mb = 1;  // micro-batch, sequences
  Recompute recompute = Recompute::selective;
  int zero = 1;        // 0 none, 1 optimizer states, 2 + gradients, 3 + weights (FSDP) sharded over dp
  bool sp = true;      // sequence parallelism (with tp > 1)
  bool flash = false;  // fused attention (FlashAttention): no s² activations, no softmax traffic
};

// "tp=8,pp=4,dp=16,vp=3,mb=1,recompute=selective,zero=1,sp=on,flash=off"
std::string layout_text(const Layout& l);

// The run around the step.
struct PerfRun {
  double seq_len = 0;           // tokens per sequence
  double global_batch = 0;      // sequences per step
  double weight_bytes = 2;      // bf16/fp16 weights
  double grad_bytes = 4;        // gradients as reduced (Megatron keeps fp32 main gradients)
  double optimizer_bytes = 12;  // per parameter: fp32 master weights and Adam's two moments
  double memory_overhead = 0;   // fraction of memory kept back for the allocator, buffers, CUDA context
  // Round the batch up to whole micro-batches of every data-parallel rank instead of requiring a
  // multiple (train's planned MFU: any chip count gets a layout).
  bool round_batch = false;
  // Fine-tuning with a frozen base (LoRA, QLoRA): the base's GEMMs compute input gradients but no
  // weight gradients, and only the `trainable` adapter parameters (whole model, 2-byte weights) take
  // gradients, their reduction and optimizer state. weight_bytes is then the base's storage (0.5 and
  // a little for 4-bit NF4).
  bool frozen_base = false;
  double trainable = 0;
  // DPO: a frozen reference model (the base itself with a frozen base, else a copy held beside the
  // policy) runs a forward pass over every micro-batch.
  bool reference_forward = false;
};

// One step of a layout. Times in seconds per step; memory in bytes per accelerator (the most loaded).
struct StepEstimate {
  double step_s = 0;
  double compute_s = 0;    // GEMMs and elementwise kernels of forward and backward, per step
  double forward_s = 0;    // of which the forward passes (a frozen reference's too, with reference_forward)
  double recompute_s = 0;  // forward work done again
  double tp_comm_s = 0, pp_comm_s = 0, dp_comm_s = 0, ep_comm_s = 0;  // exposed communication
  double bubble_s = 0;                                                // pipeline fill and drain
  double optimizer_s = 0;                                             // the optimizer step (memory bound)
  double model_flop = 0;                                              // per step, whole cluster, without recomputation
  double hardware_flop = 0;                                           // per step, whole cluster, with recomputation
  double tokens_per_s = 0;                                            // whole cluster
  double mfu = 0, hfu = 0;
  int micro_batches = 0;  // per pipeline per step
  // Memory per accelerator (the first pipeline stage, which holds the most activations).
  double weight_mem = 0, grad_mem = 0, optimizer_mem = 0, activation_mem = 0, overhead_mem = 0, total_mem = 0;
  bool fits = false;
  std::string_view bottleneck;  // the largest part of the step besides compute
};

// Why a layout cannot run this model on this many chips (a TP that does not divide the heads, ...),
// or empty when it can.
std::string layout_problem(const PerfShape& s, const Layout& l, const PerfRun& run);

// Evaluates one layout. Call layout_problem first: this assumes a valid layout.
StepEstimate evaluate_layout(const PerfShape& s, const PerfHardware& hw, const Layout& l, const PerfRun& run);

// Activation bytes one layer keeps per micro-batch for backward (Korthikanti et al. 2022 §4),
// with 2-byte activations: no recompute s·b·h·(10 + 24/t + 5·a·s/(h·t)) (×… with sequence
// parallelism), selective and full as in the paper.
double layer_activation_bytes(const PerfShape& s, const Layout& l, double seq_len);

}  // namespace llmcost
