// `llmcost train`: cost, time, energy and memory of a training run.
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "llmcost/train.hpp"

namespace llmcost::cli {
namespace {

FieldOptions<TrainInputs>& options() {
  static FieldOptions<TrainInputs> opts;
  return opts;
}

}  // namespace

void setup_train(CLI::App& sub) { add_field_options(sub, train_fields(), options()); }

int run_train() {
  TrainInputs in;
  apply_fields(in, train_fields(), options());
  const Catalog catalog = load_catalog_from_options();
  print_report(estimate_training(in, catalog));
  return 0;
}

}  // namespace llmcost::cli
