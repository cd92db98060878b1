// What `llmcost run` prints about its results: the status lines of every scenario and the summary,
// the --format json document, and the kept rows of every sweep joined into one CSV or JSON-lines
// text (for --rows FILE and --format csv).
#pragma once

#include <string>
#include <vector>

#include "llmcost/run.hpp"

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

}  // namespace llmcost
