// What `llmcost run` prints about its results: the status lines of every scenario and the summary,
// the --format json document, and the kept rows of every sweep joined into one CSV or JSON-lines
// text (for --rows FILE and --format csv).
#pragma once

#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "llmcost/atomic_file.hpp"
#include "llmcost/run.hpp"
#include "llmcost/sweep.hpp"

namespace llmcost {

// How many scenarios passed, failed, were malformed (of which by the environment: a missing file)
// and were sweeps.
struct RunTally {
  int passed = 0, failed = 0, malformed = 0, environment = 0, sweeps = 0;
};
RunTally tally_results(const std::vector<ScenarioResult>& results);

// One "PASS   FILE (N checks)", "FAIL   ..." or "ERROR  MESSAGE" line per scenario; under a sweep
// its points, kept rows and best row; under a failure one line per failed check; then the summary
// "N scenarios: P passed, F failed, M malformed".
std::string run_status_text(const std::vector<ScenarioResult>& results);

// The results as one JSON document (--format json): every scenario with its checks, and the counts.
std::string run_json(const std::vector<ScenarioResult>& results);

// The kept rows of every sweep as one CSV with one header. Throws InputError (naming `flag`, the
// output asked for) when two sweeps have different columns.
std::string joined_rows_csv(const std::vector<ScenarioResult>& results, const std::string& flag);

// The kept rows of every sweep as JSON lines.
std::string joined_rows_jsonl(const std::vector<ScenarioResult>& results);

// "FLAG needs sweeps with the same columns: 'FIRST' and 'OTHER' differ; ...".
std::string columns_differ(const std::string& flag, const std::string& first, const std::string& other);

// The kept rows of a run's sweeps written to `file` while they run (pass it as SweepOptions::sink
// to run_scenario_file for each scenario): CSV under one header, or JSON lines. The rows of a
// sweep that fails midway are taken back. The first error (a full disk, a sweep whose columns
// differ from the first's, an InputError naming `flag`) stops the sweep at hand and is kept:
// check() rethrows it, so the run can stop there.
class RowsOutput : public RowSink {
 public:
  RowsOutput(StreamedFile& file, bool csv, std::string flag);
  void begin(const Scenario& scenario, const SweepResult& shape) override;
  void rows(const double* rows, size_t count) override;
  void end(bool complete) override;
  // Rethrows the first error.
  void check() const;
  // Sweeps whose rows were written in full.
  size_t sweeps() const { return sweeps_; }

 private:
  void flush();

  StreamedFile& file_;
  bool csv_;
  std::string flag_;
  std::optional<RowFormat> format_;   // of the sweep at hand
  std::string header_, header_file_;  // the CSV header and the file that set it
  bool header_here_ = false;          // the sweep at hand wrote the header
  unsigned long long mark_ = 0;       // the file's size when the sweep at hand began
  std::string buffer_;
  std::exception_ptr error_;
  size_t sweeps_ = 0;
};

}  // namespace llmcost
