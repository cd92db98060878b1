#include "estimate/resolve.hpp"

#include <fmt/format.h>

#include "llmcost/error.hpp"
#include "llmcost/format.hpp"

namespace llmcost {

std::string assumption_source(std::string_view id) {
  return fmt::format("assumption {} (default)", id);
}

void reject_inapplicable(const std::vector<GivenFlag>& flags, std::string_view condition) {
  std::vector<std::string_view> given;
  for (const GivenFlag& f : flags) {
    if (f.given) given.push_back(f.flag);
  }
  if (given.empty()) return;
  std::string names(given[0]);
  for (size_t i = 1; i < given.size(); ++i) {
    names += fmt::format("{}{}", i + 1 == given.size() ? " and " : ", ", given[i]);
  }
  throw InputError(fmt::format("{} appl{} with {} only", names, given.size() == 1 ? "ies" : "y", condition));
}

std::string cite(const RecordBase& rec) {
  return rec.note.empty() ? rec.source : fmt::format("{} [note: {}]", rec.source, rec.note);
}

Setting setting(const std::optional<double>& given, const Catalog& cat, std::string_view assumption) {
  if (given) return Setting{*given, true, assumption};
  return Setting{cat.assumption_number(assumption), false, assumption};
}

double add_setting(Report& r, const Catalog& cat, const Setting& s, std::string key, std::string label, Unit unit) {
  if (s.given) return r.add_input(std::move(key), std::move(label), s.value, unit, "given");
  return r.add_input(std::move(key), std::move(label), s.value, unit, assumption_source(s.assumption),
                     cite(cat.assumption(s.assumption)));
}

double input_or_assumption(Report& r, const Catalog& cat, const std::optional<double>& given, std::string key,
                           std::string label, Unit unit, std::string_view assumption) {
  if (given) return r.add_input(std::move(key), std::move(label), *given, unit, "given");
  const Assumption& a = cat.assumption(assumption);
  return r.add_input(std::move(key), std::move(label), cat.assumption_number(assumption), unit,
                     assumption_source(assumption), cite(a));
}

namespace {

// A calibrated device that is no catalog accelerator, as an accelerator: its measured ceilings are
// all it has; memory size and power are unknown (0).
std::shared_ptr<const Accelerator> measured_accelerator(const Calibration& cal) {
  auto acc = std::make_shared<Accelerator>();
  acc->id = cal.accelerator;
  acc->name = cal.device;
  acc->vendor = cal.method;
  acc->memory_bandwidth_gbps = cal.bandwidth_gbps;
  acc->peak_tflops = cal.gemm_tflops;
  acc->source = fmt::format("llmcost calibrate ({}) on {}, {}; no vendor figures", cal.method, cal.device, cal.date);
  acc->origin = cal.origin;
  return acc;
}

}  // namespace

void check_calibration_ceiling(const Calibration& cal, const Accelerator& acc, const std::string& dtype,
                               double measured, double fallback_peak) {
  const double peak = acc.peak_flops(dtype).value_or(fallback_peak);
  if (measured <= peak) return;
  throw InputError(render_text(
      Text::of("--calibration {}: its measured {} GEMM ceiling ({}) is above the {} peak of {} ({}): it was measured "
               "on {} ({}); cost the hardware it measured, or calibrate this one",
               cal.origin.file, dtype, Quantity{measured, Unit::flop_per_s}, dtype, acc.id,
               Quantity{peak, Unit::flop_per_s}, cal.device, cal.accelerator)));
}

Hardware resolve_hardware(const Catalog& cat, const std::string& offer, const std::string& hardware, bool own,
                          std::string_view default_offer, const Calibration* calibration, bool measured_device) {
  Hardware hw;
  RecordKind kind{};
  const RecordBase* measured = calibration ? cat.find_any(calibration->accelerator, &kind) : nullptr;
  if (own && !offer.empty()) {
    throw InputError("--own prices owned hardware: name it with --hardware instead of --offer");
  }
  if (!offer.empty()) {
    hw.offer = &cat.offer(offer);
    hw.offer_source = "given";
    hw.acc = &cat.accelerator(hw.offer->accelerator);
    if (!hardware.empty() && &cat.accelerator(hardware) != hw.acc) {
      throw InputError(
          fmt::format("--hardware {} conflicts with --offer {}, which rents {}", hardware, hw.offer->id, hw.acc->id));
    }
  } else if (!hardware.empty()) {
    hw.acc = &cat.accelerator(hardware);
  } else if (measured && kind == RecordKind::accelerator) {
    hw.acc = static_cast<const Accelerator*>(measured);
    hw.acc_source = "calibration " + calibration->origin.file;
  } else if (calibration && measured_device && !own) {
    hw.measured = measured_accelerator(*calibration);
    hw.acc = hw.measured.get();
    hw.acc_source = fmt::format("calibration {} (not a catalog accelerator)", calibration->origin.file);
  } else if (own) {
    throw InputError("--own needs --hardware to know what is bought");
  } else if (calibration) {  // never the default offer's hardware for a device the calibration did not measure
    throw InputError(
        fmt::format("--calibration {}: it measured {} ({}), not a catalog accelerator; name the hardware "
                    "with --hardware or --offer",
                    calibration->origin.file, calibration->device, calibration->accelerator));
  } else {
    hw.offer = &cat.offer(cat.assumption_text(default_offer));
    hw.offer_source = assumption_source(default_offer);
    hw.acc = &cat.accelerator(hw.offer->accelerator);
  }
  return hw;
}

void add_accelerator(Report& r, const Hardware& hw) {
  r.add_context("accelerator", "Accelerator", fmt::format("{} ({})", hw.acc->id, hw.acc->name), hw.acc_source,
                cite(*hw.acc));
}

double job_chips(const Hardware& hw, const std::optional<double>& given, std::string& source) {
  if (given) {
    source = "given";
    return *given;
  }
  if (hw.offer && hw.offer->count > 1) {
    source = "one " + hw.offer->instance + " instance";
    return hw.offer->count;
  }
  source = "default: one accelerator";
  return 1;
}

double add_offer_price(Report& r, const Hardware& hw) {
  const Offer& o = *hw.offer;
  const std::string what = o.count > 1 ? fmt::format("{} {}, {} chips", o.provider, o.instance, o.count)
                                       : fmt::format("{} per chip", o.provider);
  r.add_context("offer", "Offer", fmt::format("{} ({}, {}, seen {})", o.id, what, o.term, o.date), hw.offer_source,
                cite(o));
  const Text price_src = o.count > 1
                             ? Text::of("offer {}: {} ÷ {} chips", o.id, Quantity{o.usd_per_hour, Unit::usd_per_hour},
                                        Quantity{double(o.count), Unit::exact})
                             : Text("offer " + o.id);
  return r.add_input("usd_per_chip_hour", "Price per chip-hour", o.usd_per_chip_hour(), Unit::usd_per_hour, price_src,
                     cite(o));
}

bool resizes(const Model* model, const std::optional<double>& params) {
  return model && params && *params != model->params;
}

Text model_title(const Model* model, double params, bool resized) {
  if (!model) return Text::of("{} parameters", Quantity{params, Unit::params});
  return resized ? Text::of("{} resized to {} parameters", model->name, Quantity{params, Unit::params}) : model->name;
}

ModelParams resolve_model(const Catalog& cat, const std::string& model_id, const std::optional<Model>& config_model,
                          const std::optional<double>& params, std::string_view command) {
  ModelParams m;
  if (config_model && !model_id.empty()) throw InputError("give either --model or --model-config, not both");
  if (config_model) {
    m.model = &*config_model;
    m.source = "config " + config_model->origin.file;
    m.from_config = true;
  } else if (!model_id.empty()) {
    m.model = &cat.model(model_id);
    m.source = "catalog model " + m.model->id;
  } else if (!params) {
    throw InputError(fmt::format("{}: name a --model, a --model-config or give --params", command));
  } else {
    m.source = "given";
  }
  m.params_given = params.has_value();
  m.params = params ? *params : m.model->params;
  m.active = params ? *params : m.model->active();
  return m;
}

void add_model_rows(Report& r, const ModelParams& m) {
  if (m.model) {
    r.add_context("model", "Model", fmt::format("{} ({})", m.model->id, m.model->name),
                  m.from_config ? "Hugging Face config" : "catalog", cite(*m.model));
  }
  if (m.params_given) {
    r.add_input("params", "Parameters", m.params, Unit::params, "given");
    if (resizes(m.model, m.params)) {
      r.notes.emplace_back(Text::of(
          "--params {} replaces {}'s {}{}: its other figures (architecture, training "
          "tokens) still come from {}",
          Quantity{m.params, Unit::params}, m.model->id, Quantity{m.model->params, Unit::params},
          m.model->active_params ? " and its active-parameter count (every parameter is now active)" : "", m.source));
    }
    return;
  }
  r.add_input("params", "Parameters", m.params, Unit::params, m.source);
  if (m.model->active_params)
    r.add_input("active_params", "Active parameters per token", m.active, Unit::params, m.source);
}

}  // namespace llmcost
