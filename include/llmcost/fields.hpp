// One table of named inputs per estimate kind, shared by command-line flags and scenario files,
// so that `--mfu 46.2%` and `mfu = "46.2%"` go through the same parser and the help text can't
// drift from the code.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "llmcost/infer.hpp"
#include "llmcost/scaling.hpp"
#include "llmcost/search.hpp"
#include "llmcost/train.hpp"

namespace llmcost {

template <class Inputs>
struct Field {
  std::string_view name;   // flag without dashes and scenario key: "mfu"
  std::string_view hint;   // value placeholder for help: "FRACTION"; empty for a boolean switch
  std::string_view help;   // one line, with the default
  std::function<void(Inputs&, std::string_view text)> set;  // parses and stores; throws InputError
};

const std::vector<Field<TrainInputs>>& train_fields();
const std::vector<Field<InferInputs>>& infer_fields();
const std::vector<Field<SearchInputs>>& search_fields();
const std::vector<Field<LossInputs>>& loss_fields();
const std::vector<Field<OptimalInputs>>& optimal_fields();
const std::vector<Field<ScaleInputs>>& scale_fields();
const std::vector<Field<TrendInputs>>& trend_fields();

// Finds a field by name; nullptr when unknown.
template <class Inputs>
const Field<Inputs>* find_field(const std::vector<Field<Inputs>>& fields, std::string_view name) {
  for (const auto& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace llmcost
