// `llmcost run PATH...`: replays scenario files; exit 1 when an expectation fails, 2 when a
// scenario is malformed (the others still run). Sweeps print their best rows and can write every
// row (--rows FILE, CSV or JSON lines); --junit FILE writes a report for CI.
#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <optional>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/count_flags.hpp"
#include "llmcost/atomic_file.hpp"
#include "llmcost/chart.hpp"
#include "llmcost/files.hpp"
#include "llmcost/format.hpp"
#include "llmcost/junit.hpp"
#include "llmcost/pareto_plot.hpp"
#include "llmcost/run.hpp"
#include "llmcost/run_report.hpp"
#include "llmcost/sweep.hpp"

namespace llmcost::cli {
namespace {

struct RunOptions {
  std::vector<std::string> paths;
  std::string junit, rows, where, best, plot;
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
  if (const std::string bad = constraint_problem(o.where); !bad.empty()) {
    throw InputError(fmt::format("--where: {} (in \"{}\")", bad, o.where));
  }
  check_threads(o.threads);
}

// The outputs must not replace a scenario file, nor name one file twice: refused before anything runs.
void check_outputs(const RunOptions& o, const std::vector<std::string>& files) {
  std::vector<std::string> outputs;
  for (const std::string* out : {&o.junit, &o.rows, &o.plot}) {
    if (!out->empty()) outputs.push_back(*out);
  }
  refuse_outputs_over_inputs(outputs, files);
  for (size_t i = 0; i < outputs.size(); ++i)
    for (size_t j = i + 1; j < outputs.size(); ++j)
      if (same_file(outputs[i], outputs[j])) throw InputError(fmt::format("'{}' is named as two outputs", outputs[j]));
}

// Where the kept rows go while the sweeps run: a temporary beside --rows, or (--format csv) an
// unnamed one printed at the end. No row is held in memory.
struct RowsTarget {
  std::optional<StreamedFile> file;
  std::optional<RowsOutput> rows;
  RowSink* sink() { return rows ? &*rows : nullptr; }
};

void open_rows(RowsTarget& t, const RunOptions& o, bool csv_to_stdout) {
  if (!o.rows.empty()) {
    t.file.emplace(o.rows);
    t.rows.emplace(*t.file, ends_with(o.rows, ".csv"), "--rows " + o.rows);
  } else if (csv_to_stdout) {
    t.file.emplace();
    t.rows.emplace(*t.file, true, "--format csv");
  }
}

// The scenario files in order, each with a progress bar; a failure to write the rows (a full
// disk, sweeps of other columns) stops the run.
std::vector<ScenarioResult> run_files(const RunOptions& o, const std::vector<std::string>& files,
                                      const Catalog& catalog, RowsTarget& rows, RowSink* sink) {
  std::vector<ScenarioResult> results;
  for (const auto& file : files) {
    SweepOptions so;
    so.where = o.where, so.best = o.best, so.maximize = o.maximize, so.top = o.top, so.threads = o.threads;
    so.keep_rows = false;
    so.progress = progress_bar(file);
    so.sink = sink;
    results.push_back(run_scenario_file(file, catalog, so));
    if (rows.rows) rows.rows->check();
  }
  return results;
}

// The note when rows were asked for and no scenario is a sweep: an empty file (or a CSV without a
// header) would pass for a result, so none is written.
std::string no_rows_note(const RunOptions& o) {
  return o.rows.empty() ? "none of the scenarios is a sweep: --format csv has no rows to print"
                        : fmt::format("none of the scenarios is a sweep: no rows, '{}' not written", o.rows);
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
  sub.add_option("--plot", o.plot,
                 "write an SVG of each sweep's cost against wall time with its Pareto front (sweeps with both keys)")
      ->type_name("FILE.svg");
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
  if (format == Format::markdown) throw InputError("--format markdown: run prints table, json or csv");
  check_options(o);
  const Catalog catalog = load_catalog_from_options();
  const std::vector<std::string> files = collect_scenario_files(o.paths);
  check_outputs(o, files);
  const bool csv_to_stdout = format == Format::csv && o.rows.empty();
  RowsTarget rows;
  open_rows(rows, o, csv_to_stdout);
  ParetoPlot plot(rows.sink());  // --plot: watches the rows on their way to --rows
  const std::vector<ScenarioResult> results = run_files(o, files, catalog, rows, o.plot.empty() ? rows.sink() : &plot);
  const RunTally tally = tally_results(results);
  // Every output rendered and checked first, then the files all or none, then stdout.
  const std::string note = rows.rows && tally.sweeps == 0 ? no_rows_note(o) : "";
  std::vector<FileOutput> outputs;
  if (!o.junit.empty()) outputs.push_back({o.junit, junit_xml(results)});
  if (!o.plot.empty()) {
    if (plot.charts().empty())
      throw InputError(
          "--plot: no sweep with cost_usd and wall_time_s to draw (train, plan and finetune sweeps have both)");
    outputs.push_back({o.plot, render_svg_column(plot.charts())});
  }
  if (!o.rows.empty() && tally.sweeps > 0) {
    write_files_atomic(outputs, *rows.file);
  } else {
    write_files_atomic(outputs);
  }
  if (format == Format::json) {
    print_text(run_json(results));
  } else if (csv_to_stdout) {
    std::fputs(run_status_text(results).c_str(), stderr);  // the rows go to stdout, the status lines to stderr
    if (tally.sweeps > 0) rows.file->read_back([](std::string_view block) { print_text(block); });
  } else {
    print_text(run_status_text(results));
  }
  if (!note.empty()) std::fprintf(stderr, "llmcost: note: %s\n", printable(note).c_str());
  return exit_code(tally);
}

}  // namespace llmcost::cli
