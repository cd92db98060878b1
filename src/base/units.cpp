#include "llmcost/units.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <string>

#include "llmcost/error.hpp"
#include "llmcost/text.hpp"

namespace llmcost {
namespace {

[[noreturn]] void fail(std::string_view expected, std::string_view text) {
  throw InputError(fmt::format("expected {}, got '{}'", expected, text));
}

// True when the commas of `s` (if any) separate thousands: "1,024", "10,000.5"; not "1,2,3".
bool valid_thousands(std::string_view s) {
  const size_t first = s.find(',');
  if (first == std::string_view::npos) return true;
  const size_t end = std::min(s.find_first_of(".eE"), s.size());
  size_t group_start = (s[0] == '+' || s[0] == '-') ? 1 : 0;
  if (first - group_start < 1 || first - group_start > 3) return false;
  auto digit = [&](size_t i) { return i < end && s[i] >= '0' && s[i] <= '9'; };
  for (size_t i = first; i < end; i += 4) {
    if (s[i] != ',' || !digit(i + 1) || !digit(i + 2) || !digit(i + 3)) return false;
  }
  return true;
}

// Parses the whole of `s` as a finite number; commas are accepted as thousands separators.
bool to_number(std::string_view s, double& out) {
  if (!valid_thousands(s)) return false;
  std::string digits;
  digits.reserve(s.size());
  for (char c : s) {
    if (c != ',') digits.push_back(c);
  }
  if (!digits.empty() && digits.front() == '+') digits.erase(0, 1);
  if (digits.empty()) return false;
  const char* first = digits.data();
  const char* last = first + digits.size();
  auto [ptr, ec] = std::from_chars(first, last, out);
  return ec == std::errc() && ptr == last && std::isfinite(out);
}

struct Suffix {
  std::string_view text;
  double scale;
};

// Splits a trailing suffix from `s` among `suffixes` (longest first, case-insensitive).
template <size_t K>
double strip_suffix(std::string_view& s, const std::array<Suffix, K>& suffixes, double none) {
  for (const auto& suffix : suffixes) {
    if (s.size() > suffix.text.size() && iends_with(s, suffix.text)) {
      s = trim(s.substr(0, s.size() - suffix.text.size()));
      return suffix.scale;
    }
  }
  return none;
}

constexpr std::array<Suffix, 6> kCountSuffixes{
    {{"K", 1e3}, {"M", 1e6}, {"B", 1e9}, {"G", 1e9}, {"T", 1e12}, {"P", 1e15}}};

}  // namespace

double parse_number(std::string_view text) {
  double v = 0;
  if (!to_number(trim(text), v)) fail("a number", text);
  return v;
}

double parse_count(std::string_view text) {
  std::string_view s = trim(text);
  const double scale = strip_suffix(s, kCountSuffixes, 1.0);
  double v = 0;
  if (!to_number(s, v)) fail("a count such as 175B, 1.4T or 3e11", text);
  v *= scale;
  if (!(v > 0) || !std::isfinite(v)) fail("a positive count", text);
  return v;
}

ShownFigure parse_shown(std::string_view text) {
  static constexpr std::array<Suffix, 11> kShownSuffixes{{{"days", 86400},
                                                          {"day", 86400},
                                                          {"d", 86400},
                                                          {"h", 3600},
                                                          {"%", 0.01},
                                                          {"K", 1e3},
                                                          {"M", 1e6},
                                                          {"B", 1e9},
                                                          {"G", 1e9},
                                                          {"T", 1e12},
                                                          {"P", 1e15}}};
  const auto bad = [&] {
    fail("a figure as printed, such as \"$1.4M\", \"0.3747\", \"3.55e6\" or \"14.8 days\"", text);
  };
  std::string_view s = trim(text);
  if (!s.empty() && s.front() == '$') s.remove_prefix(1);
  const double scale = strip_suffix(s, kShownSuffixes, 1.0);
  // Mantissa digits (thousands commas allowed), then an optional exponent.
  const size_t e = s.find_first_of("eE");
  const std::string_view mantissa = s.substr(0, e);
  int exponent = 0;
  if (e != std::string_view::npos) {
    const std::string_view exp_text = s.substr(e + 1);
    const char* first = exp_text.data() + (!exp_text.empty() && exp_text.front() == '+' ? 1 : 0);
    auto [ptr, ec] = std::from_chars(first, exp_text.data() + exp_text.size(), exponent);
    if (ec != std::errc() || ptr != exp_text.data() + exp_text.size() || exp_text.empty()) bad();
    if (exponent < -400 || exponent > 400) bad();  // beyond any double; keeps exponent - decimals in range
  }
  double m = 0;
  if (mantissa.empty() || mantissa.find_first_not_of("0123456789.,+-") != std::string_view::npos ||
      !to_number(mantissa, m)) {
    bad();
  }
  const size_t dot = mantissa.find('.');
  const int decimals = dot == std::string_view::npos ? 0 : int(std::min<size_t>(mantissa.size() - dot - 1, 400));
  const ShownFigure f{m * std::pow(10.0, exponent) * scale, 0.5 * std::pow(10.0, exponent - decimals) * scale};
  if (!std::isfinite(f.value) || !(f.half_unit > 0) || !std::isfinite(f.half_unit)) bad();
  return f;
}

namespace {

// "46.2%" or "0.462" as a number; `expected` describes the form in the error.
double percent_or_number(std::string_view text, std::string_view expected) {
  std::string_view s = trim(text);
  double scale = 1.0;
  if (!s.empty() && s.back() == '%') {
    s = trim(s.substr(0, s.size() - 1));
    scale = 0.01;
  }
  double v = 0;
  if (!to_number(s, v)) fail(expected, text);
  return v * scale;
}

}  // namespace

double parse_fraction(std::string_view text) {
  const double v = percent_or_number(text, "a fraction in (0, 1] such as 46.2% or 0.462");
  if (!(v > 0 && v <= 1)) fail("a fraction in (0, 1]", text);
  return v;
}

double parse_rate(std::string_view text) {
  const double v = percent_or_number(text, "a rate in [0, 1) such as 30% or 0.3");
  if (!(v >= 0 && v < 1)) fail("a rate in [0, 1)", text);
  return v;
}

double parse_percent(std::string_view text) {
  const double v = percent_or_number(text, "a rate such as 22% or 0.22");
  if (!(v > 0)) fail("a positive rate", text);
  return v;
}

double parse_usd(std::string_view text) {
  std::string_view s = trim(text);
  constexpr std::array<Suffix, 4> per_hour{{{"/hour", 1}, {"/hr", 1}, {"/h", 1}, {"/kWh", 1}}};
  strip_suffix(s, per_hour, 1.0);
  if (!s.empty() && s.front() == '$') s = trim(s.substr(1));
  const double scale = strip_suffix(s, kCountSuffixes, 1.0);
  double v = 0;
  if (!to_number(s, v)) fail("an amount in USD such as $19.22 or 1.4M", text);
  v *= scale;
  if (!(v > 0) || !std::isfinite(v)) fail("a positive amount in USD", text);
  return v;
}

double parse_duration_s(std::string_view text, double bare_unit_s) {
  std::string_view s = trim(text);
  constexpr double day = 86400.0;
  constexpr std::array<Suffix, 22> units{{{"minutes", 60},
                                          {"minute", 60},
                                          {"years", 365.25 * day},
                                          {"mins", 60},
                                          {"hrs", 3600},
                                          {"secs", 1},
                                          {"year", 365.25 * day},
                                          {"weeks", 7 * day},
                                          {"week", 7 * day},
                                          {"hours", 3600},
                                          {"hour", 3600},
                                          {"days", day},
                                          {"day", day},
                                          {"min", 60},
                                          {"sec", 1},
                                          {"yr", 365.25 * day},
                                          {"hr", 3600},
                                          {"s", 1},
                                          {"h", 3600},
                                          {"d", day},
                                          {"w", 7 * day},
                                          {"y", 365.25 * day}}};
  const double scale = strip_suffix(s, units, bare_unit_s);
  double v = 0;
  if (!to_number(s, v)) fail("a duration such as 14.8d, 36h or 90min", text);
  v *= scale;
  if (!(v > 0) || !std::isfinite(v)) fail("a positive duration", text);
  return v;
}

double parse_positive(std::string_view text, std::string_view unit) {
  std::string_view s = trim(text);
  if (!unit.empty() && s.size() > unit.size() && iends_with(s, unit)) {
    s = trim(s.substr(0, s.size() - unit.size()));
  }
  double v = 0;
  if (!to_number(s, v)) {
    fail(unit.empty() ? std::string("a positive number") : fmt::format("a positive number in {}", unit), text);
  }
  if (!(v > 0)) fail("a positive number", text);
  return v;
}

}  // namespace llmcost
