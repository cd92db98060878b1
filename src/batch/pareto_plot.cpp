#include "llmcost/pareto_plot.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace llmcost {
namespace {

constexpr size_t kSample = 2000;  // markers drawn for the cloud of plans

}  // namespace

void ParetoPlot::begin(const Scenario& scenario, const SweepResult& shape) {
  if (inner_) inner_->begin(scenario, shape);
  const auto at = [&](const char* key) { return std::find(shape.keys.begin(), shape.keys.end(), key); };
  active_ = at("cost_usd") != shape.keys.end() && at("wall_time_s") != shape.keys.end();
  if (!active_) return;
  width_ = shape.width();
  cost_ = shape.axes.size() + static_cast<size_t>(at("cost_usd") - shape.keys.begin());
  time_ = shape.axes.size() + static_cast<size_t>(at("wall_time_s") - shape.keys.begin());
  name_ = scenario.name.empty() ? scenario.file : scenario.name;
  front_.clear(), sample_.clear(), seen_ = 0, rng_.seed(1);
}

void ParetoPlot::rows(const double* rows, size_t count) {
  if (inner_) inner_->rows(rows, count);
  if (!active_) return;
  for (size_t i = 0; i < count; ++i) {
    const double cost = rows[i * width_ + cost_], time = rows[i * width_ + time_];
    if (!(cost > 0 && time > 0) || !std::isfinite(cost) || !std::isfinite(time)) continue;
    // Reservoir sampling: every row has the same chance to be drawn.
    ++seen_;
    if (sample_.size() < kSample) {
      sample_.push_back({time, cost});
    } else if (const std::uint64_t j = rng_() % seen_; j < kSample) {
      sample_[j] = {time, cost};
    }
    // The front: no plan both faster and cheaper.
    auto next = front_.upper_bound(time);
    if (next != front_.begin() && std::prev(next)->second <= cost) continue;  // dominated
    front_[time] = cost;
    for (auto it = front_.upper_bound(time); it != front_.end() && it->second >= cost;) it = front_.erase(it);
  }
}

void ParetoPlot::end(bool complete) {
  if (inner_) inner_->end(complete);
  if (!active_ || !complete || front_.empty()) return;
  active_ = false;
  double tlo = INFINITY, thi = 0, clo = INFINITY, chi = 0;
  for (const ChartPoint& p : sample_) {
    tlo = std::min(tlo, p.x), thi = std::max(thi, p.x), clo = std::min(clo, p.y), chi = std::max(chi, p.y);
  }
  for (const auto& [t, c] : front_) {
    tlo = std::min(tlo, t), thi = std::max(thi, t), clo = std::min(clo, c), chi = std::max(chi, c);
  }
  Chart chart;
  chart.title = Text::of("{}: cost against wall time", name_);
  const auto axis = [](Text label, Unit unit, double lo, double hi) {
    return ChartAxis{std::move(label), unit, true, std::pow(10, std::floor(std::log10(lo))),
                     std::pow(10, std::ceil(std::log10(hi)))};
  };
  chart.x = axis(Text::of("wall-clock time"), Unit::seconds, tlo, thi);
  chart.y = axis(Text::of("cost"), Unit::usd, clo, chi);
  ChartSeries cloud;
  cloud.label = Text::of("{} of {} plans kept", Quantity{double(sample_.size()), Unit::count},
                         Quantity{double(seen_), Unit::count});
  cloud.colour = "silver";
  cloud.points = sample_;
  ChartSeries front;
  front.label = Text::of("Pareto front ({} plans)", Quantity{double(front_.size()), Unit::count});
  front.colour = "crimson";
  for (const auto& [t, c] : front_) front.line.push_back({t, c}), front.points.push_back({t, c});
  chart.series = {cloud, front};
  charts_.push_back(std::move(chart));
}

}  // namespace llmcost
