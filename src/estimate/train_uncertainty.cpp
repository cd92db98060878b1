// `train --uncertainty`: the same compute step (compute_training) at every Monte Carlo sample of
// the assumptions' spreads the estimate rests on; percentiles and variance shares as rows
// (docs/uncertainty.md).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "estimate/resolve.hpp"
#include "estimate/train_steps.hpp"
#include "llmcost/error.hpp"
#include "llmcost/uncertainty.hpp"

namespace llmcost {
namespace {

// What a sample varies: the MFU (the catalog's, or the planner's prediction × its error), goodput,
// PUE and grid intensity, each only when the estimate takes it from the catalog.
enum class Knob { mfu, mfu_error, goodput, pue, grid };

struct Varied {
  Knob knob;
  UncertainInput input;
};

std::optional<UncertainInput> uncertain(const Catalog& cat, std::string_view id) {
  const Assumption& a = cat.assumption(id);
  if (!a.spread) return std::nullopt;
  return UncertainInput{a.id, std::get<double>(a.value), *a.spread};
}

std::vector<Varied> varied_inputs(const Catalog& cat, const TrainInputs& in, const TrainNumbers& n) {
  std::vector<Varied> out;
  const auto add = [&](Knob k, std::string_view id) {
    if (auto u = uncertain(cat, id)) out.push_back({k, *u});
  };
  if (n.planned) {
    add(Knob::mfu_error, "plan_mfu_error");
    if (!in.goodput) add(Knob::goodput, "train_goodput");
  } else if (!in.mfu && !in.achieved_tflops && !in.calibration) {
    add(Knob::mfu, "train_mfu");
  }
  if (n.has_energy && !in.pue) add(Knob::pue, "pue");
  if (n.has_energy && !in.grid_kg_per_kwh) add(Knob::grid, "grid_kg_per_kwh");
  return out;
}

struct Headline {
  const char* key;
  double TrainNumbers::*field;
};

}  // namespace

void add_uncertainty_rows(Report& r, const Catalog& cat, const TrainInputs& in, const TrainContext& c,
                          const TrainNumbers& n) {
  if (!in.uncertainty) {
    reject_inapplicable({{in.samples.has_value(), "--samples"},
                         {in.interval.has_value(), "--interval"},
                         {in.seed.has_value(), "--seed"}},
                        "--uncertainty");
    return;
  }
  const double samples = in.samples.value_or(10000), interval = in.interval.value_or(90);
  if (samples < 100) throw InputError(fmt::format("--samples {}: at least 100", samples));
  if (!(interval > 0 && interval < 100))
    throw InputError(fmt::format("--interval {}: a percentage below 100", interval));
  const std::vector<Varied> varied = varied_inputs(cat, in, n);
  if (varied.empty()) {
    r.notes.emplace_back("--uncertainty: every input of this estimate is given, none carries a spread");
    return;
  }
  std::vector<UncertainInput> inputs;
  inputs.reserve(varied.size());
  for (const Varied& v : varied) inputs.push_back(v.input);
  const Sampled s =
      latin_hypercube(inputs, static_cast<size_t>(samples), static_cast<std::uint64_t>(in.seed.value_or(1)));
  // Every sample keeps the point estimate's cluster and runs the arithmetic with the sampled
  // values as given inputs (the planner is not rerun: its error stands in for a new plan).
  TrainContext fixed = c;
  fixed.plannable = false;
  TrainInputs t = in;  // the sample's inputs, set field by field: no copies of strings per sample
  t.chips = n.chips, t.days.reset();
  t.goodput = n.goodput;
  t.mfu.reset(), t.achieved_tflops.reset();
  const double top = c.measured > 0 ? std::min(c.measured, *c.acc->peak_flops(c.dtype)) : *c.acc->peak_flops(c.dtype);
  const Headline heads[] = {{"cost_usd", &TrainNumbers::cost_usd},
                            {"wall_time_s", &TrainNumbers::wall_time_s},
                            {"chip_hours", &TrainNumbers::chip_hours},
                            {"energy_kwh", &TrainNumbers::energy_kwh},
                            {"co2e_kg", &TrainNumbers::co2e_kg}};
  std::vector<std::vector<double>> out(std::size(heads));
  for (auto& o : out) o.reserve(s.samples.size());
  for (const std::vector<double>& x : s.samples) {
    double achieved = n.achieved;
    for (size_t i = 0; i < varied.size(); ++i) {
      switch (varied[i].knob) {
        case Knob::mfu: achieved = c.peak * x[i] * c.fp8_speedup; break;
        case Knob::mfu_error: achieved = n.achieved * x[i]; break;
        case Knob::goodput: t.goodput = std::min(1.0, x[i]); break;
        case Knob::pue: t.pue = x[i]; break;
        case Knob::grid: t.grid_kg_per_kwh = x[i]; break;
      }
    }
    t.achieved_tflops = std::min(achieved, 0.999 * top) / 1e12;
    const TrainNumbers m = compute_training(t, fixed);
    for (size_t h = 0; h < std::size(heads); ++h) out[h].push_back(m.*heads[h].field);
  }
  const double lo = (100 - interval) / 2, hi = 100 - lo;
  const auto tag = [](double p) { return fmt::format("p{:02}", static_cast<int>(std::round(p))); };
  const std::string method = fmt::format(
      "Monte Carlo, {} Latin-hypercube samples (seed {}) of the spreads of: ", samples, in.seed.value_or(1));
  std::string names;
  for (const Varied& v : varied) names += (names.empty() ? "" : ", ") + v.input.id;
  r.add_context("uncertain_inputs", "Uncertain inputs (catalog spreads)", names, "docs/uncertainty.md");
  for (size_t h = 0; h < std::size(heads); ++h) {
    const Row* row = r.find(heads[h].key);
    if (!row) continue;
    const std::string label = row->label;  // copied: adding rows moves them
    const Unit unit = row->unit;
    std::vector<double>& values = out[h];
    if (std::any_of(values.begin(), values.end(), [](double v) { return !(v > 0) || !std::isfinite(v); })) continue;
    // Which spreads drive it: shares of the variance of its logarithm (before sorting the values).
    const std::vector<double> shares = variance_shares(s.scores, values);
    for (const double p : {lo, 50.0, hi}) {
      r.add_found(std::string(heads[h].key) + "_" + tag(p), label + ", " + tag(p), percentile(values, p), unit,
                  method + names);
    }
    std::vector<size_t> order(shares.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return shares[a] > shares[b]; });
    std::string ranking;
    for (size_t i : order)
      ranking += fmt::format("{}{} {:.0f}%", ranking.empty() ? "" : ", ", varied[i].input.id, 100 * shares[i]);
    r.add_text_result(std::string("sensitivity_") + heads[h].key, "What moves " + label, ranking);
  }
}

}  // namespace llmcost
