// One expectation of a scenario's [expect] table: bounds on a report key, checked by `llmcost run`.
#pragma once

#include <optional>
#include <string>

#include "llmcost/error.hpp"

namespace llmcost {

// Relative tolerance of `key = 1.4e6` written without one.
inline constexpr double kDefaultRelTolerance = 1e-6;

struct Expectation {
  std::string key;
  std::optional<double> value;  // with rel or abs
  double rel = kDefaultRelTolerance;
  std::optional<double> abs;
  std::optional<double> min, max;
  std::string shown;  // `shown = "$1.4M"`: value and abs from the figure as printed (parse_shown)
  // `{ max = 2e6, probability = 0.8 }`: P(key <= max) >= 0.8 under --uncertainty, read as the 80th
  // percentile <= max (with min: the 20th percentile >= min).
  std::optional<double> probability;
  Origin origin;

  // The report key the bounds apply to: `key`, or with a probability its percentile row
  // ("cost_usd_p80").
  std::string checked_key() const;
  // The percentile a probability expectation reads (80 for max with 0.8, 20 for min).
  double percentile() const;

  // True when `actual` satisfies every bound.
  bool holds(double actual) const;
  // "1.40e6 ± 2%", "$1.4M as shown (± 50000)", ">= 1", "in [1, 2]".
  std::string describe() const;
};

}  // namespace llmcost
