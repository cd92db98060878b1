#include "llmcost/scenario.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "batch/expectation.hpp"
#include "batch/scenario_values.hpp"
#include "catalog/toml_record.hpp"
#include "llmcost/files.hpp"

namespace llmcost {

namespace {

std::string normalize_name(std::string name) {
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
}

}  // namespace

Scenario parse_scenario(std::string_view text, const std::string& origin) {
  const toml::table doc = parse_toml(text, origin);
  RecordReader r(doc, origin);
  Scenario s;
  s.file = origin;
  s.kind = r.string("kind");
  if (!find_kind(s.kind)) {
    field_error(*doc.get("kind"), origin, "kind", fmt::format("expected {}, got '{}'", kind_names(), s.kind));
  }
  s.name = r.opt_string("name").value_or("");
  s.description = r.opt_string("description").value_or("");
  if (const toml::table* inputs = r.opt_table("inputs")) {
    for (const auto& [name, node] : in_file_order(*inputs)) {
      const auto& begin = inputs->find(name)->first.source().begin;
      Origin at{origin, static_cast<int>(begin.line), static_cast<int>(begin.column)};
      std::vector<std::string> values = input_values(*node, origin, name);
      std::string first = values.front();
      s.inputs.push_back(ScenarioInput{normalize_name(name), std::move(first), std::move(values), at});
    }
  }
  s.where = r.opt_string("where").value_or("");
  s.best = r.opt_string("best").value_or("");
  if (const toml::node* m = r.opt_node("maximize")) {
    auto b = m->value_exact<bool>();
    if (!b) field_error(*m, origin, "maximize", "expected true or false");
    s.maximize = *b;
  }
  if (const toml::node* t = r.opt_node("top")) {
    auto k = t->value_exact<int64_t>();
    if (!k || *k < 1) field_error(*t, origin, "top", "expected a whole number >= 1");
    s.top = static_cast<double>(*k);
  }
  const toml::table* expect = r.opt_table("expect");
  if (expect) {
    for (const auto& [name, node] : in_file_order(*expect)) s.expect.push_back(parse_expectation(name, *node, origin));
  }
  r.finish();
  return s;
}

double Scenario::points() const {
  double n = 1;
  for (const auto& in : inputs) n *= static_cast<double>(in.values.size());
  return n;
}

Scenario load_scenario_file(const std::string& path) {
  return parse_scenario(read_file(path, "scenario file"), path);
}

}  // namespace llmcost
