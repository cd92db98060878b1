// Quantities as users type them (flags, scenario files): "175B", "46.2%", "$19.22/h", "14.8d".
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

// A positive rate that may exceed 100%: "22%" or "0.22" (growth a year).
double parse_percent(std::string_view text);

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

}  // namespace llmcost
