// Issue 12, the command line and the files it reads and writes: inputs never silently ignored,
// hostile files (deep nesting, pipes, devices, huge files, link loops, non-UTF-8 names), outputs
// that must not replace special files or inputs, lost stdout, and temporaries under signals.
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "base/temp_files.hpp"
#include "cli_runner.hpp"
#include "helpers.hpp"

namespace {

namespace fs = std::filesystem;
using llmcost::test::Run;
using llmcost::test::run_llmcost;
using llmcost::test::scratch_dir;
using llmcost::test::slurp;

const std::string kRuns = "'" LLMCOST_TEST_DIR "/../examples/runs.csv'";

// A bad input: exit 2, one line on stderr naming the problem, nothing on stdout.
void check_input_error(const Run& r, const std::string& message) {
  INFO(r.err);
  CHECK(r.rc == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find(message) != std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

using llmcost::test::write;

}  // namespace

TEST_CASE("Issue12: --data . loads catalog files only and says which it skipped (item 5, 20)", "[regressions]") {
  const fs::path d = scratch_dir("issue12-data-dot");
  REQUIRE(run_llmcost("calibrate --cpu --quick --out cpu.toml", "", d.string()).rc == 0);
  REQUIRE(run_llmcost("fit " + kRuns + " --grid coarse --save-law mylaw", "", d.string()).rc == 0);
  fs::create_symlink("loop.toml", d / "loop.toml");  // a link to itself
  const Run r = run_llmcost("optimal --data . --law mylaw --flops 1e23 --quiet", "", d.string());
  INFO(r.err);
  CHECK(r.rc == 0);  // was: exit 2 on cpu.toml (and exit 4 on the loop)
  CHECK(r.out.find("params_opt ") == 0);
  CHECK(r.err.find("llmcost: note: skipped ./cpu.toml: not a catalog file") != std::string::npos);
  CHECK(r.err.find("llmcost: note: skipped ./loop.toml: ") != std::string::npos);
}

TEST_CASE("Issue12: flags that would be ignored are errors (item 12)", "[regressions]") {
  check_input_error(run_llmcost("train --model gpt3 --quiet --format json"),
                    "--quiet applies with --format table only");
  check_input_error(run_llmcost("list models --explain"), "--explain applies to the commands that print a report");
  check_input_error(run_llmcost("show gpt3 --quiet"), "--quiet applies to the commands that print a report");
  check_input_error(run_llmcost("fit " + kRuns + " --seed -1"), "--seed: expected a whole number");
  for (const std::string& args :
       {std::string("fit ") + kRuns + " --save-law ''", "fit " + kRuns + " --plot ''",
        std::string("calibrate --cpu --quick --out ''"), std::string("loss --law '' --params 1T"),
        std::string("train --model gpt3 --scenario ''"), std::string("train --data '' --model gpt3")}) {
    INFO(args);
    check_input_error(run_llmcost(args), "''");
  }
  const fs::path d = scratch_dir("issue12-scenario-flag");
  write(d / "w.toml", "kind = \"train\"\nwhere = \"chips < 5\"\n[inputs]\nmodel = \"gpt3\"\n");
  check_input_error(run_llmcost("train --scenario '" + (d / "w.toml").string() + "'"),
                    "field 'where': applies to sweeps");
  write(d / "e.toml", "kind = \"train\"\n[inputs]\nmodel = \"gpt3\"\n[expect]\nchips = { min = 1 }\n");
  const Run e = run_llmcost("train --scenario '" + (d / "e.toml").string() + "'");
  CHECK(e.rc == 0);
  CHECK(e.out.find("its [expect] table (1 check) is not checked here: run 'llmcost run ") != std::string::npos);
}

TEST_CASE("Issue12: no arguments print help; an unknown flag gets a suggestion (item 14)", "[regressions]") {
  const Run help = run_llmcost("");
  CHECK(help.rc == 0);
  CHECK(help.out.find("Subcommands:") != std::string::npos);
  check_input_error(run_llmcost("train --modle gpt3"),
                    "unknown flag '--modle'; did you mean '--model'? (see 'llmcost train --help')");
  check_input_error(run_llmcost("train --model gpt3 extra"),
                    "unexpected argument 'extra' (see 'llmcost train --help')");
  const Run cal = run_llmcost("calibrate --cpu --quick --format json");
  REQUIRE(cal.rc == 0);
  const auto j = nlohmann::json::parse(cal.out);  // the shape of every report, the sweep beside it
  CHECK(j.at("kind") == "calibrate");
  CHECK(j.at("values").contains("gemm_fp32_flop_per_s"));
  CHECK(j.at("sweep").size() == 5);
}

TEST_CASE("Issue12: a config nested 80,000 deep is an error, not a crash (item 15)", "[regressions]") {
  const std::string deep = LLMCOST_TEST_DIR "/fuzz/regressions/hf_config-deep-nesting.json";
  check_input_error(run_llmcost("infer --model-config '" + deep + "' --offer aws-p5"),
                    "invalid JSON: values nested more than 64 levels deep");  // was SIGSEGV
}

TEST_CASE("Issue12: outputs to pipes and devices stay what they are (item 16)", "[regressions]") {
  const fs::path d = scratch_dir("issue12-special-out");
  const std::string scenario = "'" LLMCOST_SCENARIO_DIR "/reference/train-gpt3-tpu-v4.toml'";
  REQUIRE(::mkfifo((d / "pipe").c_str(), 0600) == 0);
  Run r = run_llmcost("run " + scenario + " --junit pipe", "timeout 20", d.string());  // no reader
  CHECK(r.rc == 3);
  CHECK(r.err.find("cannot write 'pipe'") != std::string::npos);
  CHECK(fs::is_fifo(d / "pipe"));  // was: replaced by a regular file, exit 0
  r = run_llmcost("run " + scenario + " --junit pipe", "(cat pipe > got.xml &) ; sleep 0.2; timeout 20", d.string());
  CHECK(r.rc == 0);
  CHECK(fs::is_fifo(d / "pipe"));
  if (::mknod((d / "null").c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0) {  // root: a /dev/null of our own
    r = run_llmcost("run " + scenario + " --junit null", "", d.string());
    CHECK(r.rc == 0);
    CHECK(fs::is_character_file(d / "null"));
  }
}

TEST_CASE("Issue12: pipes, devices and huge files as inputs are refused at once (items 17, 26)", "[regressions]") {
  const fs::path d = scratch_dir("issue12-special-in");
  REQUIRE(::mkfifo((d / "s.toml").c_str(), 0600) == 0);
  Run r = run_llmcost("train --scenario s.toml", "timeout 20", d.string());  // was: blocked for ever
  CHECK(r.rc == 3);
  CHECK(r.err.find("not a regular file") != std::string::npos);
  r = run_llmcost("train --model gpt3 --calibration /dev/zero", "timeout 20");  // was: bad_alloc at ~2 GB
  CHECK(r.rc == 3);
  CHECK(r.err.find("not a regular file") != std::string::npos);
  fs::resize_file((write(d / "big.csv", ""), d / "big.csv"), (size_t{64} << 20) + 1);  // sparse: costs nothing
  check_input_error(run_llmcost("fit big.csv", "timeout 20", d.string()),
                    "llmcost reads input files of at most 64 MiB");
  // A 5 MB id: the message quotes 80 bytes of it and comes at once (was 19 s of edit distances).
  write(d / "id.toml", "kind = \"train\"\n[inputs]\nmodel = \"" + std::string(5'000'000, 'x') + "\"\n");
  r = run_llmcost("run id.toml", "timeout 20", d.string());
  CHECK(r.rc == 2);
  CHECK(r.out.find("...' (5000000 bytes); see 'llmcost list models'") != std::string::npos);
  CHECK(r.out.size() < 400);
}

TEST_CASE("Issue12: a report that cannot be written is not exit 0 (item 22)", "[regressions]") {
  const fs::path err = scratch_dir("issue12-stdout") / "err";
  auto exit_code = [&](const std::string& redirect) {
    const int status =
        std::system(("'" LLMCOST_BIN "' train --model gpt3 " + redirect + " 2>'" + err.string() + "'").c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  CHECK(exit_code("> /dev/full") == 3);  // was 0
  CHECK(slurp(err) == "llmcost: error: cannot write the output to stdout: No space left on device\n");
  CHECK(exit_code(">&-") == 3);  // stdout closed; was 0
}

TEST_CASE("Issue12: outputs never replace inputs, and keep an existing file's mode (items 21, 23)", "[regressions]") {
  const fs::path d = scratch_dir("issue12-overwrite");
  fs::copy_file(LLMCOST_TEST_DIR "/../examples/runs.csv", d / "runs.csv");
  const std::string before = slurp(d / "runs.csv");
  check_input_error(run_llmcost("fit runs.csv --grid coarse --plot runs.csv", "", d.string()),
                    "'runs.csv' would replace the input 'runs.csv'");
  CHECK(slurp(d / "runs.csv") == before);  // was: the data replaced by the plot
  write(d / "fit.svg", "old");
  fs::permissions(d / "fit.svg", fs::perms::owner_read | fs::perms::owner_write);
  REQUIRE(run_llmcost("fit runs.csv --grid coarse --plot fit.svg --quiet", "", d.string()).rc == 0);
  CHECK(fs::status(d / "fit.svg").permissions() == (fs::perms::owner_read | fs::perms::owner_write));  // was 644
  // A file name that is not UTF-8: the JSON report is written, and the plot only with it.
  const Run r =
      run_llmcost("fit runs.csv --grid coarse --plot \"$(printf '\\377.svg')\" --format json", "", d.string());
  CHECK(r.rc == 0);  // was: exit 4 after the plot was written
  CHECK(fs::exists(d / "\xff.svg"));
  CHECK_NOTHROW(nlohmann::json::parse(r.out));
}

TEST_CASE("Issue12: a terminating signal removes the temporary files (item 24)", "[regressions]") {
  const fs::path d = scratch_dir("issue12-signal");
  for (int sig : {SIGQUIT, SIGUSR1, SIGTERM}) {
    const fs::path tmp = d / (".out.tmp-" + std::to_string(sig));
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {  // as a write would: a temporary held, then the signal
      for (int s : llmcost::terminating_signals()) ::signal(s, SIG_DFL);  // as in llmcost, not Catch's handlers
      llmcost::TempFileGuard guard;
      std::ofstream(tmp) << "half of a large file";
      guard.track(tmp.string());
      ::raise(sig);
      ::_exit(0);  // not reached: the signal ends the process
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    INFO("signal " << sig);
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == sig);  // the signal's own ending, after the clean-up
    CHECK_FALSE(fs::exists(tmp));    // was: left behind (a 735 MB .tmp file)
  }
}

TEST_CASE("Issue12: an error quoting a file name or id shows escape sequences, not sends them (item 25)",
          "[regressions]") {
  const Run r = run_llmcost("train --model \"$(printf 'gpt\\033]0;owned\\007')\"");
  CHECK(r.rc == 2);
  CHECK(r.err.find('\033') == std::string::npos);  // was: the ESC byte, retitling the terminal
  CHECK(r.err.find("gpt\\x1b]0;owned\\x07") != std::string::npos);
}
