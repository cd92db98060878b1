// Uncertainty propagation: seeded Latin-hypercube Monte Carlo of the catalog's assumption spreads
// (llmcost/catalog.hpp `Spread`) through an estimator's own compute step, percentiles of its
// results and the share of their variance each input drives. Pure: no catalog lookups, no I/O.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "llmcost/catalog.hpp"

namespace llmcost {

// `--uncertainty` and its settings, as every estimate command that takes it parses them.
struct UncertaintyOptions {
  bool on = false;
  std::optional<double> samples;           // default 10,000
  std::optional<double> interval;          // percent, default 90
  std::optional<double> seed;              // default 1
  std::optional<double> threads;           // default 1; the output does not depend on it
  std::vector<double> percentiles;         // more percentiles (0-100) to report, beside the interval's and the median
  const char* samples_flag = "--samples";  // as the command spells it, for messages
};

// The key suffix of a percentile: "p05", "p50", "p95"; "p2_5" for 2.5 (keys stay identifiers).
std::string percentile_tag(double p);

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

// Runs fn(begin, end) over [0, n) in contiguous chunks on `threads` threads (0: all hardware
// threads). Each sample's result goes to its own slot, so the output never depends on the count.
void for_samples(size_t n, int threads, const std::function<void(size_t begin, size_t end)>& fn);

// n draws of a hoffmann-form law's parameters from its standard errors (all five needed) and
// correlation (Law::correlation, identity when absent): a multivariate normal of (ln E, ln A,
// ln B, α, β) with standard deviations se/E, se/A, se/B (the delta method), se_α, se_β, by Latin
// hypercube with the Cholesky factor of the correlation. scores[i][k]: parameter i's standard
// score in draw k (after correlation), for variance shares. Throws InputError naming what is
// missing.
struct LawSamples {
  std::vector<Law> laws;
  std::vector<std::vector<double>> scores;
};
LawSamples sample_law(const Law& law, size_t n, std::uint64_t seed);

}  // namespace llmcost
