// Scenario inputs through the kind's field table: each input bound to its field once, values
// applied with errors placed at the input (file:line:col, field). Single points and sweeps use it.
#pragma once

#include <fmt/format.h>

#include <string>
#include <vector>

#include "llmcost/error.hpp"
#include "llmcost/estimate.hpp"
#include "llmcost/scenario.hpp"
#include "llmcost/text.hpp"

namespace llmcost {

// The scenario's kind; InputError at `kind` when the registry has none of that name.
const EstimateKind& scenario_kind(const Scenario& s);

// The field index of each scenario input, in order; an unknown name is an InputError with a
// suggestion.
std::vector<size_t> bind_fields(const Scenario& s, const EstimateKind& kind);

// The text to set for value number `value` of `input`: a file an input names (a field whose value
// is a FILE) is relative to the scenario file, not to where llmcost runs.
std::string input_text(const FieldInfo& field, const ScenarioInput& input, size_t value);

// Sets value number `value` of `input` into `target` (an InputSet or a PointEvaluator) as field
// `field`; errors name the input's place.
template <class Target>
void apply_input(Target& target, const EstimateKind& kind, size_t field, const ScenarioInput& input, size_t value) {
  try {
    target.set(field, input_text(kind.fields()[field], input, value));
  } catch (const InputError& e) {
    throw InputError(fmt::format("{}: field '{}': {}", input.origin.str(), input.name, e.what()));
  } catch (const EnvError& e) {
    throw EnvError(fmt::format("{}: field '{}': {}", input.origin.str(), input.name, e.what()));
  }
}

}  // namespace llmcost
