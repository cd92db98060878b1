// The field table of `infer`, which `search --method cloud` passes its serving flags through.
#pragma once

#include <vector>

#include "estimate/kind.hpp"
#include "llmcost/infer.hpp"

namespace llmcost {

const std::vector<Field<InferInputs>>& infer_fields();

}  // namespace llmcost
