// Contract tests (flags): see tests/test_contract.cpp for the error contract these extend. An input
// that the chosen mode, method or command does not use is an error naming the flags (exit 2, one
// line), never silently ignored; scenario inputs go through the same field tables and estimators.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "helpers.hpp"

namespace {

namespace fs = std::filesystem;
using llmcost::test::Run;
using llmcost::test::run_llmcost;

void check_error(const std::string& args, const std::string& message) {
  INFO("llmcost " << args);
  const Run r = run_llmcost(args);
  CHECK(r.rc == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "llmcost: error: " + message + "\n");
}

// Runs `args --format json` and returns the parsed report; the run must succeed.
nlohmann::json run_json(const std::string& args) {
  INFO("llmcost " << args);
  const Run r = run_llmcost(args + " --format json");
  REQUIRE(r.rc == 0);
  CHECK(r.err.empty());
  return nlohmann::json::parse(r.out);
}

std::string source_of(const nlohmann::json& report, const std::string& key) {
  for (const auto& a : report["assumptions"]) {
    if (a["key"] == key) return a["source"].get<std::string>();
  }
  for (const auto& row : report["rows"]) {
    if (row["key"] == key) return row["source"].get<std::string>();
  }
  return "<no " + key + ">";
}

bool has_note(const nlohmann::json& report, const std::string& start) {
  for (const auto& n : report["notes"]) {
    if (n.get<std::string>().rfind(start, 0) == 0) return true;
  }
  return false;
}

const std::string kCalibration = "'" LLMCOST_TEST_DIR "/calibration/h100-sxm.toml'";

}  // namespace

TEST_CASE("Contract: train --lifetime-years and --usd-per-kwh apply with --own only", "[contract]") {
  check_error("train --model gpt3 --lifetime-years 3", "--lifetime-years applies with --own only");
  check_error("train --model gpt3 --usd-per-kwh 0.1", "--usd-per-kwh applies with --own only");
  check_error("train --model gpt3 --offer aws-p5 --lifetime-years 3 --usd-per-kwh 0.1",
              "--lifetime-years and --usd-per-kwh apply with --own only");
  check_error("train --model gpt3 --hardware h100-sxm --usd-per-kwh 0.1", "--usd-per-kwh applies with --own only");

  const auto j = run_json(
      "train --model llama2-70b --hardware h100-sxm --own --chips 512 --lifetime-years 5 "
      "--usd-per-kwh 0.1");
  CHECK(j["values"]["lifetime_years"] == 5);
  CHECK(j["values"]["usd_per_kwh"] == 0.1);
  CHECK(source_of(j, "lifetime_years") == "given");
  CHECK(source_of(j, "usd_per_kwh") == "given");
}

TEST_CASE("Contract: search inputs of the other mode are errors", "[contract]") {
  check_error("search --mode chatgpt --results 3", "--results applies with --mode two-stage only");
  check_error("search --section-words 500", "--section-words applies with --mode two-stage only");
  check_error("search --mode chatgpt --results 3 --section-words 500",
              "--results and --section-words apply with --mode two-stage only");
  check_error("search --mode two-stage --samples 3", "--samples applies with --mode chatgpt only");

  // 3 × (500 + 400) + 50 words; 50 + 3 × 400 words.
  CHECK(run_json("search --mode two-stage --results 3 --section-words 500")["values"]["words_per_query"] == 2750);
  CHECK(run_json("search --samples 3")["values"]["words_per_query"] == 1250);
}

TEST_CASE("Contract: search serving flags apply with --method cloud only, --api-margin with api only", "[contract]") {
  check_error("search --model gpt3", "--model applies with --method cloud only");
  check_error("search --method api --offer aws-p5", "--offer applies with --method cloud only");
  check_error("search --method api --model gpt3 --offer aws-p4d-1yr --mfu 30%",
              "--model, --offer and --mfu apply with --method cloud only");
  check_error("search --hardware h100-sxm --chips 8 --batch 4 --dtype fp8",
              "--hardware, --dtype, --chips and --batch apply with --method cloud only");
  check_error(
      "search --mode two-stage --params 7B --kv-dtype fp8 --compute-efficiency 40% "
      "--bandwidth-efficiency 60%",
      "--params, --kv-dtype, --compute-efficiency and --bandwidth-efficiency apply with --method cloud only");
  check_error("search --calibration " + kCalibration, "--calibration applies with --method cloud only");
  check_error("search --method cloud --api-margin 50%", "--api-margin applies with --method api only");

  const auto j = run_json("search --method cloud --model gpt3 --offer aws-p4d-1yr --mfu 21.3% --batch 8");
  CHECK(j["values"]["api_gross_margin_implied"].get<double>() > 0.8);
  CHECK(source_of(j, "model") == "catalog");
  CHECK(run_json("search --method api --api-margin 50%")["values"]["cost_per_query_usd"].get<double>() > 0);
}

TEST_CASE("Contract: search states which of its inputs are defaults", "[contract]") {
  auto j = run_json("search");
  CHECK(source_of(j, "mode") == "default (--mode two-stage for retrieve-then-summarise)");
  CHECK(source_of(j, "method") == "default (--method cloud for own serving)");
  CHECK(source_of(j, "prompt_words") == "assumption search_prompt_words (default)");
  CHECK(source_of(j, "response_words") == "assumption search_response_words (default)");
  CHECK(source_of(j, "samples") == "assumption search_samples (default)");
  CHECK(j["values"]["words_per_query"] == 2050);  // 50 + 5 × 400, docs/reference-case.md §2

  j = run_json("search --mode two-stage --method api");
  CHECK(source_of(j, "mode") == "given");
  CHECK(source_of(j, "method") == "given");
  CHECK(source_of(j, "results") == "assumption search_results (default)");
  CHECK(source_of(j, "section_words") == "assumption search_section_words (default)");
  CHECK(j["values"]["words_per_query"] == 14050);  // 10 × (1,000 + 400) + 50, docs/reference-case.md §2
}

TEST_CASE("Contract: search --method cloud names its default model and keeps the serving notes", "[contract]") {
  const auto j = run_json("search --method cloud");
  CHECK(source_of(j, "model") == "assumption default_search_model (default)");
  // GPT-3 in bf16 (350 GB) on one p4d (8 × 40 GB), as `llmcost infer` says.
  CHECK(has_note(j, "serving: the weights alone (350 GB) exceed the memory of 8 × a100-40gb (320 GB)"));
  CHECK(has_note(j, "serving: the roofline costs each pass kernel by kernel"));
  // $0.577 roofline (5 answers of 533 tokens sharing one prompt, tensor-parallel all-reduces over
  // NVLink) against $0.00961 FLOP rule per query.
  CHECK(has_note(j, "the roofline prices the query at 60.1× the FLOP rule ($0.577 against $0.00961)"));
}

TEST_CASE("Contract: optimal --offer and --mfu apply with --budget-usd only", "[contract]") {
  check_error("optimal --flops 5.76e23 --offer aws-p5 --mfu 30%", "--offer and --mfu apply with --budget-usd only");
  check_error("optimal --flops 5.76e23 --mfu 30%", "--mfu applies with --budget-usd only");
  check_error("optimal --flops 5.76e23 --offer aws-p5", "--offer applies with --budget-usd only");

  const auto j = run_json("optimal --budget-usd 10M --offer lambda-h100-8x --mfu 40%");
  CHECK(j["values"]["mfu"] == 0.4);
  CHECK(j["values"]["params_opt"].get<double>() > 0);
}

TEST_CASE("Contract: calibrate --device has no meaning with --cpu", "[contract]") {
  check_error("calibrate --cpu --device 3", "give either --cpu or --device, not both");
  check_error("calibrate --cpu --device 0", "give either --cpu or --device, not both");
  const Run r = run_llmcost("calibrate --cpu --quick --quiet");
  CHECK(r.rc == 0);
  CHECK(r.err.empty());
}

TEST_CASE("Contract: --quiet and --explain exclude each other on every command", "[contract]") {
  for (const std::string args : {"train --model gpt3", "infer --model gpt3", "search", "optimal --flops 1e20",
                                 "list models", "calibrate --cpu --quick", "train --model gpt3 -q"}) {
    const std::string extra = args.find(" -q") == std::string::npos ? " --quiet --explain" : " --explain";
    check_error(args + extra, "give either --quiet or --explain, not both");
  }
  CHECK(run_llmcost("train --model gpt3 --quiet").rc == 0);
  CHECK(run_llmcost("train --model gpt3 --explain").rc == 0);
}

TEST_CASE("Contract: scenario inputs the estimate would not use are errors too", "[contract]") {
  const fs::path dir = llmcost::test::scratch_dir("contract-flags");
  const std::vector<std::pair<std::string, std::string>> cases{
      {"kind = \"train\"\n[inputs]\nmodel = \"gpt3\"\nlifetime-years = 3\n",
       "--lifetime-years applies with --own only"},
      {"kind = \"search\"\n[inputs]\nmode = \"chatgpt\"\nresults = 3\n",
       "--results applies with --mode two-stage only"},
      {"kind = \"search\"\n[inputs]\nmode = \"two-stage\"\nsamples = 3\n",
       "--samples applies with --mode chatgpt only"},
      {"kind = \"search\"\n[inputs]\nmethod = \"api\"\noffer = \"aws-p5\"\n",
       "--offer applies with --method cloud only"},
      {"kind = \"optimal\"\n[inputs]\nflops = 5.76e23\nmfu = \"30%\"\n", "--mfu applies with --budget-usd only"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    const fs::path file = dir / ("s" + std::to_string(i) + ".toml");
    std::ofstream(file) << cases[i].first;
    INFO(cases[i].first);
    const Run r = run_llmcost("run '" + file.string() + "'");
    CHECK(r.rc == 2);
    // The estimator's message, prefixed with the scenario file it came from.
    CHECK(r.out.find("ERROR  " + file.string() + ": " + cases[i].second + "\n") != std::string::npos);
  }
}

TEST_CASE("Contract: --scenario takes a scenario's inputs, and flags override them", "[contract]") {
  const std::string v100 = std::string(LLMCOST_SCENARIO_DIR) + "/reference/train-gpt3-v100-energy.toml";
  // The reference V100 run: 3.14e23 / 24.6e12 / 3600 = 3.55M GPU-h on 10,000 chips = 14.8 days.
  Run r = run_llmcost("train --scenario '" + v100 + "' --format csv");
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("wall_time_s,Wall-clock time,1276422.7642276") != std::string::npos);
  // --chips 5000 over the file's 10,000: twice the time.
  r = run_llmcost("train --scenario '" + v100 + "' --chips 5000 --format csv");
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("wall_time_s,Wall-clock time,2552845.5284552") != std::string::npos);
  r = run_llmcost("infer --scenario '" + v100 + "'");
  CHECK(r.rc == 2);
  CHECK(r.err ==
        "llmcost: error: --scenario <src>/scenarios/reference/train-gpt3-v100-energy.toml: a train "
        "scenario; run it with 'llmcost train' or 'llmcost run'\n");
  r = run_llmcost("train --scenario '" + std::string(LLMCOST_SCENARIO_DIR) + "/examples/hardware-comparison.toml'");
  CHECK(r.rc == 2);
  CHECK(r.err.find("a sweep of 90 points; run it with 'llmcost run'") != std::string::npos);
  r = run_llmcost("train --scenario /nonexistent/s.toml");
  CHECK(r.rc == 3);
  CHECK(r.err == "llmcost: error: cannot read scenario file '/nonexistent/s.toml': No such file or directory\n");
}

TEST_CASE("Contract: --explain with JSON or CSV is an error (they always carry the formulas)", "[contract]") {
  for (const char* format : {"json", "csv"}) {
    const Run r = run_llmcost(std::string("train --model gpt3 --explain --format ") + format);
    CHECK(r.rc == 2);
    CHECK(r.out.empty());
    CHECK(r.err ==
          "llmcost: error: --explain applies with --format table or markdown only: JSON and CSV always "
          "carry the formulas and sources\n");
  }
  CHECK(run_llmcost("train --model gpt3 --explain --format markdown").rc == 0);
}

TEST_CASE("Contract: --growth and --doubling-years exclude each other, and scale needs --budget-usd for them",
          "[contract]") {
  Run r = run_llmcost("scale --flops 1e35 --budget-usd 1B --growth 22% --doubling-years 2");
  CHECK(r.rc == 2);
  CHECK(r.err == "llmcost: error: give either --growth or --doubling-years, not both\n");
  r = run_llmcost("trend --model gpt3 --growth 22% --doubling-years 2");
  CHECK(r.rc == 2);
  CHECK(r.err == "llmcost: error: give either --growth or --doubling-years, not both\n");
  r = run_llmcost("scale --flops 1e35 --doubling-years 2.46");
  CHECK(r.rc == 2);
  CHECK(r.err == "llmcost: error: --doubling-years applies with --budget-usd only\n");
  // A doubling time of 2.46 years is 2^(1/2.46) - 1 = 32.5% a year.
  r = run_llmcost("scale --flops 1e35 --budget-usd 1B --doubling-years 2.46 --format csv");
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("growth_per_year,Price-performance growth a year,0.325") != std::string::npos);
}
