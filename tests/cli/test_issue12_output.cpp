// Issue 12, the built binary: numbers in exponent form, listings, scenario inputs that were
// silently ignored, JSON and CSV shapes, `where` that assigned, symlink loops, file names that are
// not UTF-8 or hold terminal escapes, outputs over inputs, and formula injection in CSV.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_runner.hpp"
#include "helpers.hpp"

namespace {

namespace fs = std::filesystem;
using llmcost::test::Run;
using llmcost::test::run_llmcost;
using llmcost::test::slurp;

// `llmcost ARGS` run in `dir`.
Run in(const fs::path& dir, const std::string& args) {
  return run_llmcost(args, "", dir.string());
}

using llmcost::test::write;

// The error contract: exit `rc`, one line on stderr that contains `what`, nothing on stdout.
void check_error(const Run& r, int rc, const std::string& what) {
  INFO("stderr: " << r.err);
  CHECK(r.rc == rc);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("llmcost: error: ", 0) == 0);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.find(what) != std::string::npos);
}

// A malformed scenario: its ERROR line (the other scenarios still run) and exit 2.
void check_malformed(const Run& r, const std::string& what) {
  INFO("stdout: " << r.out);
  CHECK(r.rc == 2);
  CHECK(r.out.find("ERROR  " + what) != std::string::npos);
}

const std::string kTrain = "kind = \"train\"\n[inputs]\nmodel = \"gpt3\"\noffer = \"gcp-tpu-v4-1yr\"\n";
const std::string kSweep = kTrain + "mfu = [0.3, 0.5]\nchips = [512, 1024]\n";

bool has_control(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c == '\x1b' || c == '\x07'; });
}

}  // namespace

TEST_CASE("Issue12: exponents keep every digit in tables and quiet lines", "[regressions]") {
  const Run search = run_llmcost("search --revenue-per-year 1.67e20 --quiet");
  REQUIRE(search.rc == 0);
  CHECK(search.out.find("\ncost_to_revenue 1.2e-10\n") != std::string::npos);
  const Run scale = run_llmcost("scale --flops 2.25e9 --quiet");
  REQUIRE(scale.rc == 0);
  CHECK(scale.out.find("\ndata_needed_ratio 1.25e-10\n") != std::string::npos);
}

TEST_CASE("Issue12: list laws shows whole references, not a cut at the first comma", "[regressions]") {
  const Run r = run_llmcost("list laws");
  REQUIRE(r.rc == 0);
  INFO(r.out);
  CHECK(r.out.find("Besiroglu, Erdil, Barnett, You 2024") != std::string::npos);
  CHECK(r.out.find("Besiroglu\n") == std::string::npos);
  CHECK(r.out.find("Kaplan et al. 2020") != std::string::npos);
}

TEST_CASE("Issue12: run --format markdown is an error, not the table", "[regressions]") {
  const fs::path d = llmcost::test::scratch_dir("i12-md");
  write(d / "sw.toml", kSweep);
  check_error(in(d, "run sw.toml --format markdown"), 2, "--format markdown: run prints table, json or csv");
}

TEST_CASE("Issue12: where, best, top and maximize in a single-point scenario are errors at the field",
          "[regressions]") {
  const fs::path d = llmcost::test::scratch_dir("i12-single");
  write(d / "w.toml", "where = \"cost_usd < 5\"\n" + kTrain);
  check_malformed(in(d, "run w.toml"), "w.toml:1:9: field 'where'");
  write(d / "b.toml", "best = \"nonexistent\"\n" + kTrain);
  check_malformed(in(d, "run b.toml"), "b.toml:1:8: field 'best'");
  write(d / "t.toml", "top = 3\n" + kTrain);
  check_malformed(in(d, "run t.toml"), "t.toml:1:7: field 'top'");
  write(d / "m.toml", "maximize = true\n" + kTrain);
  check_malformed(in(d, "run m.toml"), "m.toml:1:12: field 'maximize'");
  // A sweep takes them.
  write(d / "s.toml", "where = \"cost_usd > 0\"\nbest = \"cost_usd\"\ntop = 1\n" + kSweep);
  CHECK(in(d, "run s.toml").rc == 0);
}

TEST_CASE("Issue12: an input given twice (watts_per_chip and watts-per-chip) is an error", "[regressions]") {
  const fs::path d = llmcost::test::scratch_dir("i12-dup");
  write(d / "dup.toml", kTrain + "watts_per_chip = 300\nwatts-per-chip = 400\n");
  check_malformed(in(d, "run dup.toml"), "dup.toml:6:1: field 'watts-per-chip'");
  CHECK(in(d, "run dup.toml").out.find("the same input as 'watts_per_chip'") != std::string::npos);
}

TEST_CASE("Issue12: an expectation's abs tolerance must be >= 0", "[regressions]") {
  const fs::path d = llmcost::test::scratch_dir("i12-abs");
  write(d / "abs.toml", kTrain + "[expect]\ncost_usd = { value = 1.4e6, abs = -1 }\n");
  check_malformed(in(d, "run abs.toml"), "abs.toml:6:35: field 'expect.cost_usd.abs': expected a tolerance >= 0");
}

TEST_CASE("Issue12: whole counts are JSON integers; run JSON counts and best row", "[regressions]") {
  const Run train = run_llmcost("train --model gpt3 --mfu 46.2% --format json");
  REQUIRE(train.rc == 0);
  const auto j = nlohmann::json::parse(train.out);
  CHECK(j["values"]["chips"].is_number_integer());
  CHECK(j["values"]["chips"] == 957);
  CHECK(j["values"]["cost_usd"].is_number_float());
  for (const auto& row : j["rows"]) {
    if (row["key"] == "chips") CHECK(row["value"].is_number_integer());
  }
  const fs::path d = llmcost::test::scratch_dir("i12-json");
  write(d / "sw.toml", kSweep);
  const Run run = in(d, "run sw.toml --best cost_usd --format json");
  REQUIRE(run.rc == 0);
  const auto s = nlohmann::json::parse(run.out)["scenarios"][0];
  CHECK(s["points"].is_number_integer());
  CHECK(s["kept"].is_number_integer());
  CHECK(s["best"]["mfu"] == "0.5");  // axis values as written
  CHECK(s["best"]["chips"] == "512");
  CHECK(s["best"]["cost_usd"].is_number());
  // The best key is an axis: its value is the number.
  const auto axis = nlohmann::json::parse(in(d, "run sw.toml --best chips --format json").out)["scenarios"][0];
  CHECK(axis["best"]["chips"] == 512);
  CHECK(axis["best"]["mfu"] == "0.3");
}

TEST_CASE("Issue12: report CSV has the columns of the JSON rows, text results their formula", "[regressions]") {
  const Run r = run_llmcost("train --model gpt3 --format csv");
  REQUIRE(r.rc == 0);
  CHECK(r.out.rfind("key,label,value,unit,role,formula,source,reference\n", 0) == 0);
  const Run infer = run_llmcost("infer --model gpt3 --offer aws-p4d-1yr --format csv");
  REQUIRE(infer.rc == 0);
  CHECK(infer.out.find("\nbound,Decode is bound by,memory bandwidth,text,result,streaming the weights and KV cache "
                       "against the GEMM and attention math of a decode step,,\n") != std::string::npos);
}

TEST_CASE("Issue12: a where expression cannot assign", "[regressions]") {
  const fs::path d = llmcost::test::scratch_dir("i12-where");
  write(d / "sw.toml", kSweep + "[expect]\ncost_usd = { max = 1 }\n");
  for (const char* op : {"=", "+=", "-=", "*=", "/="}) {
    INFO(op);
    check_error(in(d, std::string("run sw.toml --where 'cost_usd ") + op + " 5'"), 2, "--where: ");
  }
  write(d / "in.toml", "where = \"cost_usd = 5\"\n" + kSweep);
  check_malformed(in(d, "run in.toml"), "in.toml:1:9: field 'where': ");
  // Comparisons are not assignments: the expectation still fails (exit 1).
  for (const char* op : {"==", "<=", ">=", "!="}) {
    INFO(op);
    CHECK(in(d, std::string("run sw.toml --where 'cost_usd ") + op + " 5'").rc == 1);
  }
}

TEST_CASE("Issue12: sweep sizes are checked before range values are built", "[regressions]") {
  const fs::path d = llmcost::test::scratch_dir("i12-ranges");
  std::string toml = "kind = \"train\"\n[inputs]\nmodel = \"gpt3\"\n";
  for (const char* name : {"chips", "days", "pue", "watts-per-chip", "grid-kg-per-kwh", "tokens", "mfu", "params"}) {
    toml += std::string(name) + " = { from = 1, to = 2, count = 10000000 }\n";
  }
  write(d / "big.toml", toml);
  const auto t0 = std::chrono::steady_clock::now();
  const Run r = in(d, "run big.toml");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(r.rc == 2);
  // Placed at the range that makes the sweep too large, the second one.
  CHECK(r.out.find("big.toml:5:8: field 'days': ") != std::string::npos);
  CHECK(r.out.find("100,000,000") != std::string::npos);
  CHECK(seconds < 5);
}

TEST_CASE("Issue12: a symlink loop in a scenario folder is an error, not a crash", "[regressions]") {
  const fs::path d = llmcost::test::scratch_dir("i12-loop");
  fs::create_directories(d / "s");
  write(d / "s" / "a.toml", kTrain);
  fs::create_symlink("loop.toml", d / "s" / "loop.toml");
  check_error(in(d, "run s"), 3, "loop.toml");
  fs::remove(d / "s" / "loop.toml");
  fs::create_symlink("other", d / "s" / "other");  // not a scenario: skipped
  CHECK(in(d, "run s").rc == 0);
  fs::create_symlink("top.toml", d / "top.toml");
  check_error(in(d, "run top.toml"), 3, "top.toml");
}

TEST_CASE("Issue12: names that are not UTF-8 give valid JSON and JUnit", "[regressions]") {
  const fs::path d = llmcost::test::scratch_dir("i12-utf8");
  const std::string bad = std::string("s\xff\xfe") + ".toml";
  write(d / bad, "name = \"odd \xef\xbf\xbe \xef\xbf\xbf name\"\n" + kTrain + "[expect]\ncost_usd = { max = 1 }\n");
  const Run r = in(d, "run . --format json --junit j.xml");
  CHECK(r.rc == 1);
  CHECK_NOTHROW(nlohmann::json::parse(r.out));
  const std::string schema = std::string(LLMCOST_TEST_DIR) + "/junit.xsd";
  CHECK(std::system(
            ("xmllint --noout --schema '" + schema + "' '" + (d / "j.xml").string() + "' 2>/dev/null").c_str()) == 0);
  CHECK(slurp(d / "j.xml").find("\xef\xbf\xbe") == std::string::npos);
}

TEST_CASE("Issue12: an output that is one of the inputs is refused", "[regressions]") {
  const fs::path d = llmcost::test::scratch_dir("i12-over");
  write(d / "sw.toml", kSweep);
  check_error(in(d, "run sw.toml --rows sw.toml"), 2, "sw.toml");
  check_error(in(d, "run sw.toml --junit ./sw.toml"), 2, "sw.toml");
  CHECK(slurp(d / "sw.toml") == kSweep);
  CHECK(llmcost::test::names_in(d) == std::vector<std::string>{"sw.toml"});
}

TEST_CASE("Issue12: terminal escapes are shown, not sent; CSV text cannot start a formula", "[regressions]") {
  const fs::path d = llmcost::test::scratch_dir("i12-esc");
  fs::create_directories(d / "data");
  write(d / "data" / "m.toml",
        "[[model]]\nid = \"evil\"\nname = \"=HYPERLINK(1)\\u001b[2J\"\nparams = 1e9\narchitecture = \"decoder-only\"\n"
        "source = \"-test\"\n");
  for (const char* format : {"table", "markdown"}) {
    INFO(format);
    const Run r = in(d, std::string("list models --data data --format ") + format);
    REQUIRE(r.rc == 0);
    CHECK_FALSE(has_control(r.out));
    CHECK(r.out.find("=HYPERLINK(1)\\x1b[2J") != std::string::npos);
  }
  const Run csv = in(d, "list models --data data --format csv");
  REQUIRE(csv.rc == 0);
  CHECK(csv.out.find("\nevil,'=HYPERLINK(1)\x1b[2J,1000000000,") != std::string::npos);
  const Run show = in(d, "show evil --data data --format csv");
  CHECK(show.out.find("\nsource,'-test\n") != std::string::npos);
  // A scenario file name with an escape sequence, in the run status lines.
  write(d / "e\x1b]0;x\x07.toml", kTrain);
  const Run run = in(d, "run 'e\x1b]0;x\x07.toml'");
  CHECK(run.rc == 0);
  CHECK_FALSE(has_control(run.out));
  CHECK(run.out.find("e\\x1b]0;x\\x07.toml") != std::string::npos);
}
