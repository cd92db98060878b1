#include "llmcost/catalog.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "llmcost/text.hpp"

// Lookups by id or alias and the checks across records; loading is in catalog_load.cpp.

namespace llmcost {

std::optional<double> Accelerator::peak_flops(std::string_view dtype) const {
  auto it = peak_tflops.find(std::string(dtype));
  if (it == peak_tflops.end()) return std::nullopt;
  return it->second * 1e12;
}

std::optional<double> Model::kv_elements_per_token_layer() const {
  if (kv_dim) return double(*kv_dim);
  const std::optional<int> h = heads;
  if (!h) return std::nullopt;
  double hd = 0;
  if (head_dim)
    hd = *head_dim;
  else if (d_model)
    hd = double(*d_model) / *h;
  else
    return std::nullopt;
  return 2.0 * kv_heads.value_or(*h) * hd;
}

std::string Accelerator::default_dtype() const {
  for (const char* d : {"bf16", "fp16", "fp32"}) {
    if (peak_tflops.count(d)) return d;
  }
  return peak_tflops.begin()->first;
}

namespace {
template <class T>
const T* find_record(const std::vector<T>& records, std::string_view id) {
  for (const auto& rec : records) {
    if (iequals(rec.id, id)) return &rec;
  }
  for (const auto& rec : records) {
    for (const auto& alias : rec.aliases) {
      if (iequals(alias, id)) return &rec;
    }
  }
  return nullptr;
}

// An unknown id's message. The suggestion is the record's id even when the name closest to the
// mistyped one is an alias ("davinc" → gpt3, not davinci): ids are what listings show.
template <class T>
const T& lookup(const std::vector<T>& records, std::string_view id, std::string_view kind) {
  if (const T* rec = find_record(records, id)) return *rec;
  std::vector<std::string> names;
  for (const auto& rec : records) {
    names.push_back(rec.id);
    names.insert(names.end(), rec.aliases.begin(), rec.aliases.end());
  }
  const std::string best = closest(id, names, std::max<size_t>(3, id.size() / 3 + 1));
  if (!best.empty()) {
    throw InputError(fmt::format("unknown {} '{}'; did you mean '{}'?", kind, id, find_record(records, best)->id));
  }
  throw InputError(unknown_id_message(kind, id, names, fmt::format("'llmcost list {}s'", kind)));
}

// A name (id or alias) of a record, for the check across kinds.
struct Name {
  std::string lower, name, owner, origin;  // owner: "law 'hoffmann2022'"
  std::string_view kind;
};

template <class T>
void collect_names(const std::vector<T>& records, std::string_view kind, std::vector<Name>& out) {
  for (const auto& rec : records) {
    auto add = [&](const std::string& n) {
      std::string lower(n);
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      out.push_back(Name{lower, n, fmt::format("{} '{}'", kind, rec.id), rec.origin.str(), kind});
    };
    add(rec.id);
    for (const auto& alias : rec.aliases) add(alias);
  }
}

}  // namespace

void Catalog::validate() const {
  // `llmcost show ID` and calibrations look an id up in every kind: a name two kinds share would
  // silently resolve to one of them (a law alias 'chinchilla' hidden by the model chinchilla).
  std::vector<Name> all_names;
  collect_names(models_, "model", all_names);
  collect_names(accelerators_, "accelerator", all_names);
  collect_names(offers_, "offer", all_names);
  collect_names(laws_, "law", all_names);
  collect_names(assumptions_, "assumption", all_names);
  std::stable_sort(all_names.begin(), all_names.end(), [](const Name& a, const Name& b) { return a.lower < b.lower; });
  for (size_t i = 1; i < all_names.size(); ++i) {
    const Name &a = all_names[i - 1], &b = all_names[i];
    if (a.lower == b.lower && a.kind != b.kind) {
      throw InputError(
          fmt::format("{}: {}: '{}' also all_names {} ({}); ids and aliases must be unique across record "
                      "kinds, since 'llmcost show' looks them up in all of them",
                      b.origin, b.owner, b.name, a.owner, a.origin));
    }
  }
  for (const auto& o : offers_) {
    if (!find_record(accelerators_, o.accelerator)) {
      std::vector<std::string> names;
      for (const auto& a : accelerators_) names.push_back(a.id);
      throw InputError(
          fmt::format("{}: offer '{}': field 'accelerator': {}", o.origin.str(), o.id,
                      unknown_id_message("accelerator", o.accelerator, names, "'llmcost list accelerators'")));
    }
  }
}

const Accelerator& Catalog::accelerator(std::string_view id) const {
  return lookup(accelerators_, id, "accelerator");
}
const Offer& Catalog::offer(std::string_view id) const {
  return lookup(offers_, id, "offer");
}
const Model& Catalog::model(std::string_view id) const {
  return lookup(models_, id, "model");
}
const Assumption& Catalog::assumption(std::string_view id) const {
  return lookup(assumptions_, id, "assumption");
}
const Law& Catalog::law(std::string_view id) const {
  return lookup(laws_, id, "law");
}

void Catalog::set_assumption_value(std::string_view id, double value) {
  const Assumption& a = assumption(id);
  assumptions_[static_cast<size_t>(&a - assumptions_.data())].value = value;
}

double Catalog::assumption_number(std::string_view id) const {
  const Assumption& a = assumption(id);
  if (const double* v = std::get_if<double>(&a.value)) return *v;
  throw InputError(fmt::format("{}: assumption '{}': field 'value': expected a number", a.origin.str(), a.id));
}

const std::string& Catalog::assumption_text(std::string_view id) const {
  const Assumption& a = assumption(id);
  if (const std::string* v = std::get_if<std::string>(&a.value)) return *v;
  throw InputError(fmt::format("{}: assumption '{}': field 'value': expected a string", a.origin.str(), a.id));
}

std::vector<const Offer*> Catalog::offers_for(std::string_view accelerator_id) const {
  std::vector<const Offer*> out;
  const Accelerator& acc = accelerator(accelerator_id);
  for (const auto& o : offers_) {
    if (find_record(accelerators_, o.accelerator) == &acc) out.push_back(&o);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Offer* a, const Offer* b) { return a->usd_per_chip_hour() < b->usd_per_chip_hour(); });
  return out;
}

const RecordBase* Catalog::find_any(std::string_view id, RecordKind* kind) const {
  auto hit = [&](const RecordBase* rec, RecordKind k) {
    if (rec && kind) *kind = k;
    return rec;
  };
  if (auto r = hit(find_record(models_, id), RecordKind::model)) return r;
  if (auto r = hit(find_record(accelerators_, id), RecordKind::accelerator)) return r;
  if (auto r = hit(find_record(offers_, id), RecordKind::offer)) return r;
  if (auto r = hit(find_record(laws_, id), RecordKind::law)) return r;
  return hit(find_record(assumptions_, id), RecordKind::assumption);
}

}  // namespace llmcost
