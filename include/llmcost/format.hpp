// Numbers as people read them: "$1.40M", "3.15e23", "14.8 days", and text made safe to show them
// in. The renderers' building blocks (llmcost/render.hpp); estimators and commands hand numbers
// with units to a renderer instead.
#pragma once

#include <string>
#include <string_view>

#include "llmcost/report.hpp"

namespace llmcost {

// `x` with `sig` significant digits in fixed notation, trailing zeros kept ("1.40", "0.00347").
std::string format_sig(double x, int sig = 3);

// format_sig without trailing zeros ("6", "1.1", "0.462").
std::string format_plain(double x, int sig = 3);

// `x` with thousands separators when it is a whole number ("10,000"), else format_sig.
std::string format_count(double x);

// Scaled by 1e3 steps with suffixes K, M, B, T ("175B", "1.4T"); trailing zeros trimmed, for
// sizes people name.
std::string format_scaled(double x);

// format_scaled with its three digits kept, for computed results ("1.10M", not "1.1M"; a whole
// number below 1,000 stays whole: "2").
std::string format_scaled_sig(double x);

// SI prefix (k, M, G, T, P, E) before `unit`: format_si(3.5e12, "B") == "3.50 TB".
std::string format_si(double x, std::string_view unit);

// USD as people write it: "$1.40M", "$19.22", "$0.00347".
std::string format_usd(double x);

// A duration in the largest sensible unit: "35.0 ms", "12.0 s", "45.0 min", "5.30 h", "14.8 days",
// "3.20 years".
std::string format_duration(double seconds);

// A fraction as a percentage: "46.2%".
std::string format_percent(double fraction);

// Scientific notation with 3 significant digits: "3.15e23".
std::string format_sci(double x);

// The human form of a value: format_value(1.398e6, Unit::usd) == "$1.40M".
std::string format_value(double value, Unit unit);

// The code point that starts at s[at] and its length in bytes; length 0 when no valid UTF-8
// sequence starts there (a stray continuation byte, an overlong form, a surrogate, a value beyond
// U+10FFFF or a sequence cut short).
struct Utf8Char {
  char32_t code = 0;
  size_t length = 0;
};
Utf8Char utf8_at(std::string_view s, size_t at);

// `text` safe to print for people (tables, listings, status lines): control characters (C0, DEL,
// C1) and bytes that are not UTF-8 are shown as \xNN, so a file name or an id cannot move the
// cursor, retitle the terminal or fake a line of output.
std::string printable(std::string_view text);

// Words with their numbers formatted: "energy assumes every chip draws its TDP (340 W) ...".
std::string render_text(const Text& text);

}  // namespace llmcost
