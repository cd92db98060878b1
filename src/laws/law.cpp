#include "llmcost/law.hpp"

#include <cmath>

namespace llmcost {

LossBreakdown law_loss(const Law& law, double n, double d) {
  LossBreakdown out;
  if (law.form == "hoffmann") {
    // L = E + A / N^α + B / D^β (Hoffmann et al. 2022, Eq. 2).
    out.separable = true;
    out.irreducible = law.e;
    out.n_term = law.a / std::pow(n, law.alpha);
    out.d_term = law.b / std::pow(d, law.beta);
    out.loss = out.irreducible + out.n_term + out.d_term;
  } else {
    // L = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D (Kaplan et al. 2020, Eq. 1.5).
    out.loss = std::pow(std::pow(law.n_c / n, law.alpha_n / law.alpha_d) + law.d_c / d, law.alpha_d);
  }
  return out;
}

Law hoffmann_law(double e, double a, double b, double alpha, double beta) {
  Law law;
  law.form = "hoffmann";
  law.e = e, law.a = a, law.b = b, law.alpha = alpha, law.beta = beta;
  return law;
}

double optimal_params(const Law& law, double flops) {
  if (law.form == "hoffmann") {
    // αA/N^α = βB/D^β at the optimum of E + A/N^α + B/D^β along 6·N·D = C (Hoffmann et al. 2022, Eq. 4).
    if (!(law.alpha > 0 && law.beta > 0 && law.a > 0 && law.b > 0 && flops > 0)) return std::nan("");
    const double g = std::pow(law.alpha * law.a / (law.beta * law.b), 1 / (law.alpha + law.beta));
    return g * std::pow(flops / 6, law.beta / (law.alpha + law.beta));
  }
  // Kaplan: minimise L(N, C/(6N)) over log N; the loss is unimodal in log N along the budget.
  auto loss_at = [&](double log_n) {
    const double n = std::exp(log_n);
    return law_loss(law, n, flops / (6 * n)).loss;
  };
  double lo = std::log(1e3), hi = std::log(std::max(flops / 6 / 1e3, 1e4));
  const double ratio = (std::sqrt(5.0) - 1) / 2;
  for (int i = 0; i < 200 && hi - lo > 1e-9; ++i) {
    const double m1 = hi - ratio * (hi - lo), m2 = lo + ratio * (hi - lo);
    if (loss_at(m1) < loss_at(m2))
      hi = m2;
    else
      lo = m1;
  }
  return std::exp((lo + hi) / 2);
}

}  // namespace llmcost
