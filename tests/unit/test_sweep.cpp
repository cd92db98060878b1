// Sweeps: expansion of lists and ranges, the where constraint, best/top selection, the
// allocation-free train path against the full report, and determinism across threads.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "helpers.hpp"
#include "llmcost/error.hpp"
#include "llmcost/run.hpp"
#include "llmcost/run_report.hpp"
#include "llmcost/sweep.hpp"
#include "llmcost/train.hpp"

using Catch::Matchers::WithinRel;
using namespace llmcost;
using llmcost::test::default_catalog;

namespace {

SweepResult sweep(const std::string& toml, SweepOptions opt = {}) {
  return run_sweep(parse_scenario(toml, "s.toml"), default_catalog(), opt);
}

const std::string kHeader = "kind = \"train\"\n[inputs]\nmodel = \"gpt3\"\noffer = \"gcp-tpu-v4-1yr\"\n";

}  // namespace

TEST_CASE("Sweep: lists and ranges expand to their cartesian product", "[sweep]") {
  const Scenario s = parse_scenario(kHeader +
                                        "mfu = [0.3, 0.4, 0.5]\nchips = { from = 256, to = 4096, step = \"x2\" }\n"
                                        "days = { from = 10, to = 12, step = 0.5 }\n",
                                    "s.toml");
  REQUIRE(s.inputs.size() == 5);
  CHECK(s.inputs[3].values == std::vector<std::string>{"256", "512", "1024", "2048", "4096"});
  CHECK(s.inputs[4].values == std::vector<std::string>{"10", "10.5", "11", "11.5", "12"});
  CHECK(s.points() == 3 * 5 * 5);
  const Scenario lin = parse_scenario(kHeader + "mfu = { from = 0.2, to = 0.6, count = 5 }\n", "s.toml");
  CHECK(lin.inputs[2].values == std::vector<std::string>{"0.2", "0.3", "0.4", "0.5", "0.6"});
}

TEST_CASE("Sweep: malformed ranges name the field", "[sweep][errors]") {
  CHECK_THROWS_WITH(parse_scenario(kHeader + "chips = { from = 4096, to = 256, step = 2 }\n", "s.toml"),
                    "s.toml:5:9: field 'chips': a range needs from <= to");
  CHECK_THROWS_WITH(parse_scenario(kHeader + "chips = { from = 1, to = 8, step = \"x1\" }\n", "s.toml"),
                    Catch::Contains("field 'chips.step': expected \"xF\" with F > 1"));
  CHECK_THROWS_WITH(parse_scenario(kHeader + "chips = { from = 1, to = 8 }\n", "s.toml"),
                    Catch::Contains("a range needs either step or count"));
  CHECK_THROWS_WITH(parse_scenario(kHeader + "chips = []\n", "s.toml"), Catch::Contains("an empty list"));
  CHECK_THROWS_WITH(sweep(kHeader + "mfu = [0.3, 1.7]\n"),
                    "s.toml:5:1: field 'mfu': expected a fraction in (0, 1], got '1.7'");
  CHECK_THROWS_WITH(sweep("where = \"cost_usd <\"\n" + kHeader + "mfu = [0.3, 0.4]\n"),
                    Catch::StartsWith("s.toml: field 'where': "));
  CHECK_THROWS_WITH(sweep("where = \"nosuchkey > 1\"\n" + kHeader + "mfu = [0.3, 0.4]\n"),
                    Catch::StartsWith("s.toml: field 'where': "));
}

TEST_CASE("Sweep: train points equal the full report of the same inputs", "[sweep]") {
  // The sweep's arithmetic path and estimate_training must agree on every key both have.
  const auto r = sweep(
      "kind = \"train\"\n[inputs]\nmodel = [\"gpt3\", \"mixtral-8x7b\"]\ntokens = \"1T\"\n"
      "offer = [\"aws-p4d-1yr\", \"gcp-tpu-v4-1yr\"]\nmfu = [0.3, 0.5]\ndays = [20, 40]\n");
  REQUIRE(r.row_count() == 16);
  const char* models[] = {"gpt3", "mixtral-8x7b"};
  const char* offers[] = {"aws-p4d-1yr", "gcp-tpu-v4-1yr"};
  for (size_t row = 0; row < r.row_count(); ++row) {
    TrainInputs in;
    in.model = models[r.axis_index(row, "model")];
    in.tokens = 1e12;
    in.offer = offers[r.axis_index(row, "offer")];
    in.mfu = r.axis_index(row, "mfu") == 0 ? 0.3 : 0.5;
    in.days = r.axis_index(row, "days") == 0 ? 20 : 40;
    const Report rep = estimate_training(in, default_catalog());
    for (const auto& key : r.keys) {
      if (const Row* row_ = rep.find(key)) {
        INFO(key);
        CHECK(r.at(row, key) == row_->value);
      }
    }
  }
}

TEST_CASE("Sweep: the train path has every key of the report, and context axes re-resolve", "[sweep]") {
  namespace fs = std::filesystem;
  const std::string cal = std::string(LLMCOST_TEST_DIR) + "/calibration/h100-sxm.toml";
  // A second calibration with a ceiling of 400 TFLOP/s instead of the file's measured bf16.
  const fs::path dir = llmcost::test::scratch_dir("sweep-calibrations");
  std::string text = llmcost::test::slurp(cal);
  const size_t at = text.find("bf16 = ");
  REQUIRE(at != std::string::npos);
  text.replace(at, text.find('\n', at) - at, "bf16 = 400.0");
  const std::string cal2 = (dir / "slow.toml").string();
  std::ofstream(cal2) << text;
  struct Case {
    std::string moving;  // a key the axis changes
    std::string inputs;
    std::function<void(TrainInputs&, size_t)> set;  // the same inputs for point `i`
  };
  const std::vector<Case> cases{
      {"hardware_cost_usd", "model = \"gpt3\"\nhardware = \"h100-sxm\"\nown = true\nlifetime-years = [3, 5]\n",
       [](TrainInputs& in, size_t i) {
         in.model = "gpt3", in.hardware = "h100-sxm", in.own = true, in.lifetime_years = i ? 5 : 3;
       }},
      {"achieved_flop_per_s",
       "model = \"gpt3\"\noffer = \"aws-p5\"\ncalibration = [\"" + cal + "\", \"" + cal2 + "\"]\n",
       [&](TrainInputs& in, size_t i) {
         in.model = "gpt3", in.offer = "aws-p5", in.calibration = load_calibration(i ? cal2 : cal);
       }},
      {"train_flop",
       "model = \"gpt3\"\noffer = \"gcp-tpu-v4-1yr\"\nflops-rule = [\"6nd\", \"detailed\"]\nchips = 1024\n",
       [](TrainInputs& in, size_t i) {
         in.model = "gpt3", in.offer = "gcp-tpu-v4-1yr", in.chips = 1024;
         in.flops_rule = i ? FlopsRule::detailed : FlopsRule::six_nd;
       }},
      {"train_state_bytes", "model = [\"gpt3\", \"deepseek-v3\"]\nhardware = \"h100-sxm\"\ntrain-flop = 3e23\n",
       [](TrainInputs& in, size_t i) {
         in.model = i ? "deepseek-v3" : "gpt3", in.hardware = "h100-sxm", in.train_flop = 3e23;
       }},
  };
  for (const Case& c : cases) {
    INFO(c.inputs);
    const auto r = sweep("kind = \"train\"\n[inputs]\n" + c.inputs);
    REQUIRE(r.row_count() == 2);
    std::vector<double> moved;
    for (size_t row = 0; row < 2; ++row) {
      TrainInputs in;
      c.set(in, row);
      const Report rep = estimate_training(in, default_catalog());
      for (const Row& want : rep.rows) {
        INFO(want.key);
        REQUIRE(std::find(r.keys.begin(), r.keys.end(), want.key) != r.keys.end());
        CHECK(r.at(row, want.key) == want.value);
      }
      for (const auto& key : r.keys) {
        INFO(key);
        if (!rep.find(key)) CHECK(std::isnan(r.at(row, key)));
      }
      moved.push_back(r.at(row, c.moving));
    }
    CHECK(moved[0] != moved[1]);  // each axis moves the result: no stale context
  }
}

TEST_CASE("Sweep: where filters and best keeps the top K", "[sweep]") {
  SweepOptions opt;
  opt.where = "wall_time_s < 30*86400";
  opt.best = "cost_usd";
  opt.top = 2;
  const auto r = sweep(kHeader + "mfu = [0.3, 0.4, 0.5]\nchips = [256, 1024, 4096]\n", opt);
  CHECK(r.points == 9);
  // GPT-3 at MFU m on TPU v4: chip-hours = 3.182e5 / m; 30 days need chips > chip-hours / 720:
  // 884 at m = 0.5, 1,105 at 0.4, 1,473 at 0.3. 256 chips never; 1,024 only at 0.5; 4,096 always: 4 pass.
  CHECK(r.passed == 4);
  REQUIRE(r.row_count() == 2);
  // Cost depends only on MFU: the best two rows are MFU 0.5 (1,024 then 4,096 chips, point order).
  CHECK(r.at(0, "mfu") == 0.5);
  CHECK(r.at(1, "mfu") == 0.5);
  CHECK(r.at(0, "chips") == 1024);
  CHECK_THAT(r.at(0, "cost_usd"), WithinRel(3.15e23 / (275e12 * 0.5) / 3600 * 2.03, 1e-12));
  opt.maximize = true;
  CHECK(sweep(kHeader + "mfu = [0.3, 0.4, 0.5]\nchips = [256, 1024, 4096]\n", opt).at(0, "mfu") == 0.3);
}

TEST_CASE("Sweep: results are identical for 1 and 2 threads", "[sweep]") {
  const std::string toml =
      kHeader + "mfu = { from = 0.2, to = 0.6, count = 101 }\nchips = { from = 64, to = 6400, step = 64 }\n";
  SweepOptions one, two;
  one.threads = 1;
  two.threads = 2;
  const auto a = sweep(toml, one), b = sweep(toml, two);
  CHECK(a.points == 10100);
  REQUIRE(a.rows.size() == b.rows.size());
  CHECK(std::memcmp(a.rows.data(), b.rows.data(), a.rows.size() * sizeof(double)) == 0);  // NaNs included
  const Scenario s = parse_scenario(toml, "s.toml");
  CHECK(sweep_rows_csv(s, a) == sweep_rows_csv(s, b));
}

TEST_CASE("Sweep: rows as CSV and JSON lines", "[sweep]") {
  const Scenario s = parse_scenario(kHeader + "mfu = [0.3, 0.5]\n", "s.toml");
  const auto r = run_sweep(s, default_catalog(), {});
  const std::string csv = sweep_rows_csv(s, r);
  CHECK(csv.rfind("mfu,params,active_params,tokens,", 0) == 0);  // the axis first; not repeated as a key
  CHECK(csv.find("\n0.5,175000000000,") != std::string::npos);
  const std::string jsonl = sweep_rows_jsonl(s, r);
  CHECK(jsonl.rfind("{\"mfu\":\"0.3\",\"params\":175000000000,", 0) == 0);
  CHECK(std::count(jsonl.begin(), jsonl.end(), '\n') == 2);
}

TEST_CASE("Sweep: an expectation on a swept scenario holds for every kept row or the best", "[sweep]") {
  const auto dir = std::filesystem::temp_directory_path() / "llmcost-sweep-test";
  std::filesystem::create_directories(dir);
  const auto path = (dir / "budget.toml").string();
  std::ofstream(path) << kHeader << "mfu = [0.3, 0.5]\n[expect]\ncost_usd = { max = 1.5e6 }\n";
  const auto r = run_scenario_file(path, default_catalog());
  REQUIRE(r.status == ScenarioResult::Status::fail);
  // At MFU 0.3: 3.15e23 / (275e12 × 0.3) / 3600 × 2.03 = $2.153M > $1.5M.
  CHECK_THAT(r.checks[0].actual, WithinRel(3.15e23 / (275e12 * 0.3) / 3600 * 2.03, 1e-9));
  CHECK(r.checks[0].point == "mfu=0.3");
  std::ofstream(path) << "best = \"cost_usd\"\n"
                      << kHeader << "mfu = [0.3, 0.5]\n[expect]\ncost_usd = { max = 1.5e6 }\n";
  CHECK(run_scenario_file(path, default_catalog()).status == ScenarioResult::Status::pass);  // best: MFU 0.5, $1.29M
}

TEST_CASE("Sweep: run status lines, JSON and joined rows of the results", "[sweep]") {
  const auto dir = llmcost::test::scratch_dir("run-report");
  const auto big = (dir / "big.toml").string(), small = (dir / "small.toml").string();
  std::ofstream(big) << kHeader << "mfu = [0.3, 0.5]\nchips = { from = 1, to = 1024, step = 1 }\n";
  std::ofstream(small) << kHeader << "mfu = [0.3, 0.5]\n";
  const std::vector<ScenarioResult> results{run_scenario_file(big, default_catalog()),
                                            run_scenario_file(small, default_catalog())};
  const std::string text = run_status_text(results);
  INFO(text);
  // Counts as people read them: thousands separated.
  CHECK(text.rfind("PASS   " + big + " (0 checks)\n         2,048 points, 2,048 kept (", 0) == 0);
  CHECK(text.find("\n         2 points, 2 kept (") != std::string::npos);
  CHECK(text.substr(text.rfind('\n', text.size() - 2) + 1) == "2 scenarios: 2 passed, 0 failed, 0 malformed\n");
  const auto json = nlohmann::json::parse(run_json(results));
  CHECK(json["scenarios"][0]["points"] == 2048);
  CHECK(json["scenarios"][1]["kept"] == 2);
  CHECK(json["passed"] == 2);
  // One CSV header for sweeps of the same columns; different columns are an error naming the output.
  const std::string csv = joined_rows_csv({results[1], results[1]}, "--rows x.csv");
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 2 * 2);
  CHECK(csv.rfind("mfu,", 0) == 0);
  CHECK(llmcost::test::input_error_of([&] {
          joined_rows_csv(results, "--rows x.csv");
        }).rfind("--rows x.csv needs sweeps with the same columns: '" + big + "' and '" + small + "' differ", 0) == 0);
  const std::string jsonl = joined_rows_jsonl(results);
  CHECK(std::count(jsonl.begin(), jsonl.end(), '\n') == 2048 + 2);
}
