// Evaluating scaling laws from the catalog: loss at (N, D) and the compute-optimal split of a
// budget C = 6·N·D.
#pragma once

#include "llmcost/catalog.hpp"

namespace llmcost {

struct LossBreakdown {
  double loss = 0;
  bool separable = false;  // hoffmann form: loss = irreducible + n_term + d_term
  double irreducible = 0, n_term = 0, d_term = 0;
};

// L(N, D) under `law` (N parameters, D tokens; both > 0).
LossBreakdown law_loss(const Law& law, double params, double tokens);

// N_opt for a budget of `flops` = 6·N·D: closed form for the hoffmann form (scaling-laws.md:
// G·(C/6)^(β/(α+β)), G = (αA/(βB))^(1/(α+β))), golden-section search over log N for kaplan.
double law_optimal_params(const Law& law, double flops);

// The hoffmann closed form on its own: N_opt = G·(C/6)^(β/(α+β)), G = (αA/(βB))^(1/(α+β)).
double hoffmann_optimal_params(double a, double b, double alpha, double beta, double flops);

}  // namespace llmcost
