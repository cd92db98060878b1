#include "llmcost/train.hpp"

#include <fmt/format.h>

#include <cmath>

#include "estimate_util.hpp"
#include "llmcost/error.hpp"
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
  for (const char* d : {"bf16", "fp16", "fp32"}) {
    if (acc.peak_flops(d)) return d;
  }
  return acc.peak_tflops.begin()->first;
}

}  // namespace

Report estimate_training(const TrainInputs& in, const Catalog& cat) {
  Report r;
  r.kind = "train";

  // --- Model: N (total, for memory) and N_active (per token, for FLOPs; differs for MoE).
  const ModelParams mp = resolve_model(r, cat, in.model, in.model_config, in.params, "train");
  const Model* model = mp.model;
  const double params = mp.params, active = mp.active;
  const std::string& model_src = mp.source;
  double tokens = 0;
  if (in.tokens) {
    tokens = r.add_input("tokens", "Training tokens", *in.tokens, Unit::tokens, "given");
  } else if (model && model->train_tokens) {
    tokens = r.add_input("tokens", "Training tokens", *model->train_tokens, Unit::tokens, model_src);
  } else {
    throw InputError(fmt::format("train: {} has no train_tokens in the catalog; give --tokens",
                                 model ? "model '" + model->id + "'" : "a custom model"));
  }

  // --- Hardware, dtype and achieved throughput per chip.
  const Hardware hw = resolve_hardware(r, cat, in.offer, in.hardware, in.own, "default_train_offer");
  const Accelerator& acc = *hw.acc;
  const std::string dtype = resolve_dtype(in, acc);
  r.add_context("dtype", "Peak dtype", dtype, in.dtype.empty() ? "default: bf16, else fp16" : "given");
  const std::string acc_src = fmt::format("catalog accelerator {}", acc.id);
  const double peak =
      r.add_input("peak_flop_per_s", fmt::format("Peak {} per chip (dense)", dtype), *acc.peak_flops(dtype),
                  Unit::flop_per_s, acc_src, cite(acc));
  // MFU = achieved model FLOP/s / peak FLOP/s (Chowdhery et al. 2022, PaLM, App. B).
  double achieved = 0;
  if (in.achieved_tflops && in.mfu) throw InputError("give either --mfu or --achieved-tflops, not both");
  if (in.achieved_tflops) {
    const double given = *in.achieved_tflops * 1e12;
    if (given > peak) {
      throw InputError(fmt::format("--achieved-tflops {}: exceeds the {} peak of {} ({} TFLOP/s)",
                                   *in.achieved_tflops, dtype, acc.id, peak / 1e12));
    }
    achieved = r.add_input("achieved_flop_per_s", "Achieved throughput per chip", given, Unit::flop_per_s, "given");
    r.add("mfu", "Model FLOPs utilisation", achieved / peak, Unit::fraction, "{achieved_flop_per_s} / {peak_flop_per_s}");
  } else {
    const double mfu = input_or_assumption(r, cat, in.mfu, "mfu", "Model FLOPs utilisation", Unit::fraction, "train_mfu");
    achieved = r.add("achieved_flop_per_s", "Achieved throughput per chip", peak * mfu, Unit::flop_per_s,
                     "{peak_flop_per_s} × {mfu}");
  }

  // --- Training compute. 6ND: forward 2N + backward 4N FLOPs per token (Kaplan et al. 2020 §2.1);
  // an encoder-decoder runs each token through about half the weights: 3ND (reference §1).
  const bool enc_dec = model && model->architecture == "encoder-decoder";
  const double k = r.add_input("flop_per_param_token", "Training FLOP per parameter per token", enc_dec ? 3 : 6,
                               Unit::none, enc_dec ? "3ND rule (encoder-decoder)" : "6ND rule",
                               "Kaplan et al. 2020, Scaling Laws for Neural Language Models, §2.1");
  const std::string n_key = active != params ? "active_params" : "params";
  double flop = 0;
  if (in.flops_rule == FlopsRule::six_nd) {
    r.add_context("flops_rule", "FLOP rule", "6ND", "default (--flops-rule detailed adds attention)");
    flop = r.add("train_flop", "Training compute", k * active * tokens, Unit::flop,
                 fmt::format("{{flop_per_param_token}} × {{{}}} × {{tokens}}", n_key));
    if (model && model->layers && model->seq_len && model->d_model) {
      const double attn = 6.0 * *model->layers * *model->seq_len * *model->d_model;
      r.notes.push_back(fmt::format("6ND leaves out attention FLOPs (6·n_layer·n_ctx·d_model per token), {} more "
                                    "here; --flops-rule detailed includes them",
                                    format_percent(attn / (k * active))));
    }
  } else {
    if (!model || !model->layers || !model->seq_len || !model->d_model) {
      throw InputError("--flops-rule detailed needs the model's layers, d_model and seq_len in the catalog");
    }
    r.add_context("flops_rule", "FLOP rule", "detailed: 6N + 6·n_layer·n_ctx·d_model per token", "given",
                  "Kaplan et al. 2020, Table 1 (forward 2N + 2·n_layer·n_ctx·d_attn; training 3× forward)");
    const double layers = r.add_input("layers", "Layers", *model->layers, Unit::count, model_src);
    const double ctx = r.add_input("seq_len", "Context length", *model->seq_len, Unit::count, model_src);
    const double d = r.add_input("d_model", "Model width", *model->d_model, Unit::count, model_src);
    flop = r.add("train_flop", "Training compute", (k * active + 6 * layers * ctx * d) * tokens, Unit::flop,
                 fmt::format("({{flop_per_param_token}} × {{{}}} + 6 × {{layers}} × {{seq_len}} × {{d_model}}) × {{tokens}}", n_key));
  }
  const double chip_hours = r.add("chip_hours", "Accelerator time", flop / achieved / 3600, Unit::hours,
                                  "{train_flop} / {achieved_flop_per_s} / 3600");

  // --- Memory: mixed-precision Adam holds ~20 bytes per parameter (reference §5), all parameters
  // of an MoE model, not just the active ones.
  const double bpp = input_or_assumption(r, cat, in.bytes_per_param, "bytes_per_param", "Training state per parameter",
                                         Unit::bytes, "train_bytes_per_param");
  const double chip_mem = r.add_input("chip_memory_bytes", "Memory per chip", acc.memory_gb * 1e9, Unit::bytes,
                                      acc_src, cite(acc));
  const double state = params * bpp;
  const double min_chips = std::ceil(state / chip_mem);

  // --- Chips and wall-clock time: chip-hours are fixed by the FLOP rule; chips trade against days.
  if (in.chips && in.days) throw InputError("give either --chips or --days, not both");
  const int per_instance = hw.offer ? hw.offer->count : 1;
  double chips = 0;
  if (in.chips) {
    chips = r.add_input("chips", "Chips", *in.chips, Unit::count, "given");
    if (chips < min_chips) {
      r.notes.push_back(fmt::format("{} chips hold {} of the {} training state: at least {} are needed without "
                                    "offloading",
                                    format_count(chips), format_si(chips * chip_mem, "B"), format_si(state, "B"),
                                    format_count(min_chips)));
    }
  } else {
    const bool given = in.days.has_value();
    const double days = given ? *in.days : cat.assumption_number("default_train_days");
    r.add_input("target_time_s", "Target wall-clock time", days * 86400, Unit::seconds,
                given ? "given" : assumption_source("default_train_days"),
                given ? "" : cite(cat.assumption("default_train_days")));
    const double target_days = days;
    double solved = std::ceil(chip_hours / (target_days * 24) - 1e-9);
    solved = std::max(solved, min_chips);
    solved = std::ceil(solved / per_instance) * per_instance;
    chips = r.add("chips", "Chips", solved, Unit::count,
                  per_instance > 1 ? fmt::format("ceil({{chip_hours}} × 3600 / {{target_time_s}}), in whole {}-chip "
                                                 "instances, at least {{min_chips_for_memory}}", per_instance)
                                   : "ceil({chip_hours} × 3600 / {target_time_s}), at least {min_chips_for_memory}");
  }
  r.add("wall_time_s", "Wall-clock time", chip_hours * 3600 / chips, Unit::seconds, "{chip_hours} × 3600 / {chips}");

  // --- Energy and carbon: chip-hours × average power × PUE (Patterson et al. 2021, §2).
  const double watts = in.watts_per_chip
                           ? r.add_input("watts_per_chip", "Average power per chip", *in.watts_per_chip, Unit::watts, "given")
                           : r.add_input("watts_per_chip", "Average power per chip", acc.tdp_w, Unit::watts,
                                         fmt::format("TDP of {}", acc.id), cite(acc));
  const double pue = input_or_assumption(r, cat, in.pue, "pue", "Datacenter PUE", Unit::ratio, "pue");
  const double grid = input_or_assumption(r, cat, in.grid_kg_per_kwh, "grid_kg_per_kwh", "Grid carbon intensity",
                                          Unit::kg_per_kwh, "grid_kg_per_kwh");

  // --- Cost: rented (chip-hours × price per chip-hour) or owned (amortised purchase + electricity).
  const double energy = chip_hours * watts * pue / 1000;
  if (hw.offer) {
    const double price = add_offer_price(r, hw);
    r.add("cost_usd", "Cost", chip_hours * price, Unit::usd, "{chip_hours} × {usd_per_chip_hour}");
  } else if (in.own) {
    if (!acc.purchase_usd) {
      throw InputError(fmt::format("--own: accelerator {} has no purchase_usd in the catalog; add one with --data",
                                   acc.id));
    }
    r.add_context("offer", "Offer", "none: owned hardware", "given (--own)");
    const double purchase = r.add_input("purchase_usd", "Purchase price per chip", *acc.purchase_usd, Unit::usd,
                                        acc_src, cite(acc));
    const double life = input_or_assumption(r, cat, in.lifetime_years, "lifetime_years", "Hardware lifetime",
                                            Unit::years, "hardware_lifetime_years");
    const double usd_kwh = input_or_assumption(r, cat, in.usd_per_kwh, "usd_per_kwh", "Electricity price",
                                               Unit::usd_per_kwh, "usd_per_kwh");
    // Straight-line amortisation: each chip-hour uses 1 / (lifetime in hours) of a chip.
    const double hw_cost = r.add("hardware_cost_usd", "Hardware (amortised)",
                                 purchase * chip_hours / (life * kHoursPerYear), Unit::usd,
                                 "{purchase_usd} × {chip_hours} / ({lifetime_years} × 8760 h)");
    const double e_cost = r.add("energy_cost_usd", "Electricity", energy * usd_kwh, Unit::usd,
                                "{energy_kwh} × {usd_per_kwh}");
    r.add("cost_usd", "Cost", hw_cost + e_cost, Unit::usd, "{hardware_cost_usd} + {energy_cost_usd}");
  } else {
    r.add_context("offer", "Offer", "none", "no --offer: cost not computed");
    std::string cheapest;
    for (const Offer* o : cat.offers_for(acc.id)) {
      if (cheapest.size() > 160) break;
      cheapest += fmt::format("{}{} {}/chip-h", cheapest.empty() ? "" : ", ", o->id, format_usd(o->usd_per_chip_hour()));
    }
    r.notes.push_back(fmt::format("no price: give --offer ID{} or --own", cheapest.empty() ? "" : " (" + cheapest + ")"));
  }
  r.add("energy_kwh", "Energy (incl. PUE)", energy, Unit::kwh, "{chip_hours} × {watts_per_chip} × {pue} / 1000");
  r.add("co2e_kg", "Emissions", energy * grid, Unit::kg_co2e, "{energy_kwh} × {grid_kg_per_kwh}");
  r.add("train_state_bytes", "Training state (weights, grads, optimizer)", state, Unit::bytes,
        "{params} × {bytes_per_param}");
  r.add("min_chips_for_memory", "Chips to hold training state", min_chips, Unit::count,
        "ceil({train_state_bytes} / {chip_memory_bytes})");
  r.title = fmt::format("Training {} on {} × {}{}", model ? model->name : format_scaled(params) + " parameters",
                        format_count(chips), acc.name, hw.offer ? " (" + hw.offer->id + ")" : "");
  if (!in.watts_per_chip) {
    r.notes.push_back(fmt::format("energy assumes every chip draws its TDP ({}) on average; measured draw "
                                  "differs (GPT-3 on V100: 330 W against a 300 W TDP)",
                                  format_si(acc.tdp_w, "W")));
  }
  return r;
}

}  // namespace llmcost
