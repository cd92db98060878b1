// Training economics: compute, time, cost, energy, carbon and memory of training a model.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "llmcost/calibration.hpp"
#include "llmcost/catalog.hpp"
#include "llmcost/plan.hpp"
#include "llmcost/report.hpp"
#include "llmcost/uncertainty.hpp"

namespace llmcost {

enum class FlopsRule {
  six_nd,    // C = 6·N·D (3·N·D for encoder-decoder), Kaplan et al. 2020 §2.1
  detailed,  // C = (6·N + 6·n_layer·n_ctx·d_model)·D, Kaplan et al. 2020 Table 1 (adds attention)
};

// Everything `llmcost train` and `kind = "train"` scenarios accept. Unset optionals take the
// catalog's assumptions, and the report says so.
struct TrainInputs {
  std::string model;                       // catalog id; may be empty when params or model_config is set
  std::optional<Model> model_config;       // a model read from a Hugging Face config.json
  std::optional<double> params;            // overrides the model's parameter count
  std::optional<double> tokens;            // training tokens D; default: the model's train_tokens
  std::string hardware;                    // accelerator id
  std::string offer;                       // offer id (implies the accelerator)
  std::optional<double> mfu;               // model FLOPs utilisation in (0, 1]
  std::optional<double> achieved_tflops;   // achieved TFLOP/s per chip (instead of mfu)
  std::string dtype;                       // fp32 | tf32 | fp16 | bf16 | fp8; empty: bf16, else fp16
  std::optional<double> seq_len;           // training context length; default: the model's seq_len
  std::optional<double> chips;             // number of chips ...
  std::optional<double> days;              // ... or wall-clock days to solve chips for
  std::optional<double> watts_per_chip;    // measured average system power per chip; default TDP × host ratio
  std::optional<double> host_power_ratio;  // server power per chip / TDP; default: catalog or assumption
  std::optional<double> pue;
  std::optional<double> grid_kg_per_kwh;
  bool own = false;                       // price owned hardware instead of a cloud offer
  std::optional<double> lifetime_years;   // amortisation period with `own`
  std::optional<double> usd_per_kwh;      // electricity price with `own`
  std::optional<double> bytes_per_param;  // training state per parameter
  FlopsRule flops_rule = FlopsRule::six_nd;
  std::optional<double> train_flop;        // published or measured total FLOPs, instead of the FLOP rule
  std::optional<Calibration> calibration;  // measured GEMM ceiling (llmcost calibrate --out)
  std::optional<double> global_batch;      // tokens per step for the planned MFU; default: the model's published batch
  std::optional<double> goodput;  // share of wall time in useful steps; default 1, or train_goodput when planned
  // --uncertainty: ranges by Monte Carlo over the spreads of the assumptions the estimate takes.
  UncertaintyOptions uncertainty;
};

// Estimates the training run. Throws InputError for unknown ids and inconsistent inputs.
Report estimate_training(const TrainInputs& in, const Catalog& catalog);

// What the catalog contributes to an estimate, resolved once for a model, hardware/offer, dtype
// and FLOP rule; sweeps reuse it across points that change only numbers.
struct TrainContext {
  const Model* model = nullptr;  // nullptr for a bare --params
  const Accelerator* acc = nullptr;
  std::shared_ptr<const Accelerator> measured_acc;  // owns *acc when a calibration's device stands in
  std::string acc_source;                           // "catalog", or "calibration FILE" when the calibration named it
  const Offer* offer = nullptr;                     // nullptr: bare hardware (owned, or no price)
  std::string offer_source;
  std::string dtype;
  double flop_per_param_token = 6;  // 6 (3 for encoder-decoder)
  double attn_flop_per_token = 0;   // detailed rule: 6·n_layer·n_ctx·d_model; 6ND: 0
  double seq_len = 0;               // training context: --seq-len, else the model's; 0 when unknown
  // The peak MFU is quoted against: the dtype's own, except for fp8, whose MFU is against the
  // 16-bit peak (bf16, else fp16) with a measured fp8 speed-up on top.
  double peak = 0;                // FLOP/s per chip, MFU reference
  std::string peak_dtype;         // the dtype of `peak`
  double fp8_speedup = 1;         // achieved = peak × MFU × this (1 unless dtype is fp8)
  double measured = 0;            // calibrated GEMM FLOP/s; 0 without a calibration
  std::string calibration_dtype;  // the dtype `measured` was taken at
  // Catalog defaults for inputs left unset.
  double mfu = 0, bytes_per_param = 0, days = 0, pue = 0, grid = 0, lifetime_years = 0, usd_per_kwh = 0;
  double calibrated_efficiency = 0;  // achieved / measured ceiling when only a calibration is given
  double host_power_ratio = 0;       // server power per chip / TDP, as the catalog has it (0: unknown TDP)
  std::string host_power_source;     // where host_power_ratio comes from
  double server_cost_overhead = 0;   // server cost per chip / chip price, for chip-basis purchase prices

  // The performance model (llmcost/plan.hpp) when no MFU is given and the model's shape, the
  // training context and the accelerator's links are known: train then runs at the planned MFU of
  // the fastest layout that fits its chips, with goodput on top.
  bool plannable = false;
  std::string plan_blocker;  // why not, when not
  PerfShape shape;
  PerfHardware perf;
  PerfRun perf_run;
  std::string batch_source;  // where perf_run.global_batch comes from
  double goodput = 1;        // assumption train_goodput
  struct PlanEntry {
    double chips = 0, seq_len = 0, batch = 0;
    bool found = false;
    RankedLayout best;
  };
  mutable std::vector<PlanEntry> plan_cache;  // searches already run (sweeps revisit chip counts)
};

// Resolves ids and defaults; throws InputError for unknown ids and unusable combinations.
TrainContext resolve_training(const TrainInputs& in, const Catalog& catalog);

// Every number of a training estimate (base units), computed without allocating.
struct TrainNumbers {
  double params = 0, active = 0, tokens = 0, peak = 0, mfu = 0, achieved = 0;
  double mfu_vs_measured = 0;  // achieved / calibrated ceiling (with a calibration)
  double train_flop = 0, chip_hours = 0, target_time_s = 0, chips = 0, wall_time_s = 0;
  double bytes_per_param = 0, chip_memory = 0, state = 0, min_chips = 0;
  double tdp = 0, host_power_ratio = 0;  // watts = tdp × host_power_ratio unless given
  double watts = 0, pue = 0, grid = 0, energy_kwh = 0, co2e_kg = 0;
  double price = 0, cost_usd = 0, hardware_cost_usd = 0, energy_cost_usd = 0;
  double lifetime_years = 0, usd_per_kwh = 0;            // with `own`
  double system_usd_per_chip = 0, capital_cost_usd = 0;  // with `own`: server cost per chip, upfront total
  bool has_cost = false;                                 // an offer or --own prices the run
  bool has_energy = false;                               // the power per chip is known
  bool has_memory = false;                               // the memory per chip is known
  bool planned = false;                                  // the MFU is the performance model's
  bool plan_failed = false;  // plannable, but no layout fits the chips: the catalog MFU stands in
  double goodput = 1;        // share of wall time in useful steps
  double planned_chips = 0;  // the cluster the layout was searched for
  double step_s = 0;         // planned step time
  Layout layout;             // the planned layout
};

// The arithmetic of the estimate for `in` in `ctx` (inputs override the context's defaults).
// Throws InputError only for inconsistent numbers (e.g. --achieved-tflops above the peak).
TrainNumbers compute_training(const TrainInputs& in, const TrainContext& ctx);

}  // namespace llmcost
