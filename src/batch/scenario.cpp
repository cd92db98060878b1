#include "llmcost/scenario.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "batch/expectation.hpp"
#include "batch/scenario_values.hpp"
#include "catalog/toml_record.hpp"
#include "llmcost/files.hpp"
#include "llmcost/format.hpp"

namespace llmcost {

namespace {

std::string normalize_name(std::string name) {
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
}

// InputError at `node` when a sweep of `points_before` points times `n` values here would be over
// kMaxSweepPoints: checked for every input before any value is built (8 ranges of 10,000,000
// values must fail at once, not after building them).
void check_points(const toml::node& node, const std::string& file, const std::string& key, double points_before,
                  size_t n) {
  const double total = points_before * static_cast<double>(n);
  if (total <= kMaxSweepPoints) return;
  field_error(node, file, key,
              render_text(Text::of("the sweep would have {} points (× {} values here); at most {} are allowed",
                                   Quantity{total, Unit::count}, Quantity{double(n), Unit::count},
                                   Quantity{kMaxSweepPoints, Unit::count})));
}

// The [inputs] table: names as the flags spell them, each given once (watts_per_chip and
// watts-per-chip are one input), the sweep's size checked before any range's values are built.
void read_inputs(Scenario& s, const toml::table& inputs, const std::string& origin) {
  const auto entries = in_file_order(inputs);
  double points = 1;
  for (const auto& [name, node] : entries) {
    const size_t n = input_count(*node, origin, name);
    check_points(*node, origin, name, points, n);
    points *= static_cast<double>(n);
  }
  std::vector<std::string> written;  // each input's name as the file spells it
  for (const auto& [name, node] : entries) {
    const auto& begin = inputs.find(name)->first.source().begin;
    Origin at{origin, static_cast<int>(begin.line), static_cast<int>(begin.column)};
    const std::string flag = normalize_name(name);
    for (size_t i = 0; i < s.inputs.size(); ++i) {
      if (s.inputs[i].name != flag) continue;
      throw InputError(fmt::format("{}: field '{}': the same input as '{}' (line {}): give it once", at.str(), name,
                                   written[i], s.inputs[i].origin.line));
    }
    std::vector<std::string> values = input_values(*node, origin, name);
    std::string first = values.front();
    s.inputs.push_back(ScenarioInput{flag, std::move(first), std::move(values), at});
    written.push_back(name);
  }
}

// `where`, `best`, `top` and `maximize` choose among a sweep's points: in a single-point scenario
// they would be silently ignored, so they are errors there.
void check_sweep_fields(const Scenario& s, const toml::table& doc, const std::string& origin) {
  if (s.points() > 1) return;
  for (const char* field : {"where", "best", "top", "maximize"}) {
    if (const toml::node* n = doc.get(field)) {
      field_error(*n, origin, field, "applies to sweeps only: no input of this scenario has more than one value");
    }
  }
}

// Probability expectations read percentiles: the scenario runs with --uncertainty and asks for
// theirs (beside any --percentiles it gives).
void add_probability_inputs(Scenario& s) {
  std::string wanted;
  const Expectation* first = nullptr;
  for (const Expectation& e : s.expect) {
    if (!e.probability) continue;
    if (!first) first = &e;
    wanted += fmt::format("{}{:g}", wanted.empty() ? "" : ",", e.percentile());
  }
  if (!first) return;
  const auto fail = [&](const std::string& why) {
    throw InputError(fmt::format("{}: field 'expect.{}.probability': {}", first->origin.str(), first->key, why));
  };
  const EstimateKind* kind = find_kind(s.kind);
  if (!kind->field_index("uncertainty")) fail(fmt::format("kind {} has no --uncertainty", s.kind));
  const auto input = [&](const char* name) {
    return std::find_if(s.inputs.begin(), s.inputs.end(), [&](const ScenarioInput& in) { return in.name == name; });
  };
  if (auto u = input("uncertainty"); u == s.inputs.end()) {
    s.inputs.push_back(ScenarioInput{"uncertainty", "true", {"true"}, first->origin});
  } else if (u->values.size() != 1 || u->text == "false" || u->text == "0" || u->text == "no") {
    fail("needs uncertainty = true");
  }
  if (auto p = input("percentiles"); p == s.inputs.end()) {
    s.inputs.push_back(ScenarioInput{"percentiles", wanted, {wanted}, first->origin});
  } else {
    for (std::string& v : p->values) v += "," + wanted;
    p->text = p->values.front();
  }
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
  if (const toml::table* inputs = r.opt_table("inputs")) read_inputs(s, *inputs, origin);
  s.where = r.opt_string("where").value_or("");
  if (const std::string bad = constraint_problem(s.where); !bad.empty()) {
    field_error(*doc.get("where"), origin, "where", bad);
  }
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
  check_sweep_fields(s, doc, origin);
  const toml::table* expect = r.opt_table("expect");
  if (expect) {
    for (const auto& [name, node] : in_file_order(*expect)) s.expect.push_back(parse_expectation(name, *node, origin));
  }
  add_probability_inputs(s);
  r.finish();
  return s;
}

std::string constraint_problem(std::string_view where) {
  for (size_t i = 0; i < where.size(); ++i) {
    if (where[i] != '=') continue;
    if (i + 1 < where.size() && where[i + 1] == '=') {  // "==", and the '=' of "<=", ">=", "!=" before it
      ++i;
      continue;
    }
    const char before = i > 0 ? where[i - 1] : ' ';
    if (before == '<' || before == '>' || before == '!') continue;
    const bool compound = before == '+' || before == '-' || before == '*' || before == '/';
    const std::string op = compound ? std::string{before, '='} : "=";
    return fmt::format("assigns with '{}': a constraint only compares report keys (==, !=, <, <=, >, >=)", op);
  }
  return "";
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
