// `llmcost finetune`: full fine-tuning, LoRA and QLoRA, SFT or DPO. With the model's shape the run
// goes through the training performance model (docs/performance.md §1) with a frozen base for the
// adapter methods (docs/finetune.md §1); without it, or with --mfu, through the MFU rule.
#include "llmcost/finetune.hpp"
#include "estimate/uncertainty_rows.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "estimate/resolve.hpp"
#include "llmcost/error.hpp"
#include "llmcost/plan.hpp"
#include "llmcost/text.hpp"

namespace llmcost {

std::vector<std::string> lora_targets(const std::vector<std::string>& given, bool all_default) {
  static const std::vector<std::string> kAll{"q", "k", "v", "o", "gate", "up", "down"};
  if (given.empty()) return all_default ? kAll : std::vector<std::string>{"q", "v"};
  if (given.size() == 1 && given.front() == "all") return kAll;
  for (const std::string& t : given) {
    if (std::find(kAll.begin(), kAll.end(), t) == kAll.end())
      throw InputError(fmt::format("--targets: unknown matrix '{}' (expected q, k, v, o, gate, up, down or all)", t));
  }
  return given;
}

namespace {

// d_in + d_out of one adapted matrix of a layer, times the experts that hold it.
double adapted_dims(const PerfShape& s, const std::string& t) {
  const double h = s.hidden, q = double(s.heads) * s.head_dim, kv = double(s.kv_heads) * s.head_dim;
  const bool moe = s.experts > 0;
  const double ffn = moe ? s.expert_ffn : s.ffn, copies = moe ? s.experts + s.shared_experts : 1;
  if (t == "q") return h + q;
  if (t == "k" || t == "v") return h + kv;
  if (t == "o") return q + h;
  if (t == "gate") return s.gated ? copies * (h + ffn) : 0;  // no gate in a plain MLP
  if (t == "up" || t == "down") return copies * (h + ffn);
  return 0;
}

}  // namespace

double lora_trainable(const PerfShape& s, double rank, const std::vector<std::string>& targets) {
  double dims = 0;
  for (const std::string& t : targets) dims += adapted_dims(s, t);
  return s.layers * rank * dims;
}

namespace {

struct FtContext {
  ModelParams model;
  bool shaped = false;
  PerfShape shape;
  Hardware hw;
  std::string method, objective, dtype;
  std::vector<std::string> targets;
  Setting rank, seq, batch;
  double chips = 1, tokens = 0, trainable = 0, dims_per_layer = 0, base_bytes = 2;
  std::string chips_source, base_source;
  bool frozen() const { return method != "full"; }
};

void resolve_method(FtContext& c, const FinetuneInputs& in, const Catalog& cat) {
  c.method = in.method.empty() ? "lora" : in.method;
  if (c.method != "full" && c.method != "lora" && c.method != "qlora")
    throw InputError(fmt::format("--method {}: expected full, lora or qlora", c.method));
  c.objective = in.objective.empty() ? "sft" : in.objective;
  if (c.objective != "sft" && c.objective != "dpo")
    throw InputError(fmt::format("--objective {}: expected sft or dpo", c.objective));
  if (!c.frozen()) {
    reject_inapplicable({{in.rank.has_value(), "--rank"}, {!in.targets.empty(), "--targets"}},
                        "--method lora or qlora");
    c.trainable = c.model.params;
    return;
  }
  c.rank = setting(in.rank, cat, c.method == "qlora" ? "finetune_qlora_rank" : "finetune_lora_rank");
  c.targets = lora_targets(in.targets, c.method == "qlora");
  if (!c.shaped) {
    throw InputError(
        fmt::format("--method {}: the adapters' size needs the model's shape (layers, d_model, heads, "
                    "vocab); give a catalog model or --model-config, or --method full",
                    c.method));
  }
  for (const std::string& t : c.targets) c.dims_per_layer += adapted_dims(c.shape, t);
  c.trainable = lora_trainable(c.shape, c.rank.value, c.targets);
  if (c.method == "qlora") {
    c.base_bytes = cat.assumption_number("qlora_weight_bytes");
    c.base_source = assumption_source("qlora_weight_bytes");
  }
}

FtContext resolve_finetune(const FinetuneInputs& in, const Catalog& cat) {
  FtContext c;
  c.model = resolve_model(cat, in.model, in.model_config, in.params, "finetune");
  const Model* m = c.model.model;
  c.shaped = m && m->layers && m->d_model && m->heads && m->vocab && !resizes(m, in.params);
  if (c.shaped) c.shape = perf_shape(*m);
  if (!in.tokens)
    throw InputError("finetune needs --tokens: the tokens the run trains on, epochs included (e.g. 100M)");
  c.tokens = *in.tokens;
  const Calibration* cal = in.calibration ? &*in.calibration : nullptr;
  c.hw = resolve_hardware(cat, in.offer, in.hardware, false, "default_train_offer", cal);
  c.chips = job_chips(c.hw, in.chips, c.chips_source);
  c.dtype = in.dtype.empty() ? c.hw.acc->default_dtype() : in.dtype;
  if (c.dtype != "bf16" && c.dtype != "fp16")
    throw InputError(fmt::format("--dtype {}: fine-tuning is modelled in bf16 or fp16", c.dtype));
  if (!c.hw.acc->peak_flops(c.dtype))
    throw InputError(fmt::format("--dtype {}: accelerator {} has no {} peak", c.dtype, c.hw.acc->id, c.dtype));
  resolve_method(c, in, cat);
  c.seq = setting(in.seq_len, cat, "finetune_seq_len");
  c.batch = setting(in.batch_tokens, cat, "finetune_batch_tokens");
  return c;
}

// The run for the performance model: a frozen base keeps its weights (2 bytes, or NF4's) and
// trains bf16 adapters with 2-byte gradients and fp32 Adam moments (8 bytes), as QLoRA does.
PerfRun finetune_run(const FtContext& c, const Catalog& cat) {
  PerfRun run = planned_run(*c.model.model, c.seq.value, c.batch.value, c.dtype, cat).run;
  run.frozen_base = c.frozen();
  if (c.frozen()) {
    run.trainable = c.trainable;
    run.weight_bytes = c.base_bytes;
    run.grad_bytes = 2;
    run.optimizer_bytes = 8;
  }
  run.reference_forward = c.objective == "dpo";
  return run;
}

struct Plan {
  RankedLayout best;
  bool found = false;  // a layout fits
};

// The fastest layout that fits; when none does, the data-parallel ZeRO-3 layout with full
// recomputation, the least memory per chip, to report by how much it misses.
Plan plan_finetune(const FtContext& c, const PerfHardware& hw, const PerfRun& run) {
  Plan p;
  long long evaluated = 0;
  const auto ranked = search_layouts(c.shape, hw, run, static_cast<int>(c.chips), true, 1, &evaluated);
  if (!ranked.empty()) {
    p.best = ranked.front(), p.found = true;
    return p;
  }
  Layout l;
  l.dp = static_cast<int>(c.chips), l.zero = 3, l.recompute = Recompute::full, l.flash = true;
  if (const std::string why = layout_problem(c.shape, l, run); !why.empty())
    throw InputError(fmt::format("no layout of {} on {} chips: {}", c.model.model->id, c.chips, why));
  p.best = {l, evaluate_layout(c.shape, hw, l, run)};
  return p;
}

void add_inputs(Report& r, const FtContext& c, const Catalog& cat) {
  add_model_rows(r, c.model);
  add_accelerator(r, c.hw);
  r.add_context("method", "Method", c.method,
                c.method == "lora" && c.trainable > 0 ? "given or default (lora)" : "given");
  r.add_context("objective", "Objective",
                c.objective == "dpo" ? "dpo (policy on chosen and rejected, frozen reference)" : "sft",
                "given or default");
  r.add_context("dtype", "Compute dtype", c.dtype, "the accelerator's 16-bit format, or given");
  r.add_input("chips", "Accelerators", c.chips, Unit::count, c.chips_source);
  r.add_input("train_tokens", "Training tokens", c.tokens, Unit::tokens, "given");
  add_setting(r, cat, c.seq, "seq_len", "Sequence length", Unit::tokens);
  add_setting(r, cat, c.batch, "batch_tokens", "Tokens per optimizer step", Unit::tokens);
  if (!c.frozen()) {
    r.add("trainable_params", "Trainable parameters", c.trainable, Unit::params, "{params}");
    return;
  }
  std::string names;
  for (const std::string& t : c.targets) names += (names.empty() ? "" : ",") + t;
  r.add_context("targets", "Adapted matrices", names, "given or default");
  add_setting(r, cat, c.rank, "lora_rank", "LoRA rank", Unit::count);
  r.add_input("layers", "Layers", c.shape.layers, Unit::count, c.model.source);
  r.add_input("adapted_dims_per_layer", "Adapted d_in + d_out per layer", c.dims_per_layer, Unit::count,
              c.model.source + ": the adapted matrices' input + output widths (MLP ones per expert)");
  r.add("trainable_params", "Trainable parameters", c.trainable, Unit::params,
        "{layers} × {lora_rank} × {adapted_dims_per_layer}");
  r.add("trainable_fraction", "Trainable share", c.trainable / c.model.params, Unit::fraction,
        "{trainable_params} / {params}");
  if (c.method == "qlora") {
    r.add_input("base_bytes_per_param", "Frozen base storage per parameter", c.base_bytes, Unit::bytes, c.base_source,
                cite(cat.assumption("qlora_weight_bytes")));
  }
}

// The whole run at the model's throughput, priced when an offer is known.
void add_run(Report& r, const FtContext& c, double tokens_per_s, const std::string& rate_key) {
  const double wall = c.tokens / tokens_per_s;
  r.add("wall_time_s", "Wall time", wall, Unit::seconds, "{train_tokens} / {" + rate_key + "}");
  const double hours =
      r.add("chip_hours", "Chip-hours", wall * c.chips / 3600, Unit::hours, "{wall_time_s} × {chips} / 3600");
  if (c.hw.offer) {
    const double price = add_offer_price(r, c.hw);
    r.add("cost_usd", "Cost", hours * price, Unit::usd, "{chip_hours} × {usd_per_chip_hour}");
  } else {
    r.notes.emplace_back("no price: give --offer ID for the cost");
  }
}

void add_perf_rows(Report& r, const FtContext& c, const PerfHardware& hw, const Plan& p) {
  const StepEstimate& e = p.best.step;
  constexpr const char* kModel = "performance model (docs/performance.md, docs/finetune.md §1)";
  r.add_text_result("layout", "Layout", layout_text(p.best.layout));
  r.add_found("step_time_s", "Step time", e.step_s, Unit::seconds, kModel);
  r.add_found("tokens_per_step", "Tokens per step", e.tokens_per_s * e.step_s, Unit::tokens,
              "whole micro-batches of every data-parallel rank");
  r.add("tokens_per_s", "Throughput", e.tokens_per_s, Unit::tokens_per_s, "{tokens_per_step} / {step_time_s}");
  r.add_input("peak_flop_per_s", "Peak per chip", hw.peak, Unit::flop_per_s, "catalog accelerator");
  r.add_found("model_flop_per_step", "Model FLOPs per step", e.model_flop, Unit::flop,
              c.frozen() ? "forward and input gradients of the frozen base (2 × forward) + 6 × adapters per token"
                         : "3 × forward");
  r.add("mfu", "MFU", e.mfu, Unit::fraction, "{model_flop_per_step} / ({step_time_s} × {chips} × {peak_flop_per_s})");
  r.add_text_result("bottleneck", "Largest loss besides compute", std::string(e.bottleneck));
  r.add_found("weight_bytes", "Weights per chip", e.weight_mem, Unit::bytes, kModel);
  r.add_found("gradient_bytes", "Gradients per chip", e.grad_mem, Unit::bytes, kModel);
  r.add_found("optimizer_bytes", "Optimizer states per chip", e.optimizer_mem, Unit::bytes, kModel);
  r.add_found("activation_bytes", "Activations per chip", e.activation_mem, Unit::bytes, kModel);
  r.add_found("memory_overhead_bytes", "Reserved (context, buffers)", e.overhead_mem, Unit::bytes,
              "assumption plan_memory_overhead × memory per chip");
  r.add("memory_per_chip_bytes", "Memory per chip", e.total_mem, Unit::bytes,
        "{weight_bytes} + {gradient_bytes} + {optimizer_bytes} + {activation_bytes} + {memory_overhead_bytes}");
  r.add_input("chip_memory_bytes", "Memory per chip available", hw.memory_bytes, Unit::bytes, "catalog accelerator");
  r.add("fits", "Fits in memory", e.fits ? 1 : 0, Unit::flag, "{memory_per_chip_bytes} <= {chip_memory_bytes}");
  if (!p.found) {
    r.notes.push_back(Text::of(
        "no layout of {} chips fits: the least memory per chip (ZeRO-3, full recomputation) is "
        "{} of {}; add chips or use --method qlora",
        Quantity{c.chips, Unit::count}, Quantity{e.total_mem, Unit::bytes}, Quantity{hw.memory_bytes, Unit::bytes}));
  }
}

// Without the model's shape (or with --mfu): FLOPs per token at an MFU, and memory by bytes per
// parameter (full: 2 + 4 + 12 sharded over the chips; adapters: the base and 12 bytes per adapter
// parameter), activations left out.
void add_mfu_rows(Report& r, const FtContext& c, const FinetuneInputs& in, const Catalog& cat) {
  const double n = c.model.params;
  const bool dpo = c.objective == "dpo";
  double fpt = c.frozen() ? 4 * n + 6 * c.trainable : 6 * n;
  if (dpo) fpt += 2 * n;
  std::string formula = c.frozen() ? "4 × {params} + 6 × {trainable_params}" : "6 × {params}";
  if (dpo) formula += " + 2 × {params}";
  r.add("flop_per_token", "FLOPs per token", fpt, Unit::flop, formula);
  const double mfu = input_or_assumption(r, cat, in.mfu, "mfu", "MFU", Unit::fraction, "train_mfu");
  const double peak = *c.hw.acc->peak_flops(c.dtype);
  r.add_input("peak_flop_per_s", "Peak per chip", peak, Unit::flop_per_s, "catalog accelerator");
  const double rate = r.add("tokens_per_s", "Throughput", c.chips * peak * mfu / fpt, Unit::tokens_per_s,
                            "{chips} × {peak_flop_per_s} × {mfu} / {flop_per_token}");
  const double mem = c.frozen() ? n * c.base_bytes / c.chips + c.trainable * 12 : n * (dpo ? 20 : 18) / c.chips;
  r.add_found("memory_per_chip_bytes", "Memory per chip, without activations", mem, Unit::bytes,
              c.frozen() ? "base weights / chips + 12 bytes per adapter parameter"
                         : "18 bytes per parameter (weights, fp32 gradients, Adam) / chips, 20 with a DPO reference");
  r.notes.emplace_back(c.shaped ? "time by the MFU rule (--mfu given); the performance model would cost the layout"
                                : "the model's shape is unknown: time by the MFU rule, memory without activations");
  add_run(r, c, rate, "tokens_per_s");
}

}  // namespace

static Report estimate_finetune_point(const FinetuneInputs& in, const Catalog& cat) {
  const FtContext c = resolve_finetune(in, cat);
  Report r;
  r.kind = "finetune";
  add_inputs(r, c, cat);
  if (!c.shaped || in.mfu) {
    add_mfu_rows(r, c, in, cat);
  } else {
    const Calibration* cal = in.calibration ? &*in.calibration : nullptr;
    const PerfHardware hw = perf_hardware(*c.hw.acc, c.dtype, c.chips, cat, cal);
    const Plan p = plan_finetune(c, hw, finetune_run(c, cat));
    add_perf_rows(r, c, hw, p);
    add_run(r, c, p.best.step.tokens_per_s, "tokens_per_s");
  }
  if (c.objective == "dpo") {
    r.notes.emplace_back(c.frozen()
                             ? "DPO: the policy trains on chosen and rejected sequences (count both in --tokens); the "
                               "frozen base without its adapters is the reference, one more forward pass"
                             : "DPO: the policy trains on chosen and rejected sequences (count both in --tokens); a "
                               "frozen copy of the model is the reference, held beside it, one more forward pass");
  }
  if (c.method == "qlora") {
    r.notes.emplace_back(
        "QLoRA: the 4-bit base is dequantised to 16-bit for every GEMM; that traffic is not costed, so measured QLoRA "
        "runs are slower than this");
  }
  r.title = Text::of("Fine-tuning {} ({}{}) on {} × {}",
                     model_title(c.model.model, c.model.params, resizes(c.model.model, in.params)), c.method,
                     c.objective == "dpo" ? ", DPO" : "", Quantity{c.chips, Unit::count}, c.hw.acc->name);
  return r;
}

Report estimate_finetune(const FinetuneInputs& in, const Catalog& cat) {
  return with_catalog_ranges(in, cat, estimate_finetune_point, {"wall_time_s", "chip_hours", "cost_usd"});
}

}  // namespace llmcost
