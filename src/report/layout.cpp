#include "report/layout.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>

#include "llmcost/format.hpp"

namespace llmcost {

size_t display_width(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;  // count UTF-8 code points
  return n;
}

std::string pad(std::string_view s, size_t width) {
  std::string out(s);
  const size_t w = display_width(s);
  if (w < width) out.append(width - w, ' ');
  return out;
}

std::string md_cell(std::string_view text) {
  const std::string s = printable(text);
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else
      out.push_back(c);
  }
  return out;
}

bool json_integer(double value, Unit unit) {
  if (value != std::floor(value) || !(std::fabs(value) < 9007199254740992.0)) return false;  // 2^53
  return unit == Unit::count || (unit == Unit::exact && std::fabs(value) < 1e9);
}

nlohmann::ordered_json json_number(double value, Unit unit) {
  if (json_integer(value, unit)) return static_cast<int64_t>(value);
  return value;
}

std::string json_text(const nlohmann::ordered_json& doc) {
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string symbolic(const std::string& formula) {
  std::string out;
  for (char c : formula) {
    if (c != '{' && c != '}') out.push_back(c);
  }
  return out;
}

std::string derivation(const Row& row) {
  return row.formula.empty() ? row.method : symbolic(row.formula);
}

// A row's value for people. Plain numbers that are inputs (law constants, factors) are shown as
// given, up to 6 digits: the reference prints A = 406.4, which 3 digits would round to 406.
std::string row_value(const Row& row) {
  return format_value(row.value, row.input && row.unit == Unit::none ? Unit::exact : row.unit);
}

std::string substitute_formula(const Report& report, const Row& row) {
  std::string out;
  size_t i = 0;
  for (size_t open; (open = row.formula.find('{', i)) != std::string::npos;) {
    const size_t close = row.formula.find('}', open);
    if (close == std::string::npos) break;
    const Row* ref = report.find(std::string_view(row.formula).substr(open + 1, close - open - 1));
    out.append(row.formula, i, open - i);
    out += ref ? row_value(*ref) : row.formula.substr(open, close - open + 1);
    i = close + 1;
  }
  return out.append(row.formula, i, std::string::npos);
}

}  // namespace llmcost
