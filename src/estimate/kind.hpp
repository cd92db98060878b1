// How a module defines its estimate kind: a typed field table over its Inputs struct, its
// estimator, and optionally a compute path for sweeps. KindOf turns them into the registry's
// EstimateKind (llmcost/estimate.hpp).
#pragma once

#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "llmcost/estimate.hpp"

namespace llmcost {

template <class Inputs>
struct Field {
  std::string_view name;  // flag without dashes and scenario key: "mfu"
  std::string_view hint;  // value placeholder for help: "FRACTION"; empty for a boolean switch
  std::string_view help;  // one line, with the default
  std::function<void(Inputs&, std::string_view text)> set;  // parses and stores; throws InputError
};

// The field called `name`, or nullptr.
template <class Inputs>
const Field<Inputs>* find_field(const std::vector<Field<Inputs>>& fields, std::string_view name) {
  for (const auto& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

template <class Inputs>
struct KindSpec {
  std::string_view name, help, examples;
  const std::vector<Field<Inputs>>& (*fields)();
  Report (*estimate)(const Inputs&, const Catalog&);
  // The compute path for sweeps; nullptr: each point runs the estimator and reads its report.
  std::unique_ptr<PointEvaluator> (*evaluator)(const std::vector<Field<Inputs>>&, const Catalog&) = nullptr;
};

template <class Inputs>
class TypedInputs final : public InputSet {
 public:
  explicit TypedInputs(const KindSpec<Inputs>& spec) : spec_(spec) {}
  void set(size_t field, std::string_view text) override { spec_.fields()[field].set(in_, text); }
  Report estimate(const Catalog& catalog) const override { return spec_.estimate(in_, catalog); }

 private:
  const KindSpec<Inputs>& spec_;
  Inputs in_;
};

// The evaluator of a kind without a compute path: its estimator per point, values read by key.
template <class Inputs>
class ReportEvaluator final : public PointEvaluator {
 public:
  ReportEvaluator(const KindSpec<Inputs>& spec, const Catalog& catalog) : spec_(spec), catalog_(catalog) {}
  void set(size_t field, std::string_view text) override { spec_.fields()[field].set(in_, text); }
  std::vector<std::string> keys() override {
    keys_.clear();
    for (const Row& row : spec_.estimate(in_, catalog_).rows) keys_.push_back(row.key);
    return keys_;
  }
  void evaluate(double* out) override {
    const Report r = spec_.estimate(in_, catalog_);
    for (size_t k = 0; k < keys_.size(); ++k) {
      const Row* row = r.find(keys_[k]);
      out[k] = row ? row->value : std::nan("");
    }
  }

 private:
  const KindSpec<Inputs>& spec_;
  const Catalog& catalog_;
  Inputs in_;
  std::vector<std::string> keys_;
};

template <class Inputs>
class KindOf final : public EstimateKind {
 public:
  explicit KindOf(KindSpec<Inputs> spec) : spec_(std::move(spec)) {
    for (const auto& f : spec_.fields()) infos_.push_back(FieldInfo{f.name, f.hint, f.help});
  }
  std::string_view name() const override { return spec_.name; }
  std::string_view help() const override { return spec_.help; }
  std::string_view examples() const override { return spec_.examples; }
  const std::vector<FieldInfo>& fields() const override { return infos_; }
  std::unique_ptr<InputSet> make_inputs() const override { return std::make_unique<TypedInputs<Inputs>>(spec_); }
  std::unique_ptr<PointEvaluator> make_evaluator(const Catalog& catalog) const override {
    if (spec_.evaluator) return spec_.evaluator(spec_.fields(), catalog);
    return std::make_unique<ReportEvaluator<Inputs>>(spec_, catalog);
  }

 private:
  KindSpec<Inputs> spec_;
  std::vector<FieldInfo> infos_;
};

}  // namespace llmcost
