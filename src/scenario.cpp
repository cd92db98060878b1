#include "llmcost/scenario.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "llmcost/fields.hpp"
#include "llmcost/train.hpp"
#include "llmcost/units.hpp"
#include "toml_record.hpp"

namespace llmcost {

bool Expectation::holds(double actual) const {
  if (!std::isfinite(actual)) return false;
  if (value) {
    const double tol = abs ? *abs : rel * std::fabs(*value);
    if (std::fabs(actual - *value) > tol) return false;
  }
  if (min && actual < *min) return false;
  if (max && actual > *max) return false;
  return true;
}

std::string Expectation::describe() const {
  std::string out;
  if (value) {
    out = abs ? fmt::format("{:.6g} ± {:.6g}", *value, *abs)
              : fmt::format("{:.6g} ± {}%", *value, format_plain(rel * 100, 2));
  }
  if (min && max) {
    out += fmt::format("{}in [{:.6g}, {:.6g}]", out.empty() ? "" : ", ", *min, *max);
  } else if (min) {
    out += fmt::format("{}>= {:.6g}", out.empty() ? "" : ", ", *min);
  } else if (max) {
    out += fmt::format("{}<= {:.6g}", out.empty() ? "" : ", ", *max);
  }
  return out;
}

namespace {

std::string node_text(const toml::node& node, const std::string& file, std::string_view key) {
  if (auto s = node.value_exact<std::string>()) return *s;
  if (auto i = node.value_exact<int64_t>()) return std::to_string(*i);
  if (auto d = node.value_exact<double>()) return fmt::format("{}", *d);
  if (auto b = node.value_exact<bool>()) return *b ? "true" : "false";
  field_error(node, file, key, "expected a string, number or boolean");
}

double expect_number(const toml::node& node, const std::string& file, std::string_view key) {
  auto v = as_number(node);
  if (!v || !std::isfinite(*v)) field_error(node, file, key, "expected a finite number");
  return *v;
}

Expectation parse_expectation(const std::string& key, const toml::node& node, const std::string& file) {
  Expectation e;
  e.key = key;
  e.origin = origin_of(node, file);
  const std::string field = "expect." + key;
  if (as_number(node)) {
    e.value = expect_number(node, file, field);
    return e;
  }
  const toml::table* t = node.as_table();
  if (!t) field_error(node, file, field, "expected a number or a table { value, rel | abs } or { min, max }");
  RecordReader r(*t, file);
  if (const toml::node* v = r.opt_node("value")) e.value = expect_number(*v, file, field + ".value");
  if (const toml::node* v = r.opt_node("rel")) {
    try {
      e.rel = v->is_string() ? parse_rate(*v->value_exact<std::string>()) : expect_number(*v, file, field + ".rel");
    } catch (const InputError& err) {
      field_error(*v, file, field + ".rel", err.what());
    }
    if (e.rel < 0) field_error(*v, file, field + ".rel", "expected a tolerance >= 0");
  }
  if (const toml::node* v = r.opt_node("abs")) e.abs = expect_number(*v, file, field + ".abs");
  if (const toml::node* v = r.opt_node("min")) e.min = expect_number(*v, file, field + ".min");
  if (const toml::node* v = r.opt_node("max")) e.max = expect_number(*v, file, field + ".max");
  r.finish();
  if (!e.value && !e.min && !e.max) field_error(node, file, field, "needs a value, a min or a max");
  if (e.min && e.max && *e.min > *e.max) field_error(node, file, field, "min is larger than max");
  return e;
}

std::string normalize_name(std::string name) {
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
}

template <class Inputs>
Inputs build_inputs(const Scenario& s, const std::vector<Field<Inputs>>& fields) {
  Inputs in;
  for (const auto& input : s.inputs) {
    const Field<Inputs>* f = find_field(fields, input.name);
    if (!f) {
      std::vector<std::string> names;
      for (const auto& field : fields) names.emplace_back(field.name);
      throw InputError(fmt::format("{}: field '{}': {}", input.origin.str(), input.name,
                                   unknown_id_message(s.kind + " input", input.name, names)));
    }
    try {
      f->set(in, input.text);
    } catch (const InputError& e) {
      throw InputError(fmt::format("{}: field '{}': {}", input.origin.str(), input.name, e.what()));
    } catch (const EnvError& e) {
      throw EnvError(fmt::format("{}: field '{}': {}", input.origin.str(), input.name, e.what()));
    }
  }
  return in;
}

}  // namespace

Scenario parse_scenario(std::string_view text, const std::string& origin) {
  const toml::table doc = parse_toml(text, origin);
  RecordReader r(doc, origin);
  Scenario s;
  s.file = origin;
  s.kind = r.string("kind");
  static const std::set<std::string, std::less<>> kinds{"train", "infer", "search", "loss", "optimal", "scale", "trend"};
  if (!kinds.count(s.kind)) {
    field_error(*doc.get("kind"), origin, "kind",
                fmt::format("expected train, infer, search, loss, optimal, scale or trend, got '{}'", s.kind));
  }
  s.name = r.opt_string("name").value_or("");
  s.description = r.opt_string("description").value_or("");
  if (const toml::table* inputs = r.opt_table("inputs")) {
    for (const auto& [name, node] : in_file_order(*inputs)) {
      const auto& begin = inputs->find(name)->first.source().begin;
      Origin at{origin, static_cast<int>(begin.line), static_cast<int>(begin.column)};
      s.inputs.push_back(ScenarioInput{normalize_name(name), node_text(*node, origin, name), at});
    }
  }
  const toml::table* expect = r.opt_table("expect");
  if (expect) {
    for (const auto& [name, node] : in_file_order(*expect)) s.expect.push_back(parse_expectation(name, *node, origin));
  }
  r.finish();
  return s;
}

Report evaluate_scenario(const Scenario& s, const Catalog& catalog) {
  if (s.kind == "infer") return estimate_inference(build_inputs(s, infer_fields()), catalog);
  if (s.kind == "search") return estimate_search(build_inputs(s, search_fields()), catalog);
  if (s.kind == "loss") return estimate_loss(build_inputs(s, loss_fields()), catalog);
  if (s.kind == "optimal") return estimate_optimal(build_inputs(s, optimal_fields()), catalog);
  if (s.kind == "scale") return estimate_scale(build_inputs(s, scale_fields()), catalog);
  if (s.kind == "trend") return estimate_trend(build_inputs(s, trend_fields()), catalog);
  return estimate_training(build_inputs(s, train_fields()), catalog);
}

ScenarioResult run_scenario_file(const std::string& path, const Catalog& catalog) {
  ScenarioResult result;
  result.file = path;
  try {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(fmt::format("{}: cannot read the file", path));
    std::ostringstream text;
    text << in.rdbuf();
    const Scenario s = parse_scenario(text.str(), path);
    result.name = s.name;
    const Report report = evaluate_scenario(s, catalog);
    for (const Expectation& e : s.expect) {
      const Row* row = report.find(e.key);
      if (!row) {
        std::vector<std::string> keys;
        for (const auto& rr : report.rows) keys.push_back(rr.key);
        throw InputError(fmt::format("{}: field 'expect.{}': {}", e.origin.str(), e.key,
                                     unknown_id_message("report key", e.key, keys)));
      }
      const bool pass = e.holds(row->value);
      result.checks.push_back(CheckResult{e, row->value, pass});
      if (!pass) result.status = ScenarioResult::Status::fail;
    }
  } catch (const InputError& e) {
    result.status = ScenarioResult::Status::error;
    result.error = e.what();
    result.checks.clear();
  } catch (const EnvError& e) {
    result.status = ScenarioResult::Status::error;
    result.error = e.what();
    result.checks.clear();
  }
  return result;
}

std::vector<std::string> collect_scenario_files(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        if (it->is_regular_file() && it->path().extension() == ".toml") found.push_back(it->path().string());
      }
      if (ec) throw EnvError(fmt::format("cannot read scenario folder '{}': {}", p, ec.message()));
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(p, ec)) {
      files.push_back(p);
    } else {
      throw EnvError(fmt::format("no such scenario file or folder: '{}'", p));
    }
  }
  return files;
}

}  // namespace llmcost
