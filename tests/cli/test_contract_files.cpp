// Contract tests (files): see tests/test_contract.cpp for the error contract these extend. Outputs
// are written all or none, rows files hold valid rows or are not written, and bad counts, names
// and folders get one line and exit 2 (3 for the environment).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "helpers.hpp"
#include "llmcost/sweep.hpp"

namespace {

namespace fs = std::filesystem;

using llmcost::test::Run;
using llmcost::test::run_llmcost;

using llmcost::test::names_in;
using Names = std::vector<std::string>;

// `llmcost ARGS` run in `dir`.
Run in(const fs::path& dir, const std::string& args) {
  return llmcost::test::run_llmcost(args, "", dir.string());
}

// The error contract: exit code `rc`, nothing on stdout, the one line `message` on stderr.
void check_error(const Run& r, int rc, const std::string& message) {
  CHECK(r.rc == rc);
  CHECK(r.out.empty());
  CHECK(r.err == "llmcost: error: " + message + "\n");
}

using llmcost::test::write;

// Rows of a Chinchilla-form law on a 6 × 6 grid of N and D: a fit identifies it.
std::string good_runs() {
  std::ostringstream csv;
  csv << "params,tokens,loss\n";
  for (double n : {1e8, 3e8, 1e9, 3e9, 1e10, 3e10}) {
    for (double d : {5e9, 2e10, 8e10, 3e11, 1e12, 4e12}) {
      csv << n << "," << d << "," << 1.69 + 406.4 / std::pow(n, 0.34) + 410.7 / std::pow(d, 0.28) << "\n";
    }
  }
  return csv.str();
}

// 6 rows with D = 20·N: every point on one line in (log N, log D), so α and β cannot be separated.
std::string proportional_runs() {
  std::ostringstream csv;
  csv << "params,tokens,loss\n";
  for (double n : {1e8, 2e8, 4e8, 8e8, 1.6e9, 3.2e9}) {
    csv << n << "," << 20 * n << "," << 1.69 + 406.4 / std::pow(n, 0.34) + 410.7 / std::pow(20 * n, 0.28) << "\n";
  }
  return csv.str();
}

const std::string kSweep =
    "kind = \"train\"\n[inputs]\nmodel = \"gpt3\"\noffer = \"gcp-tpu-v4-1yr\"\n"
    "mfu = { from = 0.1, to = 0.5, step = 0.1 }\n";
const std::string kInferSweep =
    "kind = \"infer\"\n[inputs]\nmodel = \"gpt3\"\noffer = \"aws-p4d-1yr\"\nbatch = [1, 2]\n";
const std::string kPlain = "kind = \"train\"\n[inputs]\nmodel = \"gpt3\"\n";

}  // namespace

TEST_CASE("Contract: fit writes --save-law and --plot all or none", "[contract]") {
  const fs::path d = llmcost::test::scratch_dir("fit-outputs");
  write(d / "runs.csv", good_runs());
  const Run r = in(d, "fit runs.csv --grid coarse --save-law mylaw --plot /nonexistent-dir/x.svg");
  check_error(r, 3, "cannot write '/nonexistent-dir/x.svg': No such file or directory");
  CHECK(names_in(d) == Names{"runs.csv"});  // no mylaw.toml, no temporary

  // A plot target that is a folder fails before anything is renamed, too.
  fs::create_directories(d / "plot.svg");
  const Run r2 = in(d, "fit runs.csv --grid coarse --save-law mylaw --plot plot.svg");
  check_error(r2, 3, "cannot write 'plot.svg': Is a directory");
  CHECK(names_in(d) == Names{"plot.svg", "runs.csv"});

  // Both writable: both written, and the law loads back.
  const Run ok = in(d, "fit runs.csv --grid coarse --save-law mylaw --plot fit.svg --quiet");
  CHECK(ok.rc == 0);
  CHECK(names_in(d) == Names{"fit.svg", "mylaw.toml", "plot.svg", "runs.csv"});
  CHECK(in(d, "loss --data . --law mylaw --params 1B --tokens 20B --quiet").rc == 0);
}

TEST_CASE("Contract: run writes --junit and --rows all or none", "[contract]") {
  const fs::path d = llmcost::test::scratch_dir("run-outputs");
  write(d / "sw.toml", kSweep);
  const Run r = in(d, "run sw.toml --junit j.xml --rows /nonexistent-dir/r.csv");
  check_error(r, 3, "cannot write '/nonexistent-dir/r.csv': No such file or directory");
  CHECK(names_in(d) == Names{"sw.toml"});

  const Run same = in(d, "run sw.toml --junit out.txt --rows out.txt");
  check_error(same, 2, "'out.txt' is named as two outputs");
  CHECK(names_in(d) == Names{"sw.toml"});

  CHECK(in(d, "run sw.toml --junit j.xml --rows r.csv").rc == 0);
  CHECK(names_in(d) == Names{"j.xml", "r.csv", "sw.toml"});
}

TEST_CASE("Contract: calibrate writes --out before it prints the report", "[contract]") {
  const fs::path d = llmcost::test::scratch_dir("calibrate-out");
  fs::create_directories(d / "c.toml");  // the folder is writable, the target is not a file
  const Run r = in(d, "calibrate --cpu --quick --out c.toml");
  check_error(r, 3, "cannot write 'c.toml': Is a directory");
  CHECK(names_in(d) == Names{"c.toml"});
}

TEST_CASE("Contract: a fit the data cannot determine says so and is not saved", "[contract]") {
  const fs::path d = llmcost::test::scratch_dir("fit-degenerate");
  write(d / "prop.csv", proportional_runs());
  std::string same = "params,tokens,loss\n";
  for (int i = 0; i < 15; ++i) same += "1e9,2e10,2.5\n";
  write(d / "same.csv", same);

  Run r = in(d, "fit prop.csv --grid coarse --at-flops 1e21 --format json");
  REQUIRE(r.rc == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["values"]["status"] ==
        "parameters not identified: tokens follow params on one power law in every row (e.g. D = 20·N), so the N "
        "and D terms cannot be separated");
  CHECK_FALSE(j["values"].contains("n_opt"));

  r = in(d, "fit same.csv --grid coarse --format json");
  REQUIRE(r.rc == 0);
  CHECK(nlohmann::json::parse(r.out)["values"]["status"] ==
        "parameters not identified: every row has the same params and tokens");

  r = in(d, "fit prop.csv --grid coarse --save-law bad --plot bad.svg");
  check_error(r, 2,
              "--save-law: not saved: parameters not identified: tokens follow params on one power law in "
              "every row (e.g. D = 20·N), so the N and D terms cannot be separated");
  CHECK(names_in(d) == Names{"prop.csv", "same.csv"});
}

TEST_CASE("Contract: fit labels exponents dimensionless", "[contract]") {
  const fs::path d = llmcost::test::scratch_dir("fit-units");
  write(d / "runs.csv", good_runs());
  const Run r = in(d, "fit runs.csv --grid coarse --format csv");
  REQUIRE(r.rc == 0);
  std::istringstream lines(r.out);
  std::map<std::string, std::string> unit;  // key -> unit column (the 4th)
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> cells;
    std::istringstream cs(line);
    for (std::string c; std::getline(cs, c, ',');) cells.push_back(c);
    if (cells.size() >= 4) unit[cells[0]] = cells[3];
  }
  CHECK(unit["law_e"] == "nats");
  for (const char* key : {"law_alpha", "law_beta", "exponent_a", "exponent_b"}) {
    INFO(key);
    CHECK(unit.at(key).empty());
  }
}

TEST_CASE("Contract: bad counts, names and folders exit with one short line", "[contract]") {
  const fs::path d = llmcost::test::scratch_dir("bad-args");
  write(d / "runs.csv", good_runs());
  write(d / "sw.toml", kSweep);
  fs::create_directories(d / "emptydir");
  fs::create_directories(d / "sub");
  struct Case {
    std::string args;
    int rc;
    std::string err;
  };
  const std::string bad_name =
      "--save-law: expected a name of lower-case letters, digits, '-', '.' or '_' not starting with '.', got '";
  const std::vector<Case> cases{
      {"fit runs.csv --save-law ../evil", 2, bad_name + "../evil'"},
      {"fit runs.csv --save-law sub/x", 2, bad_name + "sub/x'"},
      {"fit runs.csv --save-law .hidden", 2, bad_name + ".hidden'"},
      {"fit runs.csv --save-law My_Law", 2, bad_name + "My_Law'"},
      {"fit runs.csv --bootstrap 2147483647", 2, "--bootstrap: expected a count from 0 to 100000, got 2147483647"},
      {"fit runs.csv --threads 5000", 2, "--threads: expected 0 (all cores) to 1024, got 5000"},
      {"fit runs.csv --threads -1", 2, "--threads: expected 0 (all cores) to 1024, got -1"},
      {"run sw.toml --threads 5000", 2, "--threads: expected 0 (all cores) to 1024, got 5000"},
      {"run sw.toml --top 0", 2, "--top: expected a whole number >= 1, got 0"},
      {"run sw.toml --top 2.5", 2, "--top: expected a whole number >= 1, got 2.5"},
      {"run sw.toml --top -3", 2, "--top: expected a whole number >= 1, got -3"},
      {"run emptydir", 2, "no scenario files (*.toml) under 'emptydir'"},
      {"fit sub", 3, "cannot read 'sub': is a directory"},
  };
  for (const auto& c : cases) {
    INFO("llmcost " << c.args);
    check_error(in(d, c.args), c.rc, c.err);
  }
  CHECK(names_in(d) == Names{"emptydir", "runs.csv", "sub", "sw.toml"});
  CHECK(names_in(d / "sub").empty());
}

TEST_CASE("Contract: --threads 0 means all cores and huge --top keeps all rows", "[contract]") {
  const fs::path d = llmcost::test::scratch_dir("threads-top");
  write(d / "runs.csv", good_runs());
  write(d / "sw.toml", kSweep);
  CHECK(in(d, "run sw.toml --threads 0").rc == 0);
  CHECK(in(d, "fit runs.csv --grid coarse --threads 0 --quiet").rc == 0);
  const Run r = in(d, "run sw.toml --top 1e30 --best cost_usd --format csv");
  CHECK(r.rc == 0);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 6);  // header + 5 points

  // The library clamps too: a top beyond size_t keeps every row.
  llmcost::SweepOptions opt;
  opt.best = "cost_usd";
  opt.top = 1e30;
  const auto s = llmcost::parse_scenario(kSweep, "sw.toml");
  CHECK(llmcost::run_sweep(s, llmcost::test::default_catalog(), opt).row_count() == 5);
  opt.keep_rows = false;
  CHECK(llmcost::run_sweep(s, llmcost::test::default_catalog(), opt).row_count() == 5);
}

TEST_CASE("Contract: sweep rows are valid JSON lines and decimal range values", "[contract]") {
  const fs::path d = llmcost::test::scratch_dir("rows");
  write(d / "sw.toml", kSweep);
  REQUIRE(in(d, "run sw.toml --rows r.jsonl").rc == 0);
  std::ifstream jsonl(d / "r.jsonl");
  std::vector<std::string> mfus;
  for (std::string line; std::getline(jsonl, line);) mfus.push_back(nlohmann::json::parse(line)["mfu"]);
  CHECK(mfus == std::vector<std::string>{"0.1", "0.2", "0.3", "0.4", "0.5"});
  const Run csv = in(d, "run sw.toml --format csv");
  CHECK(csv.out.find("\n0.3,") != std::string::npos);
  CHECK(csv.out.find("0.30000000000000004") == std::string::npos);
  const auto range = [](const std::string& table) {
    return llmcost::parse_scenario("kind = \"train\"\n[inputs]\nx = " + table + "\n", "r.toml").inputs[0].values;
  };
  CHECK(range("{ from = -0.3, to = 0.3, step = 0.1 }") == Names{"-0.3", "-0.2", "-0.1", "0", "0.1", "0.2", "0.3"});
  CHECK(range("{ from = 0.1, to = 0.7, count = 7 }") == Names{"0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"});
  CHECK(range("{ from = 1, to = 1.5, step = \"x1.1\" }") == Names{"1", "1.1", "1.21", "1.331", "1.4641"});
  CHECK(range("{ from = 1e9, to = 1000000000.3, step = 0.1 }") ==
        Names{"1000000000", "1000000000.1", "1000000000.2", "1000000000.3"});

  // Non-finite values are null, names and texts escaped.
  llmcost::Scenario s;
  s.inputs.push_back({"offer", "a\"b", {"a\"b", "c\\d"}, {}});
  llmcost::SweepResult r;
  r.axes = {"offer"};
  r.keys = {"x", "y"};
  const double inf = std::numeric_limits<double>::infinity();
  r.rows = {0, inf, std::nan(""), 1, -inf, 2.5};
  const std::string text = llmcost::sweep_rows_jsonl(s, r);
  CHECK(text == "{\"offer\":\"a\\\"b\",\"x\":null,\"y\":null}\n{\"offer\":\"c\\\\d\",\"x\":null,\"y\":2.5}\n");
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) CHECK_NOTHROW(nlohmann::json::parse(line));
}

TEST_CASE("Contract: CSV rows need sweeps, one header and the same columns", "[contract]") {
  const fs::path d = llmcost::test::scratch_dir("csv-rows");
  write(d / "plain.toml", kPlain);
  write(d / "a.toml", kSweep);
  write(d / "b.toml", kInferSweep);

  Run r = in(d, "run plain.toml --format csv");
  CHECK(r.rc == 0);
  CHECK(r.out.empty());
  CHECK(r.err.find("llmcost: note: none of the scenarios is a sweep: --format csv has no rows to print\n") !=
        std::string::npos);

  r = in(d, "run plain.toml --rows r.csv");
  CHECK(r.rc == 0);
  CHECK(r.err == "llmcost: note: none of the scenarios is a sweep: no rows, 'r.csv' not written\n");
  CHECK_FALSE(fs::exists(d / "r.csv"));

  const std::string differ =
      " needs sweeps with the same columns: 'a.toml' and 'b.toml' differ; run them "
      "separately or write JSON lines (--rows FILE.jsonl)";
  check_error(in(d, "run a.toml b.toml --format csv"), 2, "--format csv" + differ);
  check_error(in(d, "run a.toml b.toml --rows r.csv --junit j.xml"), 2, "--rows r.csv" + differ);
  CHECK(names_in(d) == Names{"a.toml", "b.toml", "plain.toml"});

  r = in(d, "run a.toml a.toml --format csv");
  CHECK(r.rc == 0);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 11);  // one header, 2 × 5 rows
  CHECK(r.out.find("\nmfu,") == std::string::npos);

  r = in(d, "run a.toml b.toml --rows r.jsonl");
  CHECK(r.rc == 0);
  std::ifstream jsonl(d / "r.jsonl");
  int rows = 0;
  for (std::string line; std::getline(jsonl, line); ++rows) CHECK_NOTHROW(nlohmann::json::parse(line));
  CHECK(rows == 7);
}

TEST_CASE("Contract: files a scenario names are relative to it; a missing one exits 3", "[contract]") {
  const fs::path d = llmcost::test::scratch_dir("scenario-relative");
  fs::create_directories(d / "sub");
  fs::copy_file(std::string(LLMCOST_TEST_DIR) + "/calibration/h100-sxm.toml", d / "sub" / "cal.toml");
  std::ofstream(d / "sub" / "s.toml") << "kind = \"train\"\n[inputs]\nmodel = \"gpt3\"\noffer = \"aws-p5\"\n"
                                         "calibration = \"cal.toml\"\n[expect]\nmfu_vs_measured = 0.58\n";
  std::ofstream(d / "sub" / "m.toml")
      << "kind = \"train\"\n[inputs]\nmodel = \"gpt3\"\ncalibration = \"missing.toml\"\n";
  // Run from the scratch folder, not the scenario's: cal.toml is still found next to s.toml.
  Run r = run_llmcost("run sub/s.toml", "", d.string());
  CHECK(r.rc == 0);
  CHECK(r.out == "PASS   sub/s.toml (1 check)\n1 scenario: 1 passed, 0 failed, 0 malformed\n");
  r = run_llmcost("run sub/m.toml", "", d.string());
  CHECK(r.rc == 3);
  CHECK(r.out.find("ERROR  sub/m.toml:4:1: field 'calibration': cannot read calibration file 'sub/missing.toml'") == 0);
}
