// Expectations of a scenario's [expect] table: parsed, checked and described.
#include <fmt/format.h>

#include <cmath>

#include "batch/expectation.hpp"
#include "llmcost/format.hpp"
#include "llmcost/uncertainty.hpp"
#include "llmcost/units.hpp"

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

double Expectation::percentile() const {
  return probability ? 100 * (max ? *probability : 1 - *probability) : 50;
}

std::string Expectation::checked_key() const {
  return probability ? key + "_" + percentile_tag(percentile()) : key;
}

std::string Expectation::describe() const {
  if (probability) {
    return fmt::format("P({} {:.6g}) >= {}", max ? "<=" : ">=", max ? *max : *min,
                       render_text(Text::of("{}", Quantity{*probability, Unit::fraction})));
  }
  std::string out;
  if (!shown.empty()) {
    out = fmt::format("{} as shown (± {:.6g})", shown, *abs);
  } else if (value) {
    out = abs ? fmt::format("{:.6g} ± {:.6g}", *value, *abs)
              : fmt::format("{:.6g} ± {}%", *value, render_text(Text::of("{}", Quantity{rel * 100, Unit::exact})));
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

double expect_number(const toml::node& node, const std::string& file, std::string_view key) {
  auto v = as_number(node);
  if (!v || !std::isfinite(*v)) field_error(node, file, key, "expected a finite number");
  return *v;
}

}  // namespace

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
    if (!text)
      field_error(*v, file, field + ".shown",
                  "expected a string (\"$1.4M\", \"3.55e6\"): its digits set the tolerance");
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
  if (const toml::node* v = r.opt_node("abs")) {
    e.abs = expect_number(*v, file, field + ".abs");
    if (*e.abs < 0) field_error(*v, file, field + ".abs", "expected a tolerance >= 0");
  }
  if (const toml::node* v = r.opt_node("min")) e.min = expect_number(*v, file, field + ".min");
  if (const toml::node* v = r.opt_node("max")) e.max = expect_number(*v, file, field + ".max");
  if (const toml::node* v = r.opt_node("probability")) {
    e.probability = expect_number(*v, file, field + ".probability");
    if (!(*e.probability > 0 && *e.probability < 1))
      field_error(*v, file, field + ".probability", "expected a probability between 0 and 1, e.g. 0.8");
    if ((e.min.has_value() == e.max.has_value()) || e.value)
      field_error(*v, file, field + ".probability", "goes with one bound: { max = ..., probability = ... } or min");
  }
  r.finish();
  if (!e.value && !e.min && !e.max) field_error(node, file, field, "needs a value, a min or a max");
  if (e.min && e.max && *e.min > *e.max) field_error(node, file, field, "min is larger than max");
  return e;
}

}  // namespace llmcost
