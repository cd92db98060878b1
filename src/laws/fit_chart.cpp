// fit_chart: the rows of a fit and the fitted law along each compute budget's iso-FLOP curve, as
// a Chart that the report layer's render_svg draws.
#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "llmcost/chart.hpp"
#include "llmcost/fit_report.hpp"
#include "llmcost/law.hpp"

namespace llmcost {
namespace {

constexpr int kCurveSteps = 60;  // segments of each iso-FLOP curve across the chart

// The rows by compute budget C = 6·N·D: log10 C rounded to the nearest 0.25 → the rows.
std::map<double, std::vector<FitPoint>> by_budget(const std::vector<FitPoint>& points) {
  std::map<double, std::vector<FitPoint>> out;
  for (const FitPoint& p : points) out[std::round(std::log10(6 * p.params * p.tokens) * 4) / 4].push_back(p);
  return out;
}

// The axes: N from a tenth of a decade below the smallest to above the largest; loss over the
// rows' range with a tenth of it (and 1e-3) to spare on each side.
void set_ranges(Chart& chart, const std::vector<FitPoint>& points) {
  double n_lo = 1e300, n_hi = 0, y_lo = 1e300, y_hi = 0;
  for (const FitPoint& p : points) {
    n_lo = std::min(n_lo, p.params), n_hi = std::max(n_hi, p.params);
    y_lo = std::min(y_lo, p.loss), y_hi = std::max(y_hi, p.loss);
  }
  chart.x.lo = n_lo / std::pow(10, 0.1), chart.x.hi = n_hi * std::pow(10, 0.1);
  const double pad = (y_hi - y_lo) * 0.1 + 1e-3;
  chart.y.lo = y_lo - pad, chart.y.hi = y_hi + pad;
}

// The fitted loss L(N, C / 6N) at N log-spaced across the x axis (NaN for a law with no meaning:
// the renderer leaves such points out, as it does those off the chart).
std::vector<ChartPoint> iso_flop_curve(const Law& law, double flops, const ChartAxis& x) {
  std::vector<ChartPoint> curve;
  const double lo = std::log10(x.lo), hi = std::log10(x.hi);
  for (int k = 0; k <= kCurveSteps; ++k) {
    const double n = std::pow(10, lo + (hi - lo) * k / kCurveSteps);
    curve.push_back({n, law_loss(law, n, flops / (6 * n)).loss});
  }
  return curve;
}

}  // namespace

Chart fit_chart(const FitData& data, const FitResult& result) {
  Chart chart;
  chart.title = Text::of("{}: loss vs parameters, fitted iso-FLOP curves", data.origin);
  chart.x = ChartAxis{"parameters N", Unit::params, true};
  chart.y = ChartAxis{"loss (nats/token)", Unit::number, false};
  set_ranges(chart, data.points);
  for (const auto& [log_c, points] : by_budget(data.points)) {
    const double c = std::pow(10, log_c);
    ChartSeries s;
    s.label = Text::of("C = {}", Quantity{c, Unit::flop});
    s.line = iso_flop_curve(result.law, c, chart.x);
    for (const FitPoint& p : points) s.points.push_back({p.params, p.loss});
    chart.series.push_back(std::move(s));
  }
  return chart;
}

}  // namespace llmcost
