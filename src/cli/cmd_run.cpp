// `llmcost run PATH...`: replays scenario files; exit 1 when an expectation fails, 2 when a
// scenario is malformed (the others still run). Sweeps print their best rows and can write every
// row (--rows FILE, CSV or JSON lines); --junit FILE writes a report for CI.
#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "llmcost/atomic_file.hpp"
#include "llmcost/junit.hpp"
#include "llmcost/scenario.hpp"
#include "llmcost/sweep.hpp"
#include "llmcost/units.hpp"

namespace llmcost::cli {
namespace {

struct RunOptions {
  std::vector<std::string> paths;
  std::string junit, rows, where, best;
  double top = 0;
  bool maximize = false;
  int threads = 0;
};

RunOptions& opts() {
  static RunOptions o;
  return o;
}

std::string sweep_line(const ScenarioResult& r) {
  const SweepResult& s = *r.sweep;
  std::string line = fmt::format("         {} points, {} kept{} ({:.2f} s)", format_count(s.points), format_count(s.passed),
                                 s.where.empty() ? "" : " where " + s.where, r.seconds);
  if (!s.best.empty() && s.row_count() > 0) {
    std::string at;
    for (size_t a = 0; a < s.axes.size(); ++a) at += fmt::format("{}{}={}", a ? ", " : "", s.axes[a], axis_text(*r.scenario, s, 0, a));
    line += fmt::format("\n         best {} = {:.6g} at {}", s.best, s.at(0, s.best), at);
  }
  return line + "\n";
}

nlohmann::ordered_json json_of(const ScenarioResult& r) {
  static constexpr const char* kStatus[] = {"pass", "fail", "error"};
  nlohmann::ordered_json j{{"file", r.file}, {"name", r.name}, {"status", kStatus[int(r.status)]}};
  if (!r.error.empty()) j["error"] = r.error;
  nlohmann::ordered_json checks = nlohmann::ordered_json::array();
  for (const auto& c : r.checks) {
    nlohmann::ordered_json cj{{"key", c.expectation.key}, {"expected", c.expectation.describe()}, {"pass", c.pass}};
    if (std::isfinite(c.actual)) cj["actual"] = c.actual;
    if (!c.point.empty()) cj["point"] = c.point;
    checks.push_back(cj);
  }
  j["checks"] = checks;
  if (r.sweep) {
    j["points"] = r.sweep->points;
    j["kept"] = r.sweep->passed;
    if (!r.sweep->best.empty() && r.sweep->row_count() > 0) {
      nlohmann::ordered_json best;
      for (size_t a = 0; a < r.sweep->axes.size(); ++a) best[r.sweep->axes[a]] = axis_text(*r.scenario, *r.sweep, 0, a);
      best[r.sweep->best] = r.sweep->at(0, r.sweep->best);
      j["best"] = best;
    }
  }
  return j;
}

}  // namespace

void setup_run(CLI::App& sub) {
  RunOptions& o = opts();
  sub.add_option("paths", o.paths, "scenario files or folders (searched recursively for *.toml)")
      ->required()
      ->type_name("PATH");
  sub.add_option("--junit", o.junit, "write a JUnit XML report (one testcase per scenario)")->type_name("FILE");
  sub.add_option("--rows", o.rows, "write every kept sweep row to FILE: .csv, else JSON lines")->type_name("FILE");
  sub.add_option("--where", o.where, "keep sweep points satisfying this, e.g. \"wall_time_s < 30*86400\"")
      ->type_name("EXPR");
  sub.add_option("--best", o.best, "order sweep rows by this report key, smallest first")->type_name("KEY");
  sub.add_option("--top", o.top, "keep the best K sweep rows")->type_name("K")->check(CLI::PositiveNumber);
  sub.add_flag("--maximize", o.maximize, "with --best: largest first");
  sub.add_option("--threads", o.threads, "threads for sweeps (default: all cores)")->type_name("N")->check(CLI::PositiveNumber);
}

int run_run() {
  const RunOptions& o = opts();
  const Format format = parse_format(common().format);
  const Catalog catalog = load_catalog_from_options();
  const std::vector<std::string> files = collect_scenario_files(o.paths);
  int passed = 0, failed = 0, malformed = 0;
  std::vector<ScenarioResult> results;
  std::string out, rows;
  for (const auto& file : files) {
    const bool keep_rows = !o.rows.empty() || format == Format::csv;
    SweepOptions so{o.where, o.best, o.maximize, o.top, o.threads, keep_rows, progress_bar(file)};
    ScenarioResult r = run_scenario_file(file, catalog, so);
    static constexpr const char* kTag[] = {"PASS ", "FAIL ", "ERROR"};
    out += r.status == ScenarioResult::Status::error ? fmt::format("ERROR  {}\n", r.error)
                                                     : fmt::format("{}  {} ({} check{})\n", kTag[int(r.status)], file, r.checks.size(),
                                                                   r.checks.size() == 1 ? "" : "s");
    if (r.sweep) out += sweep_line(r);
    for (const auto& c : r.checks) {
      if (!c.pass) out += fmt::format("         {} [{}]\n", describe_failure(c), c.expectation.origin.str());
    }
    if (r.sweep && (!o.rows.empty() || format == Format::csv)) {
      rows += (o.rows.size() > 4 && o.rows.substr(o.rows.size() - 4) == ".csv") || format == Format::csv
                  ? sweep_rows_csv(*r.scenario, *r.sweep)
                  : sweep_rows_jsonl(*r.scenario, *r.sweep);
    }
    passed += r.status == ScenarioResult::Status::pass;
    failed += r.status == ScenarioResult::Status::fail;
    malformed += r.status == ScenarioResult::Status::error;
    results.push_back(std::move(r));
  }
  out += fmt::format("{} scenarios: {} passed, {} failed, {} malformed\n", files.size(), passed, failed, malformed);
  if (!o.junit.empty()) write_file_atomic(o.junit, junit_xml(results));
  if (!o.rows.empty()) write_file_atomic(o.rows, rows);
  if (format == Format::json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& r : results) list.push_back(json_of(r));
    const nlohmann::ordered_json doc{{"scenarios", list}, {"passed", passed}, {"failed", failed}, {"malformed", malformed}};
    out = doc.dump(2) + "\n";
  } else if (format == Format::csv && o.rows.empty()) {
    std::fputs(out.c_str(), stderr);  // the rows go to stdout, the status lines to stderr
    out = rows;
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (malformed > 0) return 2;
  return failed > 0 ? 1 : 0;
}

}  // namespace llmcost::cli
