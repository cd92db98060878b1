#include "llmcost/train.hpp"

#include <fmt/format.h>

#include <cmath>

#include "estimate/estimate_util.hpp"
#include "llmcost/error.hpp"
#include "llmcost/format.hpp"
#include "llmcost/units.hpp"

namespace llmcost {
namespace {

constexpr double kHoursPerYear = 8760;  // 365 × 24, as Cottier et al. 2024 amortise

// The dtype whose dense peak is used: as given, else bf16, else fp16, else fp32.
std::string resolve_dtype(const TrainInputs& in, const Accelerator& acc) {
  if (!in.dtype.empty()) {
    if (!acc.peak_flops(in.dtype)) {
      std::string have;
      for (const auto& [d, v] : acc.peak_tflops) have += (have.empty() ? "" : ", ") + d;
      throw InputError(fmt::format("--dtype {}: accelerator {} has no {} peak in the catalog (has {})", in.dtype,
                                   acc.id, in.dtype, have));
    }
    return in.dtype;
  }
  return acc.default_dtype();
}

const Model* find_model(const TrainInputs& in, const Catalog& cat) {
  if (in.model_config && !in.model.empty()) throw InputError("give either --model or --model-config, not both");
  if (in.model_config) return &*in.model_config;
  if (!in.model.empty()) return &cat.model(in.model);
  if (!in.params) throw InputError("train: name a --model, a --model-config or give --params");
  return nullptr;
}

}  // namespace

TrainContext resolve_training(const TrainInputs& in, const Catalog& cat) {
  TrainContext c;
  c.model = find_model(in, cat);
  if (!in.tokens && !(c.model && c.model->train_tokens)) {
    throw InputError(fmt::format("train: {} has no train_tokens in the catalog; give --tokens",
                                 c.model ? "model '" + c.model->id + "'" : "a custom model"));
  }
  Report scratch;  // resolve_hardware records context; the report path records it again
  const Hardware hw = resolve_hardware(scratch, cat, in.offer, in.hardware, in.own, "default_train_offer",
                                      in.calibration ? &*in.calibration : nullptr);
  c.acc = hw.acc;
  c.acc_source = hw.acc_source;
  c.offer = hw.offer;
  c.offer_source = hw.offer_source;
  if (in.own && !c.acc->purchase_usd) {
    throw InputError(fmt::format("--own: accelerator {} has no purchase_usd in the catalog; add one with --data",
                                 c.acc->id));
  }
  if (!in.own) {
    reject_inapplicable(
        {{in.lifetime_years.has_value(), "--lifetime-years"}, {in.usd_per_kwh.has_value(), "--usd-per-kwh"}}, "--own");
  }
  c.dtype = resolve_dtype(in, *c.acc);
  c.peak = *c.acc->peak_flops(c.dtype);
  // 6ND: forward 2N + backward 4N FLOPs per token (Kaplan et al. 2020 §2.1); an encoder-decoder
  // runs each token through about half the weights: 3ND (reference §1).
  c.flop_per_param_token = c.model && c.model->architecture == "encoder-decoder" ? 3 : 6;
  if (in.flops_rule == FlopsRule::detailed) {
    const Model* m = c.model;
    if (!m || !m->layers || !m->seq_len || !m->d_model) {
      throw InputError("--flops-rule detailed needs the model's layers, d_model and seq_len in the catalog");
    }
    if (resizes(m, in.params)) {
      throw InputError(fmt::format("--flops-rule detailed takes the architecture of {}: it does not hold with "
                                   "--params",
                                   m->id));
    }
    if (in.train_flop) throw InputError("give either --train-flop or --flops-rule detailed, not both");
    // Kaplan et al. 2020, Table 1: forward 2N + 2·n_layer·n_ctx·d_attn per token; training 3×.
    c.attn_flop_per_token = 6.0 * *m->layers * *m->seq_len * *m->d_model;
  }
  if (in.calibration) {
    // The ceiling at the estimate's dtype; without --dtype, the calibration's best measured dtype
    // stands in when that one was not measured (a CPU calibration has fp32 only).
    c.calibration_dtype = c.dtype;
    std::optional<double> measured = in.calibration->gemm_flops(c.dtype);
    if (!measured && in.dtype.empty()) {
      for (const auto& [d, tflops] : in.calibration->gemm_tflops) {
        if (!measured || tflops * 1e12 > *measured) measured = tflops * 1e12, c.calibration_dtype = d;
      }
    }
    if (!measured) {
      std::string have;
      for (const auto& [d, v] : in.calibration->gemm_tflops) have += (have.empty() ? "" : ", ") + d;
      throw InputError(fmt::format("--calibration {}: no {} GEMM measurement (measured: {})",
                                   in.calibration->origin.file, c.dtype, have.empty() ? "none" : have));
    }
    c.measured = *measured;
    c.calibrated_efficiency = cat.assumption_number("calibrated_train_efficiency");
  }
  c.mfu = cat.assumption_number("train_mfu");
  c.bytes_per_param = cat.assumption_number("train_bytes_per_param");
  c.days = cat.assumption_number("default_train_days");
  c.pue = cat.assumption_number("pue");
  c.grid = cat.assumption_number("grid_kg_per_kwh");
  c.lifetime_years = cat.assumption_number("hardware_lifetime_years");
  c.usd_per_kwh = cat.assumption_number("usd_per_kwh");
  return c;
}

TrainNumbers compute_training(const TrainInputs& in, const TrainContext& c) {
  TrainNumbers n;
  const Model* m = c.model;
  n.params = in.params ? *in.params : m->params;
  n.active = in.params ? *in.params : m->active();
  n.tokens = in.tokens ? *in.tokens : *m->train_tokens;
  n.peak = c.peak;
  // MFU = achieved model FLOP/s / peak FLOP/s (Chowdhery et al. 2022, PaLM, App. B).
  if (in.achieved_tflops && in.mfu) throw InputError("give either --mfu or --achieved-tflops, not both");
  if (in.achieved_tflops) {
    n.achieved = *in.achieved_tflops * 1e12;
    if (n.achieved > c.peak) {
      throw InputError(fmt::format("--achieved-tflops {}: exceeds the {} peak of {} ({})",
                                   format_plain(*in.achieved_tflops, 6), c.dtype, c.acc->id,
                                   format_si(c.peak, "FLOP/s")));
    }
    n.mfu = n.achieved / c.peak;
  } else if (c.measured > 0 && !in.mfu) {
    // Calibrated: the measured GEMM throughput is the ceiling; the end-to-end efficiency on top.
    n.achieved = c.measured * c.calibrated_efficiency;
    n.mfu = n.achieved / c.peak;
  } else {
    n.mfu = in.mfu.value_or(c.mfu);
    n.achieved = c.peak * n.mfu;
  }
  if (c.measured > 0) {
    if (n.achieved > c.measured) {
      throw InputError(fmt::format("{} per chip exceeds the calibrated {} GEMM ceiling ({})",
                                   format_si(n.achieved, "FLOP/s"), c.calibration_dtype,
                                   format_si(c.measured, "FLOP/s")));
    }
    n.mfu_vs_measured = n.achieved / c.measured;
  }
  n.train_flop = in.train_flop ? *in.train_flop : (c.flop_per_param_token * n.active + c.attn_flop_per_token) * n.tokens;
  n.chip_hours = n.train_flop / n.achieved / 3600;

  // Memory: mixed-precision Adam holds ~20 bytes per parameter (reference §5), all parameters of
  // an MoE model, not just the active ones.
  n.bytes_per_param = in.bytes_per_param.value_or(c.bytes_per_param);
  n.chip_memory = c.acc->memory_gb * 1e9;
  n.state = n.params * n.bytes_per_param;
  n.min_chips = std::ceil(n.state / n.chip_memory);

  // Chips and time: chip-hours are fixed by the FLOP rule; chips trade against days. Solved chips
  // come in whole instances and hold at least the training state.
  if (in.chips && in.days) throw InputError("give either --chips or --days, not both");
  if (in.chips) {
    n.chips = *in.chips;
  } else {
    const double per_instance = c.offer ? c.offer->count : 1;
    const double days = in.days.value_or(c.days);
    const double solved = std::max(std::ceil(n.chip_hours / (days * 24) - 1e-9), n.min_chips);
    n.chips = std::ceil(solved / per_instance) * per_instance;
  }
  n.wall_time_s = n.chip_hours * 3600 / n.chips;

  // Energy and carbon: chip-hours × average power × PUE (Patterson et al. 2021, §2).
  n.watts = in.watts_per_chip.value_or(c.acc->tdp_w);
  n.pue = in.pue.value_or(c.pue);
  n.grid = in.grid_kg_per_kwh.value_or(c.grid);
  n.energy_kwh = n.chip_hours * n.watts * n.pue / 1000;
  n.co2e_kg = n.energy_kwh * n.grid;

  // Cost: rented (chip-hours × price per chip-hour) or owned (straight-line amortisation, each
  // chip-hour uses 1 / (lifetime in hours) of a chip, plus electricity).
  if (c.offer) {
    n.price = c.offer->usd_per_chip_hour();
    n.cost_usd = n.chip_hours * n.price;
    n.has_cost = true;
  } else if (in.own) {
    n.hardware_cost_usd = *c.acc->purchase_usd * n.chip_hours / (in.lifetime_years.value_or(c.lifetime_years) * kHoursPerYear);
    n.energy_cost_usd = n.energy_kwh * in.usd_per_kwh.value_or(c.usd_per_kwh);
    n.cost_usd = n.hardware_cost_usd + n.energy_cost_usd;
    n.has_cost = true;
  }
  return n;
}

namespace {

// Records where a number came from: "given" when the input was set, else the assumption.
double provenance(Report& r, const Catalog& cat, bool given, double value, std::string key, std::string label, Unit unit,
                  std::string_view assumption) {
  if (given) return r.add_input(std::move(key), std::move(label), value, unit, "given");
  return r.add_input(std::move(key), std::move(label), value, unit, assumption_source(assumption),
                     cite(cat.assumption(assumption)));
}

void add_flop_rows(Report& r, const TrainInputs& in, const TrainContext& c, const TrainNumbers& n,
                   const std::string& model_src) {
  const bool enc_dec = c.flop_per_param_token == 3;
  r.add_input("flop_per_param_token", "Training FLOP per parameter per token", c.flop_per_param_token, Unit::none,
              enc_dec ? "3ND rule (encoder-decoder)" : "6ND rule",
              "Kaplan et al. 2020, Scaling Laws for Neural Language Models, §2.1");
  const std::string n_key = n.active != n.params ? "active_params" : "params";
  const Model* m = c.model;
  if (in.train_flop) {
    r.add_context("flops_rule", "FLOP rule", "none: total given", "given (--train-flop)");
    r.add_input("train_flop", "Training compute", n.train_flop, Unit::flop, "given");
    const double rule = c.flop_per_param_token * n.active * n.tokens;
    r.notes.push_back(fmt::format("--train-flop {} replaces the {}ND rule's {} ({:+.1f}%)", format_sci(n.train_flop),
                                  c.flop_per_param_token, format_sci(rule), 100 * (n.train_flop / rule - 1)));
    return;
  }
  if (in.flops_rule == FlopsRule::six_nd) {
    r.add_context("flops_rule", "FLOP rule", "6ND", "default (--flops-rule detailed adds attention)");
    r.add("train_flop", "Training compute", n.train_flop, Unit::flop,
          fmt::format("{{flop_per_param_token}} × {{{}}} × {{tokens}}", n_key));
    if (m && m->layers && m->seq_len && m->d_model && !resizes(m, in.params)) {
      const double attn = 6.0 * *m->layers * *m->seq_len * *m->d_model;
      r.notes.push_back(fmt::format("6ND leaves out attention FLOPs (6·n_layer·n_ctx·d_model per token), {} more "
                                    "here; --flops-rule detailed includes them",
                                    format_percent(attn / (c.flop_per_param_token * n.active))));
    }
    return;
  }
  r.add_context("flops_rule", "FLOP rule", "detailed: 6N + 6·n_layer·n_ctx·d_model per token", "given",
                "Kaplan et al. 2020, Table 1 (forward 2N + 2·n_layer·n_ctx·d_attn; training 3× forward)");
  r.add_input("layers", "Layers", *m->layers, Unit::count, model_src);
  r.add_input("seq_len", "Context length", *m->seq_len, Unit::count, model_src);
  r.add_input("d_model", "Model width", *m->d_model, Unit::count, model_src);
  r.add("train_flop", "Training compute", n.train_flop, Unit::flop,
        fmt::format("({{flop_per_param_token}} × {{{}}} + 6 × {{layers}} × {{seq_len}} × {{d_model}}) × {{tokens}}", n_key));
}

void add_chip_rows(Report& r, const Catalog& cat, const TrainInputs& in, const TrainContext& c, const TrainNumbers& n) {
  if (in.chips) {
    r.add_input("chips", "Chips", n.chips, Unit::count, "given");
    if (n.chips < n.min_chips) {
      r.notes.push_back(fmt::format("{} chip{} hold {} of the {} training state: at least {} are needed without "
                                    "offloading",
                                    format_count(n.chips), n.chips == 1 ? "" : "s", format_si(n.chips * n.chip_memory, "B"),
                                    format_si(n.state, "B"), format_count(n.min_chips)));
    }
  } else {
    provenance(r, cat, in.days.has_value(), in.days.value_or(c.days) * 86400, "target_time_s", "Target wall-clock time",
               Unit::seconds, "default_train_days");
    const int per_instance = c.offer ? c.offer->count : 1;
    r.add("chips", "Chips", n.chips, Unit::count,
          per_instance > 1 ? fmt::format("ceil({{chip_hours}} × 3600 / {{target_time_s}}), in whole {}-chip "
                                         "instances, at least {{min_chips_for_memory}}", per_instance)
                           : "ceil({chip_hours} × 3600 / {target_time_s}), at least {min_chips_for_memory}");
  }
  r.add("wall_time_s", "Wall-clock time", n.wall_time_s, Unit::seconds, "{chip_hours} × 3600 / {chips}");
}

void add_cost_rows(Report& r, const Catalog& cat, const TrainInputs& in, const TrainContext& c, const TrainNumbers& n) {
  const Accelerator& acc = *c.acc;
  if (c.offer) {
    add_offer_price(r, Hardware{c.acc, c.offer, c.offer_source});
    r.add("cost_usd", "Cost", n.cost_usd, Unit::usd, "{chip_hours} × {usd_per_chip_hour}");
  } else if (in.own) {
    r.add_context("offer", "Offer", "none: owned hardware", "given (--own)");
    r.add_input("purchase_usd", "Purchase price per chip", *acc.purchase_usd, Unit::usd,
                "catalog accelerator " + acc.id, cite(acc));
    provenance(r, cat, in.lifetime_years.has_value(), in.lifetime_years.value_or(c.lifetime_years), "lifetime_years",
               "Hardware lifetime", Unit::years, "hardware_lifetime_years");
    provenance(r, cat, in.usd_per_kwh.has_value(), in.usd_per_kwh.value_or(c.usd_per_kwh), "usd_per_kwh",
               "Electricity price", Unit::usd_per_kwh, "usd_per_kwh");
    r.add("hardware_cost_usd", "Hardware (amortised)", n.hardware_cost_usd, Unit::usd,
          "{purchase_usd} × {chip_hours} / ({lifetime_years} × 8760 h)");
    r.add("energy_cost_usd", "Electricity", n.energy_cost_usd, Unit::usd, "{energy_kwh} × {usd_per_kwh}");
    r.add("cost_usd", "Cost", n.cost_usd, Unit::usd, "{hardware_cost_usd} + {energy_cost_usd}");
  } else {
    r.add_context("offer", "Offer", "none", "no --offer: cost not computed");
    std::string cheapest;
    for (const Offer* o : cat.offers_for(acc.id)) {
      if (cheapest.size() > 160) break;
      cheapest += fmt::format("{}{} {}/chip-h", cheapest.empty() ? "" : ", ", o->id, format_usd(o->usd_per_chip_hour()));
    }
    r.notes.push_back(fmt::format("no price: give --offer ID{} or --own", cheapest.empty() ? "" : " (" + cheapest + ")"));
  }
}

}  // namespace

Report estimate_training(const TrainInputs& in, const Catalog& cat) {
  const TrainContext c = resolve_training(in, cat);
  const TrainNumbers n = compute_training(in, c);
  Report r;
  r.kind = "train";

  // Model and tokens.
  const ModelParams mp = resolve_model(r, cat, in.model, in.model_config, in.params, "train");
  r.add_input("tokens", "Training tokens", n.tokens, Unit::tokens, in.tokens ? "given" : mp.source);

  // Hardware, dtype and achieved throughput per chip.
  r.add_context("accelerator", "Accelerator", fmt::format("{} ({})", c.acc->id, c.acc->name), c.acc_source,
                cite(*c.acc));
  r.add_context("dtype", "Peak dtype", c.dtype, in.dtype.empty() ? "default: bf16, else fp16" : "given");
  const std::string acc_src = "catalog accelerator " + c.acc->id;
  r.add_input("peak_flop_per_s", fmt::format("Peak {} per chip (dense)", c.dtype), n.peak, Unit::flop_per_s, acc_src,
              cite(*c.acc));
  if (c.measured > 0) {
    const Calibration& cal = *in.calibration;
    r.add_context("calibration", "Calibration", fmt::format("{} ({}, {})", cal.device, cal.method, cal.date),
                  "given: " + cal.origin.file);
    r.add_input("measured_flop_per_s", fmt::format("Measured {} GEMM ceiling per chip", c.calibration_dtype), c.measured,
                Unit::flop_per_s, "calibration " + cal.origin.file,
                fmt::format("llmcost calibrate on {} ({}), {}", cal.device, cal.accelerator, cal.date));
    if (c.calibration_dtype != c.dtype) {
      r.notes.push_back(fmt::format("the calibration has no {} measurement: its {} GEMM ceiling stands in",
                                    c.dtype, c.calibration_dtype));
    }
    if (cal.accelerator != c.acc->id) {
      r.notes.push_back(fmt::format("the calibration was measured on {} ({}), not on {}: its ceiling replaces {}'s "
                                    "peak anyway",
                                    cal.device, cal.accelerator, c.acc->id, c.acc->id));
    }
  }
  if (in.achieved_tflops) {
    r.add_input("achieved_flop_per_s", "Achieved throughput per chip", n.achieved, Unit::flop_per_s, "given");
    r.add("mfu", "Model FLOPs utilisation", n.mfu, Unit::fraction, "{achieved_flop_per_s} / {peak_flop_per_s}");
  } else if (c.measured > 0 && !in.mfu) {
    provenance(r, cat, false, c.calibrated_efficiency, "calibrated_efficiency", "Efficiency on the measured ceiling",
               Unit::fraction, "calibrated_train_efficiency");
    r.add("achieved_flop_per_s", "Achieved throughput per chip", n.achieved, Unit::flop_per_s,
          "{measured_flop_per_s} × {calibrated_efficiency}");
    r.add("mfu", "MFU against the vendor peak", n.mfu, Unit::fraction, "{achieved_flop_per_s} / {peak_flop_per_s}");
  } else {
    provenance(r, cat, in.mfu.has_value(), n.mfu, "mfu", "Model FLOPs utilisation", Unit::fraction, "train_mfu");
    r.add("achieved_flop_per_s", "Achieved throughput per chip", n.achieved, Unit::flop_per_s,
          "{peak_flop_per_s} × {mfu}");
  }
  if (c.measured > 0) {
    r.add("mfu_vs_measured", "MFU against the measured ceiling", n.mfu_vs_measured, Unit::fraction,
          "{achieved_flop_per_s} / {measured_flop_per_s}");
  }
  add_flop_rows(r, in, c, n, mp.source);
  r.add("chip_hours", "Accelerator time", n.chip_hours, Unit::hours, "{train_flop} / {achieved_flop_per_s} / 3600");
  provenance(r, cat, in.bytes_per_param.has_value(), n.bytes_per_param, "bytes_per_param",
             "Training state per parameter", Unit::bytes, "train_bytes_per_param");
  r.add_input("chip_memory_bytes", "Memory per chip", n.chip_memory, Unit::bytes, acc_src, cite(*c.acc));
  add_chip_rows(r, cat, in, c, n);

  // Energy, carbon and cost.
  if (in.watts_per_chip) {
    r.add_input("watts_per_chip", "Average power per chip", n.watts, Unit::watts, "given");
  } else {
    r.add_input("watts_per_chip", "Average power per chip", n.watts, Unit::watts, "TDP of " + c.acc->id, cite(*c.acc));
  }
  provenance(r, cat, in.pue.has_value(), n.pue, "pue", "Datacenter PUE", Unit::ratio, "pue");
  provenance(r, cat, in.grid_kg_per_kwh.has_value(), n.grid, "grid_kg_per_kwh", "Grid carbon intensity",
             Unit::kg_per_kwh, "grid_kg_per_kwh");
  add_cost_rows(r, cat, in, c, n);
  r.add("energy_kwh", "Energy (incl. PUE)", n.energy_kwh, Unit::kwh, "{chip_hours} × {watts_per_chip} × {pue} / 1000");
  r.add("co2e_kg", "Emissions", n.co2e_kg, Unit::kg_co2e, "{energy_kwh} × {grid_kg_per_kwh}");
  r.add("train_state_bytes", "Training state (weights, grads, optimizer)", n.state, Unit::bytes,
        "{params} × {bytes_per_param}");
  r.add("min_chips_for_memory", "Chips to hold training state", n.min_chips, Unit::count,
        "ceil({train_state_bytes} / {chip_memory_bytes})");
  r.title = fmt::format("Training {} on {} × {}{}", model_title(c.model, n.params, resizes(c.model, in.params)),
                        format_count(n.chips), c.acc->name, c.offer ? " (" + c.offer->id + ")" : "");
  if (!in.watts_per_chip) {
    r.notes.push_back(fmt::format("energy assumes every chip draws its TDP ({}) on average; measured draw "
                                  "differs (GPT-3 on V100: 330 W against a 300 W TDP)",
                                  format_si(c.acc->tdp_w, "W")));
  }
  return r;
}

}  // namespace llmcost
