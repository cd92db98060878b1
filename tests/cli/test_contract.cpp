// The error contract, table-driven over every command: bad input exits 2 (3 for a missing
// environment) with exactly one line on stderr naming the problem, nothing on stdout, and no file
// written. Extreme but valid inputs give finite, well-formatted numbers.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.hpp"

namespace {

namespace fs = std::filesystem;

using Result = llmcost::test::Run;

// Unlike the golden tests, the contract compares raw output (no <src> substitution needed).
Result cli(const std::string& args) {
  return llmcost::test::run_llmcost(args);
}

// Files the table refers to, written once.
const fs::path& fixtures() {
  static const fs::path dir = [] {
    const fs::path d = fs::temp_directory_path() / "llmcost-contract-files";
    fs::remove_all(d);
    fs::create_directories(d / "data-dup");
    fs::create_directories(d / "data-binary");
    fs::create_directories(d / "data-types");
    std::ofstream(d / "empty.toml") << "";
    std::ofstream(d / "empty.json") << "";
    std::ofstream(d / "binary.toml", std::ios::binary) << std::string("\x00\x01\x02\xff\xfe kind", 10);
    std::ofstream(d / "latin1.toml", std::ios::binary) << "kind = \"train\"\nname = \"caf\xe9\"\n";
    const std::string model =
        "[[model]]\nid = \"m\"\nname = \"M\"\nparams = 1e9\narchitecture = \"decoder-only\"\nsource = \"s\"\n";
    std::ofstream(d / "data-dup" / "m.toml") << model << model;
    std::ofstream(d / "data-binary" / "b.toml", std::ios::binary) << std::string("\xff\xfe\x00\x00", 4);
    std::ofstream(d / "data-types" / "t.toml") << "[[model]]\nid = \"m\"\nname = \"M\"\nparams = \"big\"\n"
                                                  "architecture = \"decoder-only\"\nsource = \"s\"\n";
    return d;
  }();
  return dir;
}

struct Case {
  std::string args;
  int rc;
  std::string contains;  // a piece of the one error line
};

}  // namespace

TEST_CASE("Contract: bad input exits 2 with one line naming the problem and prints nothing", "[contract]") {
  const std::string f = fixtures().string();
  const std::vector<Case> cases{
      // unknown ids, with suggestions
      {"train --model gtp3", 2, "unknown model 'gtp3'; did you mean 'gpt3'?"},
      {"train --model gpt3 --offer aws-p4", 2, "unknown offer 'aws-p4'; did you mean"},
      {"train --model gpt3 --hardware h10", 2, "unknown accelerator 'h10'"},
      {"infer --model llama2-7 --offer aws-p5", 2, "unknown model 'llama2-7'"},
      {"search --method cloud --offer nope-offer-x", 2, "unknown offer 'nope-offer-x'"},
      {"loss --law hofman2022 --params 1B --tokens 20B", 2, "unknown law 'hofman2022'; did you mean 'hoffmann2022'?"},
      {"optimal --law nolaw --flops 1e20", 2, "unknown law 'nolaw'"},
      {"trend --model nope-model", 2, "unknown model 'nope-model'"},
      {"show nope-nope-nope", 2, "unknown id 'nope-nope-nope'"},
      {"list gpus", 2, "list: expected accelerators, offers, models, assumptions or laws, got 'gpus'"},
      // out-of-range fractions and rates
      {"train --model gpt3 --mfu 1.7", 2, "--mfu: expected a fraction in (0, 1], got '1.7'"},
      {"train --model gpt3 --mfu 0", 2, "--mfu: expected a fraction in (0, 1], got '0'"},
      {"infer --model gpt3 --compute-efficiency 120%", 2, "--compute-efficiency: expected a fraction in (0, 1]"},
      {"search --cache-hit 1", 2, "--cache-hit: expected a rate in [0, 1), got '1'"},
      {"search --api-margin -5%", 2, "--api-margin: expected a rate in [0, 1)"},
      // zero, negative, NaN, inf, huge
      {"train --model gpt3 --tokens 0", 2, "--tokens: expected a positive count, got '0'"},
      {"train --model gpt3 --tokens -5B", 2, "--tokens: expected a positive count, got '-5B'"},
      {"train --model gpt3 --tokens nan", 2, "--tokens: expected a count such as 175B"},
      {"train --model gpt3 --tokens inf", 2, "--tokens: expected a count such as 175B"},
      {"train --model gpt3 --tokens 1e400", 2, "--tokens: expected a count such as 175B"},
      {"train --model gpt3 --chips 1e12", 2, "--chips: expected a whole number of chips, got '1e12'"},
      {"train --model gpt3 --chips 2.5", 2, "--chips: expected a whole number of chips"},
      {"train --model gpt3 --pue 0.9", 2, "--pue: expected a PUE >= 1, got '0.9'"},
      {"train --model gpt3 --days -3", 2, "--days: expected a positive duration"},
      {"infer --model gpt3 --batch 0", 2, "--batch: expected a positive count, got '0'"},
      {"optimal --flops -1e20", 2, "--flops: expected a positive count"},
      {"scale --flops 0", 2, "--flops: expected a positive count"},
      {"loss --params 1B", 2, "loss: give --tokens"},
      {"scale", 2, "scale: give --flops"},
      {"trend --until 1800", 2, "--until: expected a year, got '1800'"},
      {"search --mode three", 2, "--mode: expected chatgpt or two-stage, got 'three'"},
      {"train --model gpt3 --format yaml", 2, "--format: expected table, json, csv or markdown, got 'yaml'"},
      // inconsistent combinations
      {"train --model gpt3 --chips 8 --days 3", 2, "give either --chips or --days, not both"},
      {"train --model gpt3 --mfu 0.4 --achieved-tflops 100", 2, "give either --mfu or --achieved-tflops, not both"},
      {"train --model gpt3 --offer aws-p5 --hardware tpu-v4", 2, "--hardware tpu-v4 conflicts with --offer aws-p5"},
      {"optimal --flops 1e20 --budget-usd 1M", 2, "give either --flops or --budget-usd, not both"},
      // bad files: empty, binary, non-UTF-8, duplicate ids, wrong types
      {"infer --model-config '" + f + "/empty.json'", 2, "invalid JSON"},
      {"train --model gpt3 --data '" + f + "/data-dup'", 2, "duplicate model id 'm'"},
      {"train --model gpt3 --data '" + f + "/data-binary'", 2, "b.toml:1:1"},
      {"train --model gpt3 --data '" + f + "/data-types'", 2,
       "t.toml:4:10: field 'params': expected a number, got a string"},
      // missing environment: exit 3
      {"train --model gpt3 --data /nonexistent-dir", 3, "data folder '/nonexistent-dir' is not a readable directory"},
      {"infer --model-config /nonexistent/config.json", 3,
       "cannot read Hugging Face config '/nonexistent/config.json'"},
      {"run /nonexistent-scenarios", 3, "no such scenario file or folder: '/nonexistent-scenarios'"},
      // fit and calibrate
      {"fit /nonexistent.csv", 3, "cannot read '/nonexistent.csv'"},
      {"fit '" + f + "/empty.toml' --grid fine", 2, "--grid: expected full or coarse, got 'fine'"},
      {"fit '" + f + "/empty.toml' --bootstrap -2", 2, "--bootstrap: expected a count from 0 to 100000, got -2"},
      {"calibrate --cpu --dtype fp9", 2, "--dtype: expected fp32, tf32, fp16, bf16 or fp8, got 'fp9'"},
      {"calibrate --cpu --quick --out /nonexistent-dir/c.toml", 3, "cannot write '/nonexistent-dir/c.toml'"},
      {"calibrate --cpu --as nonsuch", 2, "--as: unknown accelerator 'nonsuch'"},
      // usage
      {"train --frob", 2, "unknown flag '--frob' (see 'llmcost train --help')"},
      {"--frob", 2, "A subcommand is required"},
  };
  for (const auto& c : cases) {
    INFO("llmcost " << c.args);
    const Result r = cli(c.args);
    CHECK(r.rc == c.rc);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("llmcost: error: ", 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.find(c.contains) != std::string::npos);
  }
}

TEST_CASE("Contract: malformed scenario files are reported per file and exit 2", "[contract]") {
  const std::string f = fixtures().string();
  for (const char* file : {"empty.toml", "binary.toml", "latin1.toml"}) {
    INFO(file);
    const Result r = cli(std::string("run '") + f + "/" + file + "'");
    CHECK(r.rc == 2);
    CHECK(r.out.find("ERROR  " + f + "/" + file + ":") != std::string::npos);
    CHECK(r.err.empty());
  }
}

TEST_CASE("Contract: an unwritable output leaves no file and exits 3", "[contract]") {
  const fs::path dir = fs::temp_directory_path() / "llmcost-contract-out";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "ok.toml") << "kind = \"train\"\n[inputs]\nmodel = \"gpt3\"\n";
  const Result r = cli("run '" + (dir / "ok.toml").string() + "' --junit /nonexistent-dir/report.xml");
  CHECK(r.rc == 3);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("llmcost: error: cannot write '/nonexistent-dir/report.xml'", 0) == 0);
  CHECK_FALSE(fs::exists("/nonexistent-dir/report.xml"));
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++files;
  CHECK(files == 1);  // no temporary left beside the scenario
}

TEST_CASE("Contract: extreme inputs give finite, formatted numbers", "[contract]") {
  const std::vector<std::string> runs{
      "scale --flops 1e35 --budget-usd 1B",
      "train --params 10T --tokens 100T --offer aws-p5",
      "train --model gpt3 --mfu 1e-6 --offer gcp-tpu-v4-1yr",
      "infer --model llama2-7b --offer runpod-h100 --batch 1 --prompt-tokens 1 --output-tokens 1",
      "infer --params 10T --hardware h100-sxm --batch 1",
      "optimal --flops 1e35 --law kaplan2020",
      "search --mode two-stage --queries-per-year 1 --revenue-per-year 1",
  };
  for (const auto& args : runs) {
    INFO("llmcost " << args);
    Result r = cli(args + " --format json");
    REQUIRE(r.rc == 0);
    const auto j = nlohmann::json::parse(r.out);
    for (const auto& [key, v] : j["values"].items()) {
      if (!v.is_number()) continue;
      INFO(key);
      CHECK(std::isfinite(v.get<double>()));
      CHECK(v.get<double>() >= 0);
    }
    r = cli(args);
    CHECK(r.rc == 0);
    CHECK(r.out.find("nan") == std::string::npos);
    CHECK(r.out.find("inf ") == std::string::npos);
    CHECK(r.out.find(" 0.00 ") == std::string::npos);
    CHECK(r.out.find("$0.00\n") == std::string::npos);
  }
}
