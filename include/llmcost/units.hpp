// Quantities as users type them, and numbers as humans read them.
// Parsers throw InputError with a message that says what was expected and what was given;
// callers prefix the place (a flag name or file:line:col).
#pragma once

#include <string>
#include <string_view>

namespace llmcost {

// A plain finite number: "3.5", "1e-3", "1,000".
double parse_number(std::string_view text);

// A count with an optional SI/ML suffix: "175B", "1.4T", "300e9", "70M", "8K", "1,024". Must be > 0.
double parse_count(std::string_view text);

// A fraction in (0, 1]: "46.2%" or "0.462".
double parse_fraction(std::string_view text);

// A fraction in [0, 1): "30%" or "0.3" (rates such as cache hits, margins, tolerances).
double parse_rate(std::string_view text);

// Money in USD, optionally per hour: "$19.22/h", "19.22", "$1.4M". Must be > 0.
double parse_usd(std::string_view text);

// A duration in seconds: "14.8d", "36h", "90min", "45s", "2w", "1.5y". A bare number is in
// `bare_unit_s` seconds (86400 for --days).
double parse_duration_s(std::string_view text, double bare_unit_s);

// A positive number with an optional unit suffix that must match `unit` ("330W" for unit "W").
double parse_positive(std::string_view text, std::string_view unit = {});

// A figure as a document prints it, and the rounding that printing implies: `value` and half a
// unit in its last written digit. "$1.4M" → 1.4e6 ± 5e4, "0.3747" → ± 5e-5, "3.55e6" → ± 5e3,
// "14.8 days" → 14.8 × 86400 s ± 0.05 days, "17%" → 0.17 ± 0.005, "1,287" → ± 0.5. Suffixes:
// K M B G T P, %, h, d/days; an optional leading $. Throws InputError on any other form.
struct ShownFigure {
  double value = 0;
  double half_unit = 0;
};
ShownFigure parse_shown(std::string_view text);

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

}  // namespace llmcost
