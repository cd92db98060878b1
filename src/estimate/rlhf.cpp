// `llmcost rlhf`: DeepSpeed-Chat's three steps (docs/finetune.md §2). Steps 1 and 2 are training
// runs through the performance model; step 3 runs generation through the serving model and the
// scoring and training passes through the performance model, data parallel with ZeRO-3 as
// DeepSpeed runs them.
#include "llmcost/rlhf.hpp"
#include "estimate/uncertainty_rows.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "estimate/resolve.hpp"
#include "llmcost/error.hpp"
#include "llmcost/finetune.hpp"
#include "llmcost/infer.hpp"
#include "llmcost/perf.hpp"
#include "llmcost/plan.hpp"
#include "llmcost/text.hpp"

namespace llmcost {
namespace {

struct Member {
  const Model* model = nullptr;
  PerfShape shape;
  double weights() const { return 2 * model->params; }  // 16-bit
};

Member member(const Catalog& cat, const std::string& id, const char* flag) {
  if (id.empty()) throw InputError(fmt::format("rlhf needs {} (a catalog model id)", flag));
  Member m;
  m.model = &cat.model(id);
  try {
    m.shape = perf_shape(*m.model);
  } catch (const InputError& e) {
    throw InputError(fmt::format("{} {}: {}", flag, id, e.what()));
  }
  return m;
}

// The actor's trainable parameters with DeepSpeed-Chat's LoRA of rank `lora`: it wraps every linear
// layer of the decoder blocks and freezes its weight; embeddings, norms and biases stay trainable.
// 0 (no frozen base) without LoRA.
double actor_trainable(const PerfShape& shape, double lora) {
  if (lora <= 0) return 0;
  return lora_trainable(shape, lora, lora_targets({"all"}, true)) + double(shape.vocab) * shape.hidden;
}

struct RlhfContext {
  Member actor, reward, critic;
  Hardware hw;
  PerfHardware perf;
  std::string dtype;
  double chips = 1, gen_tp = 1, trainable = 0, link = 0;
  int zero = 3;  // step 3's ZeRO stage for actor and critic
  std::string chips_source, gen_tp_source;
  Setting sft_samples, sft_epochs, sft_batch, rm_pairs, rm_batch, prompts, prompt, answer, seq, cap, lora;
};

RlhfContext resolve_rlhf(const RlhfInputs& in, const Catalog& cat) {
  RlhfContext c;
  c.actor = member(cat, in.actor, "--actor");
  c.reward = member(cat, in.reward, "--reward");
  c.critic = member(cat, in.critic.empty() ? in.reward : in.critic, "--critic");
  c.hw = resolve_hardware(cat, in.offer, in.hardware, false, "default_train_offer");
  c.chips = job_chips(c.hw, in.chips, c.chips_source);
  c.dtype = c.hw.acc->default_dtype();
  c.perf = perf_hardware(*c.hw.acc, c.dtype, c.chips, cat, nullptr);
  c.link = c.chips <= c.perf.domain ? c.perf.scaleup_bw : c.perf.scaleout_bw;
  c.sft_samples = setting(in.sft_samples, cat, "rlhf_sft_samples");
  c.sft_epochs = setting(in.sft_epochs, cat, "rlhf_sft_epochs");
  c.sft_batch = setting(in.sft_batch, cat, "rlhf_sft_batch");
  c.rm_pairs = setting(in.rm_pairs, cat, "rlhf_rm_pairs");
  c.rm_batch = setting(in.rm_batch, cat, "rlhf_rm_batch");
  c.prompts = setting(in.prompts, cat, "rlhf_prompts");
  c.prompt = setting(in.prompt_tokens, cat, "rlhf_prompt_tokens");
  c.answer = setting(in.answer_tokens, cat, "rlhf_answer_tokens");
  c.seq = setting(in.seq_len, cat, "rlhf_seq_len");
  c.cap = setting(in.max_batch_pairs, cat, "rlhf_max_batch_pairs");
  c.lora = setting(in.lora_dim, cat, "rlhf_lora_dim");
  if (in.zero) {
    if (*in.zero < 0 || *in.zero > 3 || *in.zero != std::floor(*in.zero))
      throw InputError(fmt::format("--zero {}: a ZeRO stage, 0 to 3", *in.zero));
    c.zero = static_cast<int>(*in.zero);
  }
  if (c.lora.value < 0 || c.lora.value != std::floor(c.lora.value))
    throw InputError(fmt::format("--lora-dim {}: a whole rank, 0 for full fine-tuning", c.lora.value));
  c.trainable = actor_trainable(c.actor.shape, c.lora.value);
  // Generation's tensor-parallel group: the fewest chips (a power of two within one scale-up
  // domain) whose memory holds the actor's 16-bit weights in the share the training state leaves.
  if (in.gen_tp) {
    c.gen_tp = *in.gen_tp, c.gen_tp_source = "given";
    if (std::fmod(c.chips, c.gen_tp) != 0)
      throw InputError(fmt::format("--gen-tp {}: must divide the {} chips", c.gen_tp, c.chips));
  } else {
    const double share = cat.assumption_number("rlhf_generation_memory_share");
    const double limit = std::min<double>(c.chips, std::max(1, c.perf.domain));
    while (c.gen_tp * 2 <= limit && c.actor.weights() > share * c.gen_tp * c.perf.memory_bytes) c.gen_tp *= 2;
    c.gen_tp_source = fmt::format(
        "default: fewest chips (power of two, one scale-up domain) holding the actor's weights in {} of their "
        "memory (assumption rlhf_generation_memory_share)",
        share);
  }
  return c;
}

// A data-parallel ZeRO layout over every chip, as DeepSpeed runs it.
Layout dp_layout(double chips, int zero, Recompute recompute, double mb) {
  Layout l;
  l.dp = static_cast<int>(chips);
  l.zero = zero;
  l.recompute = recompute;
  l.mb = std::max(1, static_cast<int>(mb));
  l.flash = false;  // DeepSpeed-Chat's OPT runs Hugging Face attention
  return l;
}

PerfRun run_of(double seq, double global_batch) {
  PerfRun run;
  run.seq_len = seq;
  run.global_batch = global_batch;
  run.memory_overhead = 0;
  return run;
}

StepEstimate evaluate(const Member& m, const RlhfContext& c, const Layout& l, const PerfRun& run) {
  if (const std::string why = layout_problem(m.shape, l, run); !why.empty())
    throw InputError(fmt::format("model {} on {} chips: {}", m.model->id, c.chips, why));
  return evaluate_layout(m.shape, c.perf, l, run);
}

// The actor's training run: frozen base with LoRA (fp32 master and Adam for the adapters), full
// recomputation.
PerfRun actor_run(const RlhfContext& c, double seq, double global_batch) {
  PerfRun run = run_of(seq, global_batch);
  if (c.trainable > 0) {
    run.frozen_base = true;
    run.trainable = c.trainable;
    run.grad_bytes = 2;
  }
  return run;
}

struct Phase {
  double tokens = 0, time = 0, tokens_per_s = 0, flop = 0;
};

// A training step's throughput over a whole run of `tokens`.
Phase phase(const StepEstimate& e, double tokens) {
  Phase p;
  p.tokens = tokens;
  p.tokens_per_s = e.tokens_per_s;
  p.time = tokens / e.tokens_per_s;
  p.flop = e.hardware_flop / (e.tokens_per_s * e.step_s) * tokens;
  return p;
}

// Step 1: supervised fine-tuning of the actor (LoRA, ZeRO-3, gradient checkpointing).
Phase step1(const RlhfContext& c) {
  const double mb = c.sft_batch.value;
  const StepEstimate e =
      evaluate(c.actor, c, dp_layout(c.chips, 3, Recompute::full, mb), actor_run(c, c.seq.value, mb * c.chips));
  return phase(e, c.sft_samples.value * c.sft_epochs.value * c.seq.value);
}

// Step 2: the reward model on comparisons, chosen and rejected answers as one batch (full
// fine-tuning, data parallel without ZeRO sharding as DeepSpeed-Chat's scripts run it).
Phase step2(const RlhfContext& c) {
  const double mb = 2 * c.rm_batch.value;
  const StepEstimate e =
      evaluate(c.reward, c, dp_layout(c.chips, 0, Recompute::none, mb), run_of(c.seq.value, mb * c.chips));
  return phase(e, c.rm_pairs.value * 2 * c.seq.value);
}

// One PPO step with b prompts per GPU.
struct PpoStep {
  double batch = 0, gather = 0, generation = 0, experience = 0, train_actor = 0, train_critic = 0, step = 0;
  double gen_flop = 0, train_flop = 0, memory = 0;
  bool fits = false;
};

PpoStep ppo_step(const RlhfContext& c, const Catalog& cat, double b) {
  PpoStep s;
  s.batch = b;
  const double seq = c.prompt.value + c.answer.value, global = b * c.chips;
  // Generation: the hybrid engine gathers the actor's ZeRO-3 shards (every layer whole on every
  // chip, a few layers at a time, each chip then keeping its tensor-parallel slice: DeepSpeed's
  // hybrid_engine.py) into tensor-parallel groups of gen_tp chips, each generating for
  // b × gen_tp prompts, as `llmcost infer` serves them.
  const bool sharded = c.zero >= 3 && c.chips > 1 && c.link > 0;
  s.gather = sharded ? c.actor.weights() * (c.chips - 1) / c.chips / c.link + c.perf.collective_latency : 0;
  InferInputs gen;
  gen.model = c.actor.model->id;
  gen.hardware = c.hw.acc->id;
  gen.chips = c.gen_tp, gen.pp = 1;
  gen.batch = b * c.gen_tp;
  gen.prompt_tokens = c.prompt.value, gen.output_tokens = c.answer.value;
  gen.seq_len = std::max(seq, double(c.actor.model->seq_len.value_or(0)));
  gen.dtype = gen.kv_dtype = c.dtype;
  gen.layer_overhead = cat.assumption_number("rlhf_generation_layer_overhead_s");
  const Report g = estimate_inference(gen, cat);
  s.generation = g.value("request_latency_s");
  s.gen_flop = 2 * c.actor.model->params * global * seq;
  // Scoring: forward passes of the actor, the frozen reference, the critic and the reward model
  // over every prompt + answer, ZeRO-3 weights gathered as far as the compute does not hide them.
  const double overlap = cat.assumption_number("plan_zero3_overlap");
  const Layout fwd = dp_layout(c.chips, c.zero, Recompute::none, b);
  for (const Member* m : {&c.actor, &c.actor, &c.critic, &c.reward}) {
    const StepEstimate e = evaluate(*m, c, fwd, run_of(seq, global));
    const double gather = sharded ? m->weights() * (c.chips - 1) / c.chips / c.link : 0;
    s.experience += e.forward_s + std::max(0.0, gather - overlap * e.forward_s);
  }
  // Training: the actor (LoRA, full recomputation) and the critic (full, no recomputation).
  const StepEstimate a =
      evaluate(c.actor, c, dp_layout(c.chips, c.zero, Recompute::full, b), actor_run(c, seq, global));
  const StepEstimate cr = evaluate(c.critic, c, dp_layout(c.chips, c.zero, Recompute::none, b), run_of(seq, global));
  s.train_actor = a.step_s, s.train_critic = cr.step_s;
  s.train_flop = a.hardware_flop + cr.hardware_flop;
  s.step = s.gather + s.generation + s.experience + s.train_actor + s.train_critic;
  // Memory per GPU: the four models' ZeRO-3 shards and the learners' gradients and optimizer
  // states stay resident; on top, the larger of training's activations and generation's gathered
  // weights and KV cache; plan_memory_overhead held back.
  const double resident = a.weight_mem + a.grad_mem + a.optimizer_mem + cr.weight_mem + cr.grad_mem + cr.optimizer_mem +
                          (c.actor.weights() + c.reward.weights()) / c.chips;
  const double kv = g.find("kv_cache_bytes") ? g.value("kv_cache_bytes") / c.gen_tp : 0;
  const double generation = std::max(0.0, c.actor.weights() / c.gen_tp - a.weight_mem) + kv;
  const double training = std::max(a.activation_mem, cr.activation_mem);
  s.memory = (resident + std::max(training, generation)) / (1 - cat.assumption_number("plan_memory_overhead"));
  s.fits = s.memory <= c.perf.memory_bytes;
  return s;
}

// The prompts per GPU per step: given, else the largest power of two that fits within the cap
// (DeepSpeed-Chat's rule: the largest per-GPU batch that fits, at most 1,024 pairs a step).
PpoStep choose_batch(const RlhfContext& c, const RlhfInputs& in, const Catalog& cat) {
  if (in.batch_per_gpu) return ppo_step(c, cat, *in.batch_per_gpu);
  PpoStep best = ppo_step(c, cat, 1);
  for (double b = 2; b * c.chips <= c.cap.value; b *= 2) {
    const PpoStep s = ppo_step(c, cat, b);
    if (!s.fits) break;
    best = s;
  }
  return best;
}

// The largest catalog decoder of the actor's family (the id up to its first '-': opt, llama2, ...)
// whose step 3 fits these chips as the actor at one prompt per GPU.
std::string largest_actor(const RlhfContext& c, const Catalog& cat) {
  const Model* best = nullptr;
  const std::string& id = c.actor.model->id;
  const std::string family = id.substr(0, id.find('-') + 1);
  for (const Model& m : cat.models()) {
    if (m.id.rfind(family, 0) != 0) continue;
    if (m.architecture != "decoder-only" || m.experts || !m.layers || !m.vocab || !m.heads || !m.d_model) continue;
    if (best && m.params <= best->params) continue;
    RlhfContext trial = c;
    trial.actor.model = &m;
    trial.actor.shape = perf_shape(m);
    trial.trainable = actor_trainable(trial.actor.shape, trial.lora.value);
    try {
      if (ppo_step(trial, cat, 1).fits) best = &m;
    } catch (const InputError&) {
      // a model whose heads or layers no layout of these chips divides: not a candidate
    }
  }
  return best ? best->id : std::string("none");
}

void add_cost(Report& r, const RlhfContext& c, const std::string& key, const std::string& label,
              const std::string& time_key) {
  if (!c.hw.offer) return;
  r.add(key, label, r.value(time_key) * c.chips / 3600 * r.value("usd_per_chip_hour"), Unit::usd,
        "{" + time_key + "} × {chips} / 3600 × {usd_per_chip_hour}");
}

void add_inputs(Report& r, const RlhfContext& c, const Catalog& cat) {
  r.add_context("actor", "Actor", c.actor.model->id, "given");
  r.add_context("reward", "Reward model", c.reward.model->id, "given");
  r.add_context("critic", "Critic", c.critic.model->id,
                c.critic.model == c.reward.model ? "default: the reward model" : "given");
  add_accelerator(r, c.hw);
  if (c.hw.offer) add_offer_price(r, c.hw);
  r.add_input("chips", "Accelerators", c.chips, Unit::count, c.chips_source);
  add_setting(r, cat, c.seq, "seq_len", "Steps 1-2 sequence length", Unit::tokens);
  add_setting(r, cat, c.lora, "lora_dim", "Actor LoRA rank (every decoder linear)", Unit::count);
  if (c.trainable > 0) {
    r.add_found("actor_trainable_params", "Actor trainable parameters", c.trainable, Unit::params,
                "LoRA on every decoder linear (q, k, v, o, MLP) + the embeddings (docs/finetune.md §2)");
  }
}

void add_step12(Report& r, const RlhfContext& c, const Catalog& cat, const Phase& s1, const Phase& s2) {
  add_setting(r, cat, c.sft_samples, "sft_samples", "Step 1 samples per epoch", Unit::count);
  add_setting(r, cat, c.sft_epochs, "sft_epochs", "Step 1 epochs", Unit::count);
  add_setting(r, cat, c.sft_batch, "sft_batch", "Step 1 sequences per GPU per micro-batch", Unit::count);
  r.add("sft_tokens", "Step 1 tokens", s1.tokens, Unit::tokens, "{sft_samples} × {sft_epochs} × {seq_len}");
  r.add_found("sft_tokens_per_s", "Step 1 throughput", s1.tokens_per_s, Unit::tokens_per_s,
              "performance model: actor with LoRA, ZeRO-3, full recomputation, data parallel");
  const double error = add_setting(r, cat, setting({}, cat, "rlhf_training_time_error"), "training_time_error",
                                   "Steps 1-2 measured / modelled time", Unit::ratio);
  r.add("step1_time_s", "Step 1 time (SFT)", s1.time * error, Unit::seconds,
        "{sft_tokens} / {sft_tokens_per_s} × {training_time_error}");
  r.add_found("step1_tflops_per_gpu", "Step 1 achieved per GPU", s1.flop / s1.time / c.chips, Unit::flop_per_s,
              "hardware FLOPs (recomputation included) / time / chips");
  add_cost(r, c, "step1_cost_usd", "Step 1 cost", "step1_time_s");
  add_setting(r, cat, c.rm_pairs, "rm_pairs", "Step 2 comparisons", Unit::count);
  add_setting(r, cat, c.rm_batch, "rm_batch", "Step 2 pairs per GPU per micro-batch", Unit::count);
  r.add("rm_tokens", "Step 2 tokens", s2.tokens, Unit::tokens, "{rm_pairs} × 2 × {seq_len}");
  r.add_found("rm_tokens_per_s", "Step 2 throughput", s2.tokens_per_s, Unit::tokens_per_s,
              "performance model: reward model, full fine-tuning, data parallel");
  r.add("step2_time_s", "Step 2 time (reward model)", s2.time * error, Unit::seconds,
        "{rm_tokens} / {rm_tokens_per_s} × {training_time_error}");
  add_cost(r, c, "step2_cost_usd", "Step 2 cost", "step2_time_s");
}

void add_step3(Report& r, const RlhfContext& c, const Catalog& cat, const PpoStep& s, const RlhfInputs& in) {
  add_setting(r, cat, c.prompts, "prompts", "Step 3 prompts", Unit::count);
  add_setting(r, cat, c.prompt, "prompt_tokens", "Prompt tokens", Unit::tokens);
  add_setting(r, cat, c.answer, "answer_tokens", "Answer tokens (generated)", Unit::tokens);
  if (in.batch_per_gpu) {
    r.add_input("batch_per_gpu", "Step 3 prompts per GPU per step", s.batch, Unit::count, "given");
  } else {
    add_setting(r, cat, c.cap, "max_batch_pairs", "Step 3 prompts per step at most", Unit::count);
    r.add_found("batch_per_gpu", "Step 3 prompts per GPU per step", s.batch, Unit::count,
                "the largest power of two whose step fits memory, within max_batch_pairs");
  }
  r.add_input("gen_tp", "Generation tensor parallel", c.gen_tp, Unit::count, c.gen_tp_source);
  r.add("ppo_steps", "Step 3 PPO steps", std::ceil(std::ceil(c.prompts.value / c.chips) / s.batch), Unit::count,
        "ceil(ceil({prompts} / {chips}) / {batch_per_gpu})");
  r.add_found("gather_s", "Gathering the actor for generation", s.gather, Unit::seconds,
              "the whole actor's 16-bit weights to every chip, (chips − 1) / chips of them over the links of the job "
              "(DeepSpeed's hybrid engine gathers each layer whole, then keeps the chip's tensor-parallel slice)");
  r.add_found("generation_s", "Generation per step", s.generation, Unit::seconds,
              "llmcost infer's request latency: prefill + answer tokens decoded, gen_tp chips, batch_per_gpu × gen_tp");
  r.add_found("experience_s", "Scoring per step", s.experience, Unit::seconds,
              "forward passes of actor, reference, critic and reward model (performance model, ZeRO-3)");
  r.add_found("train_actor_s", "Actor training per step", s.train_actor, Unit::seconds, "performance model");
  r.add_found("train_critic_s", "Critic training per step", s.train_critic, Unit::seconds, "performance model");
  r.add("ppo_step_s", "Step 3 time per PPO step", s.step, Unit::seconds,
        "{gather_s} + {generation_s} + {experience_s} + {train_actor_s} + {train_critic_s}");
  const double error = add_setting(r, cat, setting({}, cat, "rlhf_step3_time_error"), "step3_time_error",
                                   "Step 3 measured / modelled time", Unit::ratio);
  r.add("step3_time_s", "Step 3 time (PPO)", s.step * r.value("ppo_steps") * error, Unit::seconds,
        "{ppo_steps} × {ppo_step_s} × {step3_time_error}");
  r.add("generation_share", "Generation share of step 3", (s.gather + s.generation) / s.step, Unit::fraction,
        "({gather_s} + {generation_s}) / {ppo_step_s}");
  r.add_found("generation_tflops_per_gpu", "Generation achieved per GPU", s.gen_flop / (s.generation * c.chips),
              Unit::flop_per_s, "2 × actor parameters × prompts × (prompt + answer) tokens / generation time / chips");
  r.add_found("training_tflops_per_gpu", "Training achieved per GPU",
              s.train_flop / ((s.train_actor + s.train_critic) * c.chips), Unit::flop_per_s,
              "hardware FLOPs of actor and critic training / their time / chips");
  r.add_text_result("bottleneck", "Step 3 is dominated by",
                    s.gather + s.generation > s.train_actor + s.train_critic + s.experience
                        ? "generation (memory-bound decode)"
                        : "training and scoring");
  add_cost(r, c, "step3_cost_usd", "Step 3 cost", "step3_time_s");
  r.add_found("memory_per_gpu_bytes", "Step 3 memory per GPU", s.memory, Unit::bytes,
              "the four models' ZeRO-3 shards, learners' gradients and optimizer states, the larger of training "
              "activations and generation's weights and KV cache, plan_memory_overhead held back");
  r.add_input("chip_memory_bytes", "Memory per chip", c.perf.memory_bytes, Unit::bytes, "catalog accelerator");
  r.add("fits", "Step 3 fits in memory", s.fits ? 1 : 0, Unit::flag, "{memory_per_gpu_bytes} <= {chip_memory_bytes}");
}

}  // namespace

static Report estimate_rlhf_point(const RlhfInputs& in, const Catalog& cat) {
  const RlhfContext c = resolve_rlhf(in, cat);
  Report r;
  r.kind = "rlhf";
  add_inputs(r, c, cat);
  const Phase s1 = step1(c), s2 = step2(c);
  add_step12(r, c, cat, s1, s2);
  const PpoStep s3 = choose_batch(c, in, cat);
  add_step3(r, c, cat, s3, in);
  r.add("total_time_s", "Total time, three steps",
        r.value("step1_time_s") + r.value("step2_time_s") + r.value("step3_time_s"), Unit::seconds,
        "{step1_time_s} + {step2_time_s} + {step3_time_s}");
  if (c.hw.offer) {
    r.add("total_cost_usd", "Total cost",
          r.value("step1_cost_usd") + r.value("step2_cost_usd") + r.value("step3_cost_usd"), Unit::usd,
          "{step1_cost_usd} + {step2_cost_usd} + {step3_cost_usd}");
  } else {
    r.notes.emplace_back("no price: give --offer ID for costs");
  }
  r.add_text_result("largest_actor", "Largest actor of its family whose step 3 fits", largest_actor(c, cat));
  if (!s3.fits) {
    r.notes.push_back(Text::of("step 3 does not fit: {} per GPU of {} even at {} prompts per GPU",
                               Quantity{s3.memory, Unit::bytes}, Quantity{c.perf.memory_bytes, Unit::bytes},
                               Quantity{s3.batch, Unit::count}));
  }
  r.notes.emplace_back(
      "DeepSpeed-Chat's pipeline (docs/finetune.md §2): step 3 generates with the hybrid engine, scores with four "
      "models and trains actor and critic with ZeRO-3; EMA and the pre-training mix are off");
  r.title = Text::of("RLHF of {} (reward {}) on {} × {}", c.actor.model->name, c.reward.model->name,
                     Quantity{c.chips, Unit::count}, c.hw.acc->name);
  return r;
}

Report estimate_rlhf(const RlhfInputs& in, const Catalog& cat) {
  return with_catalog_ranges(in, cat, estimate_rlhf_point,
                             {"step1_time_s", "step2_time_s", "step3_time_s", "total_time_s", "total_cost_usd"});
}

}  // namespace llmcost
