// Resolution steps shared by the estimators: catalog lookups with their provenance recorded in
// the report, so every estimate states where each input came from.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llmcost/calibration.hpp"
#include "llmcost/catalog.hpp"
#include "llmcost/report.hpp"

namespace llmcost {

// "assumption ID (default)".
std::string assumption_source(std::string_view id);

// An input that only applies in some setting (`--lifetime-years` with `--own`): whether it was given.
struct GivenFlag {
  bool given;
  std::string_view flag;  // "--lifetime-years"
};

// Throws InputError "--a applies with CONDITION only" ("--a and --b apply ...") naming every given
// flag; does nothing when none was given. An input the estimate would not use is never ignored.
void reject_inapplicable(const std::vector<GivenFlag>& flags, std::string_view condition);

// A record's source, with its note when it has one.
std::string cite(const RecordBase& rec);

// An input number: as given, or the catalog assumption that stands in for it.
struct Setting {
  double value = 0;
  bool given = false;
  std::string_view assumption;  // the assumption's id, when not given
};
Setting setting(const std::optional<double>& given, const Catalog& cat, std::string_view assumption);

// Records a setting as an input row, with "given" or the assumption (and its source) as its source.
double add_setting(Report& r, const Catalog& cat, const Setting& s, std::string key, std::string label, Unit unit);

// `given` if set (source "given"), else the catalog assumption `assumption`; recorded as an input row.
double input_or_assumption(Report& r, const Catalog& cat, const std::optional<double>& given, std::string key,
                           std::string label, Unit unit, std::string_view assumption);

struct Hardware {
  const Accelerator* acc = nullptr;
  const Offer* offer = nullptr;  // nullptr: bare hardware (owned or unpriced)
  std::string offer_source;
  std::string acc_source = "catalog";  // or "calibration FILE" when the calibration chose it
  // The calibrated device itself when it is no catalog accelerator (a CPU): *acc, with the measured
  // GEMM ceilings as its peaks and no vendor memory size or power (0).
  std::shared_ptr<const Accelerator> measured;
};

// From --offer and/or --hardware. Neither: the accelerator a calibration measured, when it is a
// catalog id (bare hardware: no price is invented for it); with `measured_device`, a calibrated
// device that is no catalog accelerator (a CPU) stands in itself, unpriced (without it, such a
// calibration is an error: its figures would be applied to hardware it never measured); else the
// offer named by the assumption `default_offer`. `own` forbids an offer.
Hardware resolve_hardware(const Catalog& cat, const std::string& offer, const std::string& hardware, bool own,
                          std::string_view default_offer, const Calibration* calibration = nullptr,
                          bool measured_device = false);

// Throws InputError when the calibration's ceiling `measured` at `dtype` is above the vendor peak
// of `acc` at that dtype (or `fallback_peak` when the chip has no such peak): it was measured on
// faster hardware, and an MFU against the slower chip would pass 100%.
void check_calibration_ceiling(const Calibration& cal, const Accelerator& acc, const std::string& dtype,
                               double measured, double fallback_peak);

// Records the accelerator as context.
void add_accelerator(Report& r, const Hardware& hw);

// Accelerators for a job on one instance or machine: given; else one instance of a multi-chip
// offer; else 1. Sets `source` to say which.
double job_chips(const Hardware& hw, const std::optional<double>& given, std::string& source);

// Adds the offer's context and its price per chip-hour (key usd_per_chip_hour); returns the price.
double add_offer_price(Report& r, const Hardware& hw);

// Total and active parameters of the model to estimate.
struct ModelParams {
  const Model* model = nullptr;  // catalog or config record; nullptr for a bare --params
  double params = 0;
  double active = 0;
  std::string source;         // where the model's fields come from: "catalog model gpt3", "config FILE", "given"
  bool from_config = false;   // a Hugging Face config.json
  bool params_given = false;  // --params
};
// True when --params gives a catalog or config model another size than its own.
bool resizes(const Model* model, const std::optional<double>& params);

// The model as a title names it: "GPT-3 175B", "GPT-3 175B resized to 7B parameters", "7B parameters".
Text model_title(const Model* model, double params, bool resized);

// The model from --model, --model-config or --params (`command` names the subcommand in errors).
ModelParams resolve_model(const Catalog& cat, const std::string& model_id, const std::optional<Model>& config_model,
                          const std::optional<double>& params, std::string_view command);

// Records the model as context and its parameters as inputs (active parameters of an MoE model
// too), with a note when --params resizes it.
void add_model_rows(Report& r, const ModelParams& m);

}  // namespace llmcost
