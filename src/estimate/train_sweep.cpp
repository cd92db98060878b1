// The compute path of train sweeps: the catalog resolved once (resolve_training), then arithmetic
// only (compute_training) per point. The context is resolved again whenever a field that is not
// pure arithmetic moves (model, offer, hardware, dtype, rule, calibration, model config, own).
#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <string_view>

#include "estimate/kind.hpp"
#include "estimate/train_steps.hpp"
#include "estimate/uncertainty_rows.hpp"
#include "llmcost/train.hpp"

namespace llmcost {

namespace {

// The keys of estimate_training's report rows (tests/unit/test_sweep.cpp checks they agree).
constexpr std::string_view kKeys[] = {"params",
                                      "active_params",
                                      "tokens",
                                      "peak_flop_per_s",
                                      "mfu",
                                      "fp8_speedup",
                                      "achieved_flop_per_s",
                                      "train_flop",
                                      "chip_hours",
                                      "chips",
                                      "wall_time_s",
                                      "train_state_bytes",
                                      "min_chips_for_memory",
                                      "tdp_w",
                                      "host_power_ratio",
                                      "watts_per_chip",
                                      "pue",
                                      "grid_kg_per_kwh",
                                      "energy_kwh",
                                      "co2e_kg",
                                      "cost_usd",
                                      "usd_per_chip_hour",
                                      "hardware_cost_usd",
                                      "energy_cost_usd",
                                      "flop_per_param_token",
                                      "chip_memory_bytes",
                                      "bytes_per_param",
                                      "target_time_s",
                                      "measured_flop_per_s",
                                      "mfu_vs_measured",
                                      "calibrated_efficiency",
                                      "purchase_usd",
                                      "server_cost_overhead",
                                      "system_usd_per_chip",
                                      "capital_cost_usd",
                                      "lifetime_years",
                                      "usd_per_kwh",
                                      "layers",
                                      "seq_len",
                                      "d_model",
                                      "goodput",
                                      "global_batch_tokens",
                                      "step_time_s"};

// Fields that compute_training reads directly: moving them needs no new context.
bool is_arithmetic(std::string_view field) {
  for (std::string_view f :
       {"params", "tokens", "mfu", "achieved-tflops", "chips", "days", "watts-per-chip", "host-power-ratio", "pue",
        "grid-kg-per-kwh", "lifetime-years", "usd-per-kwh", "bytes-per-param", "goodput"}) {
    if (field == f) return true;
  }
  return false;
}

double arch(bool detailed, std::optional<int> v) {
  return detailed && v ? double(*v) : std::nan("");
}

class TrainEvaluator final : public PointEvaluator {
 public:
  TrainEvaluator(const std::vector<Field<TrainInputs>>& fields, const Catalog& catalog)
      : fields_(fields), catalog_(catalog) {}

  void set(size_t field, std::string_view text) override {
    fields_[field].set(in_, text);
    if (!is_arithmetic(fields_[field].name)) resolved_ = false;
  }
  // The report's keys; with --uncertainty also each range's percentiles (the report's companion
  // rows, in its order).
  std::vector<std::string> keys() override {
    std::vector<std::string> keys{std::begin(kKeys), std::end(kKeys)};
    mc_ = mc_settings(in_.uncertainty);
    percentiles_.clear();
    if (mc_) {
      percentiles_ = mc_->reported();
      for (const std::string& key : train_range_keys())
        for (const double p : percentiles_) keys.push_back(key + "_" + percentile_tag(p));
    }
    return keys;
  }
  void evaluate(double* out) override {
    if (!resolved_) ctx_ = resolve_training(in_, catalog_), resolved_ = true;
    const TrainNumbers n = compute_training(in_, ctx_);
    if (mc_) ranges(n, out + std::size(kKeys));
    const double nan = std::nan("");
    const bool calibrated = ctx_.measured > 0;
    const bool detailed = in_.flops_rule == FlopsRule::detailed && !in_.train_flop;
    const bool rated = n.has_energy && !in_.watts_per_chip;  // power from TDP × host ratio
    const bool system = ctx_.acc->purchase_basis == "system";
    const Model* m = ctx_.model;
    const double values[] = {n.params,
                             n.active != n.params ? n.active : nan,
                             n.tokens,
                             n.peak,
                             n.mfu,
                             ctx_.fp8_speedup != 1 && !in_.achieved_tflops && !(calibrated && !in_.mfu) && !n.planned
                                 ? ctx_.fp8_speedup
                                 : nan,
                             n.achieved,
                             n.train_flop,
                             n.chip_hours,
                             n.chips,
                             n.wall_time_s,
                             n.state,
                             n.has_memory ? n.min_chips : nan,
                             rated ? n.tdp : nan,
                             rated ? n.host_power_ratio : nan,
                             n.has_energy ? n.watts : nan,
                             n.has_energy ? n.pue : nan,
                             n.has_energy ? n.grid : nan,
                             n.has_energy ? n.energy_kwh : nan,
                             n.has_energy ? n.co2e_kg : nan,
                             n.has_cost ? n.cost_usd : nan,
                             ctx_.offer ? n.price : nan,
                             in_.own ? n.hardware_cost_usd : nan,
                             in_.own ? n.energy_cost_usd : nan,
                             in_.train_flop ? nan : ctx_.flop_per_param_token,
                             n.has_memory ? n.chip_memory : nan,
                             n.bytes_per_param,
                             in_.chips ? nan : in_.days.value_or(ctx_.days) * 86400,
                             calibrated ? ctx_.measured : nan,
                             calibrated ? n.mfu_vs_measured : nan,
                             calibrated && !in_.achieved_tflops && !in_.mfu ? ctx_.calibrated_efficiency : nan,
                             in_.own ? ctx_.acc->purchase_usd.value_or(nan) : nan,
                             in_.own && !system ? ctx_.server_cost_overhead : nan,
                             in_.own ? n.system_usd_per_chip : nan,
                             in_.own ? n.capital_cost_usd : nan,
                             in_.own ? in_.lifetime_years.value_or(ctx_.lifetime_years) : nan,
                             in_.own ? in_.usd_per_kwh.value_or(ctx_.usd_per_kwh) : nan,
                             arch(detailed, m ? m->layers : std::nullopt),
                             detailed ? ctx_.seq_len : nan,
                             arch(detailed, m ? m->d_model : std::nullopt),
                             n.goodput != 1 || in_.goodput ? n.goodput : nan,
                             n.planned ? ctx_.perf_run.global_batch * ctx_.perf_run.seq_len : nan,
                             n.planned ? n.step_s : nan};
    static_assert(std::size(values) == std::size(kKeys));
    std::copy(std::begin(values), std::end(values), out);
  }

 private:
  // Percentiles of the point's Monte Carlo (one Latin hypercube for the whole sweep while the
  // varied inputs stay the same: the draws do not depend on the point).
  void ranges(const TrainNumbers& n, double* out) {
    TrainMonteCarlo m(catalog_, in_, ctx_, n, *mc_, &drawn_);
    size_t i = 0;
    for (std::vector<double>& v : m.values) {
      const bool ok = !v.empty() && std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
      for (const double p : percentiles_) out[i++] = ok ? percentile(v, p) : std::nan("");
    }
  }

  const std::vector<Field<TrainInputs>>& fields_;
  const Catalog& catalog_;
  TrainInputs in_;
  TrainContext ctx_;
  bool resolved_ = false;
  std::optional<McSettings> mc_;
  std::vector<double> percentiles_;
  std::map<std::string, Sampled> drawn_;  // by varied inputs; settings are fixed by the first point
};

}  // namespace

std::unique_ptr<PointEvaluator> train_evaluator(const std::vector<Field<TrainInputs>>& fields, const Catalog& catalog) {
  return std::make_unique<TrainEvaluator>(fields, catalog);
}

}  // namespace llmcost
