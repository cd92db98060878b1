// Shared steps of the scaling-law estimators (loss, optimal, scale): the law resolved and recorded,
// its formulas written over the report's keys, and what a dollar buys on an offer.
#pragma once

#include <string>

#include "estimate/resolve.hpp"
#include "llmcost/law.hpp"

namespace llmcost {

// The law `id` (default: assumption default_law), recorded as context and its parameters as
// inputs (law_e, law_a, ... for the hoffmann form; law_n_c, law_d_c, ... for kaplan).
const Law& resolve_law(Report& r, const Catalog& cat, const std::string& id);

// The loss formula L(N, D) over the report's keys, with N and D given as expressions:
// loss_formula(law, "{params_opt}", "{tokens_opt}").
std::string loss_formula(const Law& law, const std::string& n, const std::string& d);

// Adds the compute-optimal parameters for the budget `flops_key` as a row: a formula for the
// hoffmann form, the search method for kaplan.
double add_optimal_params(Report& r, const Law& law, double flops, const std::string& flops_key, std::string key,
                          std::string label);

// Training FLOP a dollar buys on an offer: peak × MFU × 3600 / price per chip-hour. Records the
// offer, its price, the peak and the MFU.
double flop_per_usd(Report& r, const Catalog& cat, const std::string& offer, const std::optional<double>& mfu);

}  // namespace llmcost
