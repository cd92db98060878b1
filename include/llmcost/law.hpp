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

// The compute-optimal N for a budget of `flops` = 6·N·D. Hoffmann form: minimising
// E + A/N^α + B/D^β subject to 6·N·D = C gives N_opt = G·(C/6)^(β/(α+β)), G = (αA/(βB))^(1/(α+β))
// (Hoffmann et al. 2022, App. D.2; docs/scaling-laws.md); NaN when α, β, A or B is not positive (no
// interior optimum) or flops <= 0. Kaplan form: golden-section search over log N.
double optimal_params(const Law& law, double flops);

// A hoffmann-form law with these parameters (no id or source): L = e + a/N^α + b/D^β.
Law hoffmann_law(double e, double a, double b, double alpha, double beta);

}  // namespace llmcost
