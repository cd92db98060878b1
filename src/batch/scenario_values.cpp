#include "batch/scenario_values.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "llmcost/units.hpp"

namespace llmcost {
namespace {

constexpr size_t kMaxValues = 10000000;  // values of one range

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
                                 static_cast<int>(std::clamp(digits, 1.0, 17.0)))
                       .ptr;
  double d = v;
  std::from_chars(buf, end, d);
  return fmt::format("{}", d);
}

// A range table read and counted, its values not yet built: { from, to, count } (evenly spaced,
// ends included), { from, to, step = number } or { from, to, step = "xF" } (multiplied by F).
struct Range {
  double from = 0, to = 0;
  double count = 0;   // evenly spaced points, when set
  double inc = 0;     // a number step, when set
  double factor = 0;  // an "xF" step, when set
  size_t n = 0;       // how many values
};

// Counts the points of a geometric range without building them (stops past kMaxValues).
size_t geometric_count(const Range& r) {
  size_t n = 0;
  for (double v = r.from; v <= r.to * (1 + 1e-12) && n <= kMaxValues; v *= r.factor) ++n;
  return n;
}

Range read_range(const toml::table& t, const std::string& file, const std::string& key) {
  RecordReader rr(t, file);
  auto number = [&](std::string_view k) -> std::optional<double> {
    const toml::node* node = rr.opt_node(k);
    if (!node) return std::nullopt;
    auto v = as_number(*node);
    if (!v || !std::isfinite(*v)) field_error(*node, file, key + "." + std::string(k), "expected a finite number");
    return v;
  };
  const auto from = number("from"), to = number("to"), count = number("count");
  const toml::node* step = rr.opt_node("step");
  rr.finish();
  if (!from || !to) field_error(t, file, key, "a range needs from and to");
  if (*to < *from) field_error(t, file, key, "a range needs from <= to");
  if ((step != nullptr) == count.has_value()) field_error(t, file, key, "a range needs either step or count");
  Range r{*from, *to};
  if (count) {
    if (*count < 1 || *count != std::floor(*count))
      field_error(t, file, key + ".count", "expected a whole number >= 1");
    r.count = *count;
    r.n = *count > double(kMaxValues) ? kMaxValues + 1 : static_cast<size_t>(*count);
  } else if (auto text = step->value_exact<std::string>()) {
    try {
      r.factor = (text->size() > 1 && (*text)[0] == 'x') ? parse_positive(text->substr(1)) : 0;
    } catch (const InputError&) {
    }
    if (!(r.factor > 1) || r.from <= 0)
      field_error(*step, file, key + ".step", "expected \"xF\" with F > 1 and from > 0");
    r.n = geometric_count(r);
  } else {
    const auto inc = as_number(*step);
    if (!inc || !(*inc > 0) || !std::isfinite(*inc))
      field_error(*step, file, key + ".step", "expected a positive number or \"xF\"");
    r.inc = *inc;
    // `to` counts when it is a point up to rounding: of the quotient, and of to − from itself,
    // whose error grows with the ends' magnitude (1e9 + 3·0.1 is 0.29999995 above 1e9 in binary).
    const double ends = std::max(std::abs(r.from), std::abs(r.to));
    const double slack = 1e-9 + 4 * std::numeric_limits<double>::epsilon() * ends / r.inc;
    const double last = std::floor((r.to - r.from) / r.inc + slack);
    r.n = last >= double(kMaxValues) ? kMaxValues + 1 : static_cast<size_t>(last) + 1;
  }
  if (r.n > kMaxValues) field_error(t, file, key, "a range of more than 10,000,000 values");
  return r;
}

// The decimals a counted range stands for. `tol`: far below the spacing of the points, far above
// the rounding of from + k·step.
std::vector<std::string> range_values(const Range& r) {
  std::vector<std::string> out;
  out.reserve(r.n);
  if (r.count > 0) {
    const double n = r.count;
    const double spacing = n == 1 ? 0 : (r.to - r.from) / (n - 1);
    for (double i = 0; i < n; ++i) {
      out.push_back(decimal_text(n == 1 ? r.from : r.from + (r.to - r.from) * i / (n - 1), spacing * 1e-9));
    }
  } else if (r.factor > 0) {
    double v = r.from;
    for (size_t i = 0; i < r.n; ++i, v *= r.factor) out.push_back(decimal_text(v, v * 1e-12));
  } else {
    for (size_t i = 0; i < r.n; ++i) out.push_back(decimal_text(r.from + double(i) * r.inc, r.inc * 1e-9));
  }
  return out;
}

}  // namespace

size_t input_count(const toml::node& node, const std::string& file, const std::string& key) {
  if (const toml::array* arr = node.as_array()) {
    if (arr->empty()) field_error(node, file, key, "an empty list");
    return arr->size();
  }
  if (const toml::table* t = node.as_table()) return read_range(*t, file, key).n;
  return 1;
}

std::vector<std::string> input_values(const toml::node& node, const std::string& file, const std::string& key) {
  if (const toml::array* arr = node.as_array()) {
    if (arr->empty()) field_error(node, file, key, "an empty list");
    std::vector<std::string> out;
    for (const toml::node& item : *arr) out.push_back(node_text(item, file, key));
    return out;
  }
  if (const toml::table* t = node.as_table()) return range_values(read_range(*t, file, key));
  return {node_text(node, file, key)};
}

}  // namespace llmcost
