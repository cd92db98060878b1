// Bootstrap helpers of the fitter (Efron & Tibshirani 1993, ch. 6 and 13): resampling rows with
// replacement from a seeded generator, and percentile summaries. Private to fit.cpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

#include "llmcost/fit.hpp"

namespace llmcost::fit_detail {

// SplitMix64 (Steele, Lea & Flood 2014): one 64-bit output per call, any seed is fine.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

// How often each of `n` rows is drawn in resample `r` of a run seeded with `seed`: n draws with
// replacement. Each resample has its own stream, so the result depends on (seed, r) only, not on
// the thread that draws it. Our own generator and index mapping keep results identical across
// standard libraries (std::uniform_int_distribution is implementation-defined).
inline std::vector<int> resample_counts(uint64_t seed, int r, size_t n) {
  SplitMix64 seeder(seed ^ (0xd1b54a32d192ed03ULL * (static_cast<uint64_t>(r) + 1)));
  SplitMix64 rng(seeder.next());
  std::vector<int> counts(n, 0);
  for (size_t k = 0; k < n; ++k) {
    // Top 53 bits as a uniform double in [0, 1), scaled to an index (bias < n·2^-53).
    const double u = static_cast<double>(rng.next() >> 11) * 0x1.0p-53;
    ++counts[std::min(static_cast<size_t>(u * static_cast<double>(n)), n - 1)];
  }
  return counts;
}

// The q-quantile of sorted values, interpolated linearly between order statistics (Hyndman &
// Fan 1996, definition 7, the default of R and numpy).
inline double quantile_sorted(const std::vector<double>& v, double q) {
  const double h = (static_cast<double>(v.size()) - 1) * q;
  const size_t lo = static_cast<size_t>(std::floor(h));
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

// Mean, standard deviation (the bootstrap standard error, n − 1 in the denominator) and the 95%
// percentile interval of the finite values; nullopt when there are none. A resample whose fit
// degenerates (α + β = 0, say) yields a non-finite value and is left out.
inline std::optional<ParamStats> summarise(std::vector<double> values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }), values.end());
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  double mean = 0;
  for (double v : values) mean += v;
  mean /= static_cast<double>(values.size());
  double ss = 0;
  for (double v : values) ss += (v - mean) * (v - mean);
  const double se = values.size() > 1 ? std::sqrt(ss / static_cast<double>(values.size() - 1)) : 0.0;
  return ParamStats{mean, se, quantile_sorted(values, 0.025), quantile_sorted(values, 0.975)};
}

}  // namespace llmcost::fit_detail
