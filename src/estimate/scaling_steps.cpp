#include "estimate/scaling_steps.hpp"

#include <fmt/format.h>

namespace llmcost {

const Law& resolve_law(Report& r, const Catalog& cat, const std::string& id) {
  const std::string& law_id = id.empty() ? cat.assumption_text("default_law") : id;
  const Law& law = cat.law(law_id);
  r.add_context("law", "Scaling law", fmt::format("{} ({} form)", law.id, law.form),
                id.empty() ? assumption_source("default_law") : "given", cite(law));
  const std::string src = "law " + law.id;
  if (law.form == "hoffmann") {
    r.add_input("law_e", "E (irreducible loss)", law.e, Unit::none, src);
    r.add_input("law_a", "A", law.a, Unit::none, src);
    r.add_input("law_b", "B", law.b, Unit::none, src);
    r.add_input("law_alpha", "α", law.alpha, Unit::none, src);
    r.add_input("law_beta", "β", law.beta, Unit::none, src);
  } else {
    r.add_input("law_n_c", "N_c", law.n_c, Unit::none, src);
    r.add_input("law_d_c", "D_c", law.d_c, Unit::none, src);
    r.add_input("law_alpha_n", "α_N", law.alpha_n, Unit::none, src);
    r.add_input("law_alpha_d", "α_D", law.alpha_d, Unit::none, src);
  }
  return law;
}

std::string loss_formula(const Law& law, const std::string& n, const std::string& d) {
  // Hoffmann et al. 2022, Eq. 2; Kaplan et al. 2020, Eq. 1.5.
  if (law.form == "hoffmann")
    return fmt::format("{{law_e}} + {{law_a}} / {}^{{law_alpha}} + {{law_b}} / {}^{{law_beta}}", n, d);
  return fmt::format("(({{law_n_c}} / {})^({{law_alpha_n}} / {{law_alpha_d}}) + {{law_d_c}} / {})^{{law_alpha_d}}", n,
                     d);
}

double add_optimal_params(Report& r, const Law& law, double flops, const std::string& flops_key, std::string key,
                          std::string label) {
  const double n = optimal_params(law, flops);
  if (law.form != "hoffmann") {
    return r.add_found(std::move(key), std::move(label), n, Unit::params,
                       fmt::format("golden-section search over log N of L(N, {} / 6N)", flops_key));
  }
  return r.add(
      std::move(key), std::move(label), n, Unit::params,
      fmt::format("({{law_alpha}} × {{law_a}} / ({{law_beta}} × {{law_b}}))^(1 / ({{law_alpha}} + {{law_beta}})) × "
                  "({{{}}} / 6)^({{law_beta}} / ({{law_alpha}} + {{law_beta}}))",
                  flops_key));
}

double flop_per_usd(Report& r, const Catalog& cat, const std::string& offer, const std::optional<double>& mfu) {
  const Hardware hw = resolve_hardware(cat, offer, "", false, "default_train_offer");
  add_accelerator(r, hw);
  const double price = add_offer_price(r, hw);
  const std::string dtype = hw.acc->default_dtype();
  const double peak = r.add_input("peak_flop_per_s", fmt::format("Peak {} per chip (dense)", dtype),
                                  *hw.acc->peak_flops(dtype), Unit::flop_per_s, "catalog accelerator " + hw.acc->id);
  const double u = input_or_assumption(r, cat, mfu, "mfu", "Model FLOPs utilisation", Unit::fraction, "train_mfu");
  return peak * u * 3600 / price;
}

}  // namespace llmcost
