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
#include "cli/count_flags.hpp"
#include "llmcost/atomic_file.hpp"
#include "llmcost/junit.hpp"
#include "llmcost/run.hpp"
#include "llmcost/sweep.hpp"
#include "llmcost/format.hpp"
#include "llmcost/units.hpp"

namespace llmcost::cli {
namespace {

struct RunOptions {
  std::vector<std::string> paths;
  std::string junit, rows, where, best;
  double top = 0;
  bool maximize = false;
  int threads = 0;
  CLI::Option* top_option = nullptr;  // given or not: --top 0 is an error, no --top is "all"
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

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void check_options(const RunOptions& o) {
  if (o.top_option->count() > 0 && !(o.top >= 1 && o.top == std::floor(o.top))) {
    throw InputError(fmt::format("--top: expected a whole number >= 1, got {}", o.top));
  }
  check_threads(o.threads);
}

// The kept rows of every sweep as one CSV: one header, so every sweep must have the same columns
// (a second header in the middle would break every CSV reader). `flag` names the output.
std::string joined_csv(const std::vector<ScenarioResult>& results, const std::string& flag) {
  std::string out, header;
  const std::string* header_file = nullptr;
  for (const auto& r : results) {
    if (!r.sweep) continue;
    std::string csv = sweep_rows_csv(*r.scenario, *r.sweep);
    const size_t eol = csv.find('\n') + 1;
    if (!header_file) {
      header = csv.substr(0, eol), header_file = &r.file;
      out = std::move(csv);
    } else if (csv.compare(0, eol, header) == 0) {
      out.append(csv, eol, std::string::npos);
    } else {
      throw InputError(fmt::format("{} needs sweeps with the same columns: '{}' and '{}' differ; run them separately "
                                   "or write JSON lines (--rows FILE.jsonl)",
                                   flag, *header_file, r.file));
    }
  }
  return out;
}

std::string joined_jsonl(const std::vector<ScenarioResult>& results) {
  std::string out;
  for (const auto& r : results) {
    if (r.sweep) out += sweep_rows_jsonl(*r.scenario, *r.sweep);
  }
  return out;
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
  o.top_option = sub.add_option("--top", o.top, "keep the best K sweep rows (K >= 1)")->type_name("K");
  sub.add_flag("--maximize", o.maximize, "with --best: largest first");
  sub.add_option("--threads", o.threads, kThreadsHelp)->type_name("N");
}

int run_run() {
  const RunOptions& o = opts();
  const Format format = parse_format(common().format);
  check_options(o);
  const Catalog catalog = load_catalog_from_options();
  const std::vector<std::string> files = collect_scenario_files(o.paths);
  const bool csv_to_stdout = format == Format::csv && o.rows.empty();
  const bool keep_rows = !o.rows.empty() || csv_to_stdout;
  int passed = 0, failed = 0, malformed = 0, environment = 0, sweeps = 0;
  std::vector<ScenarioResult> results;
  std::string out;
  for (const auto& file : files) {
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
    sweeps += r.sweep != nullptr;
    passed += r.status == ScenarioResult::Status::pass;
    failed += r.status == ScenarioResult::Status::fail;
    malformed += r.status == ScenarioResult::Status::error;
    environment += r.status == ScenarioResult::Status::error && r.environment;
    results.push_back(std::move(r));
  }
  out += fmt::format("{} scenario{}: {} passed, {} failed, {} malformed\n", files.size(), files.size() == 1 ? "" : "s",
                     passed, failed, malformed);
  // Every output rendered and checked first, then the files all or none, then stdout.
  std::vector<FileOutput> outputs;
  if (!o.junit.empty()) outputs.push_back({o.junit, junit_xml(results)});
  std::string note;
  if (keep_rows && sweeps == 0) {
    // Rows exist for sweeps only; an empty file (or a CSV without a header) would pass for a
    // result, so none is written and the reason goes to stderr.
    note = o.rows.empty() ? "none of the scenarios is a sweep: --format csv has no rows to print"
                          : fmt::format("none of the scenarios is a sweep: no rows, '{}' not written", o.rows);
  } else if (!o.rows.empty()) {
    const bool csv = ends_with(o.rows, ".csv");
    outputs.push_back({o.rows, csv ? joined_csv(results, "--rows " + o.rows) : joined_jsonl(results)});
  }
  const std::string csv_rows = csv_to_stdout && sweeps > 0 ? joined_csv(results, "--format csv") : "";
  write_files_atomic(outputs);
  if (format == Format::json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& r : results) list.push_back(json_of(r));
    const nlohmann::ordered_json doc{{"scenarios", list}, {"passed", passed}, {"failed", failed}, {"malformed", malformed}};
    out = doc.dump(2) + "\n";
  } else if (csv_to_stdout) {
    std::fputs(out.c_str(), stderr);  // the rows go to stdout, the status lines to stderr
    out = csv_rows;
  }
  if (!note.empty()) std::fprintf(stderr, "llmcost: note: %s\n", note.c_str());
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (environment > 0) return 3;  // a file a scenario names is missing: the environment's, exit 3
  if (malformed > 0) return 2;
  return failed > 0 ? 1 : 0;
}

}  // namespace llmcost::cli
