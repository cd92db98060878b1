// `llmcost run PATH...`: replays scenario files; exit 1 when an expectation fails, 2 when a
// scenario is malformed (the others still run). Sweeps print their best rows and can write every
// row (--rows FILE, CSV or JSON lines); --junit FILE writes a report for CI.
#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/count_flags.hpp"
#include "llmcost/atomic_file.hpp"
#include "llmcost/junit.hpp"
#include "llmcost/run.hpp"
#include "llmcost/run_report.hpp"
#include "llmcost/sweep.hpp"

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

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void check_options(const RunOptions& o) {
  if (o.top_option->count() > 0 && !(o.top >= 1 && o.top == std::floor(o.top))) {
    throw InputError(fmt::format("--top: expected a whole number >= 1, got {}", o.top));
  }
  check_threads(o.threads);
}

// The scenario files in order, each with a progress bar.
std::vector<ScenarioResult> run_files(const RunOptions& o, const Catalog& catalog, bool keep_rows) {
  std::vector<ScenarioResult> results;
  for (const auto& file : collect_scenario_files(o.paths)) {
    SweepOptions so{o.where, o.best, o.maximize, o.top, o.threads, keep_rows, progress_bar(file)};
    results.push_back(run_scenario_file(file, catalog, so));
  }
  return results;
}

// The files to write: --junit, and --rows when there are rows. Rows exist for sweeps only; an empty
// file (or a CSV without a header) would pass for a result, so none is written and `note` says why.
std::vector<FileOutput> file_outputs(const RunOptions& o, const std::vector<ScenarioResult>& results, bool no_rows,
                                     std::string* note) {
  std::vector<FileOutput> outputs;
  if (!o.junit.empty()) outputs.push_back({o.junit, junit_xml(results)});
  if (no_rows) {
    *note = o.rows.empty() ? "none of the scenarios is a sweep: --format csv has no rows to print"
                           : fmt::format("none of the scenarios is a sweep: no rows, '{}' not written", o.rows);
  } else if (!o.rows.empty()) {
    const bool csv = ends_with(o.rows, ".csv");
    outputs.push_back({o.rows, csv ? joined_rows_csv(results, "--rows " + o.rows) : joined_rows_jsonl(results)});
  }
  return outputs;
}

int exit_code(const RunTally& t) {
  if (t.environment > 0) return 3;  // a file a scenario names is missing: the environment's, exit 3
  if (t.malformed > 0) return 2;
  return t.failed > 0 ? 1 : 0;
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
  const bool csv_to_stdout = format == Format::csv && o.rows.empty();
  const bool keep_rows = !o.rows.empty() || csv_to_stdout;
  const std::vector<ScenarioResult> results = run_files(o, catalog, keep_rows);
  const RunTally tally = tally_results(results);
  // Every output rendered and checked first, then the files all or none, then stdout.
  std::string note;
  const std::vector<FileOutput> outputs = file_outputs(o, results, keep_rows && tally.sweeps == 0, &note);
  const std::string csv_rows = csv_to_stdout && tally.sweeps > 0 ? joined_rows_csv(results, "--format csv") : "";
  write_files_atomic(outputs);
  std::string out;
  if (format == Format::json) {
    out = run_json(results);
  } else if (csv_to_stdout) {
    std::fputs(run_status_text(results).c_str(), stderr);  // the rows go to stdout, the status lines to stderr
    out = csv_rows;
  } else {
    out = run_status_text(results);
  }
  if (!note.empty()) std::fprintf(stderr, "llmcost: note: %s\n", note.c_str());
  print_text(out);
  return exit_code(tally);
}

}  // namespace llmcost::cli
