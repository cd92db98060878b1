// Issue 12 regressions at the binary level, continued: labels that contradicted the computation,
// empty values, validation gaps and did-you-mean suggestions. Each case failed before its fix.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli_runner.hpp"
#include "helpers.hpp"
#include "report_json.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using llmcost::test::context;
using llmcost::test::notes;
using llmcost::test::report;
using llmcost::test::row_label;
using llmcost::test::run_llmcost;

using llmcost::test::write;

// A data folder holding `toml` as its one file.
std::string data_dir(const std::string& name, const std::string& toml) {
  const fs::path dir = llmcost::test::scratch_dir(name);
  write(dir / "extra.toml", toml);
  return dir.string();
}

}  // namespace

TEST_CASE("Issue12: labels say what was computed", "[regressions]") {
  const std::string t5 = data_dir("issue12-t5",
                                  "[[model]]\nid = \"test-t5\"\nname = \"T5-like 11B\"\nparams = 11e9\n"
                                  "architecture = \"encoder-decoder\"\ntrain_tokens = 1e12\nsource = \"test\"\n");
  CHECK(context(report("train --model test-t5 --offer aws-p4d-1yr --data '" + t5 + "'"), "flops_rule").find("3ND") !=
        std::string::npos);
  // A given total replaces the rule: no "6 FLOP per parameter per token" input is shown.
  const json given = report("train --model gpt3 --hardware v100-32gb --chips 10000 --train-flop 3.14e23");
  CHECK_FALSE(given["values"].contains("flop_per_param_token"));
  // int8 peaks are integer operations (TOPS), not floating point.
  CHECK(row_label(report("infer --model llama2-70b --offer aws-p5 --dtype int8"), "peak_flop_per_s").find("TOPS") !=
        std::string::npos);
  // One chip: "1 chip holds".
  CHECK(notes(report("train --model gpt3 --hardware h100-sxm --chips 1")).find("1 chip holds") != std::string::npos);
}

TEST_CASE("Issue12: an id shared by records of two kinds is an error, not a silent shadow", "[regressions]") {
  // `show chinchilla` found the model and hid the law alias of the same name.
  const auto r = run_llmcost("show chinchilla --format json");
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("hoffmann2022") == std::string::npos);
  const auto law = run_llmcost("loss --law chinchilla --params 1T --tokens 300B");
  CHECK(law.rc == 2);
  // A user file whose law alias names an existing model is refused, naming both.
  const std::string clash = data_dir("issue12-clash",
                                     "[[law]]\nid = \"mylaw\"\naliases = [\"gpt3\"]\nform = \"hoffmann\"\ne = 1.7\n"
                                     "a = 400\nb = 400\nalpha = 0.3\nbeta = 0.3\nsource = \"test\"\n");
  const auto loaded = run_llmcost("list laws --data '" + clash + "'");
  CHECK(loaded.rc == 2);
  CHECK(loaded.err.find("gpt3") != std::string::npos);
  CHECK(loaded.err.find("model") != std::string::npos);
}

TEST_CASE("Issue12: empty ids and files are errors, not 'not given'", "[regressions]") {
  for (const char* args :
       {"infer --model ''", "infer --offer ''", "infer --hardware ''", "loss --law '' --params 1T --tokens 1T",
        "loss --model ''", "optimal --budget-usd 1M --offer ''", "scale --flops 1e30 --offer ''", "trend --model ''",
        "train --model gpt3 --calibration ''", "infer --model-config ''", "search --method cloud --model ''"}) {
    INFO(args);
    const auto r = run_llmcost(args);
    CHECK(r.rc == 2);
    CHECK(r.err.find("got ''") != std::string::npos);
  }
}

TEST_CASE("Issue12: absurd inputs are refused or noted instead of giving absurd results", "[regressions]") {
  // kv_heads above heads.
  const std::string kv = data_dir("issue12-kv",
                                  "[[model]]\nid = \"bad-kv\"\nname = \"Bad\"\nparams = 1e9\narchitecture = "
                                  "\"decoder-only\"\nheads = 8\nkv_heads = 16\nsource = \"test\"\n");
  const auto bad_kv = run_llmcost("list models --data '" + kv + "'");
  CHECK(bad_kv.rc == 2);
  CHECK(bad_kv.err.find("kv_heads") != std::string::npos);
  // An H100 calibration (753.6 TFLOP/s bf16) applied to an A100 (312 peak) is above its peak.
  const std::string cal = std::string(LLMCOST_TEST_DIR) + "/calibration/h100-sxm.toml";
  for (const std::string kind : {"train --model gpt3", "infer --model gpt3"}) {
    const auto r = run_llmcost(kind + " --hardware a100-40gb --calibration '" + cal + "'");
    INFO(kind << ": " << r.err);
    CHECK(r.rc == 2);
    CHECK(r.err.find("peak") != std::string::npos);
  }
  // A Huber δ that underflows the objective.
  const std::string runs = std::string(LLMCOST_TEST_DIR) + "/../examples/runs.csv";
  const auto tiny = run_llmcost("fit '" + runs + "' --grid coarse --huber-delta 1e-308");
  CHECK(tiny.rc == 2);
  CHECK(tiny.err.find("huber") != std::string::npos);
  // 10 chips of an 8-chip instance: the note says they are not whole instances.
  CHECK(notes(report("train --model gpt3 --offer aws-p4d-1yr --chips 10")).find("whole") != std::string::npos);
}

TEST_CASE("Issue12: did-you-mean suggests the id, not an alias", "[regressions]") {
  // "davinc" is one edit from gpt3's alias "davinci".
  const auto r = run_llmcost("train --model davinc");
  CHECK(r.rc == 2);
  CHECK(r.err.find("did you mean 'gpt3'?") != std::string::npos);
}
