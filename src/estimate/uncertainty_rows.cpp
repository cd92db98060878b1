// Shared --uncertainty settings and rows (estimate/uncertainty_rows.hpp).
#include "estimate/uncertainty_rows.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>

#include "estimate/resolve.hpp"
#include "llmcost/error.hpp"
#include "llmcost/format.hpp"
#include "llmcost/text.hpp"
#include "llmcost/units.hpp"

namespace llmcost {

std::string McSettings::method() const {
  return fmt::format("Monte Carlo, {} Latin-hypercube samples (seed {}) of ", samples, seed);
}

std::vector<double> McSettings::reported() const {
  std::vector<double> ps{low_percentile(), 50.0, high_percentile()};
  for (const double p : percentiles)
    if (std::none_of(ps.begin(), ps.end(), [&](double q) { return percentile_tag(q) == percentile_tag(p); }))
      ps.push_back(p);
  return ps;
}

std::optional<McSettings> mc_settings(const UncertaintyOptions& o) {
  if (!o.on) {
    reject_inapplicable({{o.samples.has_value(), o.samples_flag},
                         {o.interval.has_value(), "--interval"},
                         {o.seed.has_value(), "--seed"},
                         {o.threads.has_value(), "--threads"},
                         {!o.percentiles.empty(), "--percentiles"}},
                        "--uncertainty");
    return std::nullopt;
  }
  McSettings s;
  const double samples = o.samples.value_or(10000), interval = o.interval.value_or(90);
  if (samples < 100 || samples > 1e7)
    throw InputError(fmt::format("{} {}: 100 to 10,000,000", o.samples_flag, samples));
  if (!(interval > 0 && interval < 100))
    throw InputError(fmt::format("--interval {}: a percentage below 100", interval));
  const double threads = o.threads.value_or(1);
  if (threads > 1024) throw InputError(fmt::format("--threads {}: at most 1024", threads));
  s.samples = static_cast<size_t>(samples);
  s.interval = interval;
  s.seed = static_cast<std::uint64_t>(o.seed.value_or(1));
  s.threads = static_cast<int>(threads);
  s.percentiles = o.percentiles;
  return s;
}

std::vector<double> parse_percentiles(std::string_view text) {
  std::vector<double> out;
  for (const std::string& item : split(text, ',')) {
    const double p = parse_number(trim(item));
    if (!(p > 0 && p < 100)) throw InputError(fmt::format("expected percentiles between 0 and 100, got '{}'", item));
    out.push_back(p);
  }
  return out;
}

namespace {

// Whether the samples of a result differ by more than rounding.
bool varies(const std::vector<double>& v) {
  if (v.empty()) return false;
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  return *hi - *lo > 1e-9 * std::max(std::abs(*hi), std::abs(*lo));
}

}  // namespace

void add_catalog_ranges(Report& r, const Catalog& cat, const UncertaintyOptions& o,
                        const std::vector<std::string>& patterns,
                        const std::function<Report(const Catalog&)>& estimate) {
  const std::optional<McSettings> mc = mc_settings(o);
  if (!mc) return;
  std::vector<std::string> keys;  // the patterns' result rows, in report order for a prefix
  for (const std::string& p : patterns) {
    if (p.empty() || p.back() != '*') {
      keys.push_back(p);
      continue;
    }
    const std::string prefix = p.substr(0, p.size() - 1);
    for (const Row& row : r.rows)
      if (!row.input && row.key.rfind(prefix, 0) == 0) keys.push_back(row.key);
  }
  // Every spread of the catalog is drawn: what the estimate does not take from it (an input the
  // user gave, an assumption another path reads) moves nothing and drops out of the rankings.
  std::vector<UncertainInput> inputs;
  std::vector<std::string> ids;
  for (const Assumption& a : cat.assumptions()) {
    const double* v = std::get_if<double>(&a.value);
    if (a.spread && v) inputs.push_back({a.id, *v, *a.spread}), ids.push_back(a.id);
  }
  const Sampled s = latin_hypercube(inputs, mc->samples, mc->seed);
  std::vector<std::vector<double>> out(keys.size(), std::vector<double>(mc->samples));
  for_samples(mc->samples, mc->threads, [&](size_t begin, size_t end) {
    Catalog local = cat;  // one per thread: the sampled values replace the assumptions'
    for (size_t k = begin; k < end; ++k) {
      for (size_t i = 0; i < ids.size(); ++i) local.set_assumption_value(ids[i], s.samples[k][i]);
      const Report x = estimate(local);
      for (size_t j = 0; j < keys.size(); ++j) {
        const Row* row = x.find(keys[j]);
        out[j][k] = row ? row->value : std::nan("");
      }
    }
  });
  // The inputs that move some result.
  std::vector<bool> moves(ids.size(), false);
  for (const std::vector<double>& v : out) {
    if (!varies(v) || !std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x) && x > 0; })) continue;
    const std::vector<double> shares = variance_shares(s.scores, v);
    for (size_t i = 0; i < shares.size(); ++i) moves[i] = moves[i] || shares[i] >= kMinShare;
  }
  std::vector<std::string> used;
  for (size_t i = 0; i < ids.size(); ++i)
    if (moves[i]) used.push_back(ids[i]);
  if (used.empty()) {
    r.notes.emplace_back(
        "--uncertainty: no spread in the catalog moves this estimate (the inputs it rests on are given or certain)");
    return;
  }
  const std::string names = join(used);
  r.add_context("uncertain_inputs", "Uncertain inputs (catalog spreads)", names, "docs/uncertainty.md §1");
  for (size_t j = 0; j < keys.size(); ++j)
    add_range_rows(r, keys[j], std::move(out[j]), *mc, mc->method() + "the spreads of: " + names, ids, s.scores);
}

void add_range_rows(Report& r, const std::string& key, std::vector<double> values, const McSettings& s,
                    const std::string& method, const std::vector<std::string>& ids,
                    const std::vector<std::vector<double>>& scores) {
  const Row* row = r.find(key);
  if (!row) return;
  const std::string label = row->label;  // copied: adding rows moves them
  const Unit unit = row->unit;
  const auto bad = std::count_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); });
  if (bad > 0) {
    r.notes.push_back(Text::of("--uncertainty: {} of {} samples give no finite {}: no range for it",
                               Quantity{double(bad), Unit::count}, Quantity{double(values.size()), Unit::count},
                               label));
    return;
  }
  // A result the spreads do not move (the cost of an estimate whose varied inputs only touch its
  // energy) gets no range.
  if (!varies(values)) return;
  // Which inputs drive it: shares of the variance of its logarithm (before sorting the values).
  Distribution dist;
  dist.key = key;
  std::vector<double> shares;
  const bool positive = std::all_of(values.begin(), values.end(), [](double v) { return v > 0; });
  if (!ids.empty() && positive) shares = variance_shares(scores, values);
  double low = 0, high = 0;
  for (const double p : s.reported()) {
    const double v = percentile(values, p);
    if (p < 50) low = v;
    if (p > 50) high = v;
    r.add_found(key + "_" + percentile_tag(p), label + ", " + percentile_tag(p), v, unit, method);
    r.rows.back().companion = true;
  }
  for (Row& main : r.rows) {
    if (main.key == key) main.low = low, main.high = high;
  }
  for (int p = 0; p <= 100; ++p) dist.percentiles.push_back(percentile(values, p));
  for (size_t i = 0; i < shares.size(); ++i)
    if (shares[i] >= kMinShare) dist.shares.emplace_back(ids[i], shares[i]);
  std::stable_sort(dist.shares.begin(), dist.shares.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  r.distributions.push_back(std::move(dist));
  if (shares.empty()) return;
  std::vector<size_t> order(shares.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return shares[a] > shares[b]; });
  std::string ranking;
  for (size_t i : order) {
    if (shares[i] < kMinShare) continue;  // inputs that do not move it
    ranking += fmt::format("{}{} {:.0f}%", ranking.empty() ? "" : ", ", ids[i], 100 * shares[i]);
  }
  r.add_text_result("sensitivity_" + key, "What moves " + label, ranking);
}

}  // namespace llmcost
