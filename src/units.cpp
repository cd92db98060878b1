#include "llmcost/units.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include "llmcost/error.hpp"

namespace llmcost {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool ends_with_ci(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

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
    if (s.size() > suffix.text.size() && ends_with_ci(s, suffix.text)) {
      s = trim(s.substr(0, s.size() - suffix.text.size()));
      return suffix.scale;
    }
  }
  return none;
}

constexpr std::array<Suffix, 6> kCountSuffixes{{
    {"K", 1e3}, {"M", 1e6}, {"B", 1e9}, {"G", 1e9}, {"T", 1e12}, {"P", 1e15}}};

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
  const auto bad = [&] { fail("a figure as printed, such as \"$1.4M\", \"0.3747\", \"3.55e6\" or \"14.8 days\"", text); };
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
  constexpr std::array<Suffix, 22> units{{{"minutes", 60},     {"minute", 60},      {"years", 365.25 * day},
                                          {"mins", 60},        {"hrs", 3600},       {"secs", 1},
                                          {"year", 365.25 * day}, {"weeks", 7 * day}, {"week", 7 * day},
                                          {"hours", 3600},     {"hour", 3600},      {"days", day},
                                          {"day", day},        {"min", 60},         {"sec", 1},
                                          {"yr", 365.25 * day}, {"hr", 3600},       {"s", 1},
                                          {"h", 3600},         {"d", day},          {"w", 7 * day},
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
  if (!unit.empty() && s.size() > unit.size() && ends_with_ci(s, unit)) {
    s = trim(s.substr(0, s.size() - unit.size()));
  }
  double v = 0;
  if (!to_number(s, v)) {
    fail(unit.empty() ? std::string("a positive number") : fmt::format("a positive number in {}", unit), text);
  }
  if (!(v > 0)) fail("a positive number", text);
  return v;
}

std::string format_sig(double x, int sig) {
  if (x == 0 || !std::isfinite(x)) return fmt::format("{}", x);
  int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(x))));
  // Far from 1, fixed notation needs hundreds of digits: scientific keeps `sig` of them.
  if (magnitude < -6 || magnitude > 17) return fmt::format("{:.{}e}", x, std::max(0, sig - 1));
  int decimals = std::max(0, sig - 1 - magnitude);
  std::string out = fmt::format("{:.{}f}", x, decimals);
  // Rounding can add a digit (999.7 -> "1000"); recompute with the new magnitude.
  const double rounded = std::strtod(out.c_str(), nullptr);
  if (rounded != 0) {
    const int m2 = static_cast<int>(std::floor(std::log10(std::fabs(rounded))));
    if (m2 != magnitude) out = fmt::format("{:.{}f}", x, std::max(0, sig - 1 - m2));
  }
  return out;
}

std::string format_count(double x) {
  if (std::fabs(x) < 1e15 && x == std::floor(x)) {
    std::string digits = fmt::format("{:.0f}", std::fabs(x));
    std::string out;
    const size_t n = digits.size();
    for (size_t i = 0; i < n; ++i) {
      out.push_back(digits[i]);
      if ((n - i - 1) % 3 == 0 && i + 1 < n) out.push_back(',');
    }
    return x < 0 ? "-" + out : out;
  }
  return format_sig(x);
}

namespace {

std::string trim_zeros(std::string s) {
  if (s.find('.') == std::string::npos) return s;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// Picks the largest step 1000^k (k <= max_k) not above |x|, so that the mantissa is >= 1.
int thousands_exponent(double x, int max_k) {
  int k = 0;
  while (k < max_k && std::fabs(x) >= std::pow(1000.0, k + 1) * 0.9995) ++k;
  return k;
}

}  // namespace

std::string format_plain(double x, int sig) { return trim_zeros(format_sig(x, sig)); }

namespace {

std::string scaled(double x, bool keep_zeros) {
  static constexpr std::array<std::string_view, 5> suffix{"", "K", "M", "B", "T"};
  if (std::fabs(x) >= 999.5e12) return format_sci(x);
  const int k = thousands_exponent(x, 4);
  const std::string digits = format_sig(x / std::pow(1000.0, k));
  const bool whole = k == 0 && x == std::round(x);  // "2 chip-h", not "2.00"
  return (keep_zeros && !whole ? digits : trim_zeros(digits)) + std::string(suffix[size_t(k)]);
}

}  // namespace

std::string format_scaled(double x) { return scaled(x, false); }
std::string format_scaled_sig(double x) { return scaled(x, true);
}

std::string format_si(double x, std::string_view unit) {
  static constexpr std::array<std::string_view, 7> prefix{"", "k", "M", "G", "T", "P", "E"};
  if (std::fabs(x) >= 999.5e18) return fmt::format("{} {}", format_sci(x), unit);
  if (std::fabs(x) < 1 && x != 0) return fmt::format("{} {}", format_sig(x), unit);
  const int k = thousands_exponent(x, 6);
  return fmt::format("{} {}{}", format_sig(x / std::pow(1000.0, k)), prefix[size_t(k)], unit);
}

std::string format_usd(double x) {
  static constexpr std::array<std::string_view, 5> suffix{"", "K", "M", "B", "T"};
  const std::string sign = x < 0 ? "-" : "";
  const double a = std::fabs(x);
  if (a >= 999.5e12) return sign + "$" + format_sci(a);
  if (a >= 999.995) {  // from here "$1000.00" would show: move to K
    const int k = std::max(1, thousands_exponent(a, 4));
    return fmt::format("{}${}{}", sign, format_sig(a / std::pow(1000.0, k)), suffix[size_t(k)]);
  }
  if (a >= 1) return fmt::format("{}${:.2f}", sign, a);
  return sign + "$" + format_sig(a);
}

std::string format_duration(double seconds) {
  struct Step {
    double limit, scale;
    std::string_view unit;
  };
  static constexpr std::array<Step, 7> steps{{{1e-3, 1e-6, "µs"},
                                              {1, 1e-3, "ms"},
                                              {120, 1, "s"},
                                              {7200, 60, "min"},
                                              {172800, 3600, "h"},
                                              {1000 * 86400.0, 86400, "days"},
                                              {0, 365.25 * 86400, "years"}}};
  for (const auto& step : steps) {
    if (step.limit == 0 || seconds < step.limit) {
      return fmt::format("{} {}", format_sig(seconds / step.scale), step.unit);
    }
  }
  return format_sig(seconds) + " s";
}

std::string format_percent(double fraction) {
  const double pct = fraction * 100;
  if (std::fabs(pct) >= 0.1 && std::fabs(pct) < 1000) return fmt::format("{:.1f}%", pct);
  if (std::fabs(pct) >= 1e4) return format_sci(pct) + "%";
  return format_sig(pct) + "%";
}

std::string format_sci(double x) {
  if (x == 0 || !std::isfinite(x)) return fmt::format("{}", x);
  int e = static_cast<int>(std::floor(std::log10(std::fabs(x))));
  double m = x / std::pow(10.0, e);
  std::string ms = fmt::format("{:.2f}", m);
  if (ms == "10.00" || ms == "-10.00") {
    ++e;
    ms = fmt::format("{:.2f}", x / std::pow(10.0, e));
  }
  return fmt::format("{}e{}", ms, e);
}

}  // namespace llmcost
