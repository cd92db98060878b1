// Tests of what `llmcost fit` reads and what it shows and saves: the CSV reader (llmcost/fit.hpp),
// the report, the law file and the chart (llmcost/fit_report.hpp), and the SVG renderer of a chart
// (llmcost/chart.hpp). The fitter itself: test_fit.cpp.
#include <catch2/catch.hpp>

#include <cmath>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "llmcost/catalog.hpp"
#include "llmcost/chart.hpp"
#include "llmcost/error.hpp"
#include "llmcost/fit.hpp"
#include "llmcost/fit_report.hpp"
#include "llmcost/format.hpp"
#include "llmcost/law.hpp"

using Catch::Matchers::WithinRel;
using llmcost::FitData;
using llmcost::FitOptions;
using llmcost::FitResult;
using llmcost::test::input_error_of;

namespace {

// A fit as fit_law would return it for hoffmann2022 (as printed): the report, file and chart
// functions are checked on known numbers, without running the fitter.
FitResult hoffmann_fit() {
  FitResult f;
  f.law = llmcost::hoffmann_law(1.69, 406.4, 410.7, 0.34, 0.28);
  f.a_exp = 0.28 / 0.62, f.b_exp = 0.34 / 0.62;
  f.objective = 1e-6, f.points = 6, f.starts = 108, f.converged_starts = 100;
  f.converged = f.identified = true;
  f.message = "converged";
  return f;
}

// Six runs at two budgets: 6·N·D = 6e20 (log10 20.78 → 20.75) and 6e22 (→ 22.75).
FitData two_budgets() {
  FitData data;
  data.origin = "runs <a&b>.csv";
  for (double n : {1e8, 1e9, 1e10}) {
    for (double c : {6e20, 6e22}) {
      const double d = c / (6 * n);
      data.points.push_back({n, d, llmcost::law_loss(hoffmann_fit().law, n, d).loss});
    }
  }
  return data;
}

}  // namespace

// ----------------------------------------------------------------------------------------- CSV

TEST_CASE("Fit: CSV reads params tokens and loss in any column order", "[fit][csv]") {
  const std::string text =
      "# Chinchilla-style runs\n"
      "Loss, run, Tokens ,PARAMS\r\n"
      "\n"
      "3.10, a, 20B, 400M\r\n"
      "2.50, b, 1.4T, 70B\n"
      "2.9,c,\"1,000,000,000\",1e9\n"
      "  2.7 ,d,3e10,2.5e9\n"
      "2.6,e,5e10,4B";
  const FitData data = llmcost::read_fit_csv(text, "runs.csv");
  CHECK(data.origin == "runs.csv");
  REQUIRE(data.points.size() == 5);
  CHECK_THAT(data.points[0].params, WithinRel(400e6, 1e-15));
  CHECK_THAT(data.points[0].tokens, WithinRel(20e9, 1e-15));
  CHECK_THAT(data.points[0].loss, WithinRel(3.10, 1e-15));
  CHECK_THAT(data.points[1].params, WithinRel(70e9, 1e-15));
  CHECK_THAT(data.points[1].tokens, WithinRel(1.4e12, 1e-15));
  CHECK_THAT(data.points[2].tokens, WithinRel(1e9, 1e-15));  // quoted field with thousands separators
  CHECK_THAT(data.points[3].loss, WithinRel(2.7, 1e-15));
  CHECK_THAT(data.points[4].params, WithinRel(4e9, 1e-15));
}

TEST_CASE("Fit: CSV derives tokens from flops", "[fit][csv]") {
  // D = C / (6·N): 6e19 / (6·1e9) = 1e10; 5.76e23 / (6·70e9) = 1.3714e12.
  const FitData data = llmcost::read_fit_csv(
      "params,flops,loss\n1e9,6e19,3\n70B,5.76e23,2\n1e9,6e19,3\n1e9,6e19,3\n1e9,6e19,3\n", "f.csv");
  CHECK_THAT(data.points[0].tokens, WithinRel(1e10, 1e-15));
  CHECK_THAT(data.points[1].tokens, WithinRel(5.76e23 / 4.2e11, 1e-15));
}

TEST_CASE("Fit: CSV errors name the line the column and the field", "[fit][csv]") {
  const std::string five = "1e9,2e10,3\n1e9,2e10,3\n1e9,2e10,3\n1e9,2e10,3\n1e9,2e10,3\n";
  const std::pair<std::string, std::string> cases[] = {
      {"", "d.csv: no header row; expected a header row naming params, tokens (or flops) and loss"},
      {"# only a comment\n\n", "d.csv: no header row; expected a header row naming params, tokens (or flops) and loss"},
      {"params,tokens\n1e9,2e10\n",
       "d.csv:1:1: header has no 'loss' column; expected a header row naming params, tokens (or flops) and loss"},
      {"params,loss\n",
       "d.csv:1:1: header has no 'tokens' or 'flops' column; expected a header row naming params, "
       "tokens (or flops) and loss"},
      {"1e9,2e10,3\n",
       "d.csv:1:1: header has no 'params' column; expected a header row naming params, tokens (or "
       "flops) and loss"},
      {"params,tokens,loss,Loss\n", "d.csv:1:20: duplicate column 'loss'"},
      {"params,tokens,loss\n1e9,2e10,abc\n", "d.csv:2:10: field 'loss': expected a positive number, got 'abc'"},
      {"params,tokens,loss\n1e9,2e10,-2\n", "d.csv:2:10: field 'loss': expected a positive number, got '-2'"},
      {"params,tokens,loss\n1e9,2e10,0\n", "d.csv:2:10: field 'loss': expected a positive number, got '0'"},
      {"params,tokens,loss\n1e9,2e10,nan\n", "d.csv:2:10: field 'loss': expected a positive number, got 'nan'"},
      {"params,tokens,loss\n1e9,2e10,inf\n", "d.csv:2:10: field 'loss': expected a positive number, got 'inf'"},
      {"params,tokens,loss\n1e9,2e10,\n", "d.csv:2:10: field 'loss': expected a positive number, got ''"},
      {"params,tokens,loss\n" + five + "x1,2e10,3\n",
       "d.csv:7:1: field 'params': expected a count such as 175B, 1.4T or 3e11, got 'x1'"},
      {"params,tokens,loss\n1e9, -2e10 ,3\n", "d.csv:2:6: field 'tokens': expected a positive count, got '-2e10'"},
      {"params,flops,loss\n1e9,1e999,3\n",
       "d.csv:2:5: field 'flops': expected a count such as 175B, 1.4T or 3e11, got '1e999'"},
      {"params,tokens,loss\n1e9,2e10\n", "d.csv:2:9: field 'loss': missing (the row has 2 fields, the header 3)"},
      {"params,tokens,loss\n1e9,2e10,3,4\n", "d.csv:2:12: the row has 4 fields, the header 3"},
      {"params,tokens,loss\n1e9,\"2e10,3\n", "d.csv:2:5: unterminated quoted field"},
      {"params,tokens,loss\n1e9,\"2e10\" x,3\n", "d.csv:2:12: unexpected text after a quoted field"},
      {"\xEF\xBB\xBFparams,tokens,loss\n1e9,2e10,-1\n",
       "d.csv:2:10: field 'loss': expected a positive number, got '-1'"},
      {"params,tokens,loss\n1e9,2e10,3\n1e9,2e10,3\n1e9,2e10,3\n", "d.csv: needs at least 5 data rows, got 3"},
  };
  for (const auto& c : cases) {
    INFO(c.first);
    CHECK(input_error_of([&] { llmcost::read_fit_csv(c.first, "d.csv"); }) == c.second);
  }
}

// ---------------------------------------------------------------------------------- the report

TEST_CASE("Fit: report rows are formulas over its keys or found by a named method", "[fit]") {
  FitOptions o;
  o.coarse_grid = true;
  o.drop_highest = 1;
  o.at_flops = 5.76e23;
  const FitData data = two_budgets();
  const llmcost::Report r = llmcost::fit_report(data, o, hoffmann_fit());
  std::set<std::string> keys;
  for (const auto& row : r.rows) keys.insert(row.key);
  const std::regex ref(R"(\{([a-z0-9_]+)\})");
  for (const auto& row : r.rows) {
    INFO(row.key << ": formula '" << row.formula << "', method '" << row.method << "'");
    if (row.input) continue;
    CHECK(row.formula.empty() != row.method.empty());  // one or the other, never prose as a formula
    for (auto it = std::sregex_iterator(row.formula.begin(), row.formula.end(), ref); it != std::sregex_iterator();
         ++it) {
      CHECK(keys.count((*it)[1]) == 1);
    }
  }
  for (const char* key : {"law_e", "law_a", "law_b", "law_alpha", "law_beta", "objective", "converged_starts"}) {
    INFO(key);
    CHECK_FALSE(r.find(key)->method.empty());
  }
  CHECK(r.find("points")->formula == "{rows} - {drop_highest}");
  CHECK(r.value("rows") == 6);
  CHECK(r.value("starts") == 108);
  CHECK(r.value("huber_delta") == 1e-3);
  // N_opt is the one optimal_params (llmcost/law.hpp), and its formula says how.
  CHECK(r.value("n_opt") == llmcost::optimal_params(hoffmann_fit().law, 5.76e23));
  CHECK_THAT(r.value("n_opt"), WithinRel(32.19e9, 1e-3));  // docs/scaling-laws.md: ≈ 32B for the law as printed
  const double a = 406.4, b = 410.7, alpha = 0.34, beta = 0.28;
  CHECK_THAT(std::pow(alpha * a / (beta * b), 1 / (alpha + beta)) * std::pow(5.76e23 / 6, beta / (alpha + beta)),
             WithinRel(r.value("n_opt"), 1e-12));
  CHECK(r.find("n_opt")->formula ==
        "({law_alpha} × {law_a} / ({law_beta} × {law_b}))^(1 / ({law_alpha} + {law_beta})) × ({at_flops} / 6)^"
        "{exponent_a}");
  CHECK(llmcost::render_text(r.title) ==
        "Chinchilla-form fit to runs <a&b>.csv: L = 1.690 + 406.4 / N^0.3400 + 410.7 / D^0.2800");
}

TEST_CASE("Fit: a law the fit does not determine has no N_opt row", "[fit]") {
  FitResult f = hoffmann_fit();
  f.identified = false;
  f.message = "parameters not identified: every row has the same params and tokens";
  FitOptions o;
  o.at_flops = 1e21;
  const llmcost::Report r = llmcost::fit_report(two_budgets(), o, f);
  CHECK(r.find("n_opt") == nullptr);
  REQUIRE(r.notes.size() == 2);
  CHECK(llmcost::render_text(r.notes[1]) == "do not use these parameters: " + f.message);
}

// ------------------------------------------------------------------------------- the law file

TEST_CASE("Fit: --save-law takes a name, not a path", "[fit]") {
  CHECK(llmcost::law_target("mine").file == "mine.toml");
  CHECK(llmcost::law_target("mine").id == "mine");
  CHECK(llmcost::law_target("my-law_2.toml").id == "my-law_2");
  const std::string bad =
      "--save-law: expected a name of lower-case letters, digits, '-', '.' or '_' not starting with '.', got '";
  for (const std::string name : {"../evil", "sub/x", ".hidden", "My_Law", "", ".toml"}) {
    INFO(name);
    CHECK(input_error_of([&] { llmcost::law_target(name); }) == bad + name + "'");
  }
}

TEST_CASE("Fit: the law file loads back as the fitted law", "[fit]") {
  FitOptions o;
  o.coarse_grid = true;
  const FitResult f = hoffmann_fit();
  const std::string source = llmcost::fit_law_source(two_budgets(), o, f);
  CHECK(source == "llmcost fit runs <a&b>.csv (coarse grid, 6 points, objective 1e-06)");
  llmcost::Catalog catalog;
  catalog.load_text(llmcost::law_file_text(f, "mine", source), "mine.toml");
  const llmcost::Law& law = catalog.law("mine");
  CHECK(law.form == "hoffmann");
  CHECK(law.e == f.law.e);
  CHECK(law.a == f.law.a);
  CHECK(law.b == f.law.b);
  CHECK(law.alpha == f.law.alpha);
  CHECK(law.beta == f.law.beta);
  CHECK(law.source == source);
  FitResult bad = f;
  bad.identified = false;
  bad.message = "parameters not identified: alpha = -0.0123 <= 0";
  CHECK(input_error_of([&] { llmcost::law_file_text(bad, "mine", source); }) ==
        "--save-law: not saved: parameters not identified: alpha = -0.0123 <= 0");
}

// ---------------------------------------------------------------------------------- the chart

TEST_CASE("Fit: the chart has one series per compute budget with its iso-FLOP curve", "[fit]") {
  const FitData data = two_budgets();
  const FitResult f = hoffmann_fit();
  const llmcost::Chart chart = llmcost::fit_chart(data, f);
  CHECK(chart.x.log);
  CHECK_FALSE(chart.y.log);
  CHECK_THAT(chart.x.lo, WithinRel(1e8 / std::pow(10, 0.1), 1e-12));
  CHECK_THAT(chart.x.hi, WithinRel(1e10 * std::pow(10, 0.1), 1e-12));
  REQUIRE(chart.series.size() == 2);
  CHECK(llmcost::render_text(chart.series[0].label) == "C = 5.62e20 FLOP");
  CHECK(llmcost::render_text(chart.series[1].label) == "C = 5.62e22 FLOP");
  const double budgets[] = {std::pow(10, 20.75), std::pow(10, 22.75)};
  for (size_t i = 0; i < 2; ++i) {
    const llmcost::ChartSeries& s = chart.series[i];
    CHECK(s.points.size() == 3);
    REQUIRE(s.line.size() == 61);
    CHECK_THAT(s.line.front().x, WithinRel(chart.x.lo, 1e-12));
    CHECK_THAT(s.line.back().x, WithinRel(chart.x.hi, 1e-12));
    for (const llmcost::ChartPoint& p : s.line) {
      CHECK_THAT(p.y, WithinRel(llmcost::law_loss(f.law, p.x, budgets[i] / (6 * p.x)).loss, 1e-12));
    }
  }
}

// ------------------------------------------------------------------------------------ the SVG

TEST_CASE("Render: an SVG chart escapes its text, labels ticks and splits lines off the chart", "[render]") {
  llmcost::Chart chart;
  chart.title = llmcost::Text::of("{} & <more>", llmcost::Quantity{3.14159e22, llmcost::Unit::flop});
  chart.x = {"parameters N", llmcost::Unit::params, true, 1e8, 1e10};
  chart.y = {"loss", llmcost::Unit::number, false, 2, 4};
  llmcost::ChartSeries s;
  s.label = "budget \"one\"";
  s.colour = "red";
  s.line = {{1e8, 3}, {1e9, 5}, {1e10, 3}};  // the middle point is above the chart
  s.points = {{1e9, 3}, {1e9, std::nan("")}};
  chart.series.push_back(s);
  const std::string svg = llmcost::render_svg(chart);
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"890\" height=\"480\"", 0) == 0);
  CHECK(svg.find("<text x=\"70\" y=\"18\">3.14e22 FLOP &amp; &lt;more&gt;</text>") != std::string::npos);
  for (const char* tick : {">100M<", ">1B<", ">10B<", ">2.00<", ">2.50<", ">3.00<", ">3.50<", ">4.00<"}) {
    INFO(tick);
    CHECK(svg.find(tick) != std::string::npos);
  }
  CHECK(svg.find("<path d=\"M70.0,230.0 M700.0,230.0 \" fill=\"none\" stroke=\"red\"/>") != std::string::npos);
  CHECK(svg.find(
            "<circle cx=\"385.0\" cy=\"230.0\" r=\"3\" fill=\"red\"><title>budget &quot;one&quot;</title></circle>") !=
        std::string::npos);
  CHECK(svg.find("nan") == std::string::npos);                             // the NaN marker is left out
  CHECK(svg.find(">budget &quot;one&quot;</text>") != std::string::npos);  // the legend
  // No labels: no legend column, and a colour per series from the wheel.
  chart.series[0].label = llmcost::Text();
  chart.series[0].colour.clear();
  const std::string plain = llmcost::render_svg(chart);
  CHECK(plain.find("width=\"720\"") != std::string::npos);
  CHECK(plain.find("<title>") == std::string::npos);
  CHECK(plain.find("stroke=\"hsl(0,70%,45%)\"") != std::string::npos);
}
