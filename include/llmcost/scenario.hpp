// Scenario files: a TOML file names an estimate kind, its inputs (the same names as the flags)
// and an [expect] table of report keys with bounds. `llmcost run` replays them in batch.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llmcost/catalog.hpp"
#include "llmcost/error.hpp"
#include "llmcost/report.hpp"

namespace llmcost {

// Relative tolerance of `key = 1.4e6` written without one.
inline constexpr double kDefaultRelTolerance = 1e-6;

struct Expectation {
  std::string key;
  std::optional<double> value;  // with rel or abs
  double rel = kDefaultRelTolerance;
  std::optional<double> abs;
  std::optional<double> min, max;
  Origin origin;

  // True when `actual` satisfies every bound.
  bool holds(double actual) const;
  // "1.40e6 ± 2%", ">= 1", "in [1, 2]".
  std::string describe() const;
};

struct ScenarioInput {
  std::string name;  // field name, dashes as in flags
  std::string text;  // the value as the flag would take it
  Origin origin;
};

struct Scenario {
  std::string file;
  std::string kind;  // "train"
  std::string name;
  std::string description;
  std::vector<ScenarioInput> inputs;
  std::vector<Expectation> expect;
};

// Parses a scenario; throws InputError naming file:line:col and the field.
Scenario parse_scenario(std::string_view text, const std::string& origin);

// Builds the kind's inputs through the shared field table and runs its estimator.
// Throws InputError (placed at the offending input) for bad values.
Report evaluate_scenario(const Scenario& scenario, const Catalog& catalog);

struct CheckResult {
  Expectation expectation;
  double actual = 0;
  bool pass = false;
};

struct ScenarioResult {
  enum class Status { pass, fail, error } status = Status::pass;
  std::string file;
  std::string name;
  std::string error;  // for Status::error: the one-line message
  std::vector<CheckResult> checks;
};

// Loads, evaluates and checks one file; never throws for bad scenario content.
ScenarioResult run_scenario_file(const std::string& path, const Catalog& catalog);

// Expands files and folders (recursively, *.toml, sorted). Throws EnvError for a missing path.
std::vector<std::string> collect_scenario_files(const std::vector<std::string>& paths);

}  // namespace llmcost
