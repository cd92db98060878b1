#include "catalog/hf_families.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <optional>

// Parameter counts follow the module definitions of Hugging Face transformers (models/<type>/
// modeling_<type>.py): every weight and bias tensor of the checkpoint, buffers excluded. Sizes are
// multiplied as doubles, which are exact below 2^53 (9e15 parameters). "Active" parameters of a MoE
// model are the total less the routed experts a token does not use: the embedding and the LM head are
// counted, as in Mistral's 12.9B for Mixtral (DeepSeek's 36.6B for V3 leaves the 0.9B input embedding out).

namespace llmcost {
namespace {

double sq(double x) {
  return x * x;
}
double or_else(std::optional<int> v, double fallback) {
  return v ? *v : fallback;
}

// Token embedding V·d, doubled when the LM head is a separate matrix (tie_word_embeddings false).
double embed_and_head(const HfReader& r, int vocab, int d, bool tied_by_default) {
  return (r.flag("tie_word_embeddings", tied_by_default) ? 1.0 : 2.0) * vocab * d;
}

// Width of one attention head: the config's head_dim where the family has one, else d / heads,
// which must then divide d (transformers raises otherwise).
int head_width(const HfReader& r, int d, int heads, std::string_view heads_key, bool family_has_head_dim) {
  if (family_has_head_dim) {
    if (auto hd = r.opt_size({"head_dim"})) return *hd;
  }
  if (d % heads != 0) r.fail(heads_key, fmt::format("{} heads do not divide the hidden size {}", heads, d));
  return d / heads;
}

// Key/value heads (GQA); they must divide the query heads.
int kv_head_count(const HfReader& r, HfKeys keys, int heads, int fallback) {
  const int kv = r.opt_size(keys).value_or(fallback);
  if (heads % kv != 0) r.fail(*keys.begin(), fmt::format("{} must divide the {} attention heads", kv, heads));
  return kv;
}

// Context lengths. A learned position table (GPT-2, OPT) has one row per position the model was
// trained at, so its size is both the training context and the limit. With rotary positions (Llama,
// Mistral, Qwen2, Mixtral, Falcon, DeepSeek) max_position_embeddings is only the longest context the
// model accepts, often after a long-context extension (Llama 3.1: 131,072, pre-trained at 8,192;
// DeepSeek-V3: 163,840, pre-trained at 4,096), so those readers set max_seq_len and leave seq_len,
// the training context, to --seq-len.
void set_learned_context(Model& m, int positions) {
  m.seq_len = positions;
  m.max_seq_len = positions;
}

// Common shape fields; head_dim only when it differs from d / heads.
void set_shape(Model& m, int layers, int d, int heads, int hd, int vocab) {
  m.layers = layers;
  m.d_model = d;
  m.heads = heads;
  m.vocab = vocab;
  if (std::int64_t{hd} * heads != d) m.head_dim = hd;
}

// GPT-2 (modeling_gpt2.py; Radford et al. 2019): learned positions, biased Conv1D projections, two
// LayerNorms (weight + bias) per block and ln_f, FFN width n_inner (default 4d), LM head tied:
//   P = V·d + n_pos·d + L·(3d² + 3d [c_attn] + d² + d [attn c_proj] + 2·d·ff + ff + d [mlp] + 4d) + 2d
// GPT-2 small (L 12, d 768, V 50257, n_pos 1024): 124,439,808.
void read_gpt2(const HfReader& r, Model& m) {
  const int layers = r.size({"n_layer", "num_hidden_layers"});
  const int d = r.size({"n_embd", "hidden_size"});
  const int heads = r.size({"n_head", "num_attention_heads"});
  const int vocab = r.size({"vocab_size"});
  const int positions = r.size({"n_positions", "max_position_embeddings"});
  const double ff = or_else(r.opt_size({"n_inner"}), 4.0 * d);
  const int hd = head_width(r, d, heads, "n_head", false);
  const double block = 4 * sq(d) + 4.0 * d + 2 * d * ff + ff + d + 4.0 * d;
  set_shape(m, layers, d, heads, hd, vocab);
  m.kv_heads = heads;
  set_learned_context(m, positions);
  m.params = embed_and_head(r, vocab, d, true) + double(positions) * d + layers * block + 2.0 * d;
}

// OPT (modeling_opt.py; Zhang et al. 2022): learned positions with an offset of 2 rows
// (max_position_embeddings + 2), q/k/v/o and fc1/fc2 with biases (enable_bias), LayerNorms with bias,
// LM head tied; word_embed_proj_dim p ≠ d adds project_in and project_out (p·d each, no bias):
//   P = V·p + (n_pos + 2)·d + [2·p·d] + L·(4d² + 4d + 2·d·ff + ff + d + 4d) + [2d final LayerNorm]
// The final LayerNorm exists when do_layer_norm_before and not _remove_final_layer_norm.
// OPT-125m (L 12, d 768, ff 3072, V 50272, n_pos 2048): 125,239,296.
void read_opt(const HfReader& r, Model& m) {
  const int layers = r.size({"num_hidden_layers"});
  const int d = r.size({"hidden_size"});
  const int heads = r.size({"num_attention_heads"});
  const int vocab = r.size({"vocab_size"});
  const int positions = r.size({"max_position_embeddings"});
  const double ff = or_else(r.opt_size({"ffn_dim"}), 4.0 * d);
  const double p = or_else(r.opt_size({"word_embed_proj_dim"}), d);
  const double bias = r.flag("enable_bias", true) ? 1 : 0;
  const bool final_norm = r.flag("do_layer_norm_before", true) && !r.flag("_remove_final_layer_norm", false);
  const int hd = head_width(r, d, heads, "num_attention_heads", false);
  const double block = 4 * sq(d) + 2 * d * ff + bias * (4.0 * d + ff + d) + 4.0 * d;
  set_shape(m, layers, d, heads, hd, vocab);
  m.kv_heads = heads;
  set_learned_context(m, positions);
  m.params = (r.flag("tie_word_embeddings", true) ? 1 : 2) * vocab * p + (positions + 2.0) * d +
             (p != d ? 2 * p * d : 0) + layers * block + (final_norm ? 2.0 * d : 0);
}

// Llama, Mistral, Qwen2 and Mixtral (modeling_llama/mistral/qwen2/mixtral.py; Touvron et al. 2023,
// Jiang et al. 2023 and 2024, Yang et al. 2024): RoPE (no position weights), RMSNorm (weight only), GQA
// attention with H query and K key/value heads of width hd, and a gated SwiGLU FFN of three d×ff matrices:
//   attn = 2·d·H·hd [q, o] + 2·d·K·hd [k, v]  (+ biases: q, k, v in Qwen2; q, k, v, o with attention_bias)
//   ffn  = 3·d·ff (+ 2ff + d with mlp_bias);  Mixtral: E experts of 3·d·ff and a router d·E, k active
//   P    = V·d (+ V·d untied head) + L·(attn + ffn + 2d) + d
// Llama-2-7B: 6,738,415,616; Mistral-7B: 7,241,732,096; Mixtral-8x7B: 46,702,792,704 (12,879,925,248 active).
void read_llama_family(const HfReader& r, Model& m) {
  const int layers = r.size({"num_hidden_layers"});
  const int d = r.size({"hidden_size"});
  const int heads = r.size({"num_attention_heads"});
  const int vocab = r.size({"vocab_size"});
  const double ff = r.size({"intermediate_size"});
  const int hd = head_width(r, d, heads, "num_attention_heads", true);
  const int kv = kv_head_count(r, {"num_key_value_heads"}, heads, heads);
  const double q = double(heads) * hd, k = double(kv) * hd;
  double attn = 2 * d * q + 2 * d * k;
  if (r.type() == "qwen2") attn += q + 2 * k;
  if (r.flag("attention_bias", false)) attn += q + 2 * k + d;
  const double mlp = 3 * d * ff + (r.flag("mlp_bias", false) ? 2 * ff + d : 0);
  double ffn = mlp, ffn_active = mlp;
  if (r.type() == "mixtral") {
    const int experts = r.size({"num_local_experts"});
    const int top_k = r.size({"num_experts_per_tok"});
    if (top_k > experts) r.fail("num_experts_per_tok", fmt::format("{} exceeds num_local_experts {}", top_k, experts));
    ffn = experts * mlp + double(d) * experts;
    ffn_active = top_k * mlp + double(d) * experts;
    m.architecture = "moe";
  }
  set_shape(m, layers, d, heads, hd, vocab);
  m.kv_heads = kv;
  m.max_seq_len = r.opt_size({"max_position_embeddings"});
  const double outside = embed_and_head(r, vocab, d, false) + d;
  m.params = outside + layers * (attn + ffn + 2.0 * d);
  if (r.type() == "mixtral") m.active_params = outside + layers * (attn + ffn_active + 2.0 * d);
}

// Falcon (modeling_falcon.py; Almazrouei et al. 2023): fused query_key_value of width (H + 2K)·hd,
// dense d², FFN 2·d·ff (ff = ffn_hidden_size, default 4d), GELU, LayerNorms with bias, RoPE or ALiBi
// (no position weights), linear biases only with `bias`, LM head tied by default:
//   K = num_kv_heads with new_decoder_architecture, 1 with multi_query (the default), else H
//   norms = 4d per layer (ln_attn + ln_mlp, or input + post-attention without parallel_attn), else 2d
//   P = V·d + L·(d·(H + 2K)·hd + d² + 2·d·ff + norms [+ biases]) + 2d
// Legacy model types RefinedWebModel (Falcon-7B) and RefinedWeb (Falcon-40B: new_decoder_architecture,
// n_head_kv) spell the fields n_layer / n_head. Falcon-7B (L 32, d 4544, H 71, K 1): 6,921,720,704.
void read_falcon(const HfReader& r, Model& m) {
  const int layers = r.size({"num_hidden_layers", "n_layer"});
  const int d = r.size({"hidden_size"});
  const int heads = r.size({"num_attention_heads", "n_head"});
  const int vocab = r.size({"vocab_size"});
  const double ff = or_else(r.opt_size({"ffn_hidden_size"}), 4.0 * d);
  const int hd = head_width(r, d, heads, "num_attention_heads", false);
  const bool new_arch = r.flag("new_decoder_architecture", r.type() == "RefinedWeb");
  int kv = heads;
  if (new_arch)
    kv = kv_head_count(r, {"num_kv_heads", "n_head_kv"}, heads, heads);
  else if (r.flag("multi_query", true))
    kv = 1;
  const int ln_parallel = r.opt_size({"num_ln_in_parallel_attn"}).value_or(new_arch ? 2 : 1);
  const bool two_norms = !r.flag("parallel_attn", true) || ln_parallel == 2;
  const double qkv = (heads + 2.0 * kv) * hd;
  const double bias = r.flag("bias", false) ? qkv + d + ff + d : 0;
  const double block = d * qkv + sq(d) + 2 * d * ff + (two_norms ? 4.0 : 2.0) * d + bias;
  set_shape(m, layers, d, heads, hd, vocab);
  m.kv_heads = kv;
  m.max_seq_len = r.opt_size({"max_position_embeddings"});
  m.params = embed_and_head(r, vocab, d, true) + layers * block + 2.0 * d;
}

// DeepSeek-V3 (modeling_deepseek_v3.py; DeepSeek-AI 2024, arXiv 2412.19437 §2.1 and §4.2): multi-head
// latent attention (MLA) with low-rank q (rank rq) and kv (rank rkv) projections, RMSNorms, a dense
// SwiGLU FFN in the first first_k_dense_replace layers, then DeepSeekMoE layers (every moe_layer_freq-th)
// with n_routed routed and n_shared shared experts of width ff_moe and a router d·n_routed:
//   attn  = d·rq + rq + rq·H·(nope + rope)  [q_a, q_a_layernorm, q_b; d·H·(nope + rope) without q_lora_rank]
//         + d·(rkv + rope) + rkv + rkv·H·(nope + v) + H·v·d  [kv_a_proj_with_mqa, kv_a_layernorm, kv_b, o]
//         (+ biases of q_a, kv_a and o with attention_bias)
//   dense = attn + 3·d·ff + 2d;  moe = attn + (n_routed + n_shared)·3·d·ff_moe + d·n_routed + 2d
//   P = V·d (+ V·d untied head) + Σ layers + d; active: (k + n_shared) experts per MoE layer.
// The KV cache holds the latent and the RoPE key: kv_dim = rkv + rope. The multi-token-prediction
// module (num_nextn_predict_layers) is not part of the published 671B and is not counted.
// DeepSeek-V3: 671,026,404,352 total, 37,552,282,624 active.
void read_deepseek_v3(const HfReader& r, Model& m) {
  const int layers = r.size({"num_hidden_layers"});
  const double d = r.size({"hidden_size"});
  const int heads = r.size({"num_attention_heads"});
  const int vocab = r.size({"vocab_size"});
  const double ff = r.size({"intermediate_size"}), ff_moe = r.size({"moe_intermediate_size"});
  const std::optional<int> rq = r.opt_size({"q_lora_rank"});
  const int rkv = r.size({"kv_lora_rank"});
  const double nope = r.size({"qk_nope_head_dim"}), rope = r.size({"qk_rope_head_dim"});
  const double v = r.size({"v_head_dim"});
  const int routed = r.size({"n_routed_experts"});
  const int shared = r.integer({"n_shared_experts"}, 0);
  const int top_k = r.size({"num_experts_per_tok"});
  const int dense_layers = r.integer({"first_k_dense_replace"}, 0);
  const int freq = r.opt_size({"moe_layer_freq"}).value_or(1);
  if (top_k > routed) r.fail("num_experts_per_tok", fmt::format("{} exceeds n_routed_experts {}", top_k, routed));
  const double qk = heads * (nope + rope);
  const double q = rq ? d * *rq + *rq + *rq * qk : d * qk;
  const double attn = q + d * (rkv + rope) + rkv + rkv * heads * (nope + v) + heads * v * d +
                      (r.flag("attention_bias", false) ? (rq ? *rq : 0) + rkv + rope + d : 0);
  const double expert = 3 * d * ff_moe, router = d * routed;
  double total = 0, active = 0;
  for (int i = 0; i < layers; ++i) {
    const bool moe = i >= dense_layers && i % freq == 0;
    total += attn + 2 * d + (moe ? (routed + shared) * expert + router : 3 * d * ff);
    active += attn + 2 * d + (moe ? (top_k + shared) * expert + router : 3 * d * ff);
  }
  const double outside = embed_and_head(r, vocab, int(d), false) + d;
  m.layers = layers;
  m.d_model = int(d);
  m.heads = heads;
  m.vocab = vocab;
  m.kv_dim = rkv + int(rope);
  m.max_seq_len = r.opt_size({"max_position_embeddings"});
  m.architecture = "moe";
  m.params = outside + total;
  m.active_params = outside + active;
}

constexpr HfFamily kFamilies[] = {
    {"deepseek_v3", read_deepseek_v3},
    {"falcon", read_falcon},
    {"gpt2", read_gpt2},
    {"llama", read_llama_family},
    {"mistral", read_llama_family},
    {"mixtral", read_llama_family},
    {"opt", read_opt},
    {"qwen2", read_llama_family},
    {"RefinedWeb", read_falcon},
    {"RefinedWebModel", read_falcon},
};

}  // namespace

std::span<const HfFamily> hf_families() {
  return kFamilies;
}

}  // namespace llmcost
