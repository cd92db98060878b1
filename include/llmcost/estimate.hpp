// The registry of estimate kinds (train, infer, search, loss, optimal, scale, trend). A kind is a
// table of named inputs, an estimator and, for sweeps, a point evaluator. The command line makes one
// subcommand per kind, scenario files name a kind, and sweeps evaluate points through it: a new kind
// is its own module in src/estimate/ plus one line in src/estimate/registry.cpp.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llmcost/catalog.hpp"
#include "llmcost/report.hpp"

namespace llmcost {

// One named input: the flag `--name` and the scenario key `name`.
struct FieldInfo {
  std::string_view name;  // "mfu"
  std::string_view hint;  // value placeholder for help ("FRACTION"); empty for a switch
  std::string_view help;  // one line, with the default

  bool is_switch() const { return hint.empty(); }
  // Its value names a file: relative paths in a scenario are relative to the scenario file.
  bool is_file() const { return hint == "FILE"; }
};

// The inputs of one estimate, filled field by field from text (a flag's value, a scenario value).
class InputSet {
 public:
  virtual ~InputSet() = default;
  // Parses `text` into field number `field` of the kind's table. Throws InputError (EnvError for
  // a file that cannot be read) without a place: callers prefix the flag or file:line:col.
  virtual void set(size_t field, std::string_view text) = 0;
  // Runs the estimator. Throws InputError for unknown ids and inconsistent inputs.
  virtual Report estimate(const Catalog& catalog) const = 0;
};

// Evaluates the points of a sweep: fields change one at a time, report values come out by key.
// A kind with a compute path (train) evaluates without building a Report.
class PointEvaluator {
 public:
  virtual ~PointEvaluator() = default;
  // As InputSet::set.
  virtual void set(size_t field, std::string_view text) = 0;
  // The report keys evaluate() writes, in order. Call once, after the first point's fields are
  // set: the keys of that point are the columns of every later one.
  virtual std::vector<std::string> keys() = 0;
  // Evaluates the current point into out[0 .. keys().size()); NaN for a key this point lacks.
  // Throws InputError for inconsistent inputs.
  virtual void evaluate(double* out) = 0;
};

class EstimateKind {
 public:
  virtual ~EstimateKind() = default;
  virtual std::string_view name() const = 0;      // "train": the subcommand and a scenario's kind
  virtual std::string_view help() const = 0;      // one line for `llmcost --help`
  virtual std::string_view examples() const = 0;  // shown under the subcommand's --help
  virtual const std::vector<FieldInfo>& fields() const = 0;
  virtual std::unique_ptr<InputSet> make_inputs() const = 0;
  virtual std::unique_ptr<PointEvaluator> make_evaluator(const Catalog& catalog) const = 0;

  // The index of the field called `name`, or nullopt.
  std::optional<size_t> field_index(std::string_view name) const;
  // The field names, in table order.
  std::vector<std::string> field_names() const;
};

// Every kind, in the order `llmcost --help` lists them.
const std::vector<const EstimateKind*>& estimate_kinds();

// The kind called `name`, or nullptr.
const EstimateKind* find_kind(std::string_view name);

// The kinds' names: "train, infer, search, loss, optimal, scale or trend".
std::string kind_names();

}  // namespace llmcost
