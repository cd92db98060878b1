// Scenario files: a TOML file names an estimate kind, its inputs (the same names as the flags)
// and an [expect] table of report keys with bounds. `llmcost run` replays them in batch.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "llmcost/catalog.hpp"
#include "llmcost/error.hpp"
#include "llmcost/estimate.hpp"
#include "llmcost/expectation.hpp"
#include "llmcost/report.hpp"

namespace llmcost {

// The most points a sweep may have (a scenario over it is refused before its values are built).
inline constexpr double kMaxSweepPoints = 1e8;

// Why `where` is not a read-only constraint ("" when it is): it assigns to a report key (=, +=,
// -=, *=, /=), which would rewrite the results it filters. Comparisons (==, !=, <=, >=) are fine.
std::string constraint_problem(std::string_view where);

// One input. A list (`mfu = [0.3, 0.4]`) or a range (`chips = { from = 256, to = 4096, step = "x2" }`,
// `{ from, to, step = 0.1 }` or `{ from, to, count = 5 }`) makes it a sweep axis.
struct ScenarioInput {
  std::string name;                 // field name, dashes as in flags
  std::string text;                 // the value as the flag would take it (the first, for an axis)
  std::vector<std::string> values;  // every value of a sweep axis; just `text` otherwise
  Origin origin;
};

struct Scenario {
  std::string file;
  std::string kind;  // "train"
  std::string name;
  std::string description;
  std::vector<ScenarioInput> inputs;
  std::vector<Expectation> expect;
  // Sweep selection (flags of `llmcost run` override them).
  std::string where;  // constraint over report keys: "wall_time_s < 30*86400 && chips <= 4096"
  std::string best;   // report key to minimise (or maximise)
  bool maximize = false;
  double top = 0;  // keep the best K points (0: all that pass `where`)

  // Number of points: the product of the axes' sizes.
  double points() const;
};

// Parses a scenario; throws InputError naming file:line:col and the field.
Scenario parse_scenario(std::string_view text, const std::string& origin);

// Reads and parses a scenario file; EnvError when it cannot be read.
Scenario load_scenario_file(const std::string& path);

// Applies every input at its first value to `inputs` (a single point: the scenario is not a
// sweep). Throws InputError placed at the offending input (file:line:col, field).
void apply_scenario_inputs(const Scenario& scenario, InputSet& inputs);

// Runs the scenario's estimator on its inputs (a single point). Throws InputError (placed at the
// offending input) for bad values, EnvError for a file an input names that cannot be read.
Report evaluate_scenario(const Scenario& scenario, const Catalog& catalog);

}  // namespace llmcost
