#include "batch/scenario_inputs.hpp"

#include <filesystem>

namespace llmcost {

const EstimateKind& scenario_kind(const Scenario& s) {
  const EstimateKind* kind = find_kind(s.kind);
  if (!kind) throw InputError(fmt::format("{}: field 'kind': expected {}, got '{}'", s.file, kind_names(), s.kind));
  return *kind;
}

std::vector<size_t> bind_fields(const Scenario& s, const EstimateKind& kind) {
  std::vector<size_t> out;
  for (const auto& input : s.inputs) {
    const std::optional<size_t> f = kind.field_index(input.name);
    if (!f) {
      throw InputError(fmt::format("{}: field '{}': {}", input.origin.str(), input.name,
                                   unknown_id_message(s.kind + " input", input.name, kind.field_names())));
    }
    out.push_back(*f);
  }
  return out;
}

std::string input_text(const FieldInfo& field, const ScenarioInput& input, size_t value) {
  namespace fs = std::filesystem;
  const std::string& text = input.values[value];
  // Only file fields pay for a path (sweeps call this once per changed point).
  if (field.is_file() && !text.empty() && fs::path(text).is_relative()) {
    const fs::path dir = fs::path(input.origin.file).parent_path();
    if (!dir.empty()) return (dir / text).lexically_normal().string();
  }
  return text;
}

void apply_scenario_inputs(const Scenario& s, InputSet& inputs) {
  const EstimateKind& kind = scenario_kind(s);
  const std::vector<size_t> fields = bind_fields(s, kind);
  for (size_t i = 0; i < s.inputs.size(); ++i) apply_input(inputs, kind, fields[i], s.inputs[i], 0);
}

Report evaluate_scenario(const Scenario& s, const Catalog& catalog) {
  const std::unique_ptr<InputSet> inputs = scenario_kind(s).make_inputs();
  apply_scenario_inputs(s, *inputs);
  Report r = inputs->estimate(catalog);
  require_finite(r);
  return r;
}

}  // namespace llmcost
