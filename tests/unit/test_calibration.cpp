// Tests of include/llmcost/calibration.hpp and `llmcost calibrate`: the CPU path end to end, the
// calibration file (round trip, the H100 fixture, every validation error with its file:line:col
// counted by hand), atomic writes, device-name matching, and the CUDA path, which is skipped with
// a reason when this build or machine has no CUDA device.
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "helpers.hpp"
#include "llmcost/atomic_file.hpp"
#include "llmcost/calibrate.hpp"

using Catch::Matchers::Equals;
using Catch::Matchers::StartsWith;
using Catch::Matchers::WithinRel;
using namespace llmcost;
namespace fs = std::filesystem;
using llmcost::test::names_in;
using llmcost::test::scratch_dir;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A minimal valid file: 9 lines. Values start at column 1 + len("key = ").
std::string minimal(const std::string& replace_line = "", int line_no = 0) {
  std::vector<std::string> lines{
      "schema_version = 1",          // 1
      "device = \"Test GPU\"",       // 2
      "driver = \"test driver\"",    // 3
      "accelerator = \"h100-sxm\"",  // 4
      "method = \"cuda\"",           // 5
      "date = \"2026-11-20\"",       // 6
      "bandwidth_gbps = 3000",       // 7
      "[gemm_tflops]",               // 8
      "bf16 = 700",                  // 9
  };
  if (line_no > 0) lines[size_t(line_no - 1)] = replace_line;
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  return text;
}

void check_bad(const std::string& text, const std::string& message) {
  INFO(text);
  CHECK_THROWS_MATCHES(read_calibration(text, "c.toml"), InputError, Catch::Matchers::Message(message));
}

struct Run {
  int rc = -1;
  std::string out, err;
};

// Runs `llmcost ARGS` with the source catalog and captures stdout and stderr.
Run run_cli(const std::string& args) {
  const fs::path dir = scratch_dir("cli-out");
  const std::string cmd = "unset LLMCOST_DATA; '" LLMCOST_BIN "' " + args + " >'" + (dir / "out").string() + "' 2>'" +
                          (dir / "err").string() + "'";
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(dir / "out"), slurp(dir / "err")};
}

bool finite_positive(double v) {
  return std::isfinite(v) && v > 0;
}

}  // namespace

TEST_CASE("Calibration: the quick CPU path gives positive finite numbers and a file that reads back equal",
          "[calibration]") {
  CalibrateOptions opts;
  opts.quick = true;
  int last_done = 0, last_total = 0;
  opts.progress = [&](int done, int total, std::string_view) { last_done = done, last_total = total; };
  const Calibration c = calibrate_cpu(opts);
  CHECK(c.method == "cpu");
  CHECK(c.accelerator == "cpu");
  CHECK(!c.device.empty());
  CHECK_THAT(c.driver, StartsWith("Eigen 3."));
  CHECK(last_done == last_total);
  CHECK(last_total == 5);  // 2 GEMM sizes + copy, triad, memcpy
  REQUIRE(c.gemm.size() == 2);
  for (const auto& g : c.gemm) {
    CHECK(g.dtype == "fp32");
    CHECK(finite_positive(g.seconds));
    // TFLOP/s from the definition, 2·n³ FLOP per product; no CPU core does 10 TFLOP/s in fp32.
    CHECK_THAT(g.tflops, WithinRel(2.0 * double(g.m) * double(g.n) * double(g.k) / g.seconds / 1e12, 1e-9));
    CHECK(g.tflops < 10);
  }
  REQUIRE(c.bandwidth.size() == 3);
  for (const auto& b : c.bandwidth) {
    CHECK(finite_positive(b.seconds));
    CHECK_THAT(b.gbps, WithinRel(b.bytes / b.seconds / 1e9, 1e-9));
    CHECK(b.gbps < 10000);  // no host memory moves 10 TB/s
  }
  CHECK(c.gemm_tflops.at("fp32") == std::max(c.gemm[0].tflops, c.gemm[1].tflops));
  CHECK(c.bandwidth_gbps == std::max(c.bandwidth[0].gbps, c.bandwidth[1].gbps));
  CHECK(c.gemm_flops("fp32") == c.gemm_tflops.at("fp32") * 1e12);
  CHECK(!c.gemm_flops("bf16"));

  const fs::path dir = scratch_dir("cpu-roundtrip");
  const std::string path = (dir / "cpu.toml").string();
  write_file_atomic(path, calibration_to_toml(c));
  CHECK(names_in(dir) == std::vector<std::string>{"cpu.toml"});
  const Calibration back = load_calibration(path);
  CHECK(back == c);
  CHECK(back.origin.file == path);
}

TEST_CASE("Calibration: the CPU path measures fp32 only", "[calibration]") {
  CalibrateOptions opts;
  opts.quick = true;
  opts.dtypes = {"bf16"};
  CHECK_THROWS_MATCHES(calibrate_cpu(opts), InputError,
                       Catch::Matchers::Message("the CPU path measures fp32 only, got 'bf16'"));
}

TEST_CASE("Calibration: reads the H100 fixture with its sweep and summary", "[calibration]") {
  const std::string path = std::string(LLMCOST_TEST_DIR) + "/calibration/h100-sxm.toml";
  const Calibration c = load_calibration(path);
  CHECK(c.device == "NVIDIA H100 80GB HBM3");
  CHECK(c.accelerator == "h100-sxm");
  CHECK(c.method == "cuda");
  CHECK(c.date == "2026-11-20T10:11:12Z");
  CHECK(c.sm_clock_mhz == 1980);
  CHECK(c.memory_clock_mhz == 2619);
  CHECK(c.gemm.size() == 35);  // 5 dtypes x 7 shapes
  CHECK(c.bandwidth.size() == 3);
  CHECK(c.notes.empty());
  CHECK_THAT(*c.gemm_flops("bf16"), WithinRel(753.6e12, 1e-12));
  CHECK_THAT(*c.gemm_flops("fp8"), WithinRel(1318.7e12, 1e-12));
  CHECK(!c.gemm_flops("int8"));
  CHECK_THAT(c.bandwidth_bytes_per_s(), WithinRel(3.012e12, 1e-12));
  // The sweep rows agree with their own definitions (times rounded to 4 digits in the file).
  for (const auto& g : c.gemm)
    CHECK_THAT(2.0 * double(g.m) * double(g.n) * double(g.k) / g.seconds / 1e12, WithinRel(g.tflops, 1e-3));
  for (const auto& b : c.bandwidth) CHECK_THAT(b.bytes / b.seconds / 1e9, WithinRel(b.gbps, 1e-3));
  // The summary in the file is what summarize() derives from its rows: bf16's best large size
  // is the 8192x32768x8192 MLP product (753.6), not 16384³ (750.3); bandwidth is copy's 3012.
  Calibration again = c;
  summarize(again);
  CHECK(again.gemm_tflops == c.gemm_tflops);
  CHECK(again.bandwidth_gbps == c.bandwidth_gbps);
  // Fractions of the catalog peaks, by hand: 753.6 / 989.5 = 0.7616, 3012 / 3350 = 0.8991.
  const Accelerator& h100 = test::default_catalog().accelerator(c.accelerator);
  CHECK_THAT(*c.gemm_flops("bf16") / *h100.peak_flops("bf16"), WithinRel(0.7616, 1e-3));
  CHECK_THAT(c.bandwidth_gbps / h100.memory_bandwidth_gbps, WithinRel(0.8991, 1e-3));
}

TEST_CASE("Calibration: a file written then read is equal with odd strings and extreme numbers", "[calibration]") {
  Calibration c;
  c.device = "GPU \"quoted\" \\ back\tslash é";
  c.driver = "d";
  c.accelerator = "cpu";
  c.method = "cpu";
  c.date = "2026-01-02";
  c.memory_clock_mhz = 0.1;
  c.gemm_tflops = {{"fp32", 1e-7}, {"fp8", 123456789.125}};
  c.bandwidth_gbps = 1e20;
  c.gemm = {{"fp8", 16, 32, 48, 3.3e-9, 0.1}};
  c.bandwidth = {{"triad", 4294967296.0, 0.1 + 0.2, 7}};
  c.notes = {"skipped fp32 16384x16384x16384: out of GPU memory", "a \"note\""};
  const Calibration back = read_calibration(calibration_to_toml(c), "mem");
  CHECK(back == c);
  CHECK(!back.sm_clock_mhz);
}

TEST_CASE("Calibration: bad files are errors naming file line col and the field", "[calibration]") {
  CHECK_NOTHROW(read_calibration(minimal(), "c.toml"));
  SECTION("missing fields") {
    // A missing field is reported at the table that lacks it; the root table starts at 1:1.
    check_bad(minimal("", 2), "c.toml:1:1: missing required field 'device'");
    check_bad(minimal("", 1), "c.toml:1:1: missing required field 'schema_version'");
    check_bad(minimal("", 7), "c.toml:1:1: missing required field 'bandwidth_gbps'");
    check_bad(minimal("", 8), "c.toml:1:1: missing required field 'gemm_tflops'");  // bf16 now top-level
    check_bad(minimal() + "[[gemm]]\ndtype = \"bf16\"\nm = 1\nn = 1\nk = 1\ntflops = 1\n",
              "c.toml:10:1: missing required field 'seconds'");
  }
  SECTION("unknown keys") {
    check_bad(minimal("bandwidth_gbps = 3000\nbandwith_gbps = 3000", 7),
              "c.toml:8:1: field 'bandwith_gbps': unknown field; did you mean 'bandwidth_gbps'?");
    check_bad(minimal() + "fp4 = 9\n", "c.toml:10:1: field 'fp4': unknown field; did you mean 'fp8'?");
    check_bad(minimal() + "[[gemm]]\ndtype = \"bf16\"\nm = 1\nn = 1\nk = 1\nseconds = 1\ntflops = 1\nflops = 2\n",
              "c.toml:17:1: field 'flops': unknown field; did you mean 'tflops'?");
  }
  SECTION("negative zero and non-numbers") {
    check_bad(minimal("bandwidth_gbps = -5", 7),
              "c.toml:7:18: field 'bandwidth_gbps': expected a positive number, got -5");
    check_bad(minimal("bf16 = 0", 9), "c.toml:9:8: field 'bf16': expected a positive number, got 0");
    check_bad(minimal("bf16 = \"fast\"", 9), "c.toml:9:8: field 'bf16': expected a number, got a string");
    check_bad(minimal("bandwidth_gbps = nan", 7),
              "c.toml:7:18: field 'bandwidth_gbps': expected a positive number, got nan");
    check_bad(minimal() + "[[bandwidth]]\nkernel = \"copy\"\nbytes = 8\nseconds = -1\ngbps = 1\n",
              "c.toml:13:11: field 'seconds': expected a positive number, got -1");
    check_bad(minimal() + "[[gemm]]\ndtype = \"bf16\"\nm = 0\nn = 1\nk = 1\nseconds = 1\ntflops = 1\n",
              "c.toml:12:5: field 'm': expected an integer in [1, 1048576], got 0");
  }
  SECTION("wrong values") {
    check_bad(minimal("method = \"rocm\"", 5), "c.toml:5:10: field 'method': expected cuda or cpu, got 'rocm'");
    check_bad(
        minimal("date = \"20 Nov 2026\"", 6),
        "c.toml:6:8: field 'date': expected an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ), got '20 Nov 2026'");
    check_bad(minimal("date = \"2026\"", 6),
              "c.toml:6:8: field 'date': expected an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ), got '2026'");
    check_bad(minimal("date = 2026-11-20", 6), "c.toml:6:8: field 'date': expected a string, got a date/time");
    check_bad(minimal("schema_version = 2", 1),
              "c.toml:1:18: field 'schema_version': unsupported version 2; this llmcost reads 1");
    check_bad(minimal("device = \"\"", 2), "c.toml:2:10: field 'device': must not be empty");
    check_bad(minimal("", 9),
              "c.toml:8:1: field 'gemm_tflops': expected at least one dtype (fp32, tf32, fp16, bf16 or fp8)");
    check_bad(minimal() + "[[gemm]]\ndtype = \"int4\"\n",
              "c.toml:11:9: field 'dtype': expected fp32, tf32, fp16, bf16 or fp8, got 'int4'");
    check_bad(minimal() + "[[bandwidth]]\nkernel = \"scale\"\n",
              "c.toml:11:10: field 'kernel': expected copy, triad or memcpy, got 'scale'");
  }
  SECTION("wrong shapes") {
    check_bad(minimal("bandwidth_gbps = 3000\nnotes = [1]", 7),
              "c.toml:8:10: field 'notes': expected an array of non-empty strings");
    check_bad(minimal("bandwidth_gbps = 3000\ngemm = 5", 7),
              "c.toml:8:8: field 'gemm': expected an array of tables ([[gemm]])");
    check_bad(minimal("bandwidth_gbps = 3000\nbandwidth = [1]", 7),
              "c.toml:8:14: field 'bandwidth': expected an array of tables ([[bandwidth]])");
    check_bad(minimal("gemm_tflops = 5", 8), "c.toml:8:15: field 'gemm_tflops': expected a table, got an integer");
  }
  SECTION("TOML syntax") {
    try {
      read_calibration(minimal("device = \"x", 2), "c.toml");
      FAIL("no error for an unterminated string");
    } catch (const InputError& e) {
      CHECK_THAT(e.what(), StartsWith("c.toml:2:"));
    }
  }
}

TEST_CASE("Calibration: load_calibration of a missing file is an EnvError", "[calibration]") {
  CHECK_THROWS_MATCHES(
      load_calibration("/nonexistent/c.toml"), EnvError,
      Catch::Matchers::Message("cannot read calibration file '/nonexistent/c.toml': No such file or directory"));
}

// write_file_atomic (llmcost/atomic_file.hpp) as `calibrate --out` relies on it.
TEST_CASE("Calibration: atomic write replaces the file and leaves no temporary files", "[calibration]") {
  const fs::path dir = scratch_dir("atomic");
  const std::string path = (dir / "c.toml").string();
  write_file_atomic(path, "first\n");
  write_file_atomic(path, "second\n");
  CHECK(slurp(path) == "second\n");
  CHECK(names_in(dir) == std::vector<std::string>{"c.toml"});
}

TEST_CASE("Calibration: a failed atomic write throws EnvError and leaves nothing", "[calibration]") {
  CHECK_THROWS_MATCHES(
      write_file_atomic("/nonexistent-llmcost-dir/c.toml", "x"), EnvError,
      Catch::Matchers::Message("cannot write '/nonexistent-llmcost-dir/c.toml': No such file or directory"));
  // The rename fails when the target is a folder; the temporary file must go.
  const fs::path dir = scratch_dir("atomic-fail");
  fs::create_directory(dir / "c.toml");
  CHECK_THROWS_AS(write_file_atomic((dir / "c.toml").string(), "x"), EnvError);
  CHECK(names_in(dir) == std::vector<std::string>{"c.toml"});
  CHECK(fs::is_directory(dir / "c.toml"));
}

TEST_CASE("Calibration: device names match catalog accelerators", "[calibration]") {
  const Catalog& cat = test::default_catalog();
  CHECK(match_accelerator("NVIDIA H100 80GB HBM3", cat) == "h100-sxm");
  CHECK(match_accelerator("NVIDIA H100 PCIe", cat) == "h100-pcie");
  CHECK(match_accelerator("NVIDIA H200", cat) == "h200");
  CHECK(match_accelerator("NVIDIA A100-SXM4-80GB", cat) == "a100-80gb");
  CHECK(match_accelerator("NVIDIA A100-SXM4-40GB", cat) == "a100-40gb");
  CHECK(match_accelerator("Tesla V100-SXM2-32GB", cat) == "v100-32gb");
  CHECK(match_accelerator("NVIDIA GeForce RTX 4090", cat) == "rtx-4090");
  CHECK(match_accelerator("NVIDIA L4", cat) == "l4");
  CHECK(match_accelerator("NVIDIA B200", cat) == "b200");
  // Other clocks, memory or power than the catalog's part: no match rather than a wrong one.
  CHECK(!match_accelerator("NVIDIA H100 NVL", cat));
  CHECK(!match_accelerator("NVIDIA A100 80GB PCIe", cat));
  CHECK(!match_accelerator("NVIDIA GH200 480GB", cat));  // "gh200" is not the token "h200"
  CHECK(!match_accelerator("AMD EPYC 7B13", cat));
  // A catalog record's own name matches too (user records for devices the rules don't know).
  CHECK(match_accelerator("Google TPU v4", cat) == "tpu-v4");
}

TEST_CASE("Calibration: summarize takes the best large size per dtype and the best of copy and triad",
          "[calibration]") {
  Calibration c;
  // 256³ is below 1/64 of 2048³'s FLOP (2048³/64 = 512³), so its (cache-flattered) 9.0 is ignored.
  c.gemm = {{"fp32", 256, 256, 256, 1, 9.0},
            {"fp32", 512, 512, 512, 1, 2.0},
            {"fp32", 2048, 2048, 2048, 1, 3.0},
            {"bf16", 64, 64, 64, 1, 0.5}};
  c.bandwidth = {{"copy", 1, 1, 10}, {"triad", 1, 1, 12}, {"memcpy", 1, 1, 20}};
  summarize(c);
  CHECK(c.gemm_tflops == std::map<std::string, double>{{"fp32", 3.0}, {"bf16", 0.5}});
  CHECK(c.bandwidth_gbps == 12);  // memcpy is the reference, not a result
}

TEST_CASE("Calibration: CUDA path measures a GPU or is skipped without a CUDA device", "[calibration]") {
  CalibrateOptions opts;
  opts.quick = true;
  opts.dtypes = {"bf16"};
  if (auto reason = cuda_unavailable_reason(0)) {
    WARN("skipped: " << *reason);
    CHECK_THROWS_MATCHES(calibrate_cuda(opts), EnvError, Catch::Matchers::Message(*reason));
    return;
  }
  const Calibration c = calibrate_cuda(opts);
  CHECK(c.method == "cuda");
  REQUIRE(!c.gemm.empty());
  for (const auto& g : c.gemm) CHECK(finite_positive(g.tflops));
  CHECK(finite_positive(c.gemm_tflops.at("bf16")));
  REQUIRE(c.bandwidth.size() == 3);
  CHECK(finite_positive(c.bandwidth_gbps));
  CHECK(read_calibration(calibration_to_toml(c), "gpu") == c);
}

TEST_CASE("Calibration: llmcost calibrate without a usable GPU exits 3 with one line", "[calibration]") {
  const auto reason = cuda_unavailable_reason(0);
  if (!reason) {
    WARN("skipped: this machine has a CUDA device");
    SUCCEED();
    return;
  }
  const Run r = run_cli("calibrate");
  CHECK(r.rc == 3);
  CHECK(r.out.empty());
  CHECK(r.err == "llmcost: error: " + *reason + "\n");
#ifndef LLMCOST_HAVE_CUDA
  CHECK(*reason == "this llmcost was built without CUDA; use --cpu");
#endif
}

TEST_CASE("Calibration: llmcost calibrate --cpu --out writes a file the estimators can read", "[calibration]") {
  const fs::path dir = scratch_dir("cli-cpu");
  const std::string path = (dir / "c.toml").string();
  const Run r = run_cli("calibrate --cpu --quick --out '" + path + "'");
  INFO(r.err);
  REQUIRE(r.rc == 0);
  CHECK(r.err.empty());  // no progress bar when stderr is not a terminal
  CHECK_THAT(r.out, StartsWith("Calibration sweep: "));
  const Calibration c = load_calibration(path);
  CHECK(c.method == "cpu");
  CHECK(c.accelerator == "cpu");
  CHECK(names_in(dir) == std::vector<std::string>{"c.toml"});
}

TEST_CASE("Calibration: llmcost calibrate --as compares with the catalog peak in JSON", "[calibration]") {
  const Run r = run_cli("calibrate --cpu --quick --as h100 --format json");
  INFO(r.err);
  REQUIRE(r.rc == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j.at("kind") == "calibrate");  // the shape of every report, the sweep beside it (issue 12 item 14)
  const auto& values = j.at("values");
  const double fp32 = values.at("gemm_fp32_flop_per_s").get<double>();
  // The H100 SXM's fp32 peak is 67 TFLOP/s (catalog); the fraction is measured / 67e12.
  CHECK_THAT(values.at("gemm_fp32_fraction_of_peak").get<double>(), WithinRel(fp32 / 67e12, 1e-9));
  CHECK_THAT(values.at("bandwidth_fraction_of_peak").get<double>(),
             WithinRel(values.at("bandwidth_bytes_per_s").get<double>() / 3350e9, 1e-9));
  CHECK(j.at("sweep").size() == 5);
  CHECK(j.at("sweep")[0].at("test") == "gemm");
}

TEST_CASE("Calibration: llmcost calibrate rejects bad flags before measuring", "[calibration]") {
  Run r = run_cli("calibrate --cpu --dtype bf16");
  CHECK(r.rc == 2);
  CHECK(r.err == "llmcost: error: --dtype: the CPU path measures fp32 only, got 'bf16'\n");
  r = run_cli("calibrate --dtype fp4");
  CHECK(r.rc == 2);
  CHECK(r.err == "llmcost: error: --dtype: expected fp32, tf32, fp16, bf16 or fp8, got 'fp4'\n");
  r = run_cli("calibrate --cpu --as h100x");
  CHECK(r.rc == 2);
  CHECK_THAT(r.err, StartsWith("llmcost: error: --as: unknown accelerator 'h100x'"));
  r = run_cli("calibrate --cpu --out /nonexistent-llmcost-dir/c.toml");
  CHECK(r.rc == 3);
  CHECK(r.err == "llmcost: error: cannot write '/nonexistent-llmcost-dir/c.toml': No such file or directory\n");
}

TEST_CASE("Calibration: Ctrl-C during llmcost calibrate --cpu leaves no file", "[calibration]") {
  const fs::path dir = scratch_dir("cli-sigint");
  const std::string path = (dir / "c.toml").string();
  // SIGINT after 0.3 s of a ~5 s run, as a terminal's Ctrl-C would send it. env resets SIGINT to
  // its default in case this test runs with it ignored (a background job of a script).
  const std::string cmd = "unset LLMCOST_DATA; timeout -s INT 0.3 env --default-signal=INT '" LLMCOST_BIN
                          "' calibrate --cpu --out '" +
                          path + "' >/dev/null 2>&1";
  const int status = std::system(cmd.c_str());
  CHECK(WEXITSTATUS(status) == 124);  // timeout's "the command timed out"
  CHECK(names_in(dir).empty());
}

TEST_CASE("Calibration: Ctrl-C at any time leaves the whole calibration file or none", "[calibration]") {
  // Interrupts quick runs (about 0.2 s in a Release build) at times spread over their length.
  const fs::path dir = scratch_dir("cli-sigint-sweep");
  const std::string path = (dir / "c.toml").string();
  for (const char* delay : {"0.02", "0.06", "0.1", "0.14", "0.18", "0.22", "0.26"}) {
    INFO("SIGINT after " << delay << " s");
    fs::remove(path);
    const std::string cmd = std::string("unset LLMCOST_DATA; timeout -s INT ") + delay +
                            " env --default-signal=INT '" LLMCOST_BIN "' calibrate --cpu --quick --out '" + path +
                            "' >/dev/null 2>&1";
    const int status = std::system(cmd.c_str());
    const std::vector<std::string> names = names_in(dir);
    CHECK((names.empty() || names == std::vector<std::string>{"c.toml"}));
    if (!names.empty()) CHECK_NOTHROW(load_calibration(path));
    CHECK((WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 124));
  }
}
