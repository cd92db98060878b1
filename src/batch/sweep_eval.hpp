// Point evaluators for sweeps: one per thread, each holding its own inputs so that a point only
// re-parses the axes that changed.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "llmcost/catalog.hpp"
#include "llmcost/scenario.hpp"

namespace llmcost {

class PointEvaluator {
 public:
  virtual ~PointEvaluator() = default;
  // Report keys written by evaluate(), in order.
  virtual const std::vector<std::string>& keys() const = 0;
  // Sets scenario input `input` to its value number `value`.
  virtual void set(size_t input, size_t value) = 0;
  // Evaluates the current point into out[0 .. keys().size()); NaN for a key the point lacks.
  virtual void evaluate(double* out) = 0;
};

// The evaluator for the scenario's kind, with every input at its first value.
std::unique_ptr<PointEvaluator> make_evaluator(const Scenario& scenario, const Catalog& catalog);

}  // namespace llmcost
