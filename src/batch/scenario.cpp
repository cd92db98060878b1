#include "llmcost/scenario.hpp"
#include "llmcost/files.hpp"
#include "llmcost/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "llmcost/fields.hpp"
#include "llmcost/sweep.hpp"
#include "llmcost/train.hpp"
#include "llmcost/format.hpp"
#include "llmcost/units.hpp"
#include "batch/scenario_inputs.hpp"
#include "catalog/toml_record.hpp"

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
  if (!shown.empty()) {
    out = fmt::format("{} as shown (± {:.6g})", shown, *abs);
  } else if (value) {
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

// `v` rounded to the decimal grid of about `tol` (at least a few ulps), as shortest text. A range's
// points are computed in binary, where 0.1 + 2·0.1 = 0.30000000000000004 and -0.3 + 3·0.1 =
// 5.6e-17; the values meant, and shown, are the decimals 0.3 and 0. The rounding error is far
// below `tol`, so a decimal that has at most the grid's digits comes back exactly.
std::string decimal_text(double v, double tol) {
  tol = std::max(tol, std::abs(v) * 1e-15);
  if (std::abs(v) <= tol) return "0";
  const double digits = std::floor(std::log10(std::abs(v))) - std::floor(std::log10(tol)) + 1;
  char buf[64];
  const auto end = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general,
                                 static_cast<int>(std::clamp(digits, 1.0, 17.0))).ptr;
  double d = v;
  std::from_chars(buf, end, d);
  return fmt::format("{}", d);
}

// Values of a range table: { from, to, step } (step a number, or "x2" to multiply) or
// { from, to, count } (evenly spaced, ends included).
std::vector<std::string> range_values(const toml::table& t, const std::string& file, const std::string& key) {
  RecordReader r(t, file);
  auto number = [&](std::string_view k) -> std::optional<double> {
    const toml::node* n = r.opt_node(k);
    if (!n) return std::nullopt;
    auto v = as_number(*n);
    if (!v || !std::isfinite(*v)) field_error(*n, file, key + "." + std::string(k), "expected a finite number");
    return v;
  };
  const auto from = number("from"), to = number("to"), count = number("count");
  const toml::node* step = r.opt_node("step");
  r.finish();
  if (!from || !to) field_error(t, file, key, "a range needs from and to");
  if (*to < *from) field_error(t, file, key, "a range needs from <= to");
  if ((step != nullptr) == count.has_value()) field_error(t, file, key, "a range needs either step or count");
  constexpr size_t kMaxValues = 10000000;
  std::vector<std::string> out;
  // `tol`: far below the spacing of the points, far above the rounding of from + k·step.
  auto push = [&](double v, double tol) {
    if (out.size() >= kMaxValues) field_error(t, file, key, "a range of more than 10,000,000 values");
    out.push_back(decimal_text(v, tol));
  };
  if (count) {
    if (*count < 1 || *count != std::floor(*count)) field_error(t, file, key + ".count", "expected a whole number >= 1");
    const double n = *count;
    const double spacing = n == 1 ? 0 : (*to - *from) / (n - 1);
    for (double i = 0; i < n; ++i) push(n == 1 ? *from : *from + (*to - *from) * i / (n - 1), spacing * 1e-9);
    return out;
  }
  if (auto text = step->value_exact<std::string>()) {
    double factor = 0;
    try {
      factor = (text->size() > 1 && (*text)[0] == 'x') ? parse_positive(text->substr(1)) : 0;
    } catch (const InputError&) {
    }
    if (!(factor > 1) || *from <= 0) field_error(*step, file, key + ".step", "expected \"xF\" with F > 1 and from > 0");
    for (double v = *from; v <= *to * (1 + 1e-12); v *= factor) push(v, v * 1e-12);
    return out;
  }
  const auto inc = as_number(*step);
  if (!inc || !(*inc > 0) || !std::isfinite(*inc)) field_error(*step, file, key + ".step", "expected a positive number or \"xF\"");
  // `to` counts when it is a point up to rounding: of the quotient, and of to − from itself,
  // whose error grows with the ends' magnitude (1e9 + 3·0.1 is 0.29999995 above 1e9 in binary).
  const double ends = std::max(std::abs(*from), std::abs(*to));
  const double slack = 1e-9 + 4 * std::numeric_limits<double>::epsilon() * ends / *inc;
  const double n = std::floor((*to - *from) / *inc + slack);
  for (double i = 0; i <= n; ++i) push(*from + i * *inc, *inc * 1e-9);
  return out;
}

std::vector<std::string> input_values(const toml::node& node, const std::string& file, const std::string& key) {
  if (const toml::array* arr = node.as_array()) {
    if (arr->empty()) field_error(node, file, key, "an empty list");
    std::vector<std::string> out;
    for (const toml::node& item : *arr) out.push_back(node_text(item, file, key));
    return out;
  }
  if (const toml::table* t = node.as_table()) return range_values(*t, file, key);
  return {node_text(node, file, key)};
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
  if (!t) {
    field_error(node, file, field, "expected a number or a table { value, rel | abs }, { shown } or { min, max }");
  }
  RecordReader r(*t, file);
  if (const toml::node* v = r.opt_node("shown")) {
    const auto text = v->value_exact<std::string>();
    if (!text) field_error(*v, file, field + ".shown", "expected a string (\"$1.4M\", \"3.55e6\"): its digits set the tolerance");
    try {
      const ShownFigure f = parse_shown(*text);
      e.shown = *text, e.value = f.value, e.abs = f.half_unit;
    } catch (const InputError& err) {
      field_error(*v, file, field + ".shown", err.what());
    }
    for (const char* other : {"value", "rel", "abs"}) {
      if (t->contains(other)) field_error(*v, file, field + ".shown", fmt::format("give shown or {}, not both", other));
    }
  }
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
  const auto bound = bind_fields(s, fields);
  Inputs in;
  for (size_t i = 0; i < s.inputs.size(); ++i) apply_input(in, *bound[i], s.inputs[i], 0);
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

namespace {

Report estimate_scenario(const Scenario& s, const Catalog& catalog) {
  if (s.kind == "infer") return estimate_inference(build_inputs(s, infer_fields()), catalog);
  if (s.kind == "search") return estimate_search(build_inputs(s, search_fields()), catalog);
  if (s.kind == "loss") return estimate_loss(build_inputs(s, loss_fields()), catalog);
  if (s.kind == "optimal") return estimate_optimal(build_inputs(s, optimal_fields()), catalog);
  if (s.kind == "scale") return estimate_scale(build_inputs(s, scale_fields()), catalog);
  if (s.kind == "trend") return estimate_trend(build_inputs(s, trend_fields()), catalog);
  return estimate_training(build_inputs(s, train_fields()), catalog);
}

}  // namespace

Report evaluate_scenario(const Scenario& s, const Catalog& catalog) {
  Report r = estimate_scenario(s, catalog);
  require_finite(r);
  return r;
}

namespace {

std::string row_label(const Scenario& s, const SweepResult& r, size_t row) {
  std::string out;
  for (size_t a = 0; a < r.axes.size(); ++a) {
    out += fmt::format("{}{}={}", a ? ", " : "", r.axes[a], axis_text(s, r, row, a));
  }
  return out;
}

[[noreturn]] void unknown_key(const Expectation& e, const std::vector<std::string>& keys) {
  throw InputError(fmt::format("{}: field 'expect.{}': {}", e.origin.str(), e.key,
                               unknown_id_message("report key", e.key, keys)));
}

void check_report(ScenarioResult& result, const Scenario& s, const Report& report) {
  for (const Expectation& e : s.expect) {
    const Row* row = report.find(e.key);
    if (!row) {
      std::vector<std::string> keys;
      for (const auto& rr : report.rows) keys.push_back(rr.key);
      unknown_key(e, keys);
    }
    const bool pass = e.holds(row->value);
    result.checks.push_back(CheckResult{e, row->value, pass, {}});
    if (!pass) result.status = ScenarioResult::Status::fail;
  }
}

void check_sweep(ScenarioResult& result, const Scenario& s, const SweepResult& r) {
  const size_t rows = r.best.empty() ? r.row_count() : std::min<size_t>(1, r.row_count());
  for (const Expectation& e : s.expect) {
    if (std::find(r.keys.begin(), r.keys.end(), e.key) == r.keys.end()) unknown_key(e, r.keys);
    CheckResult check{e, std::nan(""), rows > 0, {}};
    for (size_t i = 0; i < rows; ++i) {
      const double v = r.at(i, e.key);
      if (!e.holds(v)) {
        check = CheckResult{e, v, false, row_label(s, r, i)};
        break;
      }
      check.actual = v;
    }
    if (rows == 0) check.point = "no point satisfies the constraint";
    result.checks.push_back(check);
    if (!check.pass) result.status = ScenarioResult::Status::fail;
  }
}

}  // namespace

Scenario load_scenario_file(const std::string& path) { return parse_scenario(read_file(path, "scenario file"), path); }

ScenarioResult run_scenario_file(const std::string& path, const Catalog& catalog) {
  return run_scenario_file(path, catalog, SweepOptions{});
}

ScenarioResult run_scenario_file(const std::string& path, const Catalog& catalog, const SweepOptions& options) {
  ScenarioResult result;
  result.file = path;
  const auto t0 = std::chrono::steady_clock::now();
  try {
    auto s = std::make_shared<Scenario>(load_scenario_file(path));
    result.name = s->name;
    result.scenario = s;
    if (s->points() > 1) {
      SweepOptions opt = options;
      // Expectations without `best` hold for every kept row: keep them to check.
      if (!s->expect.empty() && opt.best.empty() && s->best.empty()) opt.keep_rows = true;
      auto sweep = std::make_shared<SweepResult>(run_sweep(*s, catalog, opt));
      check_sweep(result, *s, *sweep);
      result.sweep = sweep;
    } else {
      check_report(result, *s, evaluate_scenario(*s, catalog));
    }
  } catch (const std::runtime_error& e) {  // InputError or EnvError: this scenario's, the others still run
    // Errors found past parsing (an estimator's "give either --chips or --days") name the file too.
    const std::string what = e.what();
    result.status = ScenarioResult::Status::error;
    result.environment = dynamic_cast<const EnvError*>(&e) != nullptr;
    result.error = what.rfind(path + ":", 0) == 0 ? what : fmt::format("{}: {}", path, what);
    result.checks.clear();
    result.sweep.reset();
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
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
      // A mistyped folder must not pass as "0 scenarios" in CI.
      if (found.empty()) throw InputError(fmt::format("no scenario files (*.toml) under '{}'", p));
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
