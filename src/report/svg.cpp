// render_svg: a Chart as a standalone SVG document. A few dozen lines of our own: one chart of
// points and lines does not justify a plotting dependency.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "llmcost/chart.hpp"
#include "llmcost/format.hpp"
#include "llmcost/text.hpp"
#include "report/layout.hpp"

namespace llmcost {
namespace {

// The plot area inside the 720 × 480 canvas: margins left, right, top, bottom; the legend column
// is added to the right of it.
constexpr double kWidth = 720, kHeight = 480, kLeft = 70, kRight = 20, kTop = 30, kBottom = 50;
constexpr double kLegendWidth = 170, kLegendRow = 16;

std::string words(const Text& text) {
  return xml_escape(render_text(text));
}

// The legend column: wide enough for the longest label at about 7 px a character, at least 170.
double legend_width(const Chart& c) {
  size_t longest = 0;
  for (const ChartSeries& s : c.series)
    if (!s.label.empty()) longest = std::max(longest, display_width(render_text(s.label)));
  return std::max(kLegendWidth, 34 + 7.0 * static_cast<double>(longest));
}

// Data value → pixel along one axis: [lo, hi] (log10 of them on a log axis) onto [from, to].
struct Scale {
  const ChartAxis& axis;
  double from, to;
  // Where `v` falls: 0 at lo, 1 at hi; not finite for a value a log axis cannot show.
  double fraction(double v) const {
    return axis.log ? (std::log10(v) - std::log10(axis.lo)) / (std::log10(axis.hi) - std::log10(axis.lo))
                    : (v - axis.lo) / (axis.hi - axis.lo);
  }
  double operator()(double v) const { return from + fraction(v) * (to - from); }
  // On the axis, give or take rounding (10^log10(lo) need not be lo).
  bool shows(double v) const {
    const double t = fraction(v);
    return std::isfinite(t) && t >= -1e-9 && t <= 1 + 1e-9;
  }
};

// Tick values: every whole power of ten in the range on a log axis, else 5 evenly spaced values;
// none for a range the axis cannot show.
std::vector<double> ticks(const ChartAxis& axis) {
  std::vector<double> out;
  if (!(axis.lo < axis.hi) || !std::isfinite(axis.hi)) return out;
  if (axis.log) {
    if (!(axis.lo > 0)) return out;
    const double hi = std::log10(axis.hi);
    for (double e = std::ceil(std::log10(axis.lo)); e <= hi; ++e) out.push_back(std::pow(10, e));
  } else {
    for (int i = 0; i <= 4; ++i) out.push_back(axis.lo + (axis.hi - axis.lo) * i / 4);
  }
  return out;
}

std::string frame(const Chart& c, const Scale& px, const Scale& py, int legend_rows) {
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" font-family=\"sans-serif\" "
      "font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
      legend_rows > 0 ? kWidth + legend_width(c) : kWidth, std::max(kHeight, kTop + kLegendRow * legend_rows));
  svg += fmt::format("<text x=\"{}\" y=\"18\">{}</text>\n", kLeft, words(c.title));
  svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"black\"/>\n", kLeft, kHeight - kBottom,
                     kWidth - kRight);
  svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"black\"/>\n", kLeft, kTop,
                     kHeight - kBottom);
  for (double v : ticks(c.x)) {
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", px(v), kHeight - kBottom + 18,
                       xml_escape(format_value(v, c.x.unit)));
  }
  // Named categories instead of numbers: short names left of the axis, longer ones above their row.
  bool short_names = true;
  for (const auto& [v, name] : c.y_names) short_names = short_names && display_width(name) <= 6;
  for (const auto& [v, name] : c.y_names) {
    svg += short_names ? fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", kLeft - 6,
                                     py(v) + 4, xml_escape(name))
                       : fmt::format("<text x=\"{}\" y=\"{:.1f}\">{}</text>\n", kLeft + 4, py(v) - 6, xml_escape(name));
  }
  if (c.y_names.empty())
    for (double v : ticks(c.y)) {
      svg += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", kLeft - 6, py(v) + 4,
                         xml_escape(format_value(v, c.y.unit)));
    }
  const double mid_y = (kTop + kHeight - kBottom) / 2;
  svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", (kLeft + kWidth - kRight) / 2,
                     kHeight - 12, words(c.x.label));
  svg += fmt::format("<text x=\"16\" y=\"{0}\" transform=\"rotate(-90 16 {0})\" text-anchor=\"middle\">{1}</text>\n",
                     mid_y, words(c.y.label));
  return svg;
}

// The line as one path, split where it leaves the chart; "" when no point is on it.
std::string path_of(const std::vector<ChartPoint>& line, const Scale& px, const Scale& py) {
  std::string d;
  bool broken = true;
  for (const ChartPoint& p : line) {
    if (!px.shows(p.x) || !py.shows(p.y)) {
      broken = true;
      continue;
    }
    d += fmt::format("{}{:.1f},{:.1f} ", broken ? "M" : "L", px(p.x), py(p.y));
    broken = false;
  }
  return d;
}

std::string series_svg(const ChartSeries& s, const std::string& colour, const Scale& px, const Scale& py) {
  std::string svg;
  const auto clamp_px = [](const Scale& sc, double v) {
    const double t = std::clamp(sc.fraction(v), 0.0, 1.0);
    return sc.from + t * (sc.to - sc.from);
  };
  for (const ChartBar& b : s.bars) {
    if (!std::isfinite(px.fraction(b.x0)) || !std::isfinite(px.fraction(b.x1)) || !std::isfinite(py.fraction(b.y0)) ||
        !std::isfinite(py.fraction(b.y1)))
      continue;
    const double x0 = clamp_px(px, b.x0), x1 = clamp_px(px, b.x1), y0 = clamp_px(py, b.y0), y1 = clamp_px(py, b.y1);
    svg += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"/>\n",
                       std::min(x0, x1), std::min(y0, y1), std::abs(x1 - x0), std::abs(y1 - y0), colour);
  }
  if (const std::string d = path_of(s.line, px, py); !d.empty()) {
    svg += fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"{}\"/>\n", d, colour);
  }
  const std::string title = s.label.empty() ? "" : fmt::format("<title>{}</title>", words(s.label));
  for (const ChartPoint& p : s.points) {
    if (!px.shows(p.x) || !py.shows(p.y)) continue;
    svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\">{}</circle>\n", px(p.x), py(p.y),
                       colour, title);
  }
  return svg;
}

// The series' own colour, else hue i/n of the colour wheel.
std::string colour_of(const ChartSeries& s, size_t i, size_t n) {
  if (!s.colour.empty()) return s.colour;
  return fmt::format("hsl({:.0f},70%,45%)", 360.0 * static_cast<double>(i) / static_cast<double>(n));
}

// One legend row: the series' line and marker, then its label.
std::string legend_row(const ChartSeries& s, const std::string& colour, int row) {
  const double x = kWidth + 4, y = kTop + kLegendRow * row;
  std::string svg;
  if (!s.line.empty()) {
    svg += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\"/>\n", x, y, x + 20, y, colour);
  }
  if (!s.points.empty()) svg += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{}\"/>\n", x + 10, y, colour);
  if (!s.bars.empty())
    svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"20\" height=\"8\" fill=\"{}\"/>\n", x, y - 4, colour);
  return svg + fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", x + 26, y + 4, words(s.label));
}

}  // namespace

std::string render_svg_column(const std::vector<Chart>& charts) {
  std::string inner;
  double width = 0, y = 0;
  for (const Chart& c : charts) {
    int legend_rows = 0;
    for (const ChartSeries& s : c.series) legend_rows += s.label.empty() ? 0 : 1;
    width = std::max(width, legend_rows > 0 ? kWidth + legend_width(c) : kWidth);
    std::string one = render_svg(c);
    one.replace(0, 4, fmt::format("<svg y=\"{}\"", y));  // placed below the ones before
    inner += one;
    y += std::max(kHeight, kTop + kLegendRow * legend_rows);
  }
  return fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\">\n", width, y) + inner +
         "</svg>\n";
}

std::string render_svg(const Chart& c) {
  int legend_rows = 0;
  for (const ChartSeries& s : c.series) legend_rows += s.label.empty() ? 0 : 1;
  const Scale px{c.x, kLeft, kWidth - kRight}, py{c.y, kHeight - kBottom, kTop};
  std::string svg = frame(c, px, py, legend_rows);
  int row = 0;
  for (size_t i = 0; i < c.series.size(); ++i) {
    const ChartSeries& s = c.series[i];
    const std::string colour = colour_of(s, i, c.series.size());
    svg += series_svg(s, colour, px, py);
    if (!s.label.empty()) svg += legend_row(s, colour, row++);
  }
  return svg + "</svg>\n";
}

}  // namespace llmcost
