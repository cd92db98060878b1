// Scenario inputs through the shared field tables: each input bound to its field once, values
// applied with errors placed at the input (file:line:col, field). Used by single-point scenarios
// and by sweeps.
#pragma once

#include <fmt/format.h>

#include <filesystem>
#include <string>
#include <vector>

#include "llmcost/catalog.hpp"
#include "llmcost/error.hpp"
#include "llmcost/text.hpp"
#include "llmcost/fields.hpp"
#include "llmcost/scenario.hpp"

namespace llmcost {

// The field of each scenario input, in order; an unknown name is an InputError with a suggestion.
template <class Inputs>
std::vector<const Field<Inputs>*> bind_fields(const Scenario& s, const std::vector<Field<Inputs>>& fields) {
  std::vector<const Field<Inputs>*> out;
  for (const auto& input : s.inputs) {
    const Field<Inputs>* f = find_field(fields, input.name);
    if (!f) {
      std::vector<std::string> names;
      for (const auto& field : fields) names.emplace_back(field.name);
      throw InputError(fmt::format("{}: field '{}': {}", input.origin.str(), input.name,
                                   unknown_id_message(s.kind + " input", input.name, names)));
    }
    out.push_back(f);
  }
  return out;
}

// Sets `input`'s value number `value` through `field`; errors name the input's place.
// A file an input names (a field whose value is a FILE) is relative to the scenario file, not
// to where llmcost runs.
template <class Inputs>
void apply_input(Inputs& in, const Field<Inputs>& field, const ScenarioInput& input, size_t value) {
  namespace fs = std::filesystem;
  const std::string& text = input.values[value];
  std::string resolved;  // only file fields pay for a path (sweeps call this once per point)
  if (field.hint == "FILE" && !text.empty() && fs::path(text).is_relative()) {
    const fs::path dir = fs::path(input.origin.file).parent_path();
    if (!dir.empty()) resolved = (dir / text).lexically_normal().string();
  }
  try {
    field.set(in, resolved.empty() ? text : resolved);
  } catch (const InputError& e) {
    throw InputError(fmt::format("{}: field '{}': {}", input.origin.str(), input.name, e.what()));
  } catch (const EnvError& e) {
    throw EnvError(fmt::format("{}: field '{}': {}", input.origin.str(), input.name, e.what()));
  }
}

}  // namespace llmcost
