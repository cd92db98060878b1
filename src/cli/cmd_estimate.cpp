// The seven estimate subcommands (`train`, `infer`, `search`, `loss`, `optimal`, `scale`,
// `trend`): each fills its Inputs from its field table, runs its estimator and prints the report.
// One file for all seven (a departure from one file per subcommand): each is the same three
// lines over a different table, and seven copies of them would be the duplication.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "batch/scenario_inputs.hpp"
#include "llmcost/infer.hpp"
#include "llmcost/scaling.hpp"
#include "llmcost/search.hpp"
#include "llmcost/train.hpp"

namespace llmcost::cli {
namespace {

template <class Inputs>
FieldOptions<Inputs>& options() {
  static FieldOptions<Inputs> opts;
  return opts;
}

// --scenario FILE: the inputs of a single-point scenario file, under the flags (precedence:
// catalog defaults < scenario file < flags).
std::string& scenario_path() {
  static std::string path;
  return path;
}

template <class Inputs>
void setup(CLI::App& sub, const std::vector<Field<Inputs>>& fields) {
  add_field_options(sub, fields, options<Inputs>());
  sub.add_option("--scenario", scenario_path(), "take the inputs of this scenario file (kind = \"" + sub.get_name() +
                                                    "\"); flags given as well override them")
      ->type_name("FILE");
}

template <class Inputs, class Estimator>
int run_estimate(const std::string& kind, const std::vector<Field<Inputs>>& fields, Estimator estimate) {
  Inputs in;
  const std::string& path = scenario_path();
  if (!path.empty()) {
    const Scenario s = load_scenario_file(path);
    if (s.kind != kind) {
      throw InputError(fmt::format("--scenario {}: a {} scenario; run it with 'llmcost {}' or 'llmcost run'", path,
                                   s.kind, s.kind));
    }
    if (s.points() != 1) {
      throw InputError(fmt::format("--scenario {}: a sweep of {} points; run it with 'llmcost run'", path, s.points()));
    }
    const auto bound = bind_fields(s, fields);
    for (size_t i = 0; i < s.inputs.size(); ++i) apply_input(in, *bound[i], s.inputs[i], 0);
  }
  apply_fields(in, fields, options<Inputs>());
  const Catalog catalog = load_catalog_from_options();
  Report report = estimate(in, catalog);
  require_finite(report);
  if (!path.empty()) {
    report.notes.push_back(fmt::format("inputs from scenario {} (flags given override them); its [expect] table is "
                                       "checked by 'llmcost run'",
                                       path));
  }
  print_report(report);
  return 0;
}

}  // namespace

void setup_train(CLI::App& sub) { setup(sub, train_fields()); }
int run_train() { return run_estimate("train", train_fields(), estimate_training); }

void setup_infer(CLI::App& sub) { setup(sub, infer_fields()); }
int run_infer() { return run_estimate("infer", infer_fields(), estimate_inference); }

void setup_search(CLI::App& sub) { setup(sub, search_fields()); }
int run_search() { return run_estimate("search", search_fields(), estimate_search); }

void setup_loss(CLI::App& sub) { setup(sub, loss_fields()); }
int run_loss() { return run_estimate("loss", loss_fields(), estimate_loss); }

void setup_optimal(CLI::App& sub) { setup(sub, optimal_fields()); }
int run_optimal() { return run_estimate("optimal", optimal_fields(), estimate_optimal); }

void setup_scale(CLI::App& sub) { setup(sub, scale_fields()); }
int run_scale() { return run_estimate("scale", scale_fields(), estimate_scale); }

void setup_trend(CLI::App& sub) { setup(sub, trend_fields()); }
int run_trend() { return run_estimate("trend", trend_fields(), estimate_trend); }

}  // namespace llmcost::cli
