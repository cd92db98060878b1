// Tests of include/llmcost/units.hpp: parsing what people type, formatting what people read.
// Every expected value is worked out by hand in the comment next to it.

#include <catch2/catch.hpp>

#include <string>

#include "helpers.hpp"
#include "llmcost/error.hpp"
#include "llmcost/format.hpp"
#include "llmcost/units.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using Catch::Matchers::WithinRel;
using llmcost::InputError;
using llmcost::test::input_error_of;

// ------------------------------------------------------------------------------------- parsing

TEST_CASE("Units: parse_number reads plain numbers with thousands separators", "[units]") {
  CHECK_THAT(llmcost::parse_number("3.5"), WithinRel(3.5, 1e-12));
  CHECK_THAT(llmcost::parse_number("1e-3"), WithinRel(0.001, 1e-12));
  CHECK_THAT(llmcost::parse_number("1,000"), WithinRel(1000.0, 1e-12));
  CHECK_THAT(llmcost::parse_number("1,024"), WithinRel(1024.0, 1e-12));
  CHECK_THAT(llmcost::parse_number("  42  "), WithinRel(42.0, 1e-12));  // surrounding blanks ignored
  CHECK_THAT(llmcost::parse_number("-2.5"), WithinRel(-2.5, 1e-12));    // any finite number
}

TEST_CASE("Units: parse_number rejects non-numbers and non-finite values", "[units]") {
  CHECK_THROWS_AS(llmcost::parse_number("abc"), InputError);
  CHECK_THROWS_AS(llmcost::parse_number(""), InputError);
  CHECK_THROWS_AS(llmcost::parse_number("   "), InputError);
  CHECK_THROWS_AS(llmcost::parse_number("nan"), InputError);
  CHECK_THROWS_AS(llmcost::parse_number("inf"), InputError);
  CHECK_THROWS_AS(llmcost::parse_number("-inf"), InputError);
  CHECK_THROWS_AS(llmcost::parse_number("1e400"), InputError);  // overflows a double
  CHECK_THROWS_AS(llmcost::parse_number("12X"), InputError);
  CHECK_THROWS_AS(llmcost::parse_number("1.5.3"), InputError);
  CHECK_THAT(input_error_of([] { llmcost::parse_number("abc"); }), Equals("expected a number, got 'abc'"));
}

TEST_CASE("Units: parse_count reads SI/ML suffixes", "[units]") {
  CHECK_THAT(llmcost::parse_count("175B"), WithinRel(1.75e11, 1e-12));  // 175 x 1e9
  CHECK_THAT(llmcost::parse_count("1.4T"), WithinRel(1.4e12, 1e-12));   // 1.4 x 1e12
  CHECK_THAT(llmcost::parse_count("300e9"), WithinRel(3.0e11, 1e-12));  // plain exponent form
  CHECK_THAT(llmcost::parse_count("3e11"), WithinRel(3.0e11, 1e-12));
  CHECK_THAT(llmcost::parse_count("70M"), WithinRel(7.0e7, 1e-12));  // 70 x 1e6
  CHECK_THAT(llmcost::parse_count("8K"), WithinRel(8000.0, 1e-12));  // 8 x 1e3
  CHECK_THAT(llmcost::parse_count("1,024"), WithinRel(1024.0, 1e-12));
  CHECK_THAT(llmcost::parse_count("10,000"), WithinRel(10000.0, 1e-12));
  CHECK_THAT(llmcost::parse_count("175b"), WithinRel(1.75e11, 1e-12));  // suffixes are case-insensitive
  CHECK_THAT(llmcost::parse_count("1.4 T"), WithinRel(1.4e12, 1e-12));  // a blank before the suffix
  CHECK_THAT(llmcost::parse_count("125M"), WithinRel(1.25e8, 1e-12));
}

TEST_CASE("Units: parse_count rejects zero, negatives, junk and overflow", "[units]") {
  CHECK_THROWS_AS(llmcost::parse_count("0"), InputError);
  CHECK_THROWS_AS(llmcost::parse_count("-5B"), InputError);
  CHECK_THROWS_AS(llmcost::parse_count("abc"), InputError);
  CHECK_THROWS_AS(llmcost::parse_count(""), InputError);
  CHECK_THROWS_AS(llmcost::parse_count("B"), InputError);  // a suffix with no number
  CHECK_THROWS_AS(llmcost::parse_count("12X"), InputError);
  CHECK_THROWS_AS(llmcost::parse_count("nan"), InputError);
  CHECK_THROWS_AS(llmcost::parse_count("inf"), InputError);
  CHECK_THROWS_AS(llmcost::parse_count("1e400"), InputError);
  CHECK_THROWS_AS(llmcost::parse_count("1e300T"), InputError);  // finite mantissa, product overflows
  CHECK_THAT(input_error_of([] { llmcost::parse_count("0"); }), Equals("expected a positive count, got '0'"));
  CHECK_THAT(input_error_of([] { llmcost::parse_count("12X"); }),
             Equals("expected a count such as 175B, 1.4T or 3e11, got '12X'"));
}

TEST_CASE("Units: parse_fraction reads percentages and plain fractions in (0, 1]", "[units]") {
  CHECK_THAT(llmcost::parse_fraction("46.2%"), WithinRel(0.462, 1e-12));  // 46.2 / 100
  CHECK_THAT(llmcost::parse_fraction("0.462"), WithinRel(0.462, 1e-12));
  CHECK_THAT(llmcost::parse_fraction("21.3%"), WithinRel(0.213, 1e-12));
  CHECK_THAT(llmcost::parse_fraction("100%"), WithinRel(1.0, 1e-12));  // 1 is included
  CHECK_THAT(llmcost::parse_fraction("1"), WithinRel(1.0, 1e-12));
  CHECK_THAT(llmcost::parse_fraction("46.2 %"), WithinRel(0.462, 1e-12));
}

TEST_CASE("Units: parse_fraction rejects values outside (0, 1] with exact messages", "[units]") {
  CHECK_THROWS_AS(llmcost::parse_fraction("1.7"), InputError);
  CHECK_THROWS_AS(llmcost::parse_fraction("-0.1"), InputError);
  CHECK_THROWS_AS(llmcost::parse_fraction("0"), InputError);  // 0 is excluded
  CHECK_THROWS_AS(llmcost::parse_fraction("0%"), InputError);
  CHECK_THROWS_AS(llmcost::parse_fraction("146%"), InputError);
  CHECK_THROWS_AS(llmcost::parse_fraction("abc"), InputError);
  CHECK_THROWS_AS(llmcost::parse_fraction("%"), InputError);
  CHECK_THROWS_AS(llmcost::parse_fraction(""), InputError);
  CHECK_THROWS_AS(llmcost::parse_fraction("nan"), InputError);
  CHECK_THAT(input_error_of([] { llmcost::parse_fraction("1.7"); }),
             Equals("expected a fraction in (0, 1], got '1.7'"));
  CHECK_THAT(input_error_of([] { llmcost::parse_fraction("-0.1"); }),
             Equals("expected a fraction in (0, 1], got '-0.1'"));
  CHECK_THAT(input_error_of([] { llmcost::parse_fraction("abc"); }),
             Equals("expected a fraction in (0, 1] such as 46.2% or 0.462, got 'abc'"));
}

TEST_CASE("Units: parse_rate reads fractions in [0, 1)", "[units]") {
  CHECK_THAT(llmcost::parse_rate("30%"), WithinRel(0.3, 1e-12));
  CHECK_THAT(llmcost::parse_rate("0.75"), WithinRel(0.75, 1e-12));
  CHECK(llmcost::parse_rate("0") == 0.0);  // 0 is included
  CHECK(llmcost::parse_rate("0%") == 0.0);
  CHECK_THROWS_AS(llmcost::parse_rate("1"), InputError);  // 1 is excluded
  CHECK_THROWS_AS(llmcost::parse_rate("100%"), InputError);
  CHECK_THROWS_AS(llmcost::parse_rate("-0.1"), InputError);
  CHECK_THROWS_AS(llmcost::parse_rate("x"), InputError);
  CHECK_THAT(input_error_of([] { llmcost::parse_rate("1"); }), Equals("expected a rate in [0, 1), got '1'"));
}

TEST_CASE("Units: parse_usd reads dollars, per-hour prices and scaled amounts", "[units]") {
  CHECK_THAT(llmcost::parse_usd("$19.22/h"), WithinRel(19.22, 1e-12));
  CHECK_THAT(llmcost::parse_usd("19.22"), WithinRel(19.22, 1e-12));
  CHECK_THAT(llmcost::parse_usd("$32.77/hour"), WithinRel(32.77, 1e-12));
  CHECK_THAT(llmcost::parse_usd("$2.03/hr"), WithinRel(2.03, 1e-12));
  CHECK_THAT(llmcost::parse_usd("$1.4M"), WithinRel(1.4e6, 1e-12));  // 1.4 x 1e6
  CHECK_THAT(llmcost::parse_usd("$100B"), WithinRel(1.0e11, 1e-12));
  CHECK_THAT(llmcost::parse_usd("$1,000"), WithinRel(1000.0, 1e-12));
  CHECK_THAT(llmcost::parse_usd("0.0035"), WithinRel(0.0035, 1e-12));
}

TEST_CASE("Units: parse_usd rejects non-positive and malformed amounts", "[units]") {
  CHECK_THROWS_AS(llmcost::parse_usd("0"), InputError);
  CHECK_THROWS_AS(llmcost::parse_usd("$-5"), InputError);
  CHECK_THROWS_AS(llmcost::parse_usd("$"), InputError);
  CHECK_THROWS_AS(llmcost::parse_usd("abc"), InputError);
  CHECK_THROWS_AS(llmcost::parse_usd("$12X"), InputError);
  CHECK_THROWS_AS(llmcost::parse_usd("inf"), InputError);
  CHECK_THAT(input_error_of([] { llmcost::parse_usd("0"); }), Equals("expected a positive amount in USD, got '0'"));
}

TEST_CASE("Units: parse_duration_s reads days, hours, minutes, seconds, weeks and years", "[units]") {
  constexpr double day = 86400;
  CHECK_THAT(llmcost::parse_duration_s("14.8d", day), WithinRel(14.8 * 86400, 1e-12));  // 1,278,720 s
  CHECK_THAT(llmcost::parse_duration_s("36h", day), WithinRel(129600.0, 1e-12));        // 36 x 3600
  CHECK_THAT(llmcost::parse_duration_s("90min", day), WithinRel(5400.0, 1e-12));        // 90 x 60
  CHECK_THAT(llmcost::parse_duration_s("45s", day), WithinRel(45.0, 1e-12));
  CHECK_THAT(llmcost::parse_duration_s("2w", day), WithinRel(1209600.0, 1e-12));  // 14 x 86400
  CHECK_THAT(llmcost::parse_duration_s("1.5y", day), WithinRel(1.5 * 365.25 * 86400, 1e-12));
  CHECK_THAT(llmcost::parse_duration_s("3 days", day), WithinRel(259200.0, 1e-12));
  CHECK_THAT(llmcost::parse_duration_s("2 hours", day), WithinRel(7200.0, 1e-12));
  CHECK_THAT(llmcost::parse_duration_s("36H", day), WithinRel(129600.0, 1e-12));  // case-insensitive
  // A bare number is in the caller's unit: days for --days, hours for --hours.
  CHECK_THAT(llmcost::parse_duration_s("30", day), WithinRel(2592000.0, 1e-12));  // 30 x 86400
  CHECK_THAT(llmcost::parse_duration_s("30", 3600), WithinRel(108000.0, 1e-12));  // 30 x 3600
}

TEST_CASE("Units: parse_duration_s rejects zero, negatives and unknown units", "[units]") {
  CHECK_THROWS_AS(llmcost::parse_duration_s("0d", 86400), InputError);
  CHECK_THROWS_AS(llmcost::parse_duration_s("-3h", 86400), InputError);
  CHECK_THROWS_AS(llmcost::parse_duration_s("3 fortnights", 86400), InputError);
  CHECK_THROWS_AS(llmcost::parse_duration_s("d", 86400), InputError);
  CHECK_THROWS_AS(llmcost::parse_duration_s("", 86400), InputError);
  CHECK_THAT(input_error_of([] { llmcost::parse_duration_s("12X", 86400); }),
             Equals("expected a duration such as 14.8d, 36h or 90min, got '12X'"));
}

TEST_CASE("Units: parse_positive accepts only its own unit suffix", "[units]") {
  CHECK_THAT(llmcost::parse_positive("330W", "W"), WithinRel(330.0, 1e-12));
  CHECK_THAT(llmcost::parse_positive("330 W", "W"), WithinRel(330.0, 1e-12));
  CHECK_THAT(llmcost::parse_positive("330", "W"), WithinRel(330.0, 1e-12));  // the unit is optional
  CHECK_THAT(llmcost::parse_positive("1.1"), WithinRel(1.1, 1e-12));
  CHECK_THROWS_AS(llmcost::parse_positive("330kW", "W"), InputError);  // no prefixes
  CHECK_THROWS_AS(llmcost::parse_positive("330GB", "W"), InputError);  // another unit
  CHECK_THROWS_AS(llmcost::parse_positive("0", "W"), InputError);
  CHECK_THROWS_AS(llmcost::parse_positive("-1"), InputError);
  CHECK_THROWS_AS(llmcost::parse_positive("nan"), InputError);
  CHECK_THAT(input_error_of([] { llmcost::parse_positive("-1"); }), Equals("expected a positive number, got '-1'"));
  CHECK_THAT(input_error_of([] { llmcost::parse_positive("330GB", "W"); }),
             Equals("expected a positive number in W, got '330GB'"));
}

// ------------------------------------------------------------------------------------- formatting

TEST_CASE("Units: format_sig keeps sig significant digits and trailing zeros", "[units]") {
  CHECK(llmcost::format_sig(1.398) == "1.40");  // 1.398 -> 1.40
  CHECK(llmcost::format_sig(0.00347) == "0.00347");
  CHECK(llmcost::format_sig(0.0035) == "0.00350");  // 3.50e-3
  CHECK(llmcost::format_sig(46.2) == "46.2");
  CHECK(llmcost::format_sig(175) == "175");
  CHECK(llmcost::format_sig(12345) == "12345");  // fixed notation never drops integer digits
  CHECK(llmcost::format_sig(6) == "6.00");
  CHECK(llmcost::format_sig(-1.398) == "-1.40");
  CHECK(llmcost::format_sig(1.398, 2) == "1.4");
  CHECK(llmcost::format_sig(1.398, 4) == "1.398");
  CHECK(llmcost::format_sig(0) == "0");
}

TEST_CASE("Units: format_sig re-rounds when rounding adds a digit", "[units]") {
  // 999.7 to 3 digits is 1.00e3, written in fixed notation as "1000" (not "1000.0" or "999.7").
  CHECK(llmcost::format_sig(999.7) == "1000");
  CHECK(llmcost::format_sig(-999.7) == "-1000");
  // 9.9996 -> 10.0 (3 significant digits, not "10.00").
  CHECK(llmcost::format_sig(9.9996) == "10.0");
  // 0.0009996 -> 1.00e-3 -> "0.00100" (not "0.001000").
  CHECK(llmcost::format_sig(0.0009996) == "0.00100");
  // 0.9996 -> "1.00"
  CHECK(llmcost::format_sig(0.9996) == "1.00");
  // Just below the rounding edge nothing changes: 999.4 -> "999".
  CHECK(llmcost::format_sig(999.4) == "999");
}

TEST_CASE("Units: format_plain drops trailing zeros", "[units]") {
  CHECK(llmcost::format_plain(6) == "6");
  CHECK(llmcost::format_plain(1.1) == "1.1");
  CHECK(llmcost::format_plain(0.462) == "0.462");
  CHECK(llmcost::format_plain(1000) == "1000");  // zeros of a whole number stay
  CHECK(llmcost::format_plain(2.5, 4) == "2.5");
  CHECK(llmcost::format_plain(999.7) == "1000");
}

TEST_CASE("Units: format_count groups whole numbers by thousands", "[units]") {
  CHECK(llmcost::format_count(10000) == "10,000");
  CHECK(llmcost::format_count(1024) == "1,024");
  CHECK(llmcost::format_count(999) == "999");
  CHECK(llmcost::format_count(1000) == "1,000");
  CHECK(llmcost::format_count(1e6) == "1,000,000");
  CHECK(llmcost::format_count(100000) == "100,000");
  CHECK(llmcost::format_count(0) == "0");
  CHECK(llmcost::format_count(-1234) == "-1,234");
  CHECK(llmcost::format_count(1.5) == "1.50");  // not whole: format_sig
}

TEST_CASE("Units: format_scaled uses K, M, B, T and trims zeros", "[units]") {
  CHECK(llmcost::format_scaled(1.75e11) == "175B");  // 175 x 1e9
  CHECK(llmcost::format_scaled(1.4e12) == "1.4T");   // 1.40 x 1e12 -> trimmed
  CHECK(llmcost::format_scaled(7e7) == "70M");
  CHECK(llmcost::format_scaled(8000) == "8K");
  CHECK(llmcost::format_scaled(1234567) == "1.23M");
  CHECK(llmcost::format_scaled(125e6) == "125M");
  CHECK(llmcost::format_scaled(500) == "500");
  CHECK(llmcost::format_scaled(0.5) == "0.5");
  CHECK(llmcost::format_scaled(-1.75e11) == "-175B");
}

TEST_CASE("Units: format_scaled moves up a step when rounding reaches 1000", "[units]") {
  // 999.6e9 to 3 digits is 1.00e12: "1T", not "1000B".
  CHECK(llmcost::format_scaled(999.6e9) == "1T");
  CHECK(llmcost::format_scaled(999.4e9) == "999B");  // below the edge it stays in B
  CHECK(llmcost::format_scaled(999.96) == "1K");
  CHECK(llmcost::format_scaled(999.7e3) == "1M");
  // Above the T range: scientific notation. 1.5e15 -> "1.50e15".
  CHECK(llmcost::format_scaled(1.5e15) == "1.50e15");
  CHECK(llmcost::format_scaled(999.7e12) == "1.00e15");
}

TEST_CASE("Units: format_si prefixes the unit", "[units]") {
  CHECK(llmcost::format_si(3.5e12, "B") == "3.50 TB");  // 3.5 x 1e12 bytes
  CHECK(llmcost::format_si(6.8e9, "B") == "6.80 GB");   // BERT-Large 340M x 20 B
  CHECK(llmcost::format_si(7e11, "B") == "700 GB");     // 175B x 4 B
  CHECK(llmcost::format_si(1.287e9, "Wh") == "1.29 GWh");
  CHECK(llmcost::format_si(330, "W") == "330 W");
  CHECK(llmcost::format_si(0.5, "W") == "0.500 W");
  CHECK(llmcost::format_si(999.7e9, "B") == "1.00 TB");  // rounding moves up a prefix
  CHECK(llmcost::format_si(2e21, "B") == "2.00e21 B");   // beyond E: scientific
}

TEST_CASE("Units: format_usd writes money as people do", "[units]") {
  CHECK(llmcost::format_usd(1.398e6) == "$1.40M");
  CHECK(llmcost::format_usd(19.22) == "$19.22");
  CHECK(llmcost::format_usd(0.0035) == "$0.00350");
  CHECK(llmcost::format_usd(0.00347) == "$0.00347");
  CHECK(llmcost::format_usd(0.0547) == "$0.0547");
  CHECK(llmcost::format_usd(2.2e6) == "$2.20M");
  CHECK(llmcost::format_usd(11.2e6) == "$11.2M");
  CHECK(llmcost::format_usd(1234) == "$1.23K");
  CHECK(llmcost::format_usd(100e9) == "$100B");
  CHECK(llmcost::format_usd(2.03) == "$2.03");
  CHECK(llmcost::format_usd(-5) == "-$5.00");
  CHECK(llmcost::format_usd(999.6e3) == "$1.00M");  // rounding moves up a suffix
  CHECK(llmcost::format_usd(0.9996) == "$1.00");
  CHECK(llmcost::format_usd(1.2e15) == "$1.20e15");
}

TEST_CASE("Units: format_duration picks the largest sensible unit", "[units]") {
  CHECK(llmcost::format_duration(12) == "12.0 s");
  CHECK(llmcost::format_duration(0.035) == "35.0 ms");  // decode steps
  CHECK(llmcost::format_duration(42e-6) == "42.0 µs");
  CHECK(llmcost::format_duration(45 * 60) == "45.0 min");
  CHECK(llmcost::format_duration(5.3 * 3600) == "5.30 h");
  CHECK(llmcost::format_duration(14.82 * 86400) == "14.8 days");
  CHECK(llmcost::format_duration(36 * 3600) == "36.0 h");  // 1.5 days stays in hours
  CHECK(llmcost::format_duration(30 * 86400) == "30.0 days");
  CHECK(llmcost::format_duration(3.2 * 365.25 * 86400) == "3.20 years");  // 1,169 days
}

TEST_CASE("Units: format_percent and format_sci", "[units]") {
  CHECK(llmcost::format_percent(0.462) == "46.2%");
  CHECK(llmcost::format_percent(0.213) == "21.3%");
  CHECK(llmcost::format_percent(0.8) == "80.0%");
  CHECK(llmcost::format_percent(1) == "100.0%");
  CHECK(llmcost::format_percent(0.0005) == "0.0500%");  // tiny: significant digits
  CHECK(llmcost::format_sci(3.15e23) == "3.15e23");
  CHECK(llmcost::format_sci(6.89e5) == "6.89e5");
  CHECK(llmcost::format_sci(1e-3) == "1.00e-3");
  CHECK(llmcost::format_sci(-2.5e10) == "-2.50e10");
  CHECK(llmcost::format_sci(9.996e5) == "1.00e6");  // the mantissa rounds to 10: next exponent
  CHECK(llmcost::format_sci(1e35) == "1.00e35");
}

TEST_CASE("Units: parse and format round-trip the issue's quantities", "[units]") {
  CHECK(llmcost::format_scaled(llmcost::parse_count("175B")) == "175B");
  CHECK(llmcost::format_scaled(llmcost::parse_count("1.4T")) == "1.4T");
  CHECK(llmcost::format_percent(llmcost::parse_fraction("46.2%")) == "46.2%");
  CHECK(llmcost::format_usd(llmcost::parse_usd("$19.22/h")) == "$19.22");
  CHECK(llmcost::format_duration(llmcost::parse_duration_s("14.8d", 86400)) == "14.8 days");
}

// Amounts in [999.995, 1000) would round to "$1000.00" in the dollars branch; they move up to K
// the way 999.6e3 -> "$1.00M" does.
TEST_CASE("Units: format_usd moves to K when cents rounding reaches $1000", "[units]") {
  CHECK(llmcost::format_usd(999.996) == "$1.00K");  // 999.996 -> 1000.00 -> 1.00 x 1e3
}

TEST_CASE("Units: commas only as thousands separators, plural unit words", "[units]") {
  CHECK(llmcost::parse_number("1,024") == 1024);
  CHECK(llmcost::parse_number("10,000.5") == 10000.5);
  CHECK_THROWS_AS(llmcost::parse_number("1,2,3"), llmcost::InputError);
  CHECK_THROWS_AS(llmcost::parse_number("1_000"), llmcost::InputError);
  CHECK_THROWS_AS(llmcost::parse_count("1,0245"), llmcost::InputError);
  CHECK(llmcost::parse_duration_s("5mins", 1) == 300);
  CHECK(llmcost::parse_duration_s("2hrs", 1) == 7200);
  CHECK(llmcost::parse_duration_s("10secs", 1) == 10);
}

TEST_CASE("Units: parse_shown reads a printed figure and the rounding it implies", "[units]") {
  using llmcost::parse_shown;
  // "$1.4M": 1.4e6, last digit the 0.1M place → ± 0.05e6.
  CHECK(parse_shown("$1.4M").value == 1.4e6);
  CHECK_THAT(parse_shown("$1.4M").half_unit, WithinRel(5e4, 1e-12));
  // "0.3747": four decimals → ± 0.00005.
  CHECK_THAT(parse_shown("0.3747").half_unit, WithinRel(5e-5, 1e-12));
  // "3.55e6": two decimals of 1e6 → ± 5e3.
  CHECK_THAT(parse_shown("3.55e6").value, WithinRel(3.55e6, 1e-15));
  CHECK_THAT(parse_shown("3.55e6").half_unit, WithinRel(5e3, 1e-12));
  // "1,287e3": thousands comma, integer mantissa → ± 0.5e3.
  CHECK(parse_shown("1,287e3").value == 1287e3);
  CHECK_THAT(parse_shown("1,287e3").half_unit, WithinRel(500, 1e-12));
  // "14.8 days" in seconds: 14.8 × 86400 ± 0.05 × 86400.
  CHECK_THAT(parse_shown("14.8 days").value, WithinRel(1278720, 1e-12));
  CHECK_THAT(parse_shown("14.8 days").half_unit, WithinRel(4320, 1e-12));
  // "22%": 0.22 ± 0.005; "44": ± 0.5; "0.8": ± 0.05; "2e-3": ± 5e-4.
  CHECK_THAT(parse_shown("22%").value, WithinRel(0.22, 1e-12));
  CHECK_THAT(parse_shown("22%").half_unit, WithinRel(0.005, 1e-12));
  CHECK(parse_shown("44").half_unit == 0.5);
  CHECK_THAT(parse_shown("0.8").half_unit, WithinRel(0.05, 1e-12));
  CHECK_THAT(parse_shown("2e-3").half_unit, WithinRel(5e-4, 1e-12));
  for (const char* bad : {"", "$", "abc", "1.4X", "1e", "1e+", "1,2,3", "inf", "nan", "1e999", "--1", "1.4 M M",
                          "1.5e-2147483648", "1e2147483647"}) {
    INFO(bad);
    CHECK_THAT(input_error_of([&] { parse_shown(bad); }), Contains("expected a figure as printed"));
  }
}
