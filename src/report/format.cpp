#include "llmcost/format.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <cstdlib>
#include <string>

#include "llmcost/report.hpp"

namespace llmcost {

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

// Trailing zeros of the mantissa only: "1.20e-10" is "1.2e-10", never "1.20e-1".
std::string trim_zeros(std::string s) {
  const size_t e = s.find_first_of("eE");
  std::string mantissa = s.substr(0, e);
  if (mantissa.find('.') == std::string::npos) return s;
  while (!mantissa.empty() && mantissa.back() == '0') mantissa.pop_back();
  if (!mantissa.empty() && mantissa.back() == '.') mantissa.pop_back();
  return e == std::string::npos ? mantissa : mantissa + s.substr(e);
}

// Picks the largest step 1000^k (k <= max_k) not above |x|, so that the mantissa is >= 1.
int thousands_exponent(double x, int max_k) {
  int k = 0;
  while (k < max_k && std::fabs(x) >= std::pow(1000.0, k + 1) * 0.9995) ++k;
  return k;
}

}  // namespace

std::string format_plain(double x, int sig) {
  return trim_zeros(format_sig(x, sig));
}

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

std::string format_scaled(double x) {
  return scaled(x, false);
}
std::string format_scaled_sig(double x) {
  return scaled(x, true);
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

std::string format_value(double v, Unit unit) {
  switch (unit) {
    case Unit::none: return format_plain(v);
    case Unit::nats: return format_sig(v, 4);
    case Unit::count: return std::fabs(v) >= 1e9 ? format_scaled(v) : format_count(v);
    case Unit::params: return format_scaled(v);
    case Unit::tokens: return std::fabs(v) >= 1e5 ? format_scaled(v) : format_count(std::round(v));
    case Unit::flop: return format_sci(v) + " FLOP";
    case Unit::flop_per_s: return format_si(v, "FLOP/s");
    case Unit::fraction: return format_percent(v);
    case Unit::ratio: return format_plain(v);
    case Unit::usd: return format_usd(v);
    case Unit::usd_per_hour: return format_usd(v) + "/h";
    case Unit::usd_per_kwh: return fmt::format("${}/kWh", format_sig(v));
    case Unit::seconds: return format_duration(v);
    case Unit::hours: return format_scaled_sig(v) + " chip-h";
    case Unit::years: return format_sig(v) + " years";
    case Unit::bytes: return format_si(v, "B");
    case Unit::bytes_per_s: return format_si(v, "B/s");
    case Unit::watts: return format_si(v, "W");
    case Unit::kwh: return format_si(v * 1000, "Wh");
    case Unit::kg_co2e: return std::fabs(v) >= 1000 ? format_si(v / 1000, "tCO2e") : format_sig(v) + " kgCO2e";
    case Unit::kg_per_kwh: return format_sig(v) + " kg/kWh";
    case Unit::flag: return v != 0 ? "yes" : "no";
    case Unit::tokens_per_s: return format_scaled_sig(v) + " tokens/s";
    case Unit::number: return format_sig(v);
    case Unit::number4: return format_sig(v, 4);
    case Unit::exact: return std::fabs(v) >= 1e9 ? fmt::format("{:.6g}", v) : format_plain(v, 6);
    case Unit::sci: return format_sci(v);
    case Unit::change: return fmt::format("{:+.1f}%", v * 100);
  }
  return format_sig(v);
}

Utf8Char utf8_at(std::string_view s, size_t at) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char c = byte(at);
  if (c < 0x80) return {c, 1};
  // Lead byte: the sequence length and the smallest code point that needs it (no overlong forms).
  size_t n = 0;
  char32_t code = 0, least = 0;
  if ((c & 0xE0) == 0xC0) {
    n = 2, code = c & 0x1F, least = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, code = c & 0x0F, least = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, code = c & 0x07, least = 0x10000;
  } else {
    return {};
  }
  if (at + n > s.size()) return {};
  for (size_t k = 1; k < n; ++k) {
    if ((byte(at + k) & 0xC0) != 0x80) return {};
    code = (code << 6) | (byte(at + k) & 0x3F);
  }
  if (code < least || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return {};
  return {code, n};
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto hex = [&](size_t at, size_t n) {
    for (size_t k = 0; k < n; ++k) out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[at + k]));
  };
  for (size_t i = 0; i < text.size();) {
    const Utf8Char c = utf8_at(text, i);
    if (c.length == 0) {
      hex(i, 1), i += 1;  // not UTF-8
    } else if (c.code < 0x20 || (c.code >= 0x7F && c.code <= 0x9F)) {
      hex(i, c.length), i += c.length;  // C0, DEL, C1
    } else {
      out.append(text, i, c.length), i += c.length;
    }
  }
  return out;
}

std::string render_text(const Text& text) {
  std::string out;
  for (const Text::Part& p : text.parts()) out += p.number ? format_value(p.number->value, p.number->unit) : p.words;
  return out;
}

}  // namespace llmcost
