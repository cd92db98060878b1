// Training economics, the resolve and compute steps: the catalog resolved once into a context,
// then arithmetic only (sweeps call compute_training per point). train_report.cpp writes the rows.
#include "llmcost/train.hpp"

#include <fmt/format.h>

#include <cmath>

#include "estimate/resolve.hpp"
#include "llmcost/error.hpp"
#include "llmcost/format.hpp"
#include "llmcost/text.hpp"

namespace llmcost {
namespace {

constexpr double kHoursPerYear = 8760;  // 365 × 24, as Cottier et al. 2024 amortise

// The dtype whose dense peak is used: as given, else bf16, else fp16, else fp32. Integer formats
// quantise weights for serving; no llmcost estimate trains in them.
std::string resolve_dtype(const TrainInputs& in, const Accelerator& acc) {
  if (in.dtype == "int8" || in.dtype == "int4") {
    throw InputError(
        fmt::format("--dtype {}: {} training is not supported (integer formats quantise models for "
                    "inference); train in bf16, fp16 or fp8",
                    in.dtype, in.dtype));
  }
  if (in.dtype.empty()) return acc.default_dtype();
  if (!acc.peak_flops(in.dtype)) {
    std::vector<std::string> have;
    for (const auto& [d, v] : acc.peak_tflops) have.push_back(d);
    throw InputError(fmt::format("--dtype {}: accelerator {} has no {} peak in the catalog (has {})", in.dtype, acc.id,
                                 in.dtype, join(have)));
  }
  return in.dtype;
}

void resolve_hardware(TrainContext& c, const TrainInputs& in, const Catalog& cat) {
  const Hardware hw = resolve_hardware(cat, in.offer, in.hardware, in.own, "default_train_offer",
                                       in.calibration ? &*in.calibration : nullptr, true);
  c.acc = hw.acc, c.acc_source = hw.acc_source, c.offer = hw.offer, c.offer_source = hw.offer_source;
  c.measured_acc = hw.measured;
  if (in.own && !c.acc->purchase_usd) {
    throw InputError(
        fmt::format("--own: accelerator {} has no purchase_usd in the catalog; add one with --data", c.acc->id));
  }
  if (!in.own) {
    reject_inapplicable(
        {{in.lifetime_years.has_value(), "--lifetime-years"}, {in.usd_per_kwh.has_value(), "--usd-per-kwh"}}, "--own");
  }
  c.dtype = resolve_dtype(in, *c.acc);
  // MFU is quoted against the 16-bit peak (PaLM's 46.2% is bf16): an fp8 run reaches that MFU
  // times a measured end-to-end fp8 speed-up, never the fp8 peak's 2× (assumption fp8_train_speedup).
  c.peak_dtype = c.dtype == "fp8" ? c.acc->default_dtype() : c.dtype;
  if (c.dtype == "fp8" && c.peak_dtype != "fp8") c.fp8_speedup = cat.assumption_number("fp8_train_speedup");
  c.peak = *c.acc->peak_flops(c.peak_dtype);
}

// 6ND: forward 2N + backward 4N FLOPs per token (Kaplan et al. 2020 §2.1); an encoder-decoder runs
// each token through about half the weights: 3ND (docs/reference-case.md §1). The detailed rule
// adds attention: Kaplan et al. 2020, Table 1, forward 2·n_layer·n_ctx·d_attn per token, training 3×.
// The training context is --seq-len, else the model's seq_len; a config's max_position_embeddings
// (max_seq_len) is the longest context served, often after a long-context extension, and never
// stands in for it.
void resolve_flops_rule(TrainContext& c, const TrainInputs& in) {
  c.flop_per_param_token = c.model && c.model->architecture == "encoder-decoder" ? 3 : 6;
  if (in.train_flop) reject_inapplicable({{in.seq_len.has_value(), "--seq-len"}}, "a FLOP rule (not --train-flop)");
  const Model* m = c.model;
  c.seq_len = in.seq_len ? *in.seq_len : (m && m->seq_len ? double(*m->seq_len) : 0);
  if (in.flops_rule != FlopsRule::detailed) return;
  if (!m || !m->layers || !m->d_model) {
    throw InputError("--flops-rule detailed needs the model's layers and d_model in the catalog");
  }
  if (c.seq_len == 0) {
    throw InputError(fmt::format("--flops-rule detailed needs the context {} was trained at: give --seq-len{}", m->id,
                                 m->max_seq_len ? fmt::format(" (its max_seq_len {} is the longest context it "
                                                              "serves, not the one it was trained at)",
                                                              *m->max_seq_len)
                                                : ""));
  }
  if (resizes(m, in.params)) {
    throw InputError(
        fmt::format("--flops-rule detailed takes the architecture of {}: it does not hold with --params", m->id));
  }
  if (in.train_flop) throw InputError("give either --train-flop or --flops-rule detailed, not both");
  c.attn_flop_per_token = 6.0 * *m->layers * c.seq_len * *m->d_model;
}

// The measured ceiling at the estimate's dtype; without --dtype, the calibration's best measured
// dtype stands in when that one was not measured (a CPU calibration has fp32 only).
void resolve_calibration(TrainContext& c, const TrainInputs& in, const Catalog& cat) {
  if (!in.calibration) return;
  const Calibration& cal = *in.calibration;
  c.calibration_dtype = c.dtype;
  std::optional<double> measured = cal.gemm_flops(c.dtype);
  if (!measured && in.dtype.empty()) {
    for (const auto& [d, tflops] : cal.gemm_tflops) {
      if (!measured || tflops * 1e12 > *measured) measured = tflops * 1e12, c.calibration_dtype = d;
    }
  }
  if (!measured) {
    std::vector<std::string> have;
    for (const auto& [d, v] : cal.gemm_tflops) have.push_back(d);
    throw InputError(fmt::format("--calibration {}: no {} GEMM measurement (measured: {})", cal.origin.file, c.dtype,
                                 have.empty() ? "none" : join(have)));
  }
  c.measured = *measured;
  check_calibration_ceiling(cal, *c.acc, c.calibration_dtype, c.measured, c.peak);
  c.calibrated_efficiency = cat.assumption_number("calibrated_train_efficiency");
}

// MFU = achieved model FLOP/s / peak FLOP/s (Chowdhery et al. 2022, PaLM, App. B).
void compute_throughput(TrainNumbers& n, const TrainInputs& in, const TrainContext& c) {
  n.peak = c.peak;
  if (in.achieved_tflops && in.mfu) throw InputError("give either --mfu or --achieved-tflops, not both");
  if (in.achieved_tflops) {
    n.achieved = *in.achieved_tflops * 1e12;
    const double top = *c.acc->peak_flops(c.dtype);
    if (n.achieved > top) {
      throw InputError(render_text(Text::of("--achieved-tflops {}: exceeds the {} peak of {} ({})",
                                            Quantity{*in.achieved_tflops, Unit::exact}, c.dtype, c.acc->id,
                                            Quantity{top, Unit::flop_per_s})));
    }
    n.mfu = n.achieved / c.peak;
  } else if (c.measured > 0 && !in.mfu) {
    // Calibrated: the measured GEMM throughput is the ceiling; the end-to-end efficiency on top.
    n.achieved = c.measured * c.calibrated_efficiency;
    n.mfu = n.achieved / c.peak;
  } else {
    n.mfu = in.mfu.value_or(c.mfu);
    n.achieved = c.peak * n.mfu * c.fp8_speedup;
  }
  if (c.measured > 0) {
    if (n.achieved > c.measured) {
      throw InputError(render_text(Text::of("{} per chip exceeds the calibrated {} GEMM ceiling ({})",
                                            Quantity{n.achieved, Unit::flop_per_s}, c.calibration_dtype,
                                            Quantity{c.measured, Unit::flop_per_s})));
    }
    n.mfu_vs_measured = n.achieved / c.measured;
  }
}

// Chips and time: chip-hours are fixed by the FLOP rule; chips trade against days. Solved chips
// come in whole instances and hold at least the training state.
double solve_chips(const TrainNumbers& n, const TrainContext& c) {
  const double per_instance = c.offer ? c.offer->count : 1;
  const double solved = std::max(std::ceil(n.chip_hours * 3600 / n.target_time_s - 1e-9), n.min_chips);
  return std::ceil(solved / per_instance) * per_instance;
}

void compute_chips(TrainNumbers& n, const TrainInputs& in, const TrainContext& c) {
  if (in.chips)
    n.chips = *in.chips;
  else if (n.planned)
    n.chips = n.planned_chips;
  else
    n.chips = solve_chips(n, c);
  n.wall_time_s = n.chip_hours * 3600 / n.chips;
}

// The fastest layout that fits `chips`, from the context's cache, or nullptr when none does.
const RankedLayout* planned_layout(const TrainContext& c, double chips) {
  for (const TrainContext::PlanEntry& e : c.plan_cache) {
    if (e.chips == chips && e.seq_len == c.perf_run.seq_len && e.batch == c.perf_run.global_batch)
      return e.found ? &e.best : nullptr;
  }
  TrainContext::PlanEntry entry{chips, c.perf_run.seq_len, c.perf_run.global_batch, false, {}};
  const bool reachable = chips <= c.perf.domain || c.perf.scaleout_bw > 0;
  if (reachable && chips <= 1e6) {
    const auto best = search_layouts(c.shape, c.perf, c.perf_run, static_cast<int>(chips), true, 1);
    if (!best.empty()) entry.found = true, entry.best = best.front();
  }
  c.plan_cache.push_back(entry);
  return c.plan_cache.back().found ? &c.plan_cache.back().best : nullptr;
}

// The planned MFU: the performance model's fastest layout on the given chips, or on the chips the
// target time needs (solved at the catalog MFU, planned, solved again at the planned MFU and
// planned once more). When no layout fits, the catalog MFU stands and a note says why.
void plan_throughput(TrainNumbers& n, const TrainInputs& in, const TrainContext& c) {
  const TrainNumbers before = n;
  // Solved clusters come in whole nodes (the offer's instance, at least 8 chips of a scale-up domain).
  const double node = std::max<double>(c.offer ? c.offer->count : 1, std::min(c.perf.domain, 8));
  const auto solve = [&] { return std::ceil(solve_chips(n, c) / node) * node; };
  double chips = in.chips ? *in.chips : solve();
  for (int round = 0; round < (in.chips ? 1 : 2); ++round) {
    const RankedLayout* best = planned_layout(c, chips);
    if (!best) {
      n = before;
      n.plan_failed = true;
      n.planned_chips = chips;
      return;
    }
    n.planned = true;
    n.planned_chips = chips;
    n.layout = best->layout;
    n.step_s = best->step.step_s;
    n.mfu = best->step.mfu;
    n.achieved = c.peak * n.mfu;
    n.chip_hours = n.train_flop / n.achieved / 3600 / n.goodput;
    if (round == 0 && !in.chips) chips = solve();
  }
}

// Power per chip: a given --watts-per-chip is a measured system draw; else the TDP times the
// server's share (assumption host_power_ratio, or the catalog's whole-system figure: DGX H100
// 10.2 kW / 8 GPUs = 1,275 W per 700 W GPU). Unknown for a calibrated device without a TDP.
void compute_power(TrainNumbers& n, const TrainInputs& in, const TrainContext& c) {
  if (in.watts_per_chip && in.host_power_ratio) {
    throw InputError("give either --watts-per-chip (a measured system draw) or --host-power-ratio, not both");
  }
  n.tdp = c.acc->tdp_w;
  if (in.host_power_ratio && n.tdp <= 0) {
    throw InputError(fmt::format("--host-power-ratio: {} has no TDP to scale; give --watts-per-chip", c.acc->id));
  }
  n.host_power_ratio = in.host_power_ratio.value_or(c.host_power_ratio);
  n.has_energy = in.watts_per_chip || n.tdp > 0;
  n.watts = in.watts_per_chip ? *in.watts_per_chip : n.tdp * n.host_power_ratio;
}

// Energy and carbon: chip-hours × average power × PUE (Patterson et al. 2021, §2). Cost: rented
// (chip-hours × price per chip-hour) or owned (straight-line amortisation: each chip-hour uses
// 1 / (lifetime in hours) of a chip, plus electricity).
void compute_energy_and_cost(TrainNumbers& n, const TrainInputs& in, const TrainContext& c) {
  compute_power(n, in, c);
  n.pue = in.pue.value_or(c.pue);
  n.grid = in.grid_kg_per_kwh.value_or(c.grid);
  n.energy_kwh = n.has_energy ? n.chip_hours * n.watts * n.pue / 1000 : 0;
  n.co2e_kg = n.energy_kwh * n.grid;
  if (c.offer) {
    n.price = c.offer->usd_per_chip_hour();
    n.cost_usd = n.chip_hours * n.price;
    n.has_cost = true;
  } else if (in.own) {
    n.lifetime_years = in.lifetime_years.value_or(c.lifetime_years);
    n.usd_per_kwh = in.usd_per_kwh.value_or(c.usd_per_kwh);
    // One basis, the server's cost per accelerator: a chip's price × the server overhead, or a
    // whole system's price per accelerator as it stands (DGX H100 / 8).
    n.system_usd_per_chip = *c.acc->purchase_usd * (c.acc->purchase_basis == "system" ? 1 : c.server_cost_overhead);
    n.capital_cost_usd = n.system_usd_per_chip * n.chips;
    n.hardware_cost_usd = n.system_usd_per_chip * n.chip_hours / (n.lifetime_years * kHoursPerYear);
    n.energy_cost_usd = n.energy_kwh * n.usd_per_kwh;
    n.cost_usd = n.hardware_cost_usd + n.energy_cost_usd;
    n.has_cost = true;
  }
}

// Whether train takes its MFU from the performance model: no MFU given, no calibration ceiling,
// and a model whose shape, training context and accelerator links are known.
std::string plan_blocker(const TrainContext& c, const TrainInputs& in) {
  if (in.mfu || in.achieved_tflops) return "given";
  if (in.calibration) return "a calibration sets the ceiling";
  if (!c.model) return "a bare --params has no shape";
  if (resizes(c.model, in.params)) return "--params resizes the model, whose shape then is unknown";
  if (c.seq_len <= 0) return fmt::format("model {} has no seq_len (give --seq-len)", c.model->id);
  return {};
}

void resolve_plan(TrainContext& c, const TrainInputs& in, const Catalog& cat) {
  c.goodput = cat.assumption_number("train_goodput");
  c.plan_blocker = plan_blocker(c, in);
  if (c.plan_blocker.empty()) {
    try {
      c.shape = perf_shape(*c.model);
      c.perf = perf_hardware(*c.acc, c.dtype, 1, cat, nullptr);
    } catch (const InputError& e) {
      c.plan_blocker = e.what();
    }
  }
  c.plannable = c.plan_blocker.empty();
  if (!c.plannable) {
    reject_inapplicable({{in.global_batch.has_value(), "--global-batch"}},
                        "a planned MFU (no --mfu, --achieved-tflops or --calibration)");
    return;
  }
  const PlannedRun planned = planned_run(*c.model, c.seq_len, in.global_batch, c.dtype, cat);
  c.perf_run = planned.run;
  c.batch_source = planned.batch_source;
}

}  // namespace

TrainContext resolve_training(const TrainInputs& in, const Catalog& cat) {
  TrainContext c;
  c.model = resolve_model(cat, in.model, in.model_config, in.params, "train").model;
  if (!in.tokens && !(c.model && c.model->train_tokens)) {
    throw InputError(fmt::format("train: {} has no train_tokens in the catalog; give --tokens",
                                 c.model ? "model '" + c.model->id + "'" : "a custom model"));
  }
  resolve_hardware(c, in, cat);
  resolve_flops_rule(c, in);
  resolve_calibration(c, in, cat);
  c.mfu = cat.assumption_number("train_mfu");
  c.bytes_per_param = cat.assumption_number("train_bytes_per_param");
  c.days = cat.assumption_number("default_train_days");
  c.pue = cat.assumption_number("pue");
  c.grid = cat.assumption_number("grid_kg_per_kwh");
  c.lifetime_years = cat.assumption_number("hardware_lifetime_years");
  c.usd_per_kwh = cat.assumption_number("usd_per_kwh");
  c.server_cost_overhead = cat.assumption_number("server_cost_overhead");
  resolve_plan(c, in, cat);
  if (c.acc->system_power_w && c.acc->tdp_w > 0) {
    c.host_power_ratio = *c.acc->system_power_w / c.acc->tdp_w;
    c.host_power_source =
        render_text(Text::of("catalog accelerator {}: system_power_w {} / tdp_w {}", c.acc->id,
                             Quantity{*c.acc->system_power_w, Unit::watts}, Quantity{c.acc->tdp_w, Unit::watts}));
  } else {
    c.host_power_ratio = cat.assumption_number("host_power_ratio");
    c.host_power_source = assumption_source("host_power_ratio");
  }
  return c;
}

TrainNumbers compute_training(const TrainInputs& in, const TrainContext& c) {
  TrainNumbers n;
  const Model* m = c.model;
  n.params = in.params ? *in.params : m->params;
  n.active = in.params ? *in.params : m->active();
  n.tokens = in.tokens ? *in.tokens : *m->train_tokens;
  if (in.chips && in.days) throw InputError("give either --chips or --days, not both");
  compute_throughput(n, in, c);
  n.train_flop =
      in.train_flop ? *in.train_flop : (c.flop_per_param_token * n.active + c.attn_flop_per_token) * n.tokens;
  // Goodput: the share of wall time spent in useful steps (failures, restarts, checkpoints and
  // evaluation take the rest); a given MFU is taken as end to end unless --goodput says otherwise.
  n.goodput = in.goodput.value_or(c.plannable ? c.goodput : 1.0);
  n.chip_hours = n.train_flop / n.achieved / 3600 / n.goodput;
  // Memory: mixed-precision Adam holds ~20 bytes per parameter (docs/reference-case.md §5), all
  // parameters of an MoE model, not just the active ones.
  n.bytes_per_param = in.bytes_per_param.value_or(c.bytes_per_param);
  n.chip_memory = c.acc->memory_gb * 1e9;
  n.has_memory = n.chip_memory > 0;  // unknown for a calibrated device that is no catalog accelerator
  n.state = n.params * n.bytes_per_param;
  n.min_chips = n.has_memory ? std::ceil(n.state / n.chip_memory) : 0;
  n.target_time_s = in.days.value_or(c.days) * 86400;
  if (c.plannable) plan_throughput(n, in, c);
  compute_chips(n, in, c);
  compute_energy_and_cost(n, in, c);
  return n;
}

}  // namespace llmcost
