// --plot (llmcost/chart.hpp): the charts of a report, for render_svg_column: a ranged result's
// distribution and what drives it (--uncertainty), a trend's costs by year, a plan's step-time
// breakdowns, a serve curve.
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
  for (size_t i = 0; i < d.shares.size(); ++i)
    tornado.y_names.emplace_back(n - static_cast<double>(i), d.shares[i].first);
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

namespace {

// The year in a key "<prefix>YYYY<suffix>", or 0.
int year_of(const std::string& key, const std::string& prefix, const std::string& suffix) {
  if (key.size() != prefix.size() + 4 + suffix.size() || key.rfind(prefix, 0) != 0 ||
      key.compare(key.size() - suffix.size(), suffix.size(), suffix) != 0)
    return 0;
  int year = 0;
  for (size_t i = prefix.size(); i < prefix.size() + 4; ++i) {
    if (key[i] < '0' || key[i] > '9') return 0;
    year = year * 10 + (key[i] - '0');
  }
  return year;
}

// One chart of a trend: the rows `prefix`YYYY_usd as a line (with their interval as two dashed
// lines when ranged), `actual_prefix` rows as markers.
Chart trend_chart(const Report& r, const std::string& prefix, const std::string& actual_prefix, Text title,
                  Text y_label) {
  Chart c;
  c.title = std::move(title);
  ChartSeries line, low, high, actual;
  line.label = Text::of("trend");
  line.colour = "steelblue";
  low.colour = high.colour = "lightsteelblue";
  low.label = Text::of("interval (--uncertainty)");
  actual.label = Text::of("catalog prices and published MFU");
  actual.colour = "darkorange";
  double lo = INFINITY, hi = 0, first = INFINITY, last = 0;
  const auto extend = [&](double x, double y) {
    if (!(y > 0)) return;
    lo = std::min(lo, y), hi = std::max(hi, y), first = std::min(first, x), last = std::max(last, x);
  };
  for (const Row& row : r.rows) {
    if (row.companion) continue;
    if (const int year = year_of(row.key, prefix, "_usd")) {
      line.line.push_back({double(year), row.value}), extend(year, row.value);
      if (std::isfinite(row.low)) {
        low.line.push_back({double(year), row.low}), high.line.push_back({double(year), row.high});
        extend(year, row.low), extend(year, row.high);
      }
    } else if (const int y = actual_prefix.empty() ? 0 : year_of(row.key, actual_prefix, "_usd")) {
      actual.points.push_back({double(y), row.value}), extend(y, row.value);
    }
  }
  c.x = ChartAxis{Text::of("year"), Unit::exact, false, first - 0.5, last + 0.5};
  c.y = ChartAxis{std::move(y_label), Unit::usd, true, std::pow(10, std::floor(std::log10(lo))),
                  std::pow(10, std::ceil(std::log10(hi)))};
  c.series = {line};
  if (!low.line.empty()) c.series.push_back(low), c.series.push_back(high);
  if (!actual.points.empty()) c.series.push_back(actual);
  return c;
}

}  // namespace

// Stacked bars of the report's breakdowns (plan: each listed layout's step time, the best on
// top), one colour per part across the bars.
Chart breakdown_chart(const Report& r) {
  Chart c;
  c.title = Text::of("{}: where the step time goes, best layout on top", r.title);
  const char* colours[] = {"steelblue", "lightsteelblue", "darkorange", "gold",
                           "orchid",    "seagreen",       "silver",     "sienna"};
  const double n = static_cast<double>(r.breakdowns.size());
  std::vector<ChartSeries> parts;
  ChartSeries totals;
  totals.colour = "black";
  double longest = 0;
  for (size_t i = 0; i < r.breakdowns.size(); ++i) {
    const Breakdown& b = r.breakdowns[i];
    const double y = n - static_cast<double>(i);
    double x = 0;
    for (size_t k = 0; k < b.parts.size(); ++k) {
      if (parts.size() <= k) {
        parts.emplace_back();
        parts[k].label = Text::of("{}", b.parts[k].first);
        parts[k].colour = colours[k % std::size(colours)];
      }
      if (!(b.parts[k].second > 0)) continue;
      parts[k].bars.push_back({x, x + b.parts[k].second, y - 0.35, y + 0.35});
      x += b.parts[k].second;
    }
    totals.points.push_back({x, y});
    longest = std::max(longest, x);
  }
  for (ChartSeries& s : parts)
    if (!s.bars.empty()) c.series.push_back(s);
  totals.label = Text::of("step time of each layout (notes list them in order)");
  c.series.push_back(totals);
  c.x = ChartAxis{Text::of("seconds per optimizer step"), Unit::seconds, false, 0, longest * 1.05};
  c.y = ChartAxis{Text::of("layouts, by rank"), Unit::count, false, 0, n + 1};
  for (size_t i = 0; i < r.breakdowns.size(); ++i)
    c.y_names.emplace_back(n - static_cast<double>(i), std::to_string(i + 1));
  return c;
}

// A curve the estimator traced: a line through its points, each point's tag in its marker's
// tooltip, the chosen point marked.
Chart curve_chart(const Curve& cv) {
  Chart c;
  c.title = cv.title;
  double xlo = INFINITY, xhi = 0, yhi = 0;
  ChartSeries line;
  line.colour = "steelblue";
  line.label = Text::of("batch {} to {}", Quantity{cv.tags.empty() ? 0 : cv.tags.front(), Unit::count},
                        Quantity{cv.tags.empty() ? 0 : *std::max_element(cv.tags.begin(), cv.tags.end()), Unit::count});
  std::vector<std::pair<double, double>> sorted = cv.points;
  std::sort(sorted.begin(), sorted.end());
  for (const auto& [x, y] : sorted) {
    line.line.push_back({x, y}), line.points.push_back({x, y});
    xlo = std::min(xlo, x), xhi = std::max(xhi, x), yhi = std::max(yhi, y);
  }
  c.x = ChartAxis{cv.x_label, cv.x_unit, true, std::pow(10, std::floor(std::log10(xlo))),
                  std::pow(10, std::ceil(std::log10(xhi)))};
  c.y = ChartAxis{cv.y_label, cv.y_unit, false, 0, yhi * 1.1};
  c.series = {line};
  if (cv.marked >= 0 && static_cast<size_t>(cv.marked) < cv.points.size()) {
    ChartSeries chosen;
    chosen.colour = "crimson";
    chosen.label = Text::of("planned: batch {}", Quantity{cv.tags[static_cast<size_t>(cv.marked)], Unit::count});
    chosen.points = {
        {cv.points[static_cast<size_t>(cv.marked)].first, cv.points[static_cast<size_t>(cv.marked)].second}};
    c.series.push_back(chosen);
  }
  return c;
}

std::vector<Chart> report_charts(const Report& report) {
  if (!report.curves.empty() && report.distributions.empty()) {
    std::vector<Chart> out;
    for (const Curve& cv : report.curves)
      if (!cv.points.empty()) out.push_back(curve_chart(cv));
    return out;
  }
  if (!report.breakdowns.empty() && report.distributions.empty()) return {breakdown_chart(report)};
  if (report.kind == "trend") {
    return {trend_chart(report, "train_cost_", "actual_train_cost_",
                        Text::of("{}: training cost by year", report.title), Text::of("training cost")),
            trend_chart(report, "infer_cost_per_1k_tokens_", "",
                        Text::of("{}: inference per 1K tokens by year", report.title),
                        Text::of("inference cost per 1K tokens"))};
  }
  return uncertainty_charts(report);
}

}  // namespace llmcost
