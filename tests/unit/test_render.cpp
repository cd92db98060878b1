// Renderers: human units in tables, raw base units in JSON/CSV, formulas substituted by --explain.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "llmcost/error.hpp"
#include "llmcost/format.hpp"
#include "llmcost/listing.hpp"
#include "llmcost/render.hpp"

using namespace llmcost;

namespace {

// A small report built by hand: 2 × 3 = 6 dollars.
Report sample() {
  Report r;
  r.kind = "demo";
  r.title = "Demo report";
  r.add_context("model", "Model", "demo-1", "given", "Some et al. 2020");
  r.add_input("hours", "Hours", 2, Unit::hours, "given");
  r.add_input("usd_per_chip_hour", "Price", 3, Unit::usd_per_hour, "offer x", "Price list, 2026");
  r.add("cost_usd", "Cost", 6, Unit::usd, "{hours} × {usd_per_chip_hour}");
  r.add("energy_kwh", "Energy", 1.287e6, Unit::kwh);
  r.notes.push_back("a caveat, with a comma");
  return r;
}

}  // namespace

TEST_CASE("Render: human form per unit", "[render]") {
  CHECK(format_value(1.398e6, Unit::usd) == "$1.40M");
  CHECK(format_value(3.15e23, Unit::flop) == "3.15e23 FLOP");
  CHECK(format_value(1.2805e6, Unit::seconds) == "14.8 days");
  CHECK(format_value(0.462, Unit::fraction) == "46.2%");
  CHECK(format_value(3.5e12, Unit::bytes) == "3.50 TB");
  CHECK(format_value(1.287e6, Unit::kwh) == "1.29 GWh");  // 1.287e9 Wh
  CHECK(format_value(5.52e5, Unit::kg_co2e) == "552 tCO2e");
  CHECK(format_value(12.5, Unit::kg_co2e) == "12.5 kgCO2e");
  CHECK(format_value(10000, Unit::count) == "10,000");
  CHECK(format_value(1.75e11, Unit::params) == "175B");
  CHECK(format_value(6.887e5, Unit::hours) == "689K chip-h");
  CHECK(format_value(127.05e12, Unit::flop_per_s) == "127 TFLOP/s");
  CHECK(format_value(2.03, Unit::usd_per_hour) == "$2.03/h");
  CHECK(format_value(6, Unit::none) == "6");
}

TEST_CASE("Render: JSON carries kind, raw values, rows and assumptions", "[render]") {
  const auto j = nlohmann::json::parse(render(sample(), Format::json, false));
  CHECK(j["kind"] == "demo");
  CHECK(j["values"]["cost_usd"].get<double>() == 6.0);
  CHECK(j["values"]["energy_kwh"].get<double>() == 1.287e6);  // base unit, not "1.29 GWh"
  REQUIRE(j["rows"].size() == 4);
  CHECK(j["rows"][2]["formula"] == "hours × usd_per_chip_hour");
  CHECK(j["rows"][2]["substituted"] == "2 chip-h × $3.00/h");
  CHECK(j["rows"][2]["role"] == "result");
  REQUIRE(j["assumptions"].size() == 3);  // the model context + two input rows
  CHECK(j["assumptions"][0]["reference"] == "Some et al. 2020");
  CHECK(j["assumptions"][2]["value"].get<double>() == 3.0);
  CHECK(j["notes"][0] == "a caveat, with a comma");
}

TEST_CASE("Render: CSV has one row per value, quoted where needed", "[render]") {
  const std::string csv = render(sample(), Format::csv, false);
  // The columns of the JSON rows: the published reference too (Issue 12).
  CHECK(csv.rfind("key,label,value,unit,role,formula,source,reference\n", 0) == 0);
  CHECK(csv.find("cost_usd,Cost,6,usd,result,hours × usd_per_chip_hour,,\n") != std::string::npos);
  CHECK(csv.find("energy_kwh,Energy,1287000,kwh,result,,,\n") != std::string::npos);
  CHECK(csv.find("usd_per_chip_hour,Price,3,usd/h,input,,offer x,\"Price list, 2026\"\n") != std::string::npos);
}

TEST_CASE("Render: table separates results from assumptions; --explain adds formulas and sources", "[render]") {
  const std::string plain = render(sample(), Format::table, false);
  CHECK(plain.find("Results\n  Cost    $6.00\n") != std::string::npos);
  CHECK(plain.find("Price list, 2026") == std::string::npos);
  const std::string explained = render(sample(), Format::table, true);
  CHECK(explained.find("cost_usd = hours × usd_per_chip_hour = 2 chip-h × $3.00/h") != std::string::npos);
  CHECK(explained.find("source: Price list, 2026") != std::string::npos);
  CHECK(explained.find("Notes\n  - a caveat, with a comma\n") != std::string::npos);
}

TEST_CASE("Render: Markdown escapes pipes and lists keys", "[render]") {
  Report r = sample();
  r.title = "a | b";
  const std::string md = render(r, Format::markdown, false);
  CHECK(md.rfind("## a \\| b\n", 0) == 0);
  CHECK(md.find("| Cost | $6.00 | `cost_usd` |") != std::string::npos);
}

TEST_CASE("Render: unknown format is an input error", "[render]") {
  CHECK(parse_format("md") == Format::markdown);
  CHECK_THROWS_WITH(parse_format("yaml"), "--format: expected table, json, csv or markdown, got 'yaml'");
}

TEST_CASE("Render: listings in every format", "[render]") {
  Listing l{"Things", {"id", "price"}, {{{"a", {}}, {"$1.50", 1.5}}}};
  CHECK(render_listing(l, Format::csv) == "id,price\na,1.5\n");
  CHECK(nlohmann::json::parse(render_listing(l, Format::json))[0]["price"].get<double>() == 1.5);
  CHECK(render_listing(l, Format::table) == "Things\n\nid  price\na   $1.50\n");
}
