#include "llmcost/scaling.hpp"

#include <fmt/format.h>

#include <cmath>

#include "estimate/estimate_util.hpp"
#include "llmcost/error.hpp"
#include "llmcost/law.hpp"
#include "llmcost/format.hpp"
#include "llmcost/units.hpp"

namespace llmcost {

double growth_from_doubling(double years) { return std::pow(2.0, 1.0 / years) - 1; }

std::optional<double> given_growth(const std::optional<double>& growth, const std::optional<double>& doubling_years) {
  if (growth && doubling_years) throw InputError("give either --growth or --doubling-years, not both");
  if (doubling_years) return growth_from_doubling(*doubling_years);
  return growth;
}

namespace {

const Law& resolve_law(Report& r, const Catalog& cat, const std::string& id) {
  const std::string& law_id = id.empty() ? cat.assumption_text("default_law") : id;
  const Law& law = cat.law(law_id);
  r.add_context("law", "Scaling law", fmt::format("{} ({} form)", law.id, law.form),
                id.empty() ? assumption_source("default_law") : "given", cite(law));
  if (law.form == "hoffmann") {
    r.add_input("law_e", "E (irreducible loss)", law.e, Unit::none, "law " + law.id);
    r.add_input("law_a", "A", law.a, Unit::none, "law " + law.id);
    r.add_input("law_b", "B", law.b, Unit::none, "law " + law.id);
    r.add_input("law_alpha", "α", law.alpha, Unit::none, "law " + law.id);
    r.add_input("law_beta", "β", law.beta, Unit::none, "law " + law.id);
  }
  return law;
}

// Training FLOP/s one dollar buys per second on an offer: peak × MFU / price per chip-second.
struct Purchase {
  double flop_per_usd = 0;
};
Purchase flop_per_usd(Report& r, const Catalog& cat, const std::string& offer, const std::optional<double>& mfu) {
  const Hardware hw = resolve_hardware(r, cat, offer, "", false, "default_train_offer");
  const double price = add_offer_price(r, hw);
  const std::string dtype = hw.acc->default_dtype();
  const double peak = r.add_input("peak_flop_per_s", fmt::format("Peak {} per chip (dense)", dtype),
                                  *hw.acc->peak_flops(dtype), Unit::flop_per_s,
                                  "catalog accelerator " + hw.acc->id);
  const double u = input_or_assumption(r, cat, mfu, "mfu", "Model FLOPs utilisation", Unit::fraction, "train_mfu");
  return Purchase{peak * u * 3600 / price};
}

}  // namespace

Report estimate_loss(const LossInputs& in, const Catalog& cat) {
  Report r;
  r.kind = "loss";
  const Law& law = resolve_law(r, cat, in.law);
  const Model* model = in.model.empty() ? nullptr : &cat.model(in.model);
  if (model) r.add_context("model", "Model", fmt::format("{} ({})", model->id, model->name), "catalog", cite(*model));
  const std::string msrc = model ? "catalog model " + model->id : "";
  if (!in.params && !model) throw InputError("loss: give --params (or --model)");
  if (!in.tokens && !(model && model->train_tokens)) throw InputError("loss: give --tokens (or a --model with train_tokens)");
  const double n = r.add_input("params", "Parameters", in.params ? *in.params : model->params, Unit::params,
                               in.params ? "given" : msrc);
  const double d = r.add_input("tokens", "Training tokens", in.tokens ? *in.tokens : *model->train_tokens,
                               Unit::tokens, in.tokens ? "given" : msrc);
  const LossBreakdown lb = law_loss(law, n, d);
  if (lb.separable) {
    r.add("irreducible_loss", "Irreducible loss E", lb.irreducible, Unit::nats, "{law_e}");
    r.add("params_term", "Parameter term A / N^α", lb.n_term, Unit::nats, "{law_a} / {params}^{law_alpha}");
    r.add("data_term", "Data term B / D^β", lb.d_term, Unit::nats, "{law_b} / {tokens}^{law_beta}");
    r.add("loss", "Loss (nats/token)", lb.loss, Unit::nats, "{irreducible_loss} + {params_term} + {data_term}");
  } else {
    r.add("loss", "Loss (nats/token)", lb.loss, Unit::nats, "[(N_c / {params})^(α_N/α_D) + D_c / {tokens}]^α_D");
  }
  r.add("train_flop", "Training compute", 6 * n * d, Unit::flop, "6 × {params} × {tokens}");
  r.add("tokens_per_param", "Tokens per parameter", d / n, Unit::ratio, "{tokens} / {params}");
  // The compute-optimal model at the same compute, for comparison.
  const double n_opt = law_optimal_params(law, 6 * n * d);
  r.add("params_opt", "Compute-optimal parameters at this compute", n_opt, Unit::params, "N_opt({train_flop})");
  r.add("loss_opt", "Loss of the compute-optimal model", law_loss(law, n_opt, n * d / n_opt).loss, Unit::nats,
        "L({params_opt}, {train_flop} / (6 × {params_opt}))");
  r.title = fmt::format("Loss of {} parameters trained on {} tokens ({})", format_scaled(n), format_scaled(d), law.id);
  return r;
}

Report estimate_optimal(const OptimalInputs& in, const Catalog& cat) {
  Report r;
  r.kind = "optimal";
  const Law& law = resolve_law(r, cat, in.law);
  if (in.flops && in.budget_usd) throw InputError("give either --flops or --budget-usd, not both");
  if (!in.flops && !in.budget_usd) throw InputError("optimal: give --flops or --budget-usd");
  if (!in.budget_usd) {
    reject_inapplicable({{!in.offer.empty(), "--offer"}, {in.mfu.has_value(), "--mfu"}}, "--budget-usd");
  }
  double c = 0;
  if (in.flops) {
    c = r.add_input("flops", "Compute budget", *in.flops, Unit::flop, "given");
  } else {
    const double budget = r.add_input("budget_usd", "Budget", *in.budget_usd, Unit::usd, "given");
    const Purchase p = flop_per_usd(r, cat, in.offer, in.mfu);
    c = r.add("flops", "Compute budget", budget * p.flop_per_usd, Unit::flop,
              "{budget_usd} / {usd_per_chip_hour} × 3600 × {peak_flop_per_s} × {mfu}");
  }
  const double n = r.add("params_opt", "Compute-optimal parameters", law_optimal_params(law, c), Unit::params,
                         law.form == "hoffmann" ? "G × ({flops} / 6)^(β/(α+β)), G = (αA / (βB))^(1/(α+β))"
                                                : "argmin over N of L(N, {flops} / 6N)");
  const double d = r.add("tokens_opt", "Compute-optimal tokens", c / (6 * n), Unit::tokens, "{flops} / (6 × {params_opt})");
  r.add("tokens_per_param_opt", "Tokens per parameter", d / n, Unit::ratio, "{tokens_opt} / {params_opt}");
  r.add("loss_opt", "Predicted loss", law_loss(law, n, d).loss, Unit::nats, "L({params_opt}, {tokens_opt})");
  if (in.params) {
    const double np = r.add_input("params", "Compared model's parameters", *in.params, Unit::params, "given");
    const double dp = r.add("tokens_at_params", "Its tokens at the same compute", c / (6 * np), Unit::tokens,
                            "{flops} / (6 × {params})");
    r.add("loss_at_params", "Its predicted loss", law_loss(law, np, dp).loss, Unit::nats, "L({params}, {tokens_at_params})");
  }
  r.title = fmt::format("Compute-optimal model for {} FLOP ({})", format_sci(c), law.id);
  return r;
}

Report estimate_scale(const ScaleInputs& in, const Catalog& cat) {
  Report r;
  r.kind = "scale";
  if (!in.flops) throw InputError("scale: give --flops, e.g. 1e35");
  const Law& law = resolve_law(r, cat, in.law);
  const double c = r.add_input("flops", "Compute", *in.flops, Unit::flop, "given");
  const double n = r.add("params_opt", "Compute-optimal parameters", law_optimal_params(law, c), Unit::params,
                         "N_opt({flops})");
  const double d = r.add("tokens_opt", "Compute-optimal tokens", c / (6 * n), Unit::tokens, "{flops} / (6 × {params_opt})");
  r.add("loss_opt", "Predicted loss", law_loss(law, n, d).loss, Unit::nats, "L({params_opt}, {tokens_opt})");
  const double stock = input_or_assumption(r, cat, in.data_stock_tokens, "data_stock_tokens", "Stock of human text",
                                           Unit::tokens, "data_stock_tokens");
  const double ratio = r.add("data_needed_ratio", "Tokens needed / stock", d / stock, Unit::ratio,
                             "{tokens_opt} / {data_stock_tokens}");
  if (ratio > 1) {
    r.notes.push_back(fmt::format("compute-optimal training needs {} times the stock of human text ({} orders of "
                                  "magnitude): data, not compute, is the bottleneck",
                                  format_sig(ratio), format_plain(std::log10(ratio), 2)));
  }
  // Cost at today's prices: C / (peak × MFU) chip-seconds × price per chip-second.
  const Purchase p = flop_per_usd(r, cat, in.offer, in.mfu);
  const double cost = r.add("cost_usd", "Cost at today's prices", c / p.flop_per_usd, Unit::usd,
                            "{flops} / ({peak_flop_per_s} × {mfu}) / 3600 × {usd_per_chip_hour}");
  const double gdp = input_or_assumption(r, cat, std::nullopt, "world_gdp_usd", "World GDP a year", Unit::usd,
                                         "world_gdp_usd");
  r.add("gdp_share", "Cost / world GDP", cost / gdp, Unit::fraction, "{cost_usd} / {world_gdp_usd}");
  const std::optional<double> growth = given_growth(in.growth, in.doubling_years);
  if (!in.budget_usd) {
    reject_inapplicable({{in.growth.has_value(), "--growth"}, {in.doubling_years.has_value(), "--doubling-years"}},
                        "--budget-usd");
  }
  if (in.budget_usd) {
    const double budget = r.add_input("budget_usd", "Budget", *in.budget_usd, Unit::usd, "given");
    const double g = input_or_assumption(r, cat, growth, "growth_per_year", "Price-performance growth a year",
                                         Unit::fraction, "hardware_price_performance_growth");
    // cost(t) = cost_0 / (1 + g)^t  →  t = ln(cost_0 / budget) / ln(1 + g).
    const double years = cost <= budget ? 0 : std::log(cost / budget) / std::log1p(g);
    r.add("years_until_budget", "Years until it fits the budget", years, Unit::years,
          "ln({cost_usd} / {budget_usd}) / ln(1 + {growth_per_year})");
    r.notes.push_back("assumes the hardware trend continues unchanged and MFU stays as given");
  }
  r.title = fmt::format("Scaling to {} FLOP ({})", format_sci(c), law.id);
  return r;
}

}  // namespace llmcost
