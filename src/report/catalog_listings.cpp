// The catalog as listings: `llmcost list KIND` (one row per record) and `llmcost show ID` (one
// record, field by field, with its source and where it was defined).
#include <fmt/format.h>

#include <variant>

#include "llmcost/error.hpp"
#include "llmcost/listing.hpp"
#include "llmcost/text.hpp"

namespace llmcost {
namespace {

template <class T>
Cell optional_cell(const std::optional<T>& v, Unit unit) {
  return v ? number_cell(double(*v), unit) : Cell{"-", std::nullopt};
}

Listing list_accelerators(const Catalog& c) {
  Listing l{"Accelerators (dense peaks)", {"id", "name", "year", "bf16_fp16_tflops", "memory_gb", "bandwidth_gbps", "tdp_w", "purchase_usd"}, {}};
  for (const auto& a : c.accelerators()) {
    const double tflops = *a.peak_flops(a.default_dtype()) / 1e12;
    l.rows.push_back({{a.id, {}}, {a.name, {}}, number_cell(a.year, Unit::exact),
                      number_cell(tflops, Unit::number), number_cell(a.memory_gb, Unit::number),
                      number_cell(a.memory_bandwidth_gbps, Unit::count), number_cell(a.tdp_w, Unit::count),
                      optional_cell(a.purchase_usd, Unit::usd)});
  }
  return l;
}

Listing list_offers(const Catalog& c) {
  Listing l{"Offers (USD)", {"id", "provider", "instance", "accelerator", "count", "usd_per_hour", "usd_per_chip_hour", "term", "date"}, {}};
  for (const auto& o : c.offers()) {
    l.rows.push_back({{o.id, {}}, {o.provider, {}}, {o.instance, {}}, {o.accelerator, {}}, number_cell(o.count, Unit::exact),
                      number_cell(o.usd_per_hour, Unit::usd), number_cell(o.usd_per_chip_hour(), Unit::usd),
                      {o.term, {}}, {o.date, {}}});
  }
  return l;
}

Listing list_models(const Catalog& c) {
  Listing l{"Models", {"id", "name", "params", "active_params", "train_tokens", "architecture", "layers", "d_model", "release"}, {}};
  for (const auto& m : c.models()) {
    l.rows.push_back({{m.id, {}}, {m.name, {}}, number_cell(m.params, Unit::params), optional_cell(m.active_params, Unit::params),
                      optional_cell(m.train_tokens, Unit::params), {m.architecture, {}}, optional_cell(m.layers, Unit::count), optional_cell(m.d_model, Unit::count),
                      {m.release.empty() ? "-" : m.release, {}}});
  }
  return l;
}

std::string assumption_value(const Assumption& a) {
  if (const double* v = std::get_if<double>(&a.value)) return fmt::format("{}", *v);
  return std::get<std::string>(a.value);
}

Listing list_assumptions(const Catalog& c) {
  Listing l{"Assumptions", {"id", "value", "unit", "description"}, {}};
  for (const auto& a : c.assumptions()) {
    const double* v = std::get_if<double>(&a.value);
    l.rows.push_back({{a.id, {}}, {assumption_value(a), v ? std::optional<double>(*v) : std::nullopt}, {a.unit, {}},
                      {a.description, {}}});
  }
  return l;
}

std::vector<std::pair<std::string, double>> law_fields(const Law& l) {
  if (l.form == "hoffmann") return {{"e", l.e}, {"a", l.a}, {"b", l.b}, {"alpha", l.alpha}, {"beta", l.beta}};
  return {{"n_c", l.n_c}, {"d_c", l.d_c}, {"alpha_n", l.alpha_n}, {"alpha_d", l.alpha_d}};
}

Listing list_laws(const Catalog& c) {
  Listing l{"Scaling laws", {"id", "form", "parameters", "source"}, {}};
  for (const auto& law : c.laws()) {
    Text params;
    for (const auto& [name, v] : law_fields(law)) params += Text::of(params.empty() ? "{}={}" : " {}={}", name, Quantity{v, Unit::exact});
    l.rows.push_back({{law.id, {}}, {law.form, {}}, {params, {}}, {law.source.substr(0, law.source.find(',')), {}}});
  }
  return l;
}

void add_base(Listing& l, const RecordBase& r) {
  l.rows.push_back({{"source", {}}, {r.source, {}}});
  if (!r.note.empty()) l.rows.push_back({{"note", {}}, {r.note, {}}});
  if (!r.aliases.empty()) l.rows.push_back({{"aliases", {}}, {join(r.aliases), {}}});
  l.rows.push_back({{"defined_at", {}}, {r.origin.str(), {}}});
}

}  // namespace

Listing show_record(const Catalog& c, std::string_view id) {
  RecordKind kind{};
  const RecordBase* rec = c.find_any(id, &kind);
  if (!rec) {
    std::vector<std::string> ids;
    for (const auto& r : c.models()) ids.push_back(r.id);
    for (const auto& r : c.accelerators()) ids.push_back(r.id);
    for (const auto& r : c.offers()) ids.push_back(r.id);
    for (const auto& r : c.assumptions()) ids.push_back(r.id);
    for (const auto& r : c.laws()) ids.push_back(r.id);
    throw InputError(unknown_id_message("id", id, ids, "'llmcost list models' (or accelerators, offers, assumptions, laws)"));
  }
  Listing l{"", {"field", "value"}, {}, true};
  auto add = [&](std::string f, Cell v) { l.rows.push_back({{std::move(f), {}}, std::move(v)}); };
  add("id", {rec->id, {}});
  switch (kind) {
    case RecordKind::model: {
      const Model& m = c.model(rec->id);
      l.title = "model " + m.id;
      add("name", {m.name, {}});
      add("params", number_cell(m.params, Unit::params));
      if (m.active_params) add("active_params", number_cell(*m.active_params, Unit::params));
      add("architecture", {m.architecture, {}});
      const std::pair<const char*, const std::optional<int>*> ints[] = {
          {"layers", &m.layers}, {"d_model", &m.d_model}, {"heads", &m.heads}, {"kv_heads", &m.kv_heads},
          {"vocab", &m.vocab},   {"seq_len", &m.seq_len}};
      for (const auto& [name, v] : ints) {
        if (*v) add(name, number_cell(**v, Unit::count));
      }
      if (m.train_tokens) add("train_tokens", number_cell(*m.train_tokens, Unit::params));
      if (!m.release.empty()) add("release", {m.release, {}});
      break;
    }
    case RecordKind::accelerator: {
      const Accelerator& a = c.accelerator(rec->id);
      l.title = "accelerator " + a.id;
      add("name", {a.name, {}});
      add("vendor", {a.vendor, {}});
      add("year", number_cell(a.year, Unit::exact));
      for (const auto& [dtype, tf] : a.peak_tflops) add("peak_tflops." + dtype, number_cell(tf, Unit::number, " TFLOP/s"));
      add("memory_gb", number_cell(a.memory_gb, Unit::number, " GB"));
      add("memory_bandwidth_gbps", number_cell(a.memory_bandwidth_gbps, Unit::count, " GB/s"));
      if (a.interconnect_gbps) add("interconnect_gbps", number_cell(*a.interconnect_gbps, Unit::count, " GB/s"));
      add("tdp_w", number_cell(a.tdp_w, Unit::count, " W"));
      if (a.purchase_usd) add("purchase_usd", number_cell(*a.purchase_usd, Unit::usd));
      break;
    }
    case RecordKind::offer: {
      const Offer& o = c.offer(rec->id);
      l.title = "offer " + o.id;
      add("provider", {o.provider, {}});
      add("instance", {o.instance, {}});
      add("accelerator", {o.accelerator, {}});
      add("count", number_cell(o.count, Unit::exact));
      add("usd_per_hour", number_cell(o.usd_per_hour, Unit::usd_per_hour));
      add("usd_per_chip_hour", number_cell(o.usd_per_chip_hour(), Unit::usd_per_hour));
      add("term", {o.term, {}});
      add("region", {o.region, {}});
      add("date", {o.date, {}});
      break;
    }
    case RecordKind::law: {
      const Law& law = c.law(rec->id);
      l.title = "law " + law.id;
      add("form", {law.form, {}});
      for (const auto& [name, v] : law_fields(law)) {
        const auto se = law.std_errors.find(name);
        add(name, se == law.std_errors.end()
                      ? number_cell(v, Unit::exact)
                      : Cell{Text::of("{} ± {}", Quantity{v, Unit::exact}, Quantity{se->second, Unit::exact}), v});
      }
      break;
    }
    case RecordKind::assumption: {
      const Assumption& a = c.assumption(rec->id);
      l.title = "assumption " + a.id;
      const double* v = std::get_if<double>(&a.value);
      add("value", {assumption_value(a), v ? std::optional<double>(*v) : std::nullopt});
      add("unit", {a.unit, {}});
      add("description", {a.description, {}});
      break;
    }
  }
  add_base(l, *rec);
  return l;
}

Listing list_records(const Catalog& c, std::string_view kind) {
  if (kind == "accelerators" || kind == "accelerator" || kind == "hardware") return list_accelerators(c);
  if (kind == "offers" || kind == "offer") return list_offers(c);
  if (kind == "models" || kind == "model") return list_models(c);
  if (kind == "assumptions" || kind == "assumption") return list_assumptions(c);
  if (kind == "laws" || kind == "law") return list_laws(c);
  throw InputError(fmt::format("list: expected accelerators, offers, models, assumptions or laws, got '{}'", kind));
}

}  // namespace llmcost
