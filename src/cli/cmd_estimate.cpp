// The seven estimate subcommands (`train`, `infer`, `search`, `loss`, `optimal`, `scale`,
// `trend`): each fills its Inputs from its field table, runs its estimator and prints the report.
// One file for all seven (a departure from one file per subcommand): each is the same three
// lines over a different table, and seven copies of them would be the duplication.
#include "cli/commands.hpp"
#include "cli/common.hpp"
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

template <class Inputs, class Estimator>
int run_estimate(const std::vector<Field<Inputs>>& fields, Estimator estimate) {
  Inputs in;
  apply_fields(in, fields, options<Inputs>());
  const Catalog catalog = load_catalog_from_options();
  const Report report = estimate(in, catalog);
  require_finite(report);
  print_report(report);
  return 0;
}

}  // namespace

void setup_train(CLI::App& sub) { add_field_options(sub, train_fields(), options<TrainInputs>()); }
int run_train() { return run_estimate(train_fields(), estimate_training); }

void setup_infer(CLI::App& sub) { add_field_options(sub, infer_fields(), options<InferInputs>()); }
int run_infer() { return run_estimate(infer_fields(), estimate_inference); }

void setup_search(CLI::App& sub) { add_field_options(sub, search_fields(), options<SearchInputs>()); }
int run_search() { return run_estimate(search_fields(), estimate_search); }

void setup_loss(CLI::App& sub) { add_field_options(sub, loss_fields(), options<LossInputs>()); }
int run_loss() { return run_estimate(loss_fields(), estimate_loss); }

void setup_optimal(CLI::App& sub) { add_field_options(sub, optimal_fields(), options<OptimalInputs>()); }
int run_optimal() { return run_estimate(optimal_fields(), estimate_optimal); }

void setup_scale(CLI::App& sub) { add_field_options(sub, scale_fields(), options<ScaleInputs>()); }
int run_scale() { return run_estimate(scale_fields(), estimate_scale); }

void setup_trend(CLI::App& sub) { add_field_options(sub, trend_fields(), options<TrendInputs>()); }
int run_trend() { return run_estimate(trend_fields(), estimate_trend); }

}  // namespace llmcost::cli
