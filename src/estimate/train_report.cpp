// Training economics, the rows step: resolve → compute (train.cpp) → these rows, each result with
// its formula over other rows and each input with its source.
#include <fmt/format.h>

#include <cmath>

#include "estimate/resolve.hpp"
#include "estimate/train_steps.hpp"
#include "llmcost/format.hpp"
#include "llmcost/train.hpp"

namespace llmcost {
namespace {

// Records where a number came from: "given" when the input was set, else the assumption.
void provenance(Report& r, const Catalog& cat, bool given, double value, std::string key, std::string label, Unit unit,
                std::string_view assumption) {
  if (given) {
    r.add_input(std::move(key), std::move(label), value, unit, "given");
  } else {
    r.add_input(std::move(key), std::move(label), value, unit, assumption_source(assumption),
                cite(cat.assumption(assumption)));
  }
}

void add_calibration_rows(Report& r, const Calibration& cal, const TrainContext& c) {
  r.add_context("calibration", "Calibration", fmt::format("{} ({}, {})", cal.device, cal.method, cal.date),
                "given: " + cal.origin.file);
  r.add_input("measured_flop_per_s", fmt::format("Measured {} GEMM ceiling per chip", c.calibration_dtype), c.measured,
              Unit::flop_per_s, "calibration " + cal.origin.file,
              fmt::format("llmcost calibrate on {} ({}), {}", cal.device, cal.accelerator, cal.date));
  if (c.calibration_dtype != c.dtype) {
    r.notes.emplace_back(fmt::format("the calibration has no {} measurement: its {} GEMM ceiling stands in", c.dtype,
                                     c.calibration_dtype));
  }
  if (cal.accelerator != c.acc->id) {
    r.notes.emplace_back(
        fmt::format("the calibration was measured on {} ({}), not on {}: its ceiling replaces {}'s peak "
                    "anyway",
                    cal.device, cal.accelerator, c.acc->id, c.acc->id));
  }
}

// The planned MFU: the layout behind it, its step time and the batch it was planned for.
void add_plan_rows(Report& r, const TrainContext& c, const TrainNumbers& n, const std::string& mfu_label) {
  r.add_context("layout", "Planned layout", layout_text(n.layout), "llmcost plan's search (docs/performance.md)");
  r.add_input("global_batch_tokens", "Global batch (planned)", c.perf_run.global_batch * c.perf_run.seq_len,
              Unit::tokens, c.batch_source);
  r.add_found("step_time_s", "Planned step time", n.step_s, Unit::seconds, "performance model (docs/performance.md)");
  r.add_found("mfu", mfu_label + " (planned)", n.mfu, Unit::fraction,
              render_text(Text::of("performance model: the fastest layout that fits {} chips (llmcost plan)",
                                   Quantity{n.planned_chips, Unit::count})));
  r.add("achieved_flop_per_s", "Achieved throughput per chip", n.achieved, Unit::flop_per_s,
        "{peak_flop_per_s} × {mfu}");
}

// Where the MFU came from when it was not given: planned, or why not.
void add_plan_notes(Report& r, const TrainContext& c, const TrainNumbers& n) {
  if (n.planned) {
    r.notes.push_back(
        Text::of("MFU planned by the performance model: the fastest layout of {} × {} is {} at {} a "
                 "step; goodput {} on top. Give --mfu to set the MFU yourself; 'llmcost plan' shows the "
                 "breakdown.",
                 Quantity{n.planned_chips, Unit::count}, c.acc->id, layout_text(n.layout),
                 Quantity{n.step_s, Unit::seconds}, Quantity{n.goodput, Unit::fraction}));
  } else if (n.plan_failed) {
    r.notes.push_back(Text::of("No layout of the performance model fits {} chips of {}: the catalog MFU stands in.",
                               Quantity{n.planned_chips, Unit::count}, c.acc->id));
  } else if (c.plan_blocker != "given") {
    r.notes.push_back(Text::of("The catalog MFU stands in, not a planned one: {}.", c.plan_blocker));
  }
}

void add_throughput_rows(Report& r, const Catalog& cat, const TrainInputs& in, const TrainContext& c,
                         const TrainNumbers& n) {
  const bool fp8 = c.fp8_speedup != 1;
  r.add_context("dtype", "Peak dtype", fp8 ? fmt::format("fp8 (MFU against the {} peak)", c.peak_dtype) : c.dtype,
                in.dtype.empty() ? "default: bf16, else fp16" : "given");
  r.add_input(
      "peak_flop_per_s", fmt::format("Peak {} per chip (dense{})", c.peak_dtype, fp8 ? ", the MFU reference" : ""),
      n.peak, Unit::flop_per_s,
      c.measured_acc ? c.acc_source + ": the measured ceiling, no vendor peak" : "catalog accelerator " + c.acc->id,
      cite(*c.acc));
  const std::string mfu_label = fp8 ? fmt::format("Model FLOPs utilisation (of the {} peak)", c.peak_dtype)
                                    : std::string("Model FLOPs utilisation");
  if (c.measured > 0) add_calibration_rows(r, *in.calibration, c);
  if (in.achieved_tflops) {
    r.add_input("achieved_flop_per_s", "Achieved throughput per chip", n.achieved, Unit::flop_per_s, "given");
    r.add("mfu", mfu_label, n.mfu, Unit::fraction, "{achieved_flop_per_s} / {peak_flop_per_s}");
  } else if (c.measured > 0 && !in.mfu) {
    provenance(r, cat, false, c.calibrated_efficiency, "calibrated_efficiency", "Efficiency on the measured ceiling",
               Unit::fraction, "calibrated_train_efficiency");
    r.add("achieved_flop_per_s", "Achieved throughput per chip", n.achieved, Unit::flop_per_s,
          "{measured_flop_per_s} × {calibrated_efficiency}");
    r.add("mfu",
          fp8              ? mfu_label
          : c.measured_acc ? "MFU (no vendor peak: against the measured ceiling)"
                           : "MFU against the vendor peak",
          n.mfu, Unit::fraction, "{achieved_flop_per_s} / {peak_flop_per_s}");
  } else if (n.planned) {
    add_plan_rows(r, c, n, mfu_label);
  } else {
    provenance(r, cat, in.mfu.has_value(), n.mfu, "mfu", mfu_label, Unit::fraction, "train_mfu");
    if (fp8) {
      provenance(r, cat, false, c.fp8_speedup, "fp8_speedup", "FP8 speed-up over 16-bit training", Unit::ratio,
                 "fp8_train_speedup");
    }
    r.add("achieved_flop_per_s", "Achieved throughput per chip", n.achieved, Unit::flop_per_s,
          fp8 ? "{peak_flop_per_s} × {mfu} × {fp8_speedup}" : "{peak_flop_per_s} × {mfu}");
  }
  if (c.measured > 0) {
    r.add("mfu_vs_measured", "MFU against the measured ceiling", n.mfu_vs_measured, Unit::fraction,
          "{achieved_flop_per_s} / {measured_flop_per_s}");
  }
}

void add_flop_rows(Report& r, const TrainInputs& in, const TrainContext& c, const TrainNumbers& n,
                   const std::string& model_src) {
  const bool enc_dec = c.flop_per_param_token == 3;
  const std::string rule = enc_dec ? "3ND" : "6ND";
  if (!in.train_flop) {
    r.add_input("flop_per_param_token", "Training FLOP per parameter per token", c.flop_per_param_token, Unit::none,
                enc_dec ? "3ND rule (encoder-decoder)" : "6ND rule",
                "Kaplan et al. 2020, Scaling Laws for Neural Language Models, §2.1");
  }
  const std::string n_key = n.active != n.params ? "active_params" : "params";
  const Model* m = c.model;
  if (in.train_flop) {
    r.add_context("flops_rule", "FLOP rule", "none: total given", "given (--train-flop)");
    r.add_input("train_flop", "Training compute", n.train_flop, Unit::flop, "given");
    const double by_rule = c.flop_per_param_token * n.active * n.tokens;
    r.notes.emplace_back(Text::of("--train-flop {} replaces the {} rule's {} ({})", Quantity{n.train_flop, Unit::sci},
                                  rule, Quantity{by_rule, Unit::sci},
                                  Quantity{n.train_flop / by_rule - 1, Unit::change}));
  } else if (in.flops_rule == FlopsRule::six_nd) {
    r.add_context("flops_rule", "FLOP rule", enc_dec ? "3ND (encoder-decoder: half the weights per token)" : "6ND",
                  "default (--flops-rule detailed adds attention)");
    r.add("train_flop", "Training compute", n.train_flop, Unit::flop,
          fmt::format("{{flop_per_param_token}} × {{{}}} × {{tokens}}", n_key));
    add_attention_note(r, c, n, resizes(m, in.params), rule);
  } else {
    r.add_context("flops_rule", "FLOP rule", "detailed: 6N + 6·n_layer·n_ctx·d_model per token", "given",
                  "Kaplan et al. 2020, Table 1 (forward 2N + 2·n_layer·n_ctx·d_attn; training 3× forward)");
    r.add_input("layers", "Layers", *m->layers, Unit::count, model_src);
    r.add_input("seq_len", "Training context length", c.seq_len, Unit::count, in.seq_len ? "given" : model_src);
    r.add_input("d_model", "Model width", *m->d_model, Unit::count, model_src);
    r.add("train_flop", "Training compute", n.train_flop, Unit::flop,
          fmt::format("({{flop_per_param_token}} × {{{}}} + 6 × {{layers}} × {{seq_len}} × {{d_model}}) × {{tokens}}",
                      n_key));
  }
}

void add_chip_rows(Report& r, const Catalog& cat, const TrainInputs& in, const TrainContext& c, const TrainNumbers& n) {
  if (in.chips) {
    r.add_input("chips", "Chips", n.chips, Unit::count, "given");
    if (n.chips < n.min_chips) {
      r.notes.emplace_back(
          Text::of("{} chip{} {} {} of the {} training state: at least {} are needed without "
                   "offloading",
                   Quantity{n.chips, Unit::count}, n.chips == 1 ? "" : "s", n.chips == 1 ? "holds" : "hold",
                   Quantity{n.chips * n.chip_memory, Unit::bytes}, Quantity{n.state, Unit::bytes},
                   Quantity{n.min_chips, Unit::count}));
    }
    add_instance_note(r, c, n);
  } else {
    provenance(r, cat, in.days.has_value(), n.target_time_s, "target_time_s", "Target wall-clock time", Unit::seconds,
               "default_train_days");
    const int per_instance = c.offer ? c.offer->count : 1;
    const std::string solved = "max(ceil({chip_hours} × 3600 / {target_time_s}), {min_chips_for_memory})";
    if (n.planned) {
      r.add_found("chips", "Chips", n.chips, Unit::count,
                  "solved for the target time at the catalog MFU, planned, solved again at the planned MFU and "
                  "planned once more (whole instances, enough memory)");
      r.add("wall_time_s", "Wall-clock time", n.wall_time_s, Unit::seconds, "{chip_hours} × 3600 / {chips}");
      return;
    }
    r.add("chips", "Chips", n.chips, Unit::count,
          per_instance > 1 ? fmt::format("ceil({} / {}) × {} [whole {}-chip instances]", solved, per_instance,
                                         per_instance, per_instance)
                           : solved);
  }
  r.add("wall_time_s", "Wall-clock time", n.wall_time_s, Unit::seconds, "{chip_hours} × 3600 / {chips}");
}

void add_owned_cost_rows(Report& r, const Catalog& cat, const TrainInputs& in, const TrainContext& c,
                         const TrainNumbers& n) {
  const Accelerator& acc = *c.acc;
  r.add_context("offer", "Offer", "none: owned hardware", "given (--own)");
  const bool system = acc.purchase_basis == "system";
  r.add_input("purchase_usd",
              system ? "Purchase price per chip (a system's price per accelerator)"
                     : "Purchase price per chip (the chip alone)",
              *acc.purchase_usd, Unit::usd, "catalog accelerator " + acc.id, cite(acc));
  if (system) {
    r.add("system_usd_per_chip", "System cost per accelerator", n.system_usd_per_chip, Unit::usd,
          "{purchase_usd} [already a whole system's price per accelerator]");
  } else {
    provenance(r, cat, false, c.server_cost_overhead, "server_cost_overhead", "Server cost / chip price", Unit::ratio,
               "server_cost_overhead");
    r.add("system_usd_per_chip", "System cost per accelerator", n.system_usd_per_chip, Unit::usd,
          "{purchase_usd} × {server_cost_overhead}");
  }
  provenance(r, cat, in.lifetime_years.has_value(), n.lifetime_years, "lifetime_years", "Hardware lifetime",
             Unit::years, "hardware_lifetime_years");
  provenance(r, cat, in.usd_per_kwh.has_value(), n.usd_per_kwh, "usd_per_kwh", "Electricity price", Unit::usd_per_kwh,
             "usd_per_kwh");
  r.add("capital_cost_usd", "Capital cost (buying the chips' systems upfront)", n.capital_cost_usd, Unit::usd,
        "{system_usd_per_chip} × {chips}");
  r.add("hardware_cost_usd", "Hardware (amortised)", n.hardware_cost_usd, Unit::usd,
        "{system_usd_per_chip} × {chip_hours} / ({lifetime_years} × 8760 [hours a year])");
  r.add("energy_cost_usd", "Electricity", n.energy_cost_usd, Unit::usd, "{energy_kwh} × {usd_per_kwh}");
  r.add("cost_usd", "Cost", n.cost_usd, Unit::usd, "{hardware_cost_usd} + {energy_cost_usd}");
}

void add_cost_rows(Report& r, const Catalog& cat, const TrainInputs& in, const TrainContext& c, const TrainNumbers& n) {
  if (c.offer) {
    add_offer_price(r, Hardware{c.acc, c.offer, c.offer_source, c.acc_source, c.measured_acc});
    r.add("cost_usd", "Cost", n.cost_usd, Unit::usd, "{chip_hours} × {usd_per_chip_hour}");
  } else if (in.own) {
    add_owned_cost_rows(r, cat, in, c, n);
  } else {
    r.add_context("offer", "Offer", "none", "no --offer: cost not computed");
    if (c.measured_acc) {
      r.notes.emplace_back(
          Text::of("no price: {} is a calibrated device, not a catalog accelerator; give --offer ID "
                   "or --hardware ID to cost a catalog one",
                   c.acc->name));
      return;
    }
    Text cheapest;
    int listed = 0;
    for (const Offer* o : cat.offers_for(c.acc->id)) {
      if (listed++ == 5) break;  // the five cheapest
      cheapest +=
          Text::of(listed > 1 ? ", {} {}/chip-h" : "{} {}/chip-h", o->id, Quantity{o->usd_per_chip_hour(), Unit::usd});
    }
    r.notes.emplace_back(cheapest.empty() ? Text("no price: give --offer ID or --own")
                                          : Text("no price: give --offer ID (") + cheapest + Text(") or --own"));
  }
}

void add_energy_rows(Report& r, const Catalog& cat, const TrainInputs& in, const TrainContext& c,
                     const TrainNumbers& n) {
  if (!n.has_energy) return;
  if (in.watts_per_chip) {
    r.add_input("watts_per_chip", "Average power per chip", n.watts, Unit::watts, "given (measured, server included)");
  } else {
    r.add_input("tdp_w", "Accelerator TDP", n.tdp, Unit::watts, "TDP of " + c.acc->id, cite(*c.acc));
    if (in.host_power_ratio) {
      r.add_input("host_power_ratio", "Server power / accelerator TDP", n.host_power_ratio, Unit::ratio, "given");
    } else {
      r.add_input("host_power_ratio", "Server power / accelerator TDP", n.host_power_ratio, Unit::ratio,
                  c.host_power_source, c.acc->system_power_w ? cite(*c.acc) : cite(cat.assumption("host_power_ratio")));
    }
    r.add("watts_per_chip", "Average power per chip (server included)", n.watts, Unit::watts,
          "{tdp_w} × {host_power_ratio}");
  }
  provenance(r, cat, in.pue.has_value(), n.pue, "pue", "Datacenter PUE", Unit::ratio, "pue");
  provenance(r, cat, in.grid_kg_per_kwh.has_value(), n.grid, "grid_kg_per_kwh", "Grid carbon intensity",
             Unit::kg_per_kwh, "grid_kg_per_kwh");
}

}  // namespace

Report estimate_training(const TrainInputs& in, const Catalog& cat) {
  const TrainContext c = resolve_training(in, cat);
  const TrainNumbers n = compute_training(in, c);
  Report r;
  r.kind = "train";
  const ModelParams mp = resolve_model(cat, in.model, in.model_config, in.params, "train");
  add_model_rows(r, mp);
  r.add_input("tokens", "Training tokens", n.tokens, Unit::tokens, in.tokens ? "given" : mp.source);
  add_accelerator(r, Hardware{c.acc, c.offer, c.offer_source, c.acc_source, c.measured_acc});
  add_throughput_rows(r, cat, in, c, n);
  add_plan_notes(r, c, n);
  add_flop_rows(r, in, c, n, mp.source);
  if (n.goodput != 1 || in.goodput) {
    provenance(r, cat, in.goodput.has_value(), n.goodput, "goodput", "Goodput (useful share of wall time)",
               Unit::fraction, "train_goodput");
    r.add("chip_hours", "Accelerator time", n.chip_hours, Unit::hours,
          "{train_flop} / {achieved_flop_per_s} / 3600 / {goodput}");
  } else {
    r.add("chip_hours", "Accelerator time", n.chip_hours, Unit::hours, "{train_flop} / {achieved_flop_per_s} / 3600");
  }
  provenance(r, cat, in.bytes_per_param.has_value(), n.bytes_per_param, "bytes_per_param",
             "Training state per parameter", Unit::bytes, "train_bytes_per_param");
  if (n.has_memory) {
    r.add_input("chip_memory_bytes", "Memory per chip", n.chip_memory, Unit::bytes, "catalog accelerator " + c.acc->id,
                cite(*c.acc));
  }
  add_chip_rows(r, cat, in, c, n);
  add_energy_rows(r, cat, in, c, n);
  add_cost_rows(r, cat, in, c, n);
  if (n.has_energy) {
    r.add("energy_kwh", "Energy (incl. PUE)", n.energy_kwh, Unit::kwh,
          "{chip_hours} × {watts_per_chip} × {pue} / 1000");
    r.add("co2e_kg", "Emissions", n.co2e_kg, Unit::kg_co2e, "{energy_kwh} × {grid_kg_per_kwh}");
  }
  r.add("train_state_bytes", "Training state (weights, grads, optimizer)", n.state, Unit::bytes,
        "{params} × {bytes_per_param}");
  if (n.has_memory) {
    r.add("min_chips_for_memory", "Chips to hold training state", n.min_chips, Unit::count,
          "ceil({train_state_bytes} / {chip_memory_bytes})");
  }
  add_measured_device_notes(r, in, c, n);
  add_uncertainty_rows(r, cat, in, c, n);
  r.title = Text::of("Training {} on {} × {}{}", model_title(c.model, n.params, resizes(c.model, in.params)),
                     Quantity{n.chips, Unit::count}, c.acc->name, c.offer ? " (" + c.offer->id + ")" : "");
  return r;
}

}  // namespace llmcost
