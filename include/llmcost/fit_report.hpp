// What `llmcost fit` shows and saves: the fit as a Report, as a catalog law (TOML that loss and
// optimal read with --data), and as an SVG plot of the data with the fitted iso-FLOP curves.
#pragma once

#include <string>

#include "llmcost/catalog.hpp"
#include "llmcost/fit.hpp"
#include "llmcost/report.hpp"

namespace llmcost {

// Report keys: law_e, law_a, law_b, law_alpha, law_beta, exponent_a, exponent_b, objective,
// points, converged_starts (and with a bootstrap <key>_se, <key>_lo95, <key>_hi95, n_opt_*).
Report fit_report(const FitData& data, const FitOptions& options, const FitResult& result);

// The fit as a hoffmann-form law record with id `id` (bootstrap standard errors when present).
Law law_from_fit(const FitResult& result, const std::string& id, const std::string& source);

// A [[law]] TOML record that Catalog::load_text reads back.
std::string law_toml(const Law& law);

// An SVG chart: loss against parameters (log scale), the data points coloured by compute budget,
// and the fitted loss along each budget's iso-FLOP curve L(N, C / 6N).
std::string fit_plot_svg(const FitData& data, const FitResult& result);

}  // namespace llmcost
