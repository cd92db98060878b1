// Runs the built llmcost binary for CLI tests: exit code, stdout and stderr, with the source
// folder replaced by <src> so outputs compare across checkouts.
#pragma once

#include <sys/wait.h>
#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace llmcost::test {

struct Run {
  int rc = -1;
  std::string out, err;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
  return s;
}

// `llmcost ARGS` through the shell, LLMCOST_DATA unset, `env` (assignments) prefixed, in the
// folder `cwd` (default: the test's own).
inline Run run_llmcost(const std::string& args, const std::string& env = "", const std::string& cwd = "") {
  namespace fs = std::filesystem;
  // One folder per test process: CTest runs the modules in parallel.
  const fs::path dir = fs::temp_directory_path() / ("llmcost-cli-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path out = dir / "out", err = dir / "err";
  const std::string cd = cwd.empty() ? "" : "cd '" + cwd + "' && ";
  const std::string cmd = "unset LLMCOST_DATA; " + cd + env + " '" LLMCOST_BIN "' " + args + " >'" + out.string() +
                          "' 2>'" + err.string() + "'";
  const int status = std::system(cmd.c_str());
  Run r;
  r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  const std::string src = fs::path(LLMCOST_TEST_DIR).parent_path().string();
  r.out = replace_all(slurp(out), src, "<src>");
  r.err = replace_all(slurp(err), src, "<src>");
  return r;
}

}  // namespace llmcost::test
