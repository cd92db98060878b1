// How the cost of a fixed model falls over the years (`llmcost trend`): hardware price-performance
// growth and the history of training MFU, starting from the hardware of the model's release year.
#pragma once

#include <optional>
#include <string>

#include "llmcost/catalog.hpp"
#include "llmcost/report.hpp"
#include "llmcost/uncertainty.hpp"

namespace llmcost {

struct TrendInputs {
  std::string model;                     // default: gpt3
  std::optional<double> tokens;          // training tokens (default: the model's train_tokens)
  std::optional<double> growth;          // hardware FLOP/s per $ growth a year (default: assumption) ...
  std::optional<double> doubling_years;  // ... or its doubling time
  std::optional<double> until;           // last year of the projection (default: release + 10)
  UncertaintyOptions uncertainty;        // --uncertainty (docs/uncertainty.md §1)
};
Report estimate_trend(const TrendInputs& in, const Catalog& catalog);

}  // namespace llmcost
