// fit_report: the approach-3 fit (Hoffmann et al. 2022, App. D.2; docs/scaling-laws.md) as a
// Report. The fitted parameters have no closed form: they are rows found by the fit, with the
// method in words; the exponents and N_opt are formulas over them.
#include <cmath>
#include <optional>
#include <string>

#include "llmcost/fit_report.hpp"
#include "llmcost/law.hpp"

namespace llmcost {
namespace {

// The inputs: the rows, the grid of starts, δ, and the options that change what is fitted.
void add_inputs(Report& r, const FitData& data, const FitOptions& opt, const FitResult& f) {
  r.add_context("data", "Data", data.origin, "given");
  r.add_context("procedure", "Procedure",
                "approach 3: summed Huber loss of log-loss residuals, L-BFGS from a grid of starts",
                "docs/scaling-laws.md",
                "Hoffmann et al. 2022, App. D.2; Besiroglu et al. 2024, Chinchilla Scaling: A replication attempt");
  r.add_input("rows", "Rows in the data", static_cast<double>(data.points.size()), Unit::count, Text(data.origin));
  r.add_input("starts", "L-BFGS starts", f.starts, Unit::count, opt.coarse_grid ? "coarse grid" : "full grid");
  r.add_input("huber_delta", "Huber loss δ", opt.huber_delta, Unit::none, "given");
  if (opt.drop_highest)
    r.add_input("drop_highest", "Highest-loss rows dropped", opt.drop_highest, Unit::count, "given");
  if (opt.bootstrap) r.add_input("bootstrap", "Bootstrap resamples", opt.bootstrap, Unit::count, "given");
  if (opt.at_flops > 0) r.add_input("at_flops", "Compute budget for N_opt", opt.at_flops, Unit::flop, "given");
}

// The best fit: its parameters, the compute-optimal exponents, and how the search went.
void add_fit(Report& r, const FitOptions& opt, const FitResult& f) {
  r.add_text_result("status", "Status", f.message,
                    "the best start's L-BFGS gradient-norm test; every parameter determined by the rows");
  const std::string best = " of the start with the lowest objective";
  r.add_found("law_e", "E (irreducible loss)", f.law.e, Unit::nats, "approach-3 fit: exp(log E)" + best);
  r.add_found("law_a", "A", f.law.a, Unit::none, "approach-3 fit: exp(log A)" + best);
  r.add_found("law_b", "B", f.law.b, Unit::none, "approach-3 fit: exp(log B)" + best);
  r.add_found("law_alpha", "α", f.law.alpha, Unit::none, "approach-3 fit: α" + best);
  r.add_found("law_beta", "β", f.law.beta, Unit::none, "approach-3 fit: β" + best);
  r.add("exponent_a", "a = β/(α+β) (N_opt ∝ C^a)", f.a_exp, Unit::none, "{law_beta} / ({law_alpha} + {law_beta})");
  r.add("exponent_b", "b = α/(α+β) (D_opt ∝ C^b)", f.b_exp, Unit::none, "{law_alpha} / ({law_alpha} + {law_beta})");
  r.add_found("objective", "Objective (summed Huber loss)", f.objective, Unit::none,
              "the summed Huber loss of the log-loss residuals at the best start");
  r.add("points", "Points fitted", f.points, Unit::count, opt.drop_highest ? "{rows} - {drop_highest}" : "{rows}");
  r.add_found("converged_starts", "Starts converged", f.converged_starts, Unit::count,
              "starts whose L-BFGS run met the gradient-norm test");
}

// N_opt at the budget: G·(C/6)^a with G = (αA/(βB))^(1/(α+β)) (Hoffmann et al. 2022, App. D.2),
// as optimal_params computes it; left out when the fit does not determine it.
void add_n_opt(Report& r, const FitOptions& opt, const FitResult& f) {
  const double n_opt = optimal_params(f.law, opt.at_flops);
  if (f.identified && std::isfinite(n_opt)) {
    r.add("n_opt", "Compute-optimal parameters at the budget", n_opt, Unit::params,
          "({law_alpha} × {law_a} / ({law_beta} × {law_b}))^(1 / ({law_alpha} + {law_beta})) × ({at_flops} / 6)^"
          "{exponent_a}");
  } else {
    r.notes.emplace_back("no compute-optimal parameters: the fitted law does not determine them");
  }
}

void add_stats(Report& r, const std::string& key, const std::string& label, const std::optional<ParamStats>& s,
               Unit unit) {
  if (!s) return;
  r.add_found(key + "_se", label + " standard error", s->se, unit, "standard deviation over the bootstrap refits");
  r.add_found(key + "_lo95", label + " 95% low", s->lo95, unit, "2.5th percentile over the bootstrap refits");
  r.add_found(key + "_hi95", label + " 95% high", s->hi95, unit, "97.5th percentile over the bootstrap refits");
}

void add_bootstrap(Report& r, const FitResult& f) {
  add_stats(r, "law_e", "E", f.E, Unit::nats);
  add_stats(r, "law_a", "A", f.A, Unit::none);
  add_stats(r, "law_b", "B", f.B, Unit::none);
  add_stats(r, "law_alpha", "α", f.alpha, Unit::none);
  add_stats(r, "law_beta", "β", f.beta, Unit::none);
  add_stats(r, "exponent_a", "a", f.a_exp_stats, Unit::none);
  add_stats(r, "exponent_b", "b", f.b_exp_stats, Unit::none);
}

}  // namespace

Report fit_report(const FitData& data, const FitOptions& opt, const FitResult& f) {
  Report r;
  r.kind = "fit";
  r.title =
      Text::of("Chinchilla-form fit to {}: L = {} + {} / N^{} + {} / D^{}", data.origin,
               Quantity{f.law.e, Unit::number4}, Quantity{f.law.a, Unit::number4}, Quantity{f.law.alpha, Unit::number4},
               Quantity{f.law.b, Unit::number4}, Quantity{f.law.beta, Unit::number4});
  add_inputs(r, data, opt, f);
  add_fit(r, opt, f);
  if (opt.bootstrap) add_bootstrap(r, f);
  if (opt.at_flops > 0) {
    add_n_opt(r, opt, f);
    add_stats(r, "n_opt", "N_opt", f.n_opt, Unit::params);
  }
  if (!f.identified) {
    r.notes.emplace_back("do not use these parameters: " + f.message);
  } else if (!f.converged) {
    r.notes.emplace_back("the best start did not converge: " + f.message);
  }
  return r;
}

}  // namespace llmcost
