#include "llmcost/csv.hpp"

#include <charconv>
#include <cmath>

namespace llmcost {
namespace {

// A number as text ("-0.3", "+2", "-1e5"): a spreadsheet reads it as the number it is.
bool is_number(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && end == s.data() + s.size() && std::isfinite(v);
}

// A text cell a spreadsheet would run as a formula (OWASP, "CSV Injection"): it starts with = + - @,
// a tab or a carriage return, and is neither a number nor a lone "-" (a missing value).
bool starts_formula(std::string_view s) {
  if (s.empty() || std::string_view("=+-@\t\r").find(s.front()) == std::string_view::npos) return false;
  return s != "-" && !is_number(s);
}

}  // namespace

std::string csv_field(std::string_view s) {
  std::string text = starts_formula(s) ? "'" + std::string(s) : std::string(s);
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"')
      out += "\"\"";
    else
      out.push_back(c);
  }
  return out + "\"";
}

}  // namespace llmcost
