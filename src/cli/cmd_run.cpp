// `llmcost run PATH...`: replays scenario files; exit 1 when an expectation fails, 2 when a
// scenario is malformed (the others still run).
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "llmcost/scenario.hpp"
#include "llmcost/units.hpp"

namespace llmcost::cli {
namespace {

std::vector<std::string>& paths() {
  static std::vector<std::string> p;
  return p;
}

std::string deviation(const CheckResult& c) {
  const Expectation& e = c.expectation;
  if (e.value && *e.value != 0) return fmt::format(" ({:+.2f}%)", (c.actual / *e.value - 1) * 100);
  return "";
}

}  // namespace

void setup_run(CLI::App& sub) {
  sub.add_option("paths", paths(), "scenario files or folders (searched recursively for *.toml)")
      ->required()
      ->type_name("PATH");
}

int run_run() {
  const Format format = parse_format(common().format);
  const Catalog catalog = load_catalog_from_options();
  const std::vector<std::string> files = collect_scenario_files(paths());
  int passed = 0, failed = 0, malformed = 0;
  nlohmann::ordered_json summary = nlohmann::ordered_json::array();
  std::string out;
  for (const auto& file : files) {
    const ScenarioResult r = run_scenario_file(file, catalog);
    nlohmann::ordered_json j{{"file", file}, {"name", r.name}};
    switch (r.status) {
      case ScenarioResult::Status::pass:
        ++passed;
        out += fmt::format("PASS   {} ({} checks)\n", file, r.checks.size());
        j["status"] = "pass";
        break;
      case ScenarioResult::Status::fail:
        ++failed;
        out += fmt::format("FAIL   {}\n", file);
        j["status"] = "fail";
        break;
      case ScenarioResult::Status::error:
        ++malformed;
        out += fmt::format("ERROR  {}\n", r.error);
        j["status"] = "error";
        j["error"] = r.error;
        break;
    }
    nlohmann::ordered_json checks = nlohmann::ordered_json::array();
    for (const auto& c : r.checks) {
      checks.push_back({{"key", c.expectation.key}, {"expected", c.expectation.describe()}, {"actual", c.actual},
                        {"pass", c.pass}});
      if (!c.pass) {
        out += fmt::format("         {}: expected {}, got {}{} [{}]\n", c.expectation.key, c.expectation.describe(),
                           fmt::format("{:.6g}", c.actual), deviation(c), c.expectation.origin.str());
      }
    }
    j["checks"] = checks;
    summary.push_back(j);
  }
  if (format == Format::json) {
    nlohmann::ordered_json doc{{"scenarios", summary},
                               {"passed", passed},
                               {"failed", failed},
                               {"malformed", malformed}};
    out = doc.dump(2) + "\n";
  } else {
    out += fmt::format("{} scenarios: {} passed, {} failed, {} malformed\n", files.size(), passed, failed, malformed);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (malformed > 0) return 2;
  return failed > 0 ? 1 : 0;
}

}  // namespace llmcost::cli
