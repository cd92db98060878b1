// `llmcost run --plot FILE.svg`: a RowSink that watches a sweep's kept rows as they stream past (no
// row stays in memory beyond a bounded sample) and draws cost against wall time with the Pareto
// front of the plans no other plan beats on both.
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "llmcost/chart.hpp"
#include "llmcost/sweep.hpp"

namespace llmcost {

class ParetoPlot final : public RowSink {
 public:
  // `inner`: the sink the rows go on to (the --rows file), or nullptr.
  explicit ParetoPlot(RowSink* inner) : inner_(inner) {}

  void begin(const Scenario& scenario, const SweepResult& shape) override;
  void rows(const double* rows, size_t count) override;
  void end(bool complete) override;

  // The charts of the sweeps that had cost_usd and wall_time_s, one per sweep, in order.
  const std::vector<Chart>& charts() const { return charts_; }

 private:
  RowSink* inner_;
  std::vector<Chart> charts_;
  bool active_ = false;  // this sweep has both keys
  size_t width_ = 0, cost_ = 0, time_ = 0;
  std::string name_;
  std::map<double, double> front_;  // wall time → the lowest cost at that time or sooner
  std::vector<ChartPoint> sample_;  // a uniform sample of the rows (reservoir)
  std::uint64_t seen_ = 0;
  std::mt19937_64 rng_{1};
};

}  // namespace llmcost
