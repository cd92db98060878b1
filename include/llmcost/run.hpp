// `llmcost run`: scenario files replayed and their expectations checked, single points and sweeps.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "llmcost/catalog.hpp"
#include "llmcost/scenario.hpp"
#include "llmcost/sweep.hpp"

namespace llmcost {

struct CheckResult {
  Expectation expectation;
  double actual = 0;
  bool pass = false;
  std::string point;  // for sweeps: the inputs of the row checked ("mfu=0.4, chips=512")
};

struct ScenarioResult {
  enum class Status { pass, fail, error } status = Status::pass;
  std::string file;
  std::string name;
  std::string error;         // for Status::error: the one-line message
  bool environment = false;  // for Status::error: the environment's (an unreadable file), not the input's
  std::vector<CheckResult> checks;
  std::shared_ptr<const Scenario> scenario;  // as parsed (sweeps need it to print rows)
  std::shared_ptr<const SweepResult> sweep;  // set for a scenario of more than one point
  double seconds = 0;                        // time taken
};

// Loads, evaluates and checks one file; never throws for bad scenario content. A sweep's
// expectations hold for its best row when it has `best`, else for every row kept.
ScenarioResult run_scenario_file(const std::string& path, const Catalog& catalog, const SweepOptions& options = {});

// Expands files and folders (recursively, *.toml, sorted). Throws EnvError for a missing path,
// InputError for a folder without a scenario file.
std::vector<std::string> collect_scenario_files(const std::vector<std::string>& paths);

}  // namespace llmcost
