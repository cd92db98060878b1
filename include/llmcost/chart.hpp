// A chart as data: axes, and series of markers and lines, for a renderer to draw (render_svg).
// Whoever builds one hands over numbers with units; the renderer formats tick labels and the
// numbers inside titles and legends, like every other renderer of the report layer.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "llmcost/report.hpp"

namespace llmcost {

struct ChartPoint {
  double x = 0, y = 0;
};

// A filled rectangle in data units (a bar, or one segment of a stacked bar).
struct ChartBar {
  double x0 = 0, x1 = 0, y0 = 0, y1 = 0;
};

struct ChartAxis {
  Text label;              // "parameters N"
  Unit unit = Unit::none;  // how tick labels are written (Unit::params: "10B")
  bool log = false;        // log10 scale: ticks at whole powers of ten; otherwise 5 evenly spaced ticks
  double lo = 0, hi = 1;   // the range shown, in data units (lo < hi; both > 0 on a log axis)
};

// One series: markers and a line in one colour, with one legend entry.
struct ChartSeries {
  Text label;                      // legend entry and each marker's tooltip; empty: neither
  std::string colour;              // an SVG colour; empty: the renderer picks one hue per series
  std::vector<ChartPoint> line;    // drawn through in order; points off the y range or not finite
                                   // are left out and split the line
  std::vector<ChartPoint> points;  // markers, drawn over the line
  std::vector<ChartBar> bars;      // filled, under the line and markers; clipped to the axes
};

struct Chart {
  Text title;
  ChartAxis x, y;
  std::vector<ChartSeries> series;                      // drawn in order; a legend lists the labelled ones
  std::vector<std::pair<double, std::string>> y_names;  // categories at these y values instead of y ticks
};

// The chart as a standalone SVG document (720 × 480 plus a legend column when a series has a
// label). Text is XML-escaped.
std::string render_svg(const Chart& chart);

// Charts one above the other in one SVG document.
std::string render_svg_column(const std::vector<Chart>& charts);

// --plot with --uncertainty: the distribution of the report's first ranged result (its cumulative
// probability, the interval and the point estimate marked) and, below, the share of its variance
// each input drives. Empty when the report has no distribution.
std::vector<Chart> uncertainty_charts(const Report& report);

// What --plot draws for a report: a plan's step time as a stacked bar of where it goes (compute,
// recomputation, communication, bubble, optimizer); a trend's costs by year (training, with the catalog's actual
// costs as markers; inference per 1K tokens), with their intervals under --uncertainty; else the
// uncertainty charts. Empty when there is nothing to draw.
std::vector<Chart> report_charts(const Report& report);

}  // namespace llmcost
