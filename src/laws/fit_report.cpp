#include "llmcost/fit_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "llmcost/law.hpp"
#include "llmcost/format.hpp"
#include "llmcost/units.hpp"

namespace llmcost {
namespace {

void add_stats(Report& r, const std::string& key, const std::string& label, const std::optional<ParamStats>& s,
               Unit unit) {
  if (!s) return;
  r.add(key + "_se", label + " standard error", s->se, unit, "standard deviation over bootstrap fits");
  r.add(key + "_lo95", label + " 95% low", s->lo95, unit, "2.5th percentile over bootstrap fits");
  r.add(key + "_hi95", label + " 95% high", s->hi95, unit, "97.5th percentile over bootstrap fits");
}

}  // namespace

Report fit_report(const FitData& data, const FitOptions& opt, const FitResult& f) {
  Report r;
  r.kind = "fit";
  r.add_context("data", "Data", fmt::format("{} ({} rows)", data.origin, data.points.size()), "given");
  r.add_context("procedure", "Procedure",
                fmt::format("approach 3: Huber(δ = {}) of log-loss residuals summed, L-BFGS from {} starts ({} grid)",
                            opt.huber_delta, f.starts, opt.coarse_grid ? "coarse" : "full"),
                "shared/reference/scaling-laws.md",
                "Hoffmann et al. 2022, App. D.2; Besiroglu et al. 2024, Chinchilla Scaling: A replication attempt");
  r.add_text_result("status", "Status", f.message,
                    "the best start's L-BFGS gradient-norm test; every parameter determined by the rows");
  r.add("law_e", "E (irreducible loss)", f.law.E, Unit::nats, "exp(e) at the best start");
  r.add("law_a", "A", f.law.A, Unit::none, "exp(a)");
  r.add("law_b", "B", f.law.B, Unit::none, "exp(b)");
  r.add("law_alpha", "α", f.law.alpha, Unit::none, "fitted");
  r.add("law_beta", "β", f.law.beta, Unit::none, "fitted");
  r.add("exponent_a", "a = β/(α+β) (N_opt ∝ C^a)", f.a_exp, Unit::none, "{law_beta} / ({law_alpha} + {law_beta})");
  r.add("exponent_b", "b = α/(α+β) (D_opt ∝ C^b)", f.b_exp, Unit::none, "{law_alpha} / ({law_alpha} + {law_beta})");
  r.add("objective", "Objective (summed Huber loss)", f.objective, Unit::none, "at the best start");
  r.add("points", "Points fitted", f.points, Unit::count, opt.drop_highest ? "after dropping the highest losses" : "");
  r.add("converged_starts", "Starts converged", f.converged_starts, Unit::count,
        fmt::format("of {} starts", f.starts));
  if (opt.drop_highest) r.add_input("drop_highest", "Highest-loss points dropped", opt.drop_highest, Unit::count, "given");
  if (opt.bootstrap) {
    r.add_input("bootstrap", "Bootstrap resamples", opt.bootstrap, Unit::count, "given");
    add_stats(r, "law_e", "E", f.E, Unit::nats);
    add_stats(r, "law_a", "A", f.A, Unit::none);
    add_stats(r, "law_b", "B", f.B, Unit::none);
    add_stats(r, "law_alpha", "α", f.alpha, Unit::none);
    add_stats(r, "law_beta", "β", f.beta, Unit::none);
    add_stats(r, "exponent_a", "a", f.a_exp_stats, Unit::none);
    add_stats(r, "exponent_b", "b", f.b_exp_stats, Unit::none);
  }
  if (opt.at_flops > 0) {
    r.add_input("at_flops", "Compute budget for N_opt", opt.at_flops, Unit::flop, "given");
    const double n_opt = optimal_params(f.law, opt.at_flops);
    if (f.identified && std::isfinite(n_opt)) {
      r.add("n_opt", "Compute-optimal parameters at the budget", n_opt, Unit::params, "G × ({at_flops} / 6)^a");
    } else {
      r.notes.push_back("no compute-optimal parameters: the fitted law does not determine them");
    }
    add_stats(r, "n_opt", "N_opt", f.n_opt, Unit::params);
  }
  if (!f.identified) {
    r.notes.push_back("do not use these parameters: " + f.message);
  } else if (!f.converged) {
    r.notes.push_back("the best start did not converge: " + f.message);
  }
  r.title = Text::of("Chinchilla-form fit to {}: L = {} + {} / N^{} + {} / D^{}", data.origin,
                     Quantity{f.law.E, Unit::number4}, Quantity{f.law.A, Unit::number4},
                     Quantity{f.law.alpha, Unit::number4}, Quantity{f.law.B, Unit::number4},
                     Quantity{f.law.beta, Unit::number4});
  return r;
}

Law law_from_fit(const FitResult& f, const std::string& id, const std::string& source) {
  Law l;
  l.id = id;
  l.form = "hoffmann";
  l.e = f.law.E, l.a = f.law.A, l.b = f.law.B, l.alpha = f.law.alpha, l.beta = f.law.beta;
  l.source = source;
  // Standard errors only when every parameter has a finite one (the catalog takes no other).
  const std::pair<const char*, const std::optional<ParamStats>*> stats[] = {
      {"e", &f.E}, {"a", &f.A}, {"b", &f.B}, {"alpha", &f.alpha}, {"beta", &f.beta}};
  for (const auto& [name, s] : stats) {
    if (!*s || !std::isfinite((*s)->se) || (*s)->se < 0) {
      l.std_errors.clear();
      break;
    }
    l.std_errors[name] = (*s)->se;
  }
  return l;
}

std::string law_toml(const Law& l) {
  std::string out = fmt::format("[[law]]\nid = \"{}\"\nform = \"hoffmann\"\ne = {}\na = {}\nb = {}\nalpha = {}\nbeta = {}\n",
                                l.id, l.e, l.a, l.b, l.alpha, l.beta);
  if (!l.std_errors.empty()) {
    out += fmt::format("std_errors = {{ e = {}, a = {}, b = {}, alpha = {}, beta = {} }}\n", l.std_errors.at("e"),
                       l.std_errors.at("a"), l.std_errors.at("b"), l.std_errors.at("alpha"), l.std_errors.at("beta"));
  }
  std::string src;
  for (char c : l.source) src += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
  return out + fmt::format("source = \"{}\"\n", src);
}

std::string fit_plot_svg(const FitData& data, const FitResult& f) {
  constexpr double W = 720, H = 480, L = 70, R = 20, T = 30, B = 50;
  double n_lo = 1e300, n_hi = 0, y_lo = 1e300, y_hi = 0;
  std::map<double, std::vector<FitPoint>> by_budget;  // points grouped by log10(C) rounded to 0.25
  for (const auto& p : data.points) {
    n_lo = std::min(n_lo, p.params), n_hi = std::max(n_hi, p.params);
    y_lo = std::min(y_lo, p.loss), y_hi = std::max(y_hi, p.loss);
    by_budget[std::round(std::log10(6 * p.params * p.tokens) * 4) / 4].push_back(p);
  }
  const double x0 = std::log10(n_lo) - 0.1, x1 = std::log10(n_hi) + 0.1;
  const double pad = (y_hi - y_lo) * 0.1 + 1e-3;
  y_lo -= pad, y_hi += pad;
  auto px = [&](double n) { return L + (std::log10(n) - x0) / (x1 - x0) * (W - L - R); };
  auto py = [&](double y) { return T + (y_hi - y) / (y_hi - y_lo) * (H - T - B); };
  std::string svg = fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" font-family=\"sans-serif\" "
                                "font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n", W, H);
  svg += fmt::format("<text x=\"{}\" y=\"18\">{}: loss vs parameters, fitted iso-FLOP curves</text>\n", L, data.origin);
  svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"black\"/>\n", L, H - B, W - R);
  svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"black\"/>\n", L, T, H - B);
  for (double e = std::ceil(x0); e <= x1; ++e) {
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", px(std::pow(10, e)), H - B + 18,
                       format_scaled(std::pow(10, e)));
  }
  for (int i = 0; i <= 4; ++i) {
    const double y = y_lo + (y_hi - y_lo) * i / 4;
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", L - 6, py(y) + 4, format_sig(y, 3));
  }
  svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">parameters N</text>\n", (L + W - R) / 2, H - 12);
  svg += fmt::format("<text x=\"16\" y=\"{}\" transform=\"rotate(-90 16 {})\" text-anchor=\"middle\">loss (nats/token)</text>\n",
                     (T + H - B) / 2, (T + H - B) / 2);
  size_t i = 0;
  for (const auto& [log_c, pts] : by_budget) {
    const double hue = 360.0 * static_cast<double>(i++) / static_cast<double>(by_budget.size());
    const std::string colour = fmt::format("hsl({:.0f},70%,45%)", hue);
    const double c = std::pow(10, log_c);
    std::string path;
    for (int k = 0; k <= 60; ++k) {
      const double n = std::pow(10, x0 + (x1 - x0) * k / 60), d = c / (6 * n);
      const double y = f.law.E + f.law.A / std::pow(n, f.law.alpha) + f.law.B / std::pow(d, f.law.beta);
      if (!(y >= y_lo && y <= y_hi)) continue;  // off the chart, or NaN for a law with no meaning
      path += fmt::format("{}{:.1f},{:.1f} ", path.empty() ? "M" : "L", px(n), py(y));
    }
    if (!path.empty()) svg += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"{}\"/>\n", path, colour);
    for (const auto& p : pts) {
      svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"><title>C = {} FLOP</title></circle>\n",
                         px(p.params), py(p.loss), colour, format_sci(c));
    }
  }
  return svg + "</svg>\n";
}

}  // namespace llmcost
