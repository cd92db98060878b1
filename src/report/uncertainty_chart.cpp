// --plot with --uncertainty (llmcost/chart.hpp): a ranged result's cumulative distribution and the
// inputs that drive it, as charts for render_svg_column.
#include <algorithm>
#include <cmath>

#include "llmcost/chart.hpp"

namespace llmcost {

std::vector<Chart> uncertainty_charts(const Report& report) {
  if (report.distributions.empty()) return {};
  const Distribution& d = report.distributions.front();
  const Row* row = report.find(d.key);
  if (!row || d.percentiles.size() != 101) return {};
  Chart cdf;
  cdf.title = Text::of("{}: cumulative probability over the Monte Carlo samples", row->label);
  const double lo = d.percentiles.front(), hi = d.percentiles.back();
  const double pad = (hi - lo) * 0.05 + 1e-12 * std::abs(hi);
  cdf.x = ChartAxis{Text::of("{}", row->label), row->unit, false, std::min(lo, row->value) - pad,
                    std::max(hi, row->value) + pad};
  cdf.y = ChartAxis{Text::of("cumulative probability"), Unit::fraction, false, 0, 1};
  ChartSeries curve;
  curve.label = Text::of("samples");
  curve.colour = "steelblue";
  for (size_t p = 0; p <= 100; ++p) curve.line.push_back({d.percentiles[p], static_cast<double>(p) / 100});
  ChartSeries interval;
  interval.label = Text::of("interval {} to {}", Quantity{row->low, row->unit}, Quantity{row->high, row->unit});
  interval.colour = "darkorange";
  interval.points = {{row->low, 0}, {row->high, 0}};
  interval.line = {{row->low, 0}, {row->high, 0}};
  ChartSeries point;
  point.label = Text::of("point estimate {}", Quantity{row->value, row->unit});
  point.colour = "black";
  point.line = {{row->value, 0}, {row->value, 1}};
  cdf.series = {curve, interval, point};
  if (d.shares.empty()) return {cdf};
  // A tornado of variance shares: one bar per input, the largest on top.
  Chart tornado;
  tornado.title = Text::of("What moves {}: share of its variance", row->label);
  tornado.x = ChartAxis{Text::of("share of the variance of log({})", row->label), Unit::fraction, false, 0, 1};
  const double n = static_cast<double>(d.shares.size());
  tornado.y = ChartAxis{Text::of("inputs, largest share on top"), Unit::none, false, 0, n + 1};
  for (size_t i = 0; i < d.shares.size(); ++i) {
    ChartSeries bar;
    bar.label = Text::of("{} {}", d.shares[i].first, Quantity{d.shares[i].second, Unit::fraction});
    const double y = n - static_cast<double>(i);
    bar.line = {{0, y}, {d.shares[i].second, y}};
    bar.points = {{d.shares[i].second, y}};
    tornado.series.push_back(bar);
  }
  return {cdf, tornado};
}

}  // namespace llmcost
