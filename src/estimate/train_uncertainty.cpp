// `train --uncertainty`: the same compute step (compute_training) at every Monte Carlo sample of
// the assumptions' spreads the estimate rests on; percentiles and variance shares as rows
// (docs/uncertainty.md).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "estimate/resolve.hpp"
#include "estimate/train_steps.hpp"
#include "estimate/uncertainty_rows.hpp"
#include "llmcost/error.hpp"
#include "llmcost/text.hpp"
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

constexpr Headline kHeads[] = {{"cost_usd", &TrainNumbers::cost_usd},
                               {"wall_time_s", &TrainNumbers::wall_time_s},
                               {"chip_hours", &TrainNumbers::chip_hours},
                               {"energy_kwh", &TrainNumbers::energy_kwh},
                               {"co2e_kg", &TrainNumbers::co2e_kg}};

}  // namespace

std::vector<std::string> train_range_keys() {
  std::vector<std::string> keys;
  for (const Headline& h : kHeads) keys.emplace_back(h.key);
  return keys;
}

TrainMonteCarlo::TrainMonteCarlo(const Catalog& cat, const TrainInputs& in, const TrainContext& c,
                                 const TrainNumbers& n, const McSettings& mc, std::map<std::string, Sampled>* cache) {
  const std::vector<Varied> varied = varied_inputs(cat, in, n);
  std::vector<UncertainInput> inputs;
  for (const Varied& v : varied) inputs.push_back(v.input), ids.push_back(v.input.id), knobs_.push_back(int(v.knob));
  values.assign(std::size(kHeads), std::vector<double>(varied.empty() ? 0 : mc.samples));
  if (varied.empty()) return;
  if (cache) {
    const std::string key = fmt::format("{}|{}|{}", join(ids), mc.samples, mc.seed);
    auto it = cache->find(key);
    if (it == cache->end()) it = cache->emplace(key, latin_hypercube(inputs, mc.samples, mc.seed)).first;
    sampled = &it->second;
  } else {
    own_ = latin_hypercube(inputs, mc.samples, mc.seed);
    sampled = &own_;
  }
  // Every sample keeps the point estimate's cluster and runs the arithmetic with the sampled
  // values as given inputs (the planner is not rerun: its error stands in for a new plan).
  TrainContext fixed = c;
  fixed.plannable = false;
  TrainInputs base = in;  // the sample's inputs, set field by field: no copies of strings per sample
  base.chips = n.chips, base.days.reset();
  base.goodput = n.goodput;
  base.mfu.reset(), base.achieved_tflops.reset();
  base.uncertainty = {};
  const double top = c.measured > 0 ? std::min(c.measured, *c.acc->peak_flops(c.dtype)) : *c.acc->peak_flops(c.dtype);
  for_samples(mc.samples, mc.threads, [&](size_t begin, size_t end) {
    TrainInputs t = base;  // one per thread
    for (size_t k = begin; k < end; ++k) {
      const std::vector<double>& x = sampled->samples[k];
      double achieved = n.achieved;
      for (size_t i = 0; i < knobs_.size(); ++i) {
        switch (static_cast<Knob>(knobs_[i])) {
          case Knob::mfu: achieved = c.peak * x[i] * c.fp8_speedup; break;
          case Knob::mfu_error: achieved = n.achieved * x[i]; break;
          case Knob::goodput: t.goodput = std::min(1.0, x[i]); break;
          case Knob::pue: t.pue = x[i]; break;
          case Knob::grid: t.grid_kg_per_kwh = x[i]; break;
        }
      }
      t.achieved_tflops = std::min(achieved, 0.999 * top) / 1e12;
      const TrainNumbers m = compute_training(t, fixed);
      for (size_t h = 0; h < std::size(kHeads); ++h) values[h][k] = m.*kHeads[h].field;
    }
  });
}

void add_uncertainty_rows(Report& r, const Catalog& cat, const TrainInputs& in, const TrainContext& c,
                          const TrainNumbers& n) {
  const std::optional<McSettings> mc = mc_settings(in.uncertainty);
  if (!mc) return;
  TrainMonteCarlo m(cat, in, c, n, *mc);
  if (m.ids.empty()) {
    r.notes.emplace_back("--uncertainty: every input of this estimate is given, none carries a spread");
    return;
  }
  const std::string names = join(m.ids);
  r.add_context("uncertain_inputs", "Uncertain inputs (catalog spreads)", names, "docs/uncertainty.md §1");
  for (size_t h = 0; h < std::size(kHeads); ++h) {
    add_range_rows(r, kHeads[h].key, std::move(m.values[h]), *mc, mc->method() + "the spreads of: " + names, m.ids,
                   m.sampled->scores);
  }
}

}  // namespace llmcost
