// The built binary end to end: whole outputs against golden files for every format, and the exact
// one-line error text and exit code for bad input. LLMCOST_UPDATE_GOLDEN=1 rewrites the goldens
// (review the diff: the numbers in them are checked independently in test_train.cpp).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.hpp"

namespace {

namespace fs = std::filesystem;
using llmcost::test::Run;
using llmcost::test::slurp;

Run run(const std::string& args, const std::string& env = "") {
  return llmcost::test::run_llmcost(args, env);
}

void check_golden(const std::string& name, const std::string& actual) {
  const fs::path path = fs::path(LLMCOST_TEST_DIR) / "golden" / name;
  if (std::getenv("LLMCOST_UPDATE_GOLDEN")) {
    std::ofstream(path, std::ios::binary) << actual;
    WARN("updated " << path.string());
    return;
  }
  REQUIRE(fs::exists(path));
  CHECK(slurp(path) == actual);
}

void check_error(const std::string& args, int rc, const std::string& message) {
  INFO("llmcost " << args);
  const Run r = run(args);
  CHECK(r.rc == rc);
  CHECK(r.out.empty());
  CHECK(r.err == "llmcost: error: " + message + "\n");
}

}  // namespace

TEST_CASE("CLI: train gpt3 in every format matches the golden output", "[cli]") {
  const std::string args = "train --model gpt3 --offer gcp-tpu-v4-1yr --mfu 46.2%";
  for (const auto& [format, file] : std::vector<std::pair<std::string, std::string>>{{"table", "train-gpt3.txt"},
                                                                                     {"json", "train-gpt3.json"},
                                                                                     {"csv", "train-gpt3.csv"},
                                                                                     {"markdown", "train-gpt3.md"}}) {
    INFO(format);
    const Run r = run(args + " --format " + format);
    CHECK(r.rc == 0);
    CHECK(r.err.empty());
    check_golden(file, r.out);
  }
  const Run explain = run(args + " --explain");
  CHECK(explain.rc == 0);
  check_golden("train-gpt3-explain.txt", explain.out);
}

TEST_CASE("CLI: V100 energy case, quiet output, list and show", "[cli]") {
  Run r =
      run("train --model gpt3 --hardware v100-32gb --chips 10000 --achieved-tflops 24.6 --watts-per-chip 330 "
          "--pue 1.10 --grid-kg-per-kwh 0.429 --quiet");
  CHECK(r.rc == 0);
  check_golden("train-gpt3-v100-quiet.txt", r.out);
  r = run("list offers --format csv");
  CHECK(r.rc == 0);
  check_golden("list-offers.csv", r.out);
  r = run("show gpt-3");  // by alias
  CHECK(r.rc == 0);
  check_golden("show-gpt3.txt", r.out);
}

TEST_CASE("CLI: run replays the reference scenarios; failures exit 1 naming key, expected, actual", "[cli]") {
  Run r = run("run '" LLMCOST_SCENARIO_DIR "/reference'");
  CHECK(r.rc == 0);
  CHECK(r.out.find(" failed, 0 malformed\n") != std::string::npos);
  CHECK(r.out.find(" 0 failed") != std::string::npos);

  const fs::path dir = fs::temp_directory_path() / "llmcost-cli-scenarios";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "wrong.toml")
      << "kind = \"train\"\n[inputs]\nmodel = \"gpt3\"\noffer = \"gcp-tpu-v4-1yr\"\nmfu = 0.462\n"
         "[expect]\ncost_usd = { value = 1.5e6, rel = 0.02 }\n";
  r = run("run '" + (dir / "wrong.toml").string() + "'");
  CHECK(r.rc == 1);
  CHECK(r.out.find("cost_usd: expected 1.5e+06 ± 2%, got 1.39807e+06 (-6.80%)") != std::string::npos);

  std::ofstream(dir / "broken.toml") << "kind = \"train\"\n[inputs]\nmodel = \"gpt3\"\nmfu = 1.7\n";
  r = run("run '" + dir.string() + "'");
  CHECK(r.rc == 2);  // malformed beats failed; both still ran
  CHECK(r.out.find("broken.toml:4:1: field 'mfu': expected a fraction in (0, 1], got '1.7'") != std::string::npos);
  CHECK(r.out.find("FAIL") != std::string::npos);
}

TEST_CASE("CLI: bad inputs exit 2 with one line naming the problem", "[cli][errors]") {
  check_error("train --model gtp3", 2, "unknown model 'gtp3'; did you mean 'gpt3'?");
  check_error("train --model gpt3 --mfu 1.7", 2, "--mfu: expected a fraction in (0, 1], got '1.7'");
  check_error("train --model gpt3 --mfu -0.1", 2, "--mfu: expected a fraction in (0, 1], got '-0.1'");
  check_error("train --model gpt3 --tokens abc", 2, "--tokens: expected a count such as 175B, 1.4T or 3e11, got 'abc'");
  check_error("train --model gpt3 --chips 0", 2, "--chips: expected a positive count, got '0'");
  check_error("train --model gpt3 --format yaml", 2, "--format: expected table, json, csv or markdown, got 'yaml'");
  check_error("show nosuch-id-at-all", 2,
              "unknown id 'nosuch-id-at-all'; see 'llmcost list models' (or accelerators, offers, assumptions, laws)");
  check_error("train --model gpt3 --data /nonexistent", 3, "data folder '/nonexistent' is not a readable directory");
}

TEST_CASE("CLI: data files with errors name file:line:col and the field", "[cli][errors]") {
  const fs::path dir = fs::temp_directory_path() / "llmcost-cli-data";
  auto with_file = [&](const std::string& text) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "extra.toml") << text;
    return run("train --model gpt3 --data '" + dir.string() + "'");
  };
  const std::string f = (dir / "extra.toml").string();
  Run r = with_file("[[model]]\nid = \"x\"\nname = \"X\"\nparams = 1e9\narchitecture = \"decoder-only\"\n");
  CHECK(r.rc == 2);
  CHECK(r.err == "llmcost: error: " + f + ":1:1: missing required field 'source'\n");
  r = with_file(
      "[[model]]\nid = \"x\"\nname = \"X\"\nparams = -1e9\narchitecture = \"decoder-only\"\nsource = \"s\"\n");
  CHECK(r.err == "llmcost: error: " + f + ":4:10: field 'params': expected a positive number, got -1000000000\n");
  r = with_file("[[model]\nid = \"x\"\n");
  CHECK(r.rc == 2);
  CHECK(r.err.rfind("llmcost: error: " + f + ":1:", 0) == 0);
  r = with_file(
      "[[offer]]\nid = \"x\"\nprovider = \"p\"\ninstance = \"i\"\naccelerator = \"h100-sxm\"\ncount = 8\n"
      "usd_per_hour = 10\nterm = \"1yr\"\nregion = \"r\"\ndate = \"2026\"\nsource = \"s\"\nprice = 3\n");
  CHECK(r.err == "llmcost: error: " + f + ":12:1: field 'price': unknown field\n");
}

TEST_CASE("CLI: user data overrides the catalog by id (--data and LLMCOST_DATA)", "[cli]") {
  const fs::path dir = fs::temp_directory_path() / "llmcost-cli-override";
  fs::remove_all(dir);
  fs::create_directories(dir);
  // Same id as the shipped offer, twice the price: cost doubles to 2 × $1.398M.
  std::ofstream(dir / "cheap.toml") << "[[offer]]\nid = \"gcp-tpu-v4-1yr\"\nprovider = \"gcp\"\ninstance = \"chip\"\n"
                                       "accelerator = \"tpu-v4\"\ncount = 1\nusd_per_hour = 4.06\nterm = \"1yr\"\n"
                                       "region = \"r\"\ndate = \"2026-11\"\nsource = \"test\"\n";
  const std::string args = "train --model gpt3 --offer gcp-tpu-v4-1yr --mfu 46.2% --quiet";
  Run r = run(args + " --data '" + dir.string() + "'");
  CHECK(r.rc == 0);
  CHECK(r.out.find("cost_usd $2.80M\n") != std::string::npos);
  r = run(args, "LLMCOST_DATA='" + dir.string() + "'");
  CHECK(r.out.find("cost_usd $2.80M\n") != std::string::npos);
}

TEST_CASE("CLI: infer and search outputs match the golden files", "[cli]") {
  Run r = run("infer --model gpt3 --offer aws-p4d-1yr --mfu 21.3%");
  CHECK(r.rc == 0);
  check_golden("infer-gpt3-p4d.txt", r.out);
  r =
      run("infer --model llama2-70b --hardware h100-sxm --chips 2 --batch 64 --prompt-tokens 1024 "
          "--output-tokens 256 --format json");
  CHECK(r.rc == 0);
  check_golden("infer-llama2-70b-h100.json", r.out);
  CHECK(r.out.find("\"fits\": false") != std::string::npos);
  CHECK(r.out.find("\"bound\": \"memory bandwidth\"") != std::string::npos);
  r = run("search --mode two-stage --explain");
  CHECK(r.rc == 0);
  check_golden("search-two-stage.txt", r.out);
  r = run("search --mode chatgpt --format csv");
  CHECK(r.rc == 0);
  check_golden("search-chatgpt.csv", r.out);
  r = run("infer --model-config '" LLMCOST_TEST_DIR "/hf/mixtral-8x7b.json' --offer runpod-h100 --quiet");
  CHECK(r.rc == 0);
  CHECK(r.out.find("flop_per_token") != std::string::npos);
}

TEST_CASE("CLI: scaling-law, trend and fit outputs match the golden files", "[cli]") {
  // One format each, so every renderer meets every kind: table with --explain, Markdown, JSON, CSV.
  Run r = run("loss --law hoffmann2022 --params 1T --tokens 300B --explain");
  CHECK(r.rc == 0);
  check_golden("loss-1t-300b-explain.txt", r.out);
  r = run("optimal --flops 5.76e23 --law hoffmann2022-unrounded --params 280B --format markdown");
  CHECK(r.rc == 0);
  check_golden("optimal-gopher.md", r.out);
  r = run("scale --flops 1e35 --budget-usd 1B --format json");
  CHECK(r.rc == 0);
  check_golden("scale-1e35.json", r.out);
  r = run("trend --model gpt3 --until 2024 --format csv");
  CHECK(r.rc == 0);
  check_golden("trend-gpt3.csv", r.out);
  // From the repository root with a relative path: the table's widths must not depend on where
  // the checkout is.
  r = llmcost::test::run_llmcost("fit examples/runs.csv --grid coarse --at-flops 5.76e23", "",
                                 fs::path(LLMCOST_TEST_DIR).parent_path().string());
  CHECK(r.rc == 0);
  check_golden("fit-runs-coarse.txt", r.out);
}

TEST_CASE("CLI: infer and search bad inputs exit 2 with one line", "[cli][errors]") {
  check_error("search --mode three-stage", 2, "--mode: expected chatgpt or two-stage, got 'three-stage'");
  check_error("search --cache-hit 100%", 2, "--cache-hit: expected a rate in [0, 1), got '100%'");
  check_error("infer --model gpt3 --dtype int3", 2,
              "--dtype: expected fp32, fp16, bf16, fp8, int8 or int4, got 'int3'");
  check_error("infer --model gpt3 --batch 2.5", 2, "--batch: expected a whole number of sequences, got '2.5'");
  check_error("infer --model gpt3 --model-config /nonexistent/config.json", 3,
              "--model-config: cannot read Hugging Face config '/nonexistent/config.json': No such file or directory");
}

TEST_CASE("CLI: run writes a JUnit report valid against its schema", "[cli]") {
  const fs::path dir = fs::temp_directory_path() / "llmcost-cli-junit";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "ok.toml") << "kind = \"train\"\n[inputs]\nmodel = \"gpt3\"\n[expect]\nchips = { min = 1 }\n";
  std::ofstream(dir / "over.toml") << "kind = \"train\"\n[inputs]\nmodel = \"gpt3\"\noffer = \"gcp-tpu-v4-1yr\"\n"
                                      "mfu = \"46.2%\"\n[expect]\ncost_usd = { max = 1e6 }\n";
  std::ofstream(dir / "bad.toml")
      << "kind = \"train\"\n[inputs]\nmodel = \"gpt3\"\nchips = { from = 8, to = 1 , step = 1 }\n";
  const fs::path xml = dir / "out" / "junit.xml";
  fs::create_directories(xml.parent_path());
  const Run r = run("run '" + dir.string() + "' --junit '" + xml.string() + "'");
  CHECK(r.rc == 2);  // one malformed, one over budget
  // The budget failure names the key, the bound and the actual value ($1.398M > $1M).
  CHECK(r.out.find("cost_usd: expected <= 1e+06, got 1.39807e+06") != std::string::npos);
  CHECK(r.out.find("bad.toml:4:9: field 'chips': a range needs from <= to") != std::string::npos);
  REQUIRE(fs::exists(xml));
  const std::string report = slurp(xml);
  CHECK(report.find("tests=\"3\" failures=\"1\" errors=\"1\"") != std::string::npos);
  const std::string schema = std::string(LLMCOST_TEST_DIR) + "/junit.xsd";
  CHECK(std::system(("xmllint --noout --schema '" + schema + "' '" + xml.string() + "' 2>/dev/null").c_str()) == 0);
  // Only the over-budget scenario: exit 1.
  fs::remove(dir / "bad.toml");
  CHECK(run("run '" + dir.string() + "'").rc == 1);
}

TEST_CASE("CLI: sweeps print their best rows and write CSV rows", "[cli]") {
  const fs::path dir = fs::temp_directory_path() / "llmcost-cli-sweep";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "sweep.toml") << "kind = \"train\"\n[inputs]\nmodel = \"gpt3\"\noffer = \"gcp-tpu-v4-1yr\"\n"
                                       "mfu = [0.3, 0.5]\nchips = [512, 1024]\n";
  const fs::path csv = dir / "rows.csv";
  Run r = run("run '" + (dir / "sweep.toml").string() + "' --best cost_usd --top 1 --rows '" + csv.string() + "'");
  CHECK(r.rc == 0);
  CHECK(r.out.find("4 points, 4 kept") != std::string::npos);
  CHECK(r.out.find("best cost_usd = 1.29182e+06 at mfu=0.5, chips=512") !=
        std::string::npos);  // 6.364e5 chip-h × $2.03
  const std::string rows = slurp(csv);
  CHECK(std::count(rows.begin(), rows.end(), '\n') == 2);  // header + the best row
  CHECK(rows.rfind("mfu,chips,params,", 0) == 0);
  r = run("run '" + (dir / "sweep.toml").string() + "' --format csv");
  CHECK(r.rc == 0);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 5);  // CSV on stdout, status on stderr
  CHECK(r.err.find("1 scenario: 1 passed") != std::string::npos);
  // A budget over a sweep without `best` holds for every point: MFU 0.3 costs $2.15M > $2M.
  std::ofstream(dir / "budget.toml") << "kind = \"train\"\n[inputs]\nmodel = \"gpt3\"\noffer = \"gcp-tpu-v4-1yr\"\n"
                                        "mfu = [0.3, 0.5]\n[expect]\ncost_usd = { max = 2e6 }\n";
  r = run("run '" + (dir / "budget.toml").string() + "'");
  CHECK(r.rc == 1);
  CHECK(r.out.find("cost_usd: expected <= 2e+06, got 2.15303e+06 at mfu=0.3") != std::string::npos);
}

TEST_CASE("CLI: the shipped scenarios pass", "[cli]") {
  const Run r = run("run '" LLMCOST_SCENARIO_DIR "'");
  CHECK(r.rc == 0);
  CHECK(r.out.find(" 0 failed, 0 malformed\n") != std::string::npos);
}

TEST_CASE("CLI: fit recovers a law from its own data and saves it for optimal", "[cli]") {
  const fs::path dir = fs::temp_directory_path() / "llmcost-cli-fit";
  fs::remove_all(dir);
  fs::create_directories(dir);
  // Noise-free rows from hoffmann2022 (E 1.69, A 406.4, B 410.7, α 0.34, β 0.28) on a 6 × 6 grid.
  {
    std::ofstream csv(dir / "runs.csv");
    csv << "params,tokens,loss\n";
    for (double n : {1e8, 3e8, 1e9, 3e9, 1e10, 3e10}) {
      for (double d : {5e9, 2e10, 8e10, 3e11, 1e12, 4e12}) {
        csv << n << "," << d << "," << 1.69 + 406.4 / std::pow(n, 0.34) + 410.7 / std::pow(d, 0.28) << "\n";
      }
    }
  }
  // --save-law takes a name, written in the current folder.
  Run r = llmcost::test::run_llmcost("fit runs.csv --grid coarse --save-law mine --plot fit.svg --format json", "",
                                     dir.string());
  REQUIRE(r.rc == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["values"]["law_alpha"].get<double>() == Approx(0.34).margin(0.005));
  CHECK(j["values"]["law_beta"].get<double>() == Approx(0.28).margin(0.005));
  CHECK(j["values"]["points"].get<double>() == 36);
  CHECK(fs::exists(dir / "fit.svg"));
  // The saved law gives hoffmann2022's optimum at Gopher's budget: ≈ 32.2B.
  r = run("optimal --data '" + dir.string() + "' --law mine --flops 5.76e23 --format json");
  REQUIRE(r.rc == 0);
  CHECK(nlohmann::json::parse(r.out)["values"]["params_opt"].get<double>() == Approx(32.2e9).epsilon(0.05));
  // Bad input: named line and column, exit 2, nothing written.
  std::ofstream(dir / "bad.csv") << "params,tokens,loss\n1e9,2e10,abc\n";
  r = llmcost::test::run_llmcost("fit bad.csv --save-law never", "", dir.string());
  CHECK(r.rc == 2);
  CHECK(r.err.find("bad.csv:2:") != std::string::npos);
  CHECK(r.err.find("field 'loss'") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "never.toml"));
  CHECK(run("fit '" + (dir / "runs.csv").string() + "' --grid fine").err ==
        "llmcost: error: --grid: expected full or coarse, got 'fine'\n");
}

TEST_CASE("CLI: calibrate --cpu writes a file that train --calibration uses", "[cli]") {
  const fs::path dir = fs::temp_directory_path() / "llmcost-cli-calibrate";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path cal = dir / "c.toml";
  Run r = run("calibrate --cpu --quick --out '" + cal.string() + "' --quiet");
  REQUIRE(r.rc == 0);
  REQUIRE(fs::exists(cal));
  r = run("train --model gpt3 --calibration '" + cal.string() + "' --explain");
  CHECK(r.rc == 0);
  CHECK(r.out.find("Measured fp32 GEMM ceiling per chip") != std::string::npos);
  CHECK(r.out.find("achieved_flop_per_s = measured_flop_per_s × calibrated_efficiency") != std::string::npos);
  CHECK(r.out.find("MFU against the measured ceiling") != std::string::npos);
  // Without a GPU, the CUDA path says so and exits 3 (on a GPU machine it measures instead).
  r = run("calibrate --quick");
  if (r.rc == 3) CHECK(r.err.find("llmcost: error: ") == 0);
}
