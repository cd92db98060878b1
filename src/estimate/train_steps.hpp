// The notes of a training estimate (train_notes.cpp), shared by its rows step (train_report.cpp).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "estimate/uncertainty_rows.hpp"
#include "llmcost/catalog.hpp"
#include "llmcost/train.hpp"
#include "llmcost/uncertainty.hpp"

namespace llmcost {

// What the 6ND (3ND) rule `rule` leaves out: attention at the training context, or that the
// context is unknown when the model only states the longest one it serves.
void add_attention_note(Report& r, const TrainContext& c, const TrainNumbers& n, bool resized, const std::string& rule);

// A --chips count that is not whole instances of the offer.
void add_instance_note(Report& r, const TrainContext& c, const TrainNumbers& n);

// The Monte Carlo of a training estimate: every sample of the spreads its catalog assumptions
// carry, run through compute_training at the point estimate's cluster (train_uncertainty.cpp).
// values[h][k]: headline h (train_range_keys()) at sample k; empty when nothing varies. `cache`:
// Latin hypercubes already drawn, by varied inputs (sweeps draw one per set, not one per point).
struct TrainMonteCarlo {
  TrainMonteCarlo(const Catalog& cat, const TrainInputs& in, const TrainContext& c, const TrainNumbers& n,
                  const McSettings& mc, std::map<std::string, Sampled>* cache = nullptr);
  TrainMonteCarlo(const TrainMonteCarlo&) = delete;  // `sampled` may point into the object
  TrainMonteCarlo& operator=(const TrainMonteCarlo&) = delete;
  std::vector<std::string> ids;  // the varied assumptions
  std::vector<std::vector<double>> values;
  const Sampled* sampled = nullptr;  // the draws (own_ or the cache's)

 private:
  std::vector<int> knobs_;
  Sampled own_;
};

// cost_usd, wall_time_s, chip_hours, energy_kwh, co2e_kg: the results --uncertainty ranges.
std::vector<std::string> train_range_keys();

// --uncertainty: percentile rows of cost, time, energy and emissions and the variance share each
// spread assumption drives (train_uncertainty.cpp).
void add_uncertainty_rows(Report& r, const Catalog& cat, const TrainInputs& in, const TrainContext& c,
                          const TrainNumbers& n);

// The power the energy assumed, and what a calibrated device without vendor figures lacks.
void add_measured_device_notes(Report& r, const TrainInputs& in, const TrainContext& c, const TrainNumbers& n);

}  // namespace llmcost
