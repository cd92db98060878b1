// Uncertainty propagation: seeded Latin-hypercube Monte Carlo of the catalog's assumption spreads
// (llmcost/catalog.hpp `Spread`) through an estimator's own compute step, percentiles of its
// results and the share of their variance each input drives. Pure: no catalog lookups, no I/O.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "llmcost/catalog.hpp"

namespace llmcost {

// One uncertain input: its id (the assumption's), point value and spread.
struct UncertainInput {
  std::string id;
  double point = 0;
  Spread spread;
};

// The standard normal quantile Φ⁻¹(u) for u in (0, 1), to ~1e-12 (Newton's method on erfc).
double normal_quantile(double u);

// The value at cumulative probability u of an input's distribution.
double spread_quantile(const UncertainInput& in, double u);

// n samples of every input, stratified (Latin hypercube: each input's n draws fall one in each of
// n equal-probability strata), paired so that the inputs' normal scores are uncorrelated (Iman &
// Conover 1982), deterministic for a seed. samples[k][i] is input
// i of sample k; scores[i][k] the standard-normal score of its stratum draw.
struct Sampled {
  std::vector<std::vector<double>> samples;
  std::vector<std::vector<double>> scores;
};
Sampled latin_hypercube(const std::vector<UncertainInput>& inputs, size_t n, std::uint64_t seed);

// The percentile p (0-100) of `values` (sorted in place), linearly interpolated.
double percentile(std::vector<double>& values, double p);

// The share of the variance of log(outputs) each input drives: squared correlations of the inputs'
// normal scores with log(outputs), normalised to sum to 1 (exact for a product of independent
// lognormal inputs). Outputs must be positive; a constant output gets all zeros.
std::vector<double> variance_shares(const std::vector<std::vector<double>>& scores, const std::vector<double>& outputs);

}  // namespace llmcost
