// What `llmcost fit` shows and saves: the fit as a Report, as a catalog law (TOML that loss and
// optimal read with --data), and as a chart of the data with the fitted iso-FLOP curves.
#pragma once

#include <string>

#include "llmcost/catalog.hpp"
#include "llmcost/chart.hpp"
#include "llmcost/fit.hpp"
#include "llmcost/report.hpp"

namespace llmcost {

// Report keys: law_e, law_a, law_b, law_alpha, law_beta, exponent_a, exponent_b, objective,
// points, converged_starts, n_opt with --at-flops (and with a bootstrap <key>_se, <key>_lo95,
// <key>_hi95, n_opt_*); inputs rows, starts, huber_delta, drop_highest, bootstrap, at_flops.
Report fit_report(const FitData& data, const FitOptions& options, const FitResult& result);

// The fit as a hoffmann-form law record with id `id` (bootstrap standard errors when present).
Law law_from_fit(const FitResult& result, const std::string& id, const std::string& source);

// A [[law]] TOML record that Catalog::load_text reads back.
std::string law_toml(const Law& law);

// Where `--save-law NAME` writes: NAME.toml (NAME.toml as given works too) in the current folder,
// the law's id NAME. A path is not a name ("../x" or "sub/x" would write outside it): throws
// InputError "--save-law: expected a name of lower-case letters, digits, '-', '.' or '_' not
// starting with '.', got '../x'".
struct LawTarget {
  std::string file, id;
};
LawTarget law_target(const std::string& name);

// The source a saved fit names: "llmcost fit runs.csv (coarse grid, 245 points, objective 0.0008)".
std::string fit_law_source(const FitData& data, const FitOptions& options, const FitResult& result);

// The law file's text for `--save-law`, refused (InputError "--save-law: not saved: ...") when
// the fit is not a law the catalog would load.
std::string law_file_text(const FitResult& result, const std::string& id, const std::string& source);

// The data and the fit as a chart: loss against parameters (log scale), one series per compute
// budget C (rows grouped by log10 C to the nearest 0.25): its points, and the fitted loss along
// its iso-FLOP curve L(N, C / 6N). render_svg (llmcost/chart.hpp) draws it.
Chart fit_chart(const FitData& data, const FitResult& result);

}  // namespace llmcost
