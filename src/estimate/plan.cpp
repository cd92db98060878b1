// `llmcost plan`: resolves the model, cluster and run, searches layouts (or evaluates the given
// one) with the performance model, and writes the report: the plan, its step-time breakdown,
// memory per accelerator, the whole run and the runners-up.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "estimate/resolve.hpp"
#include "estimate/uncertainty_rows.hpp"
#include "llmcost/error.hpp"
#include "llmcost/plan.hpp"

namespace llmcost {
namespace {

constexpr const char* kModel = "performance model (docs/performance.md)";

std::string plan_dtype(const PlanInputs& in, const Accelerator& acc) {
  if (in.dtype.empty()) return acc.default_dtype();
  if (in.dtype != "fp8" && in.dtype != "bf16" && in.dtype != "fp16" && in.dtype != "fp32" && in.dtype != "tf32")
    throw InputError(fmt::format("--dtype {}: plan models fp32, tf32, fp16, bf16 and fp8 training", in.dtype));
  if (!acc.peak_flops(in.dtype))
    throw InputError(
        fmt::format("--dtype {}: accelerator {} has no {} peak in the catalog", in.dtype, acc.id, in.dtype));
  return in.dtype;
}

struct PlanContext {
  ModelParams model;
  PerfShape shape;
  Hardware hw;
  PerfHardware perf;
  PerfRun run;
  std::string dtype;
  double chips = 0, batch_tokens = 0;
  std::optional<double> tokens;
  std::string batch_source;
  Setting runtime;
};

double resolve_chips(const PlanInputs& in, const Model& m) {
  if (in.chips) return *in.chips;
  if (m.train_chips) return *m.train_chips;
  throw InputError(fmt::format("plan needs --chips: model {} publishes no cluster size", m.id));
}

PlanContext resolve_plan(const PlanInputs& in, const Catalog& cat) {
  PlanContext c;
  c.model = resolve_model(cat, in.model, in.model_config, std::nullopt, "plan");
  if (!c.model.model) throw InputError("plan needs --model or --model-config: the layout depends on the model's shape");
  const Model& m = *c.model.model;
  c.shape = perf_shape(m);
  const Calibration* cal = in.calibration ? &*in.calibration : nullptr;
  c.hw = resolve_hardware(cat, in.offer, in.hardware, false, "default_train_offer", cal);
  c.chips = resolve_chips(in, m);
  c.dtype = plan_dtype(in, *c.hw.acc);
  c.perf = perf_hardware(*c.hw.acc, c.dtype, c.chips, cat, cal);
  c.runtime = setting(in.runtime_efficiency, cat, "plan_runtime_efficiency");
  c.perf.runtime_efficiency = c.runtime.value;
  c.run.seq_len = in.seq_len ? *in.seq_len : m.seq_len.value_or(0);
  if (c.run.seq_len <= 0) throw InputError(fmt::format("plan needs --seq-len: model {} has no seq_len", m.id));
  const PlannedRun planned = planned_run(m, c.run.seq_len, in.global_batch, c.dtype, cat);
  c.run = planned.run;
  c.batch_tokens = planned.batch_tokens;
  c.batch_source = planned.batch_source;
  c.tokens = in.tokens ? in.tokens : m.train_tokens;
  return c;
}

void add_inputs(Report& r, const PlanContext& c, const PlanInputs& in, const Catalog& cat) {
  add_model_rows(r, c.model);
  add_accelerator(r, c.hw);
  r.add_context("dtype", "Training dtype", c.dtype, in.dtype.empty() ? "the accelerator's 16-bit format" : "given");
  r.add_context("attention", "Attention kernel",
                in.attention == Attention::flash ? "fused (FlashAttention)" : "unfused", "given or default (fused)");
  r.add_input("chips", "Accelerators", c.chips, Unit::count, in.chips ? "given" : "the model's published cluster");
  r.add_input("seq_len", "Sequence length", c.run.seq_len, Unit::tokens, in.seq_len ? "given" : "catalog model");
  r.add_input("global_batch_tokens", "Global batch", c.batch_tokens, Unit::tokens, c.batch_source);
  r.add("global_batch_seqs", "Sequences per step", c.run.global_batch, Unit::count,
        "round({global_batch_tokens} / {seq_len})");
  r.add_input("peak_flop_per_s", "Peak per chip", c.perf.peak, Unit::flop_per_s, "catalog accelerator");
  r.add_input("matmul_efficiency", "Large-GEMM efficiency", c.perf.matmul_efficiency, Unit::fraction,
              c.hw.acc->matmul_efficiency ? "catalog accelerator" : assumption_source("plan_matmul_efficiency"));
  add_setting(r, cat, c.runtime, "runtime_efficiency", "Runtime efficiency", Unit::fraction);
  r.add_input("memory_bandwidth_bytes_per_s", "Memory bandwidth", c.perf.memory_bw, Unit::bytes_per_s,
              "catalog accelerator");
  r.add_input("memory_efficiency", "Streaming efficiency", c.perf.memory_efficiency, Unit::fraction,
              in.calibration ? Text("calibration copy bandwidth / datasheet")
                             : Text(assumption_source("plan_memory_efficiency")));
  r.add_input("scaleup_domain", "Scale-up domain", c.perf.domain, Unit::count, "catalog accelerator");
  r.add_input("scaleup_bytes_per_s", "Scale-up bandwidth (achieved)", c.perf.scaleup_bw, Unit::bytes_per_s,
              "catalog accelerator: scaleup_gbps × efficiency");
  r.add_input("scaleout_bytes_per_s", "Network bandwidth (achieved)", c.perf.scaleout_bw, Unit::bytes_per_s,
              "catalog accelerator: scaleout_gbps × efficiency");
  r.add_input("chip_memory_bytes", "Memory per chip", c.perf.memory_bytes, Unit::bytes, "catalog accelerator");
  r.add_input("memory_overhead", "Memory held back", c.run.memory_overhead, Unit::fraction,
              assumption_source("plan_memory_overhead"));
}

// The whole run at the plan's throughput, priced when an offer is known.
void add_run(Report& r, const PlanContext& c, const StepEstimate& e) {
  if (!c.tokens) {
    r.notes.emplace_back("No training tokens: give --tokens for the run's wall time, chip-hours and cost.");
    return;
  }
  r.add_input("train_tokens", "Training tokens", *c.tokens, Unit::tokens, "given or catalog model");
  r.add("steps", "Optimizer steps", *c.tokens / (e.tokens_per_s * e.step_s), Unit::count,
        "{train_tokens} / ({batch_seqs} × {seq_len})");
  const double wall = *c.tokens / e.tokens_per_s;
  r.add("wall_time_s", "Wall time", wall, Unit::seconds, "{train_tokens} / {tokens_per_s}");
  const double hours =
      r.add("chip_hours", "Chip-hours", wall * c.chips / 3600, Unit::hours, "{wall_time_s} × {chips} / 3600");
  if (c.hw.offer) {
    const double price = add_offer_price(r, c.hw);
    r.add("cost_usd", "Cost", hours * price, Unit::usd, "{chip_hours} × {usd_per_chip_hour}");
  }
}

// Where a layout's step time goes, for --plot: the parts of add_step, in its order.
Breakdown breakdown(const Layout& l, const StepEstimate& e, size_t rank) {
  Breakdown b;
  b.label = Text::of("{}: {}, step {}", Quantity{double(rank), Unit::count}, layout_text(l),
                     Quantity{e.step_s, Unit::seconds});
  b.unit = Unit::seconds;
  b.parts = {{"compute", e.compute_s},
             {"recomputation", e.recompute_s},
             {"tensor-parallel communication", e.tp_comm_s},
             {"pipeline transfers", e.pp_comm_s},
             {"expert all-to-all", e.ep_comm_s},
             {"data-parallel communication (exposed)", e.dp_comm_s},
             {"pipeline bubble", e.bubble_s},
             {"optimizer step", e.optimizer_s}};
  return b;
}

// The runners-up, one note each.
void add_alternatives(Report& r, const std::vector<RankedLayout>& ranked) {
  for (size_t i = 1; i < ranked.size(); ++i) {
    const StepEstimate& e = ranked[i].step;
    r.notes.push_back(Text::of("Alternative {}: {}: step {}, MFU {}, {} per chip, {}.",
                               Quantity{double(i + 1), Unit::count}, layout_text(ranked[i].layout),
                               Quantity{e.step_s, Unit::seconds}, Quantity{e.mfu, Unit::fraction},
                               Quantity{e.total_mem, Unit::bytes}, std::string(e.bottleneck)));
  }
}

void add_layout(Report& r, const Layout& l, long long evaluated, bool given) {
  r.add_text_result("layout", "Layout", layout_text(l));
  const auto row = [&](const char* key, const char* label, double v) {
    if (given)
      r.add_input(key, label, v, Unit::count, "--layout");
    else
      r.add_found(key, label, v, Unit::count, "exhaustive search over valid layouts");
  };
  row("tp", "Tensor parallel", l.tp);
  row("pp", "Pipeline parallel", l.pp);
  row("dp", "Data parallel", l.dp);
  if (l.cp > 1) row("cp", "Context parallel", l.cp);
  if (l.ep > 1) row("ep", "Expert parallel", l.ep);
  row("vp", "Interleaved stages", l.vp);
  row("micro_batch", "Micro-batch (sequences)", l.mb);
  row("zero_stage", "ZeRO stage", l.zero);
  r.add_context("recompute", "Activation recomputation", std::string(recompute_name(l.recompute)),
                given ? "--layout" : "search");
  if (!given)
    r.add_found("layouts_evaluated", "Layouts evaluated", static_cast<double>(evaluated), Unit::count,
                "count of valid layouts costed");
}

void add_step(Report& r, const StepEstimate& e, const Layout& l, double chips, double peak) {
  const double micro_batch = l.mb, dp = l.dp;
  r.add("micro_batches", "Micro-batches per step", e.micro_batches, Unit::count,
        "ceil({global_batch_seqs} / ({micro_batch} × {dp}))");
  r.add("batch_seqs", "Sequences per step (whole micro-batches)", e.micro_batches * micro_batch * dp, Unit::count,
        "{micro_batches} × {micro_batch} × {dp}");
  for (const auto& [key, label, v] : {std::tuple{"compute_s", "Compute", e.compute_s},
                                      {"recompute_s", "Recomputation", e.recompute_s},
                                      {"tp_comm_s", "Tensor-parallel communication", e.tp_comm_s},
                                      {"pp_comm_s", "Pipeline transfers", e.pp_comm_s},
                                      {"bubble_s", "Pipeline bubble", e.bubble_s},
                                      {"dp_comm_s", "Data-parallel communication (exposed)", e.dp_comm_s},
                                      {"optimizer_s", "Optimizer step", e.optimizer_s}}) {
    r.add_found(key, label, v, Unit::seconds, kModel);
  }
  r.add_found("ep_comm_s", "Expert all-to-all", e.ep_comm_s, Unit::seconds, kModel);
  r.add("step_time_s", "Step time", e.step_s, Unit::seconds,
        "{compute_s} + {recompute_s} + {tp_comm_s} + {pp_comm_s} + {ep_comm_s} + {bubble_s} + {dp_comm_s} + "
        "{optimizer_s}");
  r.add_text_result("bottleneck", "Largest loss besides compute", std::string(e.bottleneck));
  r.add_found("model_flop_per_step", "Model FLOPs per step", e.model_flop, Unit::flop, kModel);
  r.add_found("hardware_flop_per_step", "Hardware FLOPs per step", e.hardware_flop, Unit::flop, kModel);
  r.add("tokens_per_s", "Throughput", e.tokens_per_s, Unit::tokens_per_s, "{batch_seqs} × {seq_len} / {step_time_s}");
  r.add("tokens_per_s_per_chip", "Throughput per chip", e.tokens_per_s / chips, Unit::tokens_per_s,
        "{tokens_per_s} / {chips}");
  r.add("mfu", "MFU", e.mfu, Unit::fraction, "{model_flop_per_step} / ({step_time_s} × {chips} × {peak_flop_per_s})");
  r.add("hfu", "HFU", e.hfu, Unit::fraction,
        "{hardware_flop_per_step} / ({step_time_s} × {chips} × {peak_flop_per_s})");
  r.add("achieved_flop_per_s", "Achieved per chip", e.mfu * peak, Unit::flop_per_s, "{mfu} × {peak_flop_per_s}");
  r.add_found("weight_bytes", "Weights per chip", e.weight_mem, Unit::bytes, kModel);
  r.add_found("gradient_bytes", "Gradients per chip", e.grad_mem, Unit::bytes, kModel);
  r.add_found("optimizer_bytes", "Optimizer states per chip", e.optimizer_mem, Unit::bytes, kModel);
  r.add_found("activation_bytes", "Activations per chip", e.activation_mem, Unit::bytes,
              "Korthikanti et al. 2022 §4 per layer × layers per stage × micro-batches in flight");
  r.add("memory_overhead_bytes", "Reserved (context, buffers)", e.overhead_mem, Unit::bytes,
        "{memory_overhead} × {chip_memory_bytes}");
  r.add("memory_per_chip_bytes", "Memory per chip", e.total_mem, Unit::bytes,
        "{weight_bytes} + {gradient_bytes} + {optimizer_bytes} + {activation_bytes} + {memory_overhead_bytes}");
  r.add("fits", "Fits in memory", e.fits ? 1 : 0, Unit::flag, "{memory_per_chip_bytes} <= {chip_memory_bytes}");
}

}  // namespace

static Report estimate_plan_point(const PlanInputs& in, const Catalog& cat) {
  const PlanContext c = resolve_plan(in, cat);
  Report r;
  r.kind = "plan";
  add_inputs(r, c, in, cat);
  const bool given = !in.layout.empty();
  RankedLayout chosen;
  std::vector<RankedLayout> ranked;
  long long evaluated = 1;
  if (given) {
    Layout l;
    try {
      l = parse_layout(in.layout, c.chips, in.attention);
    } catch (const InputError& e) {
      throw InputError(fmt::format("--layout: {}", e.what()));
    }
    // A given layout takes the batch as given: it must be whole micro-batches of every rank.
    PerfRun exact = c.run;
    exact.round_batch = false;
    if (const std::string why = layout_problem(c.shape, l, exact); !why.empty())
      throw InputError(fmt::format("--layout: {}", why));
    chosen = {l, evaluate_layout(c.shape, c.perf, l, exact)};
  } else {
    const size_t top = in.top ? static_cast<size_t>(*in.top) : 5;
    ranked = search_layouts(c.shape, c.perf, c.run, static_cast<int>(c.chips), in.attention == Attention::flash,
                            std::max<size_t>(top, 1), &evaluated);
    if (evaluated == 0) {
      throw InputError(fmt::format(
          "no valid layout of {} on {} chips: the global batch of {} sequences ({} tokens / {}) is no multiple of "
          "micro-batch × data-parallel degree within 10% for any split of the chips; give --global-batch as a multiple "
          "of them",
          c.model.model->id, c.chips, c.run.global_batch, c.batch_tokens, c.run.seq_len));
    }
    if (ranked.empty()) {
      throw InputError(fmt::format("no layout of {} on {} × {} fits in memory ({} layouts evaluated)",
                                   c.model.model->id, c.chips, c.hw.acc->id, evaluated));
    }
    chosen = ranked.front();
  }
  add_layout(r, chosen.layout, evaluated, given);
  add_step(r, chosen.step, chosen.layout, c.chips, c.perf.peak);
  add_run(r, c, chosen.step);
  add_alternatives(r, ranked);
  r.breakdowns.push_back(breakdown(chosen.layout, chosen.step, 1));
  for (size_t i = 1; i < ranked.size(); ++i) r.breakdowns.push_back(breakdown(ranked[i].layout, ranked[i].step, i + 1));
  r.notes.emplace_back(
      "The performance model costs every GEMM, elementwise kernel and collective of one step (docs/performance.md); "
      "against 30 published Megatron-LM runs it is within 15% on every row.");
  r.title = Text::of("Training {} on {} × {}: {}", c.model.model->name, Quantity{c.chips, Unit::count}, c.hw.acc->name,
                     given ? std::string("the given layout") : std::string("the fastest layout that fits"));
  return r;
}

Report estimate_plan(const PlanInputs& in, const Catalog& cat) {
  return with_catalog_ranges(in, cat, estimate_plan_point, {"step_time_s", "mfu", "wall_time_s", "chip_hours"});
}

}  // namespace llmcost
