// `llmcost list KIND` and `llmcost show ID`: the catalog, with sources.
#include <fmt/format.h>

#include <cstdio>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "llmcost/error.hpp"
#include "llmcost/text.hpp"
#include "llmcost/format.hpp"
#include "llmcost/units.hpp"

namespace llmcost::cli {
namespace {

std::string& list_kind() {
  static std::string kind;
  return kind;
}
std::string& show_id() {
  static std::string id;
  return id;
}

Cell num(double v, std::string text) { return Cell{std::move(text), v}; }
Cell opt_num(const std::optional<double>& v, std::string (*fmt_fn)(double)) {
  return v ? Cell{fmt_fn(*v), *v} : Cell{"-", std::nullopt};
}
Cell opt_int(const std::optional<int>& v) {
  return v ? Cell{format_count(*v), double(*v)} : Cell{"-", std::nullopt};
}
std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

Listing list_accelerators(const Catalog& c) {
  Listing l{"Accelerators (dense peaks)", {"id", "name", "year", "bf16_fp16_tflops", "memory_gb", "bandwidth_gbps", "tdp_w", "purchase_usd"}, {}};
  for (const auto& a : c.accelerators()) {
    const double tflops = *a.peak_flops(a.default_dtype()) / 1e12;
    l.rows.push_back({{a.id, {}}, {a.name, {}}, num(a.year, std::to_string(a.year)),
                      num(tflops, format_sig(tflops)), num(a.memory_gb, format_sig(a.memory_gb)),
                      num(a.memory_bandwidth_gbps, format_count(a.memory_bandwidth_gbps)), num(a.tdp_w, format_count(a.tdp_w)),
                      opt_num(a.purchase_usd, format_usd)});
  }
  return l;
}

Listing list_offers(const Catalog& c) {
  Listing l{"Offers (USD)", {"id", "provider", "instance", "accelerator", "count", "usd_per_hour", "usd_per_chip_hour", "term", "date"}, {}};
  for (const auto& o : c.offers()) {
    l.rows.push_back({{o.id, {}}, {o.provider, {}}, {o.instance, {}}, {o.accelerator, {}}, num(o.count, std::to_string(o.count)),
                      num(o.usd_per_hour, format_usd(o.usd_per_hour)), num(o.usd_per_chip_hour(), format_usd(o.usd_per_chip_hour())),
                      {o.term, {}}, {o.date, {}}});
  }
  return l;
}

Listing list_models(const Catalog& c) {
  Listing l{"Models", {"id", "name", "params", "active_params", "train_tokens", "architecture", "layers", "d_model", "release"}, {}};
  for (const auto& m : c.models()) {
    l.rows.push_back({{m.id, {}}, {m.name, {}}, num(m.params, format_scaled(m.params)), opt_num(m.active_params, format_scaled),
                      opt_num(m.train_tokens, format_scaled), {m.architecture, {}}, opt_int(m.layers), opt_int(m.d_model),
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
    std::string params;
    for (const auto& [name, v] : law_fields(law)) params += fmt::format("{}{}={}", params.empty() ? "" : " ", name, format_plain(v, 6));
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
      add("params", num(m.params, format_scaled(m.params)));
      if (m.active_params) add("active_params", num(*m.active_params, format_scaled(*m.active_params)));
      add("architecture", {m.architecture, {}});
      const std::pair<const char*, const std::optional<int>*> ints[] = {
          {"layers", &m.layers}, {"d_model", &m.d_model}, {"heads", &m.heads}, {"kv_heads", &m.kv_heads},
          {"vocab", &m.vocab},   {"seq_len", &m.seq_len}};
      for (const auto& [name, v] : ints) {
        if (*v) add(name, opt_int(*v));
      }
      if (m.train_tokens) add("train_tokens", num(*m.train_tokens, format_scaled(*m.train_tokens)));
      if (!m.release.empty()) add("release", {m.release, {}});
      break;
    }
    case RecordKind::accelerator: {
      const Accelerator& a = c.accelerator(rec->id);
      l.title = "accelerator " + a.id;
      add("name", {a.name, {}});
      add("vendor", {a.vendor, {}});
      add("year", num(a.year, std::to_string(a.year)));
      for (const auto& [dtype, tf] : a.peak_tflops) add("peak_tflops." + dtype, num(tf, format_sig(tf) + " TFLOP/s"));
      add("memory_gb", num(a.memory_gb, format_sig(a.memory_gb) + " GB"));
      add("memory_bandwidth_gbps", num(a.memory_bandwidth_gbps, format_count(a.memory_bandwidth_gbps) + " GB/s"));
      if (a.interconnect_gbps) add("interconnect_gbps", num(*a.interconnect_gbps, format_count(*a.interconnect_gbps) + " GB/s"));
      add("tdp_w", num(a.tdp_w, format_count(a.tdp_w) + " W"));
      if (a.purchase_usd) add("purchase_usd", num(*a.purchase_usd, format_usd(*a.purchase_usd)));
      break;
    }
    case RecordKind::offer: {
      const Offer& o = c.offer(rec->id);
      l.title = "offer " + o.id;
      add("provider", {o.provider, {}});
      add("instance", {o.instance, {}});
      add("accelerator", {o.accelerator, {}});
      add("count", num(o.count, std::to_string(o.count)));
      add("usd_per_hour", num(o.usd_per_hour, format_usd(o.usd_per_hour) + "/h"));
      add("usd_per_chip_hour", num(o.usd_per_chip_hour(), format_usd(o.usd_per_chip_hour()) + "/h"));
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
        auto se = law.std_errors.find(name);
        add(name, num(v, se == law.std_errors.end() ? format_plain(v, 6)
                                                    : fmt::format("{} ± {}", format_plain(v, 6), format_plain(se->second, 4))));
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

void print(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

}  // namespace

void setup_list(CLI::App& sub) {
  sub.add_option("kind", list_kind(), "accelerators, offers, models, assumptions or laws")->required()->type_name("KIND");
}

int run_list() {
  const Format format = parse_format(common().format);
  const Catalog c = load_catalog_from_options();
  const std::string& k = list_kind();
  Listing l;
  if (k == "accelerators" || k == "accelerator" || k == "hardware") l = list_accelerators(c);
  else if (k == "offers" || k == "offer") l = list_offers(c);
  else if (k == "models" || k == "model") l = list_models(c);
  else if (k == "assumptions" || k == "assumption") l = list_assumptions(c);
  else if (k == "laws" || k == "law") l = list_laws(c);
  else throw InputError(fmt::format("list: expected accelerators, offers, models, assumptions or laws, got '{}'", k));
  print(render_listing(l, format));
  return 0;
}

void setup_show(CLI::App& sub) { sub.add_option("id", show_id(), "any catalog id or alias")->required()->type_name("ID"); }

int run_show() {
  const Format format = parse_format(common().format);
  const Catalog c = load_catalog_from_options();
  print(render_listing(show_record(c, show_id()), format));
  return 0;
}

}  // namespace llmcost::cli
