// The registry: every estimate kind, in the order `llmcost --help` lists them. A new kind is its
// own module (inputs, fields, estimator; see kind.hpp) and one line in each list below.
#include <algorithm>

#include "llmcost/estimate.hpp"
#include "llmcost/text.hpp"

namespace llmcost {

const EstimateKind& train_kind();     // train_kind.cpp
const EstimateKind& infer_kind();     // infer_kind.cpp
const EstimateKind& search_kind();    // search_kind.cpp
const EstimateKind& loss_kind();      // scaling_kinds.cpp
const EstimateKind& optimal_kind();   // scaling_kinds.cpp
const EstimateKind& scale_kind();     // scaling_kinds.cpp
const EstimateKind& trend_kind();     // trend_kind.cpp
const EstimateKind& plan_kind();      // plan_kind.cpp
const EstimateKind& serve_kind();     // serve_kind.cpp
const EstimateKind& finetune_kind();  // finetune_kind.cpp
const EstimateKind& rlhf_kind();      // rlhf_kind.cpp

const std::vector<const EstimateKind*>& estimate_kinds() {
  static const std::vector<const EstimateKind*> kinds{&train_kind(),   &infer_kind(),    &search_kind(), &loss_kind(),
                                                      &optimal_kind(), &scale_kind(),    &trend_kind(),  &plan_kind(),
                                                      &serve_kind(),   &finetune_kind(), &rlhf_kind()};
  return kinds;
}

const EstimateKind* find_kind(std::string_view name) {
  for (const EstimateKind* k : estimate_kinds()) {
    if (k->name() == name) return k;
  }
  return nullptr;
}

std::string kind_names() {
  std::vector<std::string> names;
  for (const EstimateKind* k : estimate_kinds()) names.emplace_back(k->name());
  return join_or(names);
}

std::optional<size_t> EstimateKind::field_index(std::string_view name) const {
  const auto& f = fields();
  const auto it = std::find_if(f.begin(), f.end(), [&](const FieldInfo& info) { return info.name == name; });
  if (it == f.end()) return std::nullopt;
  return static_cast<size_t>(it - f.begin());
}

std::vector<std::string> EstimateKind::field_names() const {
  std::vector<std::string> out;
  for (const FieldInfo& f : fields()) out.emplace_back(f.name);
  return out;
}

}  // namespace llmcost
