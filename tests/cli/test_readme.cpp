// The README stays true: every example in it that shows a `$ llmcost ...` command with output is
// run from the repository root and its stdout compared line by line with what the README shows.
// In the README's fenced blocks:
//   - `$ llmcost ARGS` starts an example (a trailing `\` continues it on the next line, and
//     `  # text` at the end is a comment); its output runs to the next `$ ` line or the fence;
//   - a line `...` stands for any number of lines (the README elides long outputs);
//   - timings `(0.19 s)` compare as `(<t> s)`, and the checkout's folder is written `<repo>`;
//   - an example without output lines is not run (it names files the reader makes, or a
//     measurement of the machine it runs on).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"

namespace {

using llmcost::test::replace_all;
using llmcost::test::run_llmcost;
using llmcost::test::slurp;

struct Example {
  int line = 0;  // of the `$ llmcost` line, 1-based
  std::string args;
  std::vector<std::string> expected;
};

std::string rtrim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(rtrim(l));
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

std::vector<Example> examples(const std::string& readme) {
  const std::vector<std::string> lines = split_lines(readme);
  std::vector<Example> out;
  bool fenced = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].rfind("```", 0) == 0) {
      fenced = !fenced;
      continue;
    }
    if (!fenced || lines[i].rfind("$ llmcost ", 0) != 0) continue;
    Example e;
    e.line = int(i) + 1;
    std::string cmd = lines[i].substr(2);
    while (!cmd.empty() && cmd.back() == '\\' && i + 1 < lines.size()) {
      cmd.pop_back();
      const std::string& next = lines[++i];
      cmd += " " + next.substr(std::min(next.size(), next.find_first_not_of(' ')));
    }
    if (const size_t hash = cmd.find("  #"); hash != std::string::npos) cmd.erase(hash);
    e.args = rtrim(cmd.substr(std::string("llmcost ").size()));
    while (i + 1 < lines.size() && lines[i + 1].rfind("```", 0) != 0 && lines[i + 1].rfind("$ ", 0) != 0) {
      e.expected.push_back(lines[++i]);
    }
    while (!e.expected.empty() && e.expected.back().empty()) e.expected.pop_back();
    out.push_back(e);
  }
  return out;
}

std::string normalize(const std::string& line) {
  static const std::regex timing(R"(\(\d+\.\d+ s\))");
  return std::regex_replace(line, timing, "(<t> s)");
}

// Empty when `got` matches `expected` (with `...` wildcards), else where they part.
std::string mismatch(const std::vector<std::string>& expected, const std::vector<std::string>& got) {
  // match(i, j): expected[i..] against got[j..]; wildcards make it a small backtracking search.
  std::function<bool(size_t, size_t)> match = [&](size_t i, size_t j) -> bool {
    if (i == expected.size()) return j == got.size();
    if (expected[i] == "...") {
      for (size_t k = j; k <= got.size(); ++k) {
        if (match(i + 1, k)) return true;
      }
      return false;
    }
    return j < got.size() && normalize(expected[i]) == normalize(got[j]) && match(i + 1, j + 1);
  };
  if (match(0, 0)) return "";
  // The first line that differs before any wildcard, for the message.
  size_t k = 0;
  while (k < expected.size() && k < got.size() && expected[k] != "..." && normalize(expected[k]) == normalize(got[k]))
    ++k;
  std::ostringstream msg;
  msg << "output line " << k + 1 << ":\n  README: " << (k < expected.size() ? expected[k] : "(end)")
      << "\n  actual: " << (k < got.size() ? got[k] : "(end)");
  return msg.str();
}

}  // namespace

TEST_CASE("README: every example with output prints what the README shows", "[readme]") {
  const std::string repo = std::filesystem::path(LLMCOST_TEST_DIR).parent_path().string();
  const std::vector<Example> all = examples(slurp(repo + "/README.md"));
  int checked = 0;
  for (const Example& e : all) {
    if (e.expected.empty()) continue;
    INFO("README.md:" << e.line << ": llmcost " << e.args);
    const auto r = run_llmcost(e.args, "", repo);
    CHECK(r.rc == 0);
    CHECK(mismatch(e.expected, split_lines(replace_all(r.out, "<src>", "<repo>"))) == "");
    ++checked;
  }
  // The README has a dozen examples with output; a parser that finds none checks nothing.
  CHECK(checked >= 12);
}

TEST_CASE("README examples: the matcher's wildcards and normalisation", "[readme]") {
  const std::vector<std::string> expected{"a", "...", "c (0.19 s)"};
  CHECK(mismatch(expected, {"a", "c (0.02 s)"}).empty());
  CHECK(mismatch(expected, {"a", "b", "b2", "c (1.00 s)"}).empty());
  CHECK(mismatch(expected, {"a", "b"}) != "");
  CHECK(mismatch({"a", "b"}, {"a", "x"}) == "output line 2:\n  README: b\n  actual: x");
  CHECK(mismatch({"a"}, {"a", "extra"}) != "");
  const auto parsed =
      examples("text\n```\n$ llmcost train \\\n    --model gpt3  # note\nout 1\n\n$ llmcost list\n```\n");
  REQUIRE(parsed.size() == 2);
  CHECK(parsed[0].line == 3);
  CHECK(parsed[0].args == "train  --model gpt3");
  CHECK(parsed[0].expected == std::vector<std::string>{"out 1"});
  CHECK(parsed[1].expected.empty());
}
