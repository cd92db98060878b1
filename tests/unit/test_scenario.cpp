// Scenario files: parsing, expectations, evaluation through the shared field table, and replay of
// scenarios/reference.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "helpers.hpp"
#include "llmcost/run.hpp"

using Catch::Matchers::WithinRel;
using namespace llmcost;

namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / "llmcost-test-scenarios";
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  std::ofstream(path) << text;
  return path.string();
}

}  // namespace

TEST_CASE("Scenario: inputs use the flag names and parsers", "[scenario]") {
  const Scenario s = parse_scenario(R"(
kind = "train"
name = "demo"
[inputs]
model = "gpt3"
offer = "gcp-tpu-v4-1yr"
mfu = "46.2%"
achieved_tflops = 100
chips = 1024
[expect]
cost_usd = { value = 1.4e6, rel = "2%" }
chips = { min = 1, max = 4096 }
train_flop = 3.15e23
)",
                                    "demo.toml");
  CHECK(s.kind == "train");
  REQUIRE(s.inputs.size() == 5);
  CHECK(s.inputs[3].name == "achieved-tflops");  // underscores accepted, normalised to the flag name
  CHECK(s.inputs[4].text == "1024");
  REQUIRE(s.expect.size() == 3);
  CHECK(s.expect[0].rel == Approx(0.02));
  CHECK(s.expect[1].min == 1);
  CHECK(s.expect[2].rel == kDefaultRelTolerance);
  CHECK(s.expect[0].origin.str() == "demo.toml:11:12");
}

TEST_CASE("Scenario: expectations hold within their bounds only", "[scenario]") {
  Expectation e;
  e.value = 100;
  e.rel = 0.02;
  CHECK(e.holds(101.9));
  CHECK_FALSE(e.holds(102.1));
  e.abs = 0;
  CHECK(e.holds(100));
  CHECK_FALSE(e.holds(100.0001));
  Expectation budget;
  budget.max = 2e6;
  CHECK(budget.holds(1.9e6));
  CHECK_FALSE(budget.holds(2.1e6));
  CHECK_FALSE(budget.holds(std::nan("")));
  CHECK(budget.describe() == "<= 2e+06");
}

TEST_CASE("Scenario: `shown` holds when the value rounds to the figure as printed", "[scenario]") {
  const Scenario s = parse_scenario("kind = \"train\"\n[expect]\ncost_usd = { shown = \"$1.4M\" }\n", "s.toml");
  REQUIRE(s.expect.size() == 1);
  const Expectation& e = s.expect[0];
  CHECK(e.holds(1.398e6));  // GPT-3 on TPU v4: $1.398M prints as $1.4M
  CHECK(e.holds(1.35e6));   // the half-unit edges are in
  CHECK_FALSE(e.holds(1.3499e6));
  CHECK_FALSE(e.holds(1.4501e6));
  CHECK(e.describe() == "$1.4M as shown (± 50000)");
  CHECK_THROWS_WITH(parse_scenario("kind = \"train\"\n[expect]\ncost_usd = { shown = 1.4e6 }\n", "s.toml"),
                    Catch::StartsWith("s.toml:3:22: field 'expect.cost_usd.shown': expected a string"));
  CHECK_THROWS_WITH(parse_scenario("kind = \"train\"\n[expect]\ncost_usd = { shown = \"1.4Q\" }\n", "s.toml"),
                    Catch::StartsWith("s.toml:3:22: field 'expect.cost_usd.shown': expected a figure as printed"));
  CHECK_THROWS_WITH(
      parse_scenario("kind = \"train\"\n[expect]\ncost_usd = { shown = \"1.4e6\", rel = 0.1 }\n", "s.toml"),
      "s.toml:3:22: field 'expect.cost_usd.shown': give shown or rel, not both");
}

TEST_CASE("Scenario: malformed files name file:line:col and the field", "[scenario][errors]") {
  CHECK_THROWS_WITH(parse_scenario("kind = \"train\"\n[inputs\n", "s.toml"), Catch::StartsWith("s.toml:2:"));
  CHECK_THROWS_WITH(parse_scenario("kind = \"tran\"\n", "s.toml"),
                    "s.toml:1:8: field 'kind': expected train, infer, search, loss, optimal, scale, trend, plan, "
                    "serve, finetune or rlhf, got 'tran'");
  CHECK_THROWS_WITH(parse_scenario("name = \"x\"\n", "s.toml"), "s.toml:1:1: missing required field 'kind'");
  CHECK_THROWS_WITH(parse_scenario("kind = \"train\"\nexpct = 1\n", "s.toml"),
                    "s.toml:2:1: field 'expct': unknown field; did you mean 'expect'?");
  CHECK_THROWS_WITH(parse_scenario("kind = \"train\"\n[expect]\ncost_usd = { valu = 1 }\n", "s.toml"),
                    Catch::StartsWith("s.toml:3:14: field 'valu': unknown field"));
  CHECK_THROWS_WITH(parse_scenario("kind = \"train\"\n[expect]\ncost_usd = { min = 2, max = 1 }\n", "s.toml"),
                    "s.toml:3:12: field 'expect.cost_usd': min is larger than max");
  const Scenario bad_value = parse_scenario("kind = \"train\"\n[inputs]\nmodel = \"gpt3\"\nmfu = 1.7\n", "s.toml");
  CHECK_THROWS_WITH(evaluate_scenario(bad_value, test::default_catalog()),
                    "s.toml:4:1: field 'mfu': expected a fraction in (0, 1], got '1.7'");
  const Scenario bad_key = parse_scenario("kind = \"train\"\n[inputs]\nmodle = \"gpt3\"\n", "s.toml");
  CHECK_THROWS_WITH(evaluate_scenario(bad_key, test::default_catalog()),
                    "s.toml:3:1: field 'modle': unknown train input 'modle'; did you mean 'model'?");
}

TEST_CASE("Scenario: run_scenario_file reports pass, fail with actual value, and errors", "[scenario]") {
  const auto& cat = test::default_catalog();
  const std::string body =
      "kind = \"train\"\n[inputs]\nmodel = \"gpt3\"\noffer = \"gcp-tpu-v4-1yr\"\nmfu = 0.462\n[expect]\n";
  auto pass = run_scenario_file(write_temp("pass.toml", body + "cost_usd = { value = 1.40e6, rel = 0.02 }\n"), cat);
  CHECK(pass.status == ScenarioResult::Status::pass);
  auto fail = run_scenario_file(write_temp("fail.toml", body + "cost_usd = { value = 1.5e6, rel = 0.02 }\n"), cat);
  REQUIRE(fail.status == ScenarioResult::Status::fail);
  REQUIRE(fail.checks.size() == 1);
  CHECK(fail.checks[0].expectation.key == "cost_usd");
  CHECK_THAT(fail.checks[0].actual, WithinRel(1.398e6, 0.001));  // 6.887e5 chip-h × $2.03
  auto unknown = run_scenario_file(write_temp("unknown.toml", body + "cost = 1\n"), cat);
  CHECK(unknown.status == ScenarioResult::Status::error);
  CHECK_THAT(unknown.error, Catch::Contains("unknown report key 'cost'"));
  auto missing = run_scenario_file("/nonexistent/x.toml", cat);
  CHECK(missing.status == ScenarioResult::Status::error);
}

TEST_CASE("Scenario: scenarios/reference replays the whole reference case", "[scenario][reference]") {
  const auto files = collect_scenario_files({std::string(LLMCOST_SCENARIO_DIR) + "/reference"});
  REQUIRE(files.size() >= 8);
  for (const auto& f : files) {
    INFO(f);
    const auto r = run_scenario_file(f, test::default_catalog());
    CHECK(r.error == "");
    CHECK(r.status == ScenarioResult::Status::pass);
    CHECK_FALSE(r.checks.empty());
  }
  CHECK_THROWS_AS(collect_scenario_files({"/nonexistent-folder"}), EnvError);
}
