// The catalog as listings: `llmcost list KIND` (one row per record) and `llmcost show ID` (one
// record, field by field, with its source and where it was defined).
#include <fmt/format.h>

#include <algorithm>
#include <regex>
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
  Listing l{"Accelerators (dense peaks)",
            {"id", "name", "year", "bf16_fp16_tflops", "memory_gb", "bandwidth_gbps", "tdp_w", "purchase_usd",
             "scaleup_domain", "scaleup_gbps", "scaleout_gbps"},
            {}};
  for (const auto& a : c.accelerators()) {
    const double tflops = *a.peak_flops(a.default_dtype()) / 1e12;
    l.rows.push_back({{a.id, {}},
                      {a.name, {}},
                      number_cell(a.year, Unit::exact),
                      number_cell(tflops, Unit::number),
                      number_cell(a.memory_gb, Unit::number),
                      number_cell(a.memory_bandwidth_gbps, Unit::count),
                      number_cell(a.tdp_w, Unit::count),
                      optional_cell(a.purchase_usd, Unit::usd),
                      optional_cell(a.scaleup_domain, Unit::count),
                      optional_cell(a.scaleup_gbps, Unit::exact),
                      optional_cell(a.scaleout_gbps, Unit::exact)});
  }
  return l;
}

Listing list_offers(const Catalog& c) {
  Listing l{"Offers (USD)",
            {"id", "provider", "instance", "accelerator", "count", "usd_per_hour", "usd_per_chip_hour", "term", "date"},
            {}};
  for (const auto& o : c.offers()) {
    l.rows.push_back({{o.id, {}},
                      {o.provider, {}},
                      {o.instance, {}},
                      {o.accelerator, {}},
                      number_cell(o.count, Unit::exact),
                      number_cell(o.usd_per_hour, Unit::usd),
                      number_cell(o.usd_per_chip_hour(), Unit::usd),
                      {o.term, {}},
                      {o.date, {}}});
  }
  return l;
}

Listing list_models(const Catalog& c) {
  Listing l{"Models",
            {"id", "name", "params", "active_params", "train_tokens", "architecture", "layers", "d_model", "release",
             "ffn_dim", "experts", "train_batch_tokens", "train_chips"},
            {}};
  for (const auto& m : c.models()) {
    l.rows.push_back({{m.id, {}},
                      {m.name, {}},
                      number_cell(m.params, Unit::params),
                      optional_cell(m.active_params, Unit::params),
                      optional_cell(m.train_tokens, Unit::params),
                      {m.architecture, {}},
                      optional_cell(m.layers, Unit::count),
                      optional_cell(m.d_model, Unit::count),
                      {m.release.empty() ? "-" : m.release, {}},
                      optional_cell(m.ffn_dim, Unit::count),
                      optional_cell(m.experts, Unit::count),
                      optional_cell(m.train_batch_tokens, Unit::tokens),
                      optional_cell(m.train_chips, Unit::count)});
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
    l.rows.push_back({{a.id, {}},
                      {assumption_value(a), v ? std::optional<double>(*v) : std::nullopt},
                      {a.unit, {}},
                      {a.description, {}}});
  }
  return l;
}

std::vector<std::pair<std::string, double>> law_fields(const Law& l) {
  if (l.form == "hoffmann") return {{"e", l.e}, {"a", l.a}, {"b", l.b}, {"alpha", l.alpha}, {"beta", l.beta}};
  return {{"n_c", l.n_c}, {"d_c", l.d_c}, {"alpha_n", l.alpha_n}, {"alpha_d", l.alpha_d}};
}

// A law's reference, short enough for a column and never cut inside it: the authors and year
// ("Besiroglu, Erdil, Barnett, You 2024") with the arXiv id when the source gives one; a source
// without a year is shown up to its first ';' (the "seen ..." note after it is left out).
std::string short_reference(const std::string& source) {
  static const std::regex year(R"(\b(19|20)\d\d\b)");
  static const std::regex arxiv(R"(arXiv:? ?\d{4}\.\d{4,5})");
  std::smatch m;
  if (!std::regex_search(source, m, year)) return source.substr(0, source.find(';'));
  std::string out = source.substr(0, static_cast<size_t>(m.position(0) + m.length(0)));
  const size_t close = source.find(')', out.size());
  if (std::count(out.begin(), out.end(), '(') > std::count(out.begin(), out.end(), ')') && close != std::string::npos) {
    out = source.substr(0, close + 1);  // "Smith (2021)": the parenthesis closed
  }
  if (std::smatch id; std::regex_search(source, id, arxiv) && out.find(id.str(0)) == std::string::npos) {
    out += " (" + id.str(0) + ")";
  }
  return out;
}

Listing list_laws(const Catalog& c) {
  Listing l{"Scaling laws", {"id", "form", "parameters", "source"}, {}};
  for (const auto& law : c.laws()) {
    Text params;
    for (const auto& [name, v] : law_fields(law))
      params += Text::of(params.empty() ? "{}={}" : " {}={}", name, Quantity{v, Unit::exact});
    l.rows.push_back({{law.id, {}}, {law.form, {}}, {params, {}}, {short_reference(law.source), {}}});
  }
  return l;
}

void add_base(Listing& l, const RecordBase& r) {
  l.rows.push_back({{"source", {}}, {r.source, {}}});
  if (!r.note.empty()) l.rows.push_back({{"note", {}}, {r.note, {}}});
  if (!r.aliases.empty()) l.rows.push_back({{"aliases", {}}, {join(r.aliases), {}}});
  l.rows.push_back({{"defined_at", {}}, {r.origin.str(), {}}});
}

void add(Listing& l, std::string field, Cell value) {
  l.rows.push_back({{std::move(field), {}}, std::move(value)});
}

void show_model(Listing& l, const Model& m) {
  l.title = "model " + m.id;
  add(l, "name", {m.name, {}});
  add(l, "params", number_cell(m.params, Unit::params));
  if (m.active_params) add(l, "active_params", number_cell(*m.active_params, Unit::params));
  add(l, "architecture", {m.architecture, {}});
  const std::pair<const char*, const std::optional<int>*> ints[] = {
      {"layers", &m.layers},          {"d_model", &m.d_model}, {"heads", &m.heads},
      {"kv_heads", &m.kv_heads},      {"vocab", &m.vocab},     {"seq_len", &m.seq_len},
      {"max_seq_len", &m.max_seq_len}};
  for (const auto& [name, v] : ints) {
    if (*v) add(l, name, number_cell(**v, Unit::count));
  }
  if (m.ffn_dim) add(l, "ffn_dim", number_cell(*m.ffn_dim, Unit::count));
  if (m.gated_mlp) add(l, "gated_mlp", number_cell(*m.gated_mlp ? 1 : 0, Unit::flag));
  const std::pair<const char*, const std::optional<int>*> moe[] = {{"experts", &m.experts},
                                                                   {"experts_per_token", &m.experts_per_token},
                                                                   {"shared_experts", &m.shared_experts},
                                                                   {"expert_ffn_dim", &m.expert_ffn_dim},
                                                                   {"dense_layers", &m.dense_layers}};
  for (const auto& [name, v] : moe) {
    if (*v) add(l, name, number_cell(**v, Unit::count));
  }
  if (m.train_tokens) add(l, "train_tokens", number_cell(*m.train_tokens, Unit::params));
  if (m.train_batch_tokens) add(l, "train_batch_tokens", number_cell(*m.train_batch_tokens, Unit::tokens));
  if (m.train_chips) add(l, "train_chips", number_cell(*m.train_chips, Unit::count));
  if (!m.release.empty()) add(l, "release", {m.release, {}});
}

void show_accelerator(Listing& l, const Accelerator& a) {
  l.title = "accelerator " + a.id;
  add(l, "name", {a.name, {}});
  add(l, "vendor", {a.vendor, {}});
  add(l, "year", number_cell(a.year, Unit::exact));
  for (const auto& [dtype, tf] : a.peak_tflops) {
    add(l, "peak_tflops." + dtype, number_cell(tf, Unit::number, " TFLOP/s"));
  }
  add(l, "memory_gb", number_cell(a.memory_gb, Unit::number, " GB"));
  add(l, "memory_bandwidth_gbps", number_cell(a.memory_bandwidth_gbps, Unit::count, " GB/s"));
  if (a.interconnect_gbps) add(l, "interconnect_gbps", number_cell(*a.interconnect_gbps, Unit::count, " GB/s"));
  add(l, "tdp_w", number_cell(a.tdp_w, Unit::count, " W"));
  if (a.system_power_w) add(l, "system_power_w", number_cell(*a.system_power_w, Unit::count, " W"));
  if (a.scaleup_domain) add(l, "scaleup_domain", number_cell(*a.scaleup_domain, Unit::count, " chips"));
  if (a.scaleup_gbps) add(l, "scaleup_gbps", number_cell(*a.scaleup_gbps, Unit::exact, " GB/s per direction"));
  if (a.scaleup_efficiency) add(l, "scaleup_efficiency", number_cell(*a.scaleup_efficiency, Unit::fraction));
  if (a.scaleout_gbps) add(l, "scaleout_gbps", number_cell(*a.scaleout_gbps, Unit::exact, " GB/s per direction"));
  if (a.scaleout_efficiency) add(l, "scaleout_efficiency", number_cell(*a.scaleout_efficiency, Unit::fraction));
  if (a.matmul_efficiency) add(l, "matmul_efficiency", number_cell(*a.matmul_efficiency, Unit::fraction));
  if (a.matmul_efficiency_fp8) add(l, "matmul_efficiency_fp8", number_cell(*a.matmul_efficiency_fp8, Unit::fraction));
  if (a.purchase_usd) {
    add(l, "purchase_usd", number_cell(*a.purchase_usd, Unit::usd));
    add(l, "purchase_basis", {a.purchase_basis, {}});
  }
}

void show_offer(Listing& l, const Offer& o) {
  l.title = "offer " + o.id;
  add(l, "provider", {o.provider, {}});
  add(l, "instance", {o.instance, {}});
  add(l, "accelerator", {o.accelerator, {}});
  add(l, "count", number_cell(o.count, Unit::exact));
  add(l, "usd_per_hour", number_cell(o.usd_per_hour, Unit::usd_per_hour));
  add(l, "usd_per_chip_hour", number_cell(o.usd_per_chip_hour(), Unit::usd_per_hour));
  add(l, "term", {o.term, {}});
  add(l, "region", {o.region, {}});
  add(l, "date", {o.date, {}});
}

// Each parameter, with its published standard error ("value ± error") where there is one.
void show_law(Listing& l, const Law& law) {
  l.title = "law " + law.id;
  add(l, "form", {law.form, {}});
  for (const auto& [name, v] : law_fields(law)) {
    const auto se = law.std_errors.find(name);
    add(l, name,
        se == law.std_errors.end()
            ? number_cell(v, Unit::exact)
            : Cell{Text::of("{} ± {}", Quantity{v, Unit::exact}, Quantity{se->second, Unit::exact}), v});
  }
}

void show_assumption(Listing& l, const Assumption& a) {
  l.title = "assumption " + a.id;
  const double* v = std::get_if<double>(&a.value);
  add(l, "value", {assumption_value(a), v ? std::optional<double>(*v) : std::nullopt});
  add(l, "unit", {a.unit, {}});
  add(l, "description", {a.description, {}});
}

[[noreturn]] void unknown_record(const Catalog& c, std::string_view id) {
  std::vector<std::string> ids;
  for (const auto& r : c.models()) ids.push_back(r.id);
  for (const auto& r : c.accelerators()) ids.push_back(r.id);
  for (const auto& r : c.offers()) ids.push_back(r.id);
  for (const auto& r : c.assumptions()) ids.push_back(r.id);
  for (const auto& r : c.laws()) ids.push_back(r.id);
  throw InputError(
      unknown_id_message("id", id, ids, "'llmcost list models' (or accelerators, offers, assumptions, laws)"));
}

}  // namespace

Listing show_record(const Catalog& c, std::string_view id) {
  RecordKind kind{};
  const RecordBase* rec = c.find_any(id, &kind);
  if (!rec) unknown_record(c, id);
  Listing l{"", {"field", "value"}, {}, true};
  add(l, "id", {rec->id, {}});
  switch (kind) {
    case RecordKind::model: show_model(l, c.model(rec->id)); break;
    case RecordKind::accelerator: show_accelerator(l, c.accelerator(rec->id)); break;
    case RecordKind::offer: show_offer(l, c.offer(rec->id)); break;
    case RecordKind::law: show_law(l, c.law(rec->id)); break;
    case RecordKind::assumption: show_assumption(l, c.assumption(rec->id)); break;
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
