// What every `--uncertainty` estimate shares: its flags, their checks, and the rows it adds
// (docs/uncertainty.md §1): percentiles as companion rows, the interval beside the headline value,
// and the ranking of the inputs that drive it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "estimate/field_parsers.hpp"
#include "estimate/kind.hpp"
#include "llmcost/catalog.hpp"
#include "llmcost/report.hpp"
#include "llmcost/uncertainty.hpp"
#include "llmcost/units.hpp"

namespace llmcost {

// The checked settings of a run with --uncertainty.
struct McSettings {
  size_t samples = 10000;
  double interval = 90;  // percent
  std::uint64_t seed = 1;
  int threads = 1;
  std::vector<double> percentiles;  // reported beside the interval's and the median
  double low_percentile() const { return (100 - interval) / 2; }
  double high_percentile() const { return 100 - low_percentile(); }
  // The percentiles a range reports: the interval's low end, the median, its high end, then
  // --percentiles (those with a tag of their own).
  std::vector<double> reported() const;
  // "Monte Carlo, 10000 Latin-hypercube samples (seed 1) of "
  std::string method() const;
};

// The settings, or nullopt without --uncertainty (then --samples, --interval, --seed and
// --threads are refused as inapplicable).
std::optional<McSettings> mc_settings(const UncertaintyOptions& o);

// For the result row `key` (skipped when absent, or when a value is not finite: then a note):
// companion rows <key>_pLO, <key>_p50, <key>_pHI with `method`, the interval on the row itself
// and, when `ids` name the inputs whose standard scores are `scores[i][k]`, the text result
// sensitivity_<key>: each input's share of the variance of log(value) (positive values only).
void add_range_rows(Report& r, const std::string& key, std::vector<double> values, const McSettings& s,
                    const std::string& method, const std::vector<std::string>& ids = {},
                    const std::vector<std::vector<double>>& scores = {});

// Inputs whose share of a result's variance is below this are left out of its ranking.
inline constexpr double kMinShare = 0.005;

// --uncertainty for an estimator without a compute step of its own: every spread assumption of
// the catalog is drawn by Latin hypercube, and `estimate` (the estimator itself, without
// --uncertainty) runs at every sample on a copy of the catalog holding the sampled values; each of
// `keys` the spreads move gets its range, and the inputs that move none are left out. A note when
// nothing moves.
void add_catalog_ranges(Report& r, const Catalog& cat, const UncertaintyOptions& o,
                        const std::vector<std::string>& patterns,
                        const std::function<Report(const Catalog&)>& estimate);

// An estimator with --uncertainty through add_catalog_ranges: `point` is the estimator without it;
// `keys` may end in '*' to take every result row with that prefix ("train_cost_*").
template <class Inputs>
Report with_catalog_ranges(const Inputs& in, const Catalog& cat, Report (*point)(const Inputs&, const Catalog&),
                           const std::vector<std::string>& keys) {
  Report r = point(in, cat);
  if (!in.uncertainty.on) {
    (void)mc_settings(in.uncertainty);  // refuses --samples and the rest without --uncertainty
    return r;
  }
  Inputs certain = in;
  certain.uncertainty = {};
  add_catalog_ranges(r, cat, in.uncertainty, keys, [&](const Catalog& sampled) { return point(certain, sampled); });
  return r;
}

// "80,99" → {80, 99}: each strictly between 0 and 100.
std::vector<double> parse_percentiles(std::string_view text);

// The --uncertainty, --samples, --interval, --seed, --threads and --percentiles fields of a kind whose inputs
// have `UncertaintyOptions uncertainty`; `what` says what gets a range. `samples` names the
// sample-count flag (search's own --samples counts answers: it takes --mc-samples).
template <class Inputs>
void add_uncertainty_fields(std::vector<Field<Inputs>>& f, std::string_view what,
                            std::string_view samples = "samples") {  // or "mc-samples"
  f.push_back({"uncertainty", "", what, [](Inputs& in, std::string_view t) { in.uncertainty.on = parse_bool(t); }});
  if (samples == "samples") {
    f.push_back({"samples", "N", "Monte Carlo samples with --uncertainty (default 10,000)",
                 [](Inputs& in, std::string_view t) { in.uncertainty.samples = parse_whole(t, "samples"); }});
  } else {
    f.push_back({"mc-samples", "N", "Monte Carlo samples with --uncertainty (default 10,000)",
                 [](Inputs& in, std::string_view t) {
                   in.uncertainty.samples = parse_whole(t, "samples");
                   in.uncertainty.samples_flag = "--mc-samples";
                 }});
  }
  f.push_back({"interval", "PERCENT",
               "central interval with --uncertainty, e.g. 90 (default 90: 5th to 95th percentile)",
               [](Inputs& in, std::string_view t) { in.uncertainty.interval = parse_positive(t); }});
  f.push_back({"seed", "N", "random seed with --uncertainty (default 1): the same seed gives the same ranges",
               [](Inputs& in, std::string_view t) { in.uncertainty.seed = parse_whole(t, "seed"); }});
  f.push_back(
      {"threads", "N", "threads for --uncertainty (default 1, 0 for all cores): the ranges do not depend on it",
       [](Inputs& in, std::string_view t) { in.uncertainty.threads = t == "0" ? 0 : parse_whole(t, "threads"); }});
  f.push_back({"percentiles", "LIST",
               "more percentiles with --uncertainty, e.g. 80,99: rows <key>_p80, <key>_p99 (what a scenario's "
               "probability expectation reads)",
               [](Inputs& in, std::string_view t) { in.uncertainty.percentiles = parse_percentiles(t); }});
}

}  // namespace llmcost
