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
  Origin origin;

  // True when `actual` satisfies every bound.
  bool holds(double actual) const;
  // "1.40e6 ± 2%", "$1.4M as shown (± 50000)", ">= 1", "in [1, 2]".
  std::string describe() const;
};

}  // namespace llmcost
