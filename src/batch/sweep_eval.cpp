#include "batch/sweep_eval.hpp"

#include <fmt/format.h>

#include <cmath>
#include <iterator>
#include <string_view>

#include "llmcost/error.hpp"
#include "llmcost/fields.hpp"
#include "batch/scenario_inputs.hpp"

namespace llmcost {
namespace {

// Train points: resolve the catalog once, then only arithmetic (compute_training) per point.
// The context is resolved again whenever an axis that is not pure arithmetic moves (model,
// offer, hardware, dtype, rule, calibration, model config, own).
class TrainEvaluator final : public PointEvaluator {
 public:
  TrainEvaluator(const Scenario& s, const Catalog& cat) : s_(s), cat_(cat), fields_(bind_fields(s, train_fields())) {
    for (size_t i = 0; i < s.inputs.size(); ++i) apply_input(in_, *fields_[i], s.inputs[i], 0);
  }
  const std::vector<std::string>& keys() const override { return keys_; }
  void set(size_t input, size_t value) override {
    apply_input(in_, *fields_[input], s_.inputs[input], value);
    if (!is_arithmetic(fields_[input]->name)) resolved_ = false;
  }
  void evaluate(double* out) override {
    if (!resolved_) ctx_ = resolve_training(in_, cat_), resolved_ = true;
    const TrainNumbers n = compute_training(in_, ctx_);
    const double nan = std::nan("");
    const bool calibrated = ctx_.measured > 0;
    const bool detailed = in_.flops_rule == FlopsRule::detailed && !in_.train_flop;
    const Model* m = ctx_.model;
    const double values[] = {
        n.params, n.active != n.params ? n.active : nan, n.tokens, n.peak, n.mfu, n.achieved, n.train_flop,
        n.chip_hours, n.chips, n.wall_time_s, n.state, n.min_chips, n.watts, n.pue, n.grid, n.energy_kwh, n.co2e_kg,
        n.has_cost ? n.cost_usd : nan, ctx_.offer ? n.price : nan, in_.own ? n.hardware_cost_usd : nan,
        in_.own ? n.energy_cost_usd : nan, ctx_.flop_per_param_token, n.chip_memory, n.bytes_per_param,
        in_.chips ? nan : in_.days.value_or(ctx_.days) * 86400, calibrated ? ctx_.measured : nan,
        calibrated ? n.mfu_vs_measured : nan,
        calibrated && !in_.achieved_tflops && !in_.mfu ? ctx_.calibrated_efficiency : nan,
        in_.own ? ctx_.acc->purchase_usd.value_or(nan) : nan,
        in_.own ? in_.lifetime_years.value_or(ctx_.lifetime_years) : nan,
        in_.own ? in_.usd_per_kwh.value_or(ctx_.usd_per_kwh) : nan, arch(detailed, m ? m->layers : std::nullopt),
        arch(detailed, m ? m->seq_len : std::nullopt), arch(detailed, m ? m->d_model : std::nullopt)};
    static_assert(std::size(values) == kKeys);
    std::copy(std::begin(values), std::end(values), out);
  }

 private:
  // Inputs that compute_training reads directly: moving them needs no new context.
  static bool is_arithmetic(std::string_view field) {
    for (std::string_view f : {"params", "tokens", "mfu", "achieved-tflops", "chips", "days", "watts-per-chip", "pue",
                               "grid-kg-per-kwh", "lifetime-years", "usd-per-kwh", "bytes-per-param", "train-flop"}) {
      if (field == f) return true;
    }
    return false;
  }
  static double arch(bool detailed, std::optional<int> v) { return detailed && v ? double(*v) : std::nan(""); }
  static constexpr size_t kKeys = 34;
  const Scenario& s_;
  const Catalog& cat_;
  std::vector<const Field<TrainInputs>*> fields_;
  TrainInputs in_;
  TrainContext ctx_;
  bool resolved_ = false;
  // The keys of estimate_training's report rows (tests/test_sweep.cpp checks they agree).
  std::vector<std::string> keys_{
      "params",          "active_params",       "tokens",            "peak_flop_per_s",      "mfu",
      "achieved_flop_per_s", "train_flop",      "chip_hours",        "chips",                "wall_time_s",
      "train_state_bytes", "min_chips_for_memory", "watts_per_chip", "pue",                  "grid_kg_per_kwh",
      "energy_kwh",      "co2e_kg",             "cost_usd",          "usd_per_chip_hour",    "hardware_cost_usd",
      "energy_cost_usd", "flop_per_param_token", "chip_memory_bytes", "bytes_per_param",     "target_time_s",
      "measured_flop_per_s", "mfu_vs_measured", "calibrated_efficiency", "purchase_usd",     "lifetime_years",
      "usd_per_kwh",     "layers",              "seq_len",           "d_model"};
};

// Any other kind: the inputs are rebuilt and the estimator's report read by key.
template <class Inputs>
class ReportEvaluator final : public PointEvaluator {
 public:
  using Estimator = Report (*)(const Inputs&, const Catalog&);
  ReportEvaluator(const Scenario& s, const Catalog& cat, const std::vector<Field<Inputs>>& fields, Estimator est)
      : s_(s), cat_(cat), fields_(bind_fields(s, fields)), est_(est), current_(s.inputs.size(), 0) {
    const Report first = est_(build(), cat_);
    for (const auto& row : first.rows) keys_.push_back(row.key);
  }
  const std::vector<std::string>& keys() const override { return keys_; }
  void set(size_t input, size_t value) override { current_[input] = value; }
  void evaluate(double* out) override {
    const Report r = est_(build(), cat_);
    for (size_t k = 0; k < keys_.size(); ++k) {
      const Row* row = r.find(keys_[k]);
      out[k] = row ? row->value : std::nan("");
    }
  }

 private:
  Inputs build() const {
    Inputs in;
    for (size_t i = 0; i < s_.inputs.size(); ++i) apply_input(in, *fields_[i], s_.inputs[i], current_[i]);
    return in;
  }
  const Scenario& s_;
  const Catalog& cat_;
  std::vector<const Field<Inputs>*> fields_;
  Estimator est_;
  std::vector<size_t> current_;
  std::vector<std::string> keys_;
};

}  // namespace

std::unique_ptr<PointEvaluator> make_evaluator(const Scenario& s, const Catalog& cat) {
  if (s.kind == "train") return std::make_unique<TrainEvaluator>(s, cat);
  if (s.kind == "infer") return std::make_unique<ReportEvaluator<InferInputs>>(s, cat, infer_fields(), estimate_inference);
  if (s.kind == "search") return std::make_unique<ReportEvaluator<SearchInputs>>(s, cat, search_fields(), estimate_search);
  if (s.kind == "loss") return std::make_unique<ReportEvaluator<LossInputs>>(s, cat, loss_fields(), estimate_loss);
  if (s.kind == "optimal") {
    return std::make_unique<ReportEvaluator<OptimalInputs>>(s, cat, optimal_fields(), estimate_optimal);
  }
  if (s.kind == "scale") return std::make_unique<ReportEvaluator<ScaleInputs>>(s, cat, scale_fields(), estimate_scale);
  return std::make_unique<ReportEvaluator<TrendInputs>>(s, cat, trend_fields(), estimate_trend);
}

}  // namespace llmcost
