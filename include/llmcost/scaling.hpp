// Scaling-law questions: the loss of a model (`loss`), the compute-optimal model for a budget
// (`optimal`) and what a very large budget implies (`scale`); the hardware trend they share with
// `trend` (llmcost/trend.hpp).
#pragma once

#include <optional>
#include <string>

#include "llmcost/catalog.hpp"
#include "llmcost/report.hpp"
#include "llmcost/uncertainty.hpp"

namespace llmcost {

struct LossInputs {
  std::string law;    // default: assumption default_law
  std::string model;  // takes params and tokens from the catalog
  std::optional<double> params, tokens;
  UncertaintyOptions uncertainty;  // ranges from the law's standard errors and correlation
};
Report estimate_loss(const LossInputs& in, const Catalog& catalog);

struct OptimalInputs {
  std::string law;
  std::optional<double> flops;       // C
  std::optional<double> budget_usd;  // ... or C from a budget: budget / price per chip-s × peak × MFU
  std::string offer;                 // with budget_usd (default: assumption default_train_offer)
  std::optional<double> mfu;         // with budget_usd (default: assumption train_mfu)
  std::optional<double> params;      // compare a model of this size at the same compute
  UncertaintyOptions uncertainty;    // ranges from the law's standard errors and correlation
};
Report estimate_optimal(const OptimalInputs& in, const Catalog& catalog);

struct ScaleInputs {
  std::string law;
  std::optional<double> flops;              // required
  std::optional<double> data_stock_tokens;  // default: assumption data_stock_tokens
  std::string offer;                        // default: assumption default_train_offer
  std::optional<double> mfu;                // default: assumption train_mfu
  std::optional<double> budget_usd;         // the year the cost falls below this
  std::optional<double> growth;             // price-performance growth a year ...
  std::optional<double> doubling_years;     // ... or its doubling time
  UncertaintyOptions uncertainty;           // ranges from the law's standard errors and correlation
};
Report estimate_scale(const ScaleInputs& in, const Catalog& catalog);

// Yearly growth rate from a doubling time: 2^(1/years) − 1.
double growth_from_doubling(double years);

// The growth a year given as --growth or --doubling-years (not both), or nullopt for neither.
std::optional<double> given_growth(const std::optional<double>& growth, const std::optional<double>& doubling_years);

}  // namespace llmcost
