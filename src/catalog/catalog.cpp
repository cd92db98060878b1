#include "llmcost/catalog.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "catalog/toml_record.hpp"
#include "llmcost/files.hpp"
#include "llmcost/text.hpp"

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
  if (head_dim) hd = *head_dim;
  else if (d_model) hd = double(*d_model) / *h;
  else return std::nullopt;
  return 2.0 * kv_heads.value_or(*h) * hd;
}

std::string Accelerator::default_dtype() const {
  for (const char* d : {"bf16", "fp16", "fp32"}) {
    if (peak_tflops.count(d)) return d;
  }
  return peak_tflops.begin()->first;
}

namespace {

const std::set<std::string, std::less<>> kDtypes{"fp32", "tf32", "fp16", "bf16", "fp8", "int8"};
const std::set<std::string, std::less<>> kArchitectures{"decoder-only", "encoder-decoder", "encoder-only",
                                                        "moe"};
const std::set<std::string, std::less<>> kTerms{"on-demand", "1yr", "3yr", "spot"};

void check_one_of(const RecordReader& r, std::string_view key, const std::string& value,
                  const std::set<std::string, std::less<>>& allowed) {
  if (allowed.count(value)) return;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  field_error(*r.table().get(key), r.file(), key, fmt::format("expected one of {}, got '{}'", list, value));
}

void read_base(RecordReader& r, RecordBase& rec) {
  rec.origin = r.origin();
  rec.id = r.string("id");
  for (char c : rec.id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
    if (!ok) {
      field_error(*r.table().get("id"), r.file(), "id",
                  fmt::format("'{}' must use lower-case letters, digits, '-', '.' or '_'", rec.id));
    }
  }
  rec.aliases = r.string_list("aliases");
  rec.source = r.string("source");
  rec.note = r.opt_string("note").value_or("");
}

Accelerator read_accelerator(RecordReader& r) {
  Accelerator a;
  read_base(r, a);
  a.name = r.string("name");
  a.vendor = r.string("vendor");
  a.year = r.integer("year", 1990, 2100);
  a.memory_gb = r.positive("memory_gb");
  a.memory_bandwidth_gbps = r.positive("memory_bandwidth_gbps");
  a.interconnect_gbps = r.opt_positive("interconnect_gbps");
  a.tdp_w = r.positive("tdp_w");
  a.purchase_usd = r.opt_positive("purchase_usd");
  const toml::table* peaks = r.opt_table("peak_tflops");
  if (!peaks) throw InputError(fmt::format("{}: missing required field 'peak_tflops'", a.origin.str()));
  for (const auto& [key, node] : *peaks) {
    const std::string field = fmt::format("peak_tflops.{}", key.str());
    if (!kDtypes.count(key.str())) {
      field_error(node, r.file(), field, "unknown dtype; expected fp32, tf32, fp16, bf16, fp8 or int8");
    }
    const auto v = as_number(node);
    if (!v || !std::isfinite(*v) || *v <= 0) field_error(node, r.file(), field, "expected a positive number");
    a.peak_tflops[std::string(key.str())] = *v;
  }
  if (a.peak_tflops.empty()) field_error(*peaks, r.file(), "peak_tflops", "needs at least one dtype");
  return a;
}

Offer read_offer(RecordReader& r) {
  Offer o;
  read_base(r, o);
  o.provider = r.string("provider");
  o.instance = r.string("instance");
  o.accelerator = r.string("accelerator");
  o.count = r.integer("count", 1, 1000000);
  o.usd_per_hour = r.positive("usd_per_hour");
  o.term = r.string("term");
  check_one_of(r, "term", o.term, kTerms);
  o.region = r.string("region");
  o.date = r.string("date");
  return o;
}

Model read_model(RecordReader& r) {
  Model m;
  read_base(r, m);
  m.name = r.string("name");
  m.params = r.positive("params");
  m.active_params = r.opt_positive("active_params");
  m.architecture = r.string("architecture");
  check_one_of(r, "architecture", m.architecture, kArchitectures);
  constexpr long long kMax = 1LL << 30;
  m.layers = r.opt_integer("layers", 1, kMax);
  m.d_model = r.opt_integer("d_model", 1, kMax);
  m.heads = r.opt_integer("heads", 1, kMax);
  m.kv_heads = r.opt_integer("kv_heads", 1, kMax);
  m.vocab = r.opt_integer("vocab", 1, kMax);
  m.seq_len = r.opt_integer("seq_len", 1, kMax);
  m.head_dim = r.opt_integer("head_dim", 1, kMax);
  m.kv_dim = r.opt_integer("kv_dim", 1, kMax);
  m.train_tokens = r.opt_positive("train_tokens");
  m.release = r.opt_string("release").value_or("");
  if (m.active_params && *m.active_params > m.params) {
    field_error(*r.table().get("active_params"), r.file(), "active_params",
                fmt::format("{} exceeds params {}", *m.active_params, m.params));
  }
  return m;
}

Assumption read_assumption(RecordReader& r) {
  Assumption a;
  read_base(r, a);
  const toml::node* v = r.opt_node("value");
  if (!v) throw InputError(fmt::format("{}: missing required field 'value'", a.origin.str()));
  if (auto n = as_number(*v)) {
    if (!std::isfinite(*n) || *n < 0) field_error(*v, r.file(), "value", "expected a finite number >= 0");
    a.value = *n;
  } else if (auto s = v->value_exact<std::string>()) {
    a.value = *s;
  } else {
    field_error(*v, r.file(), "value", "expected a number or a string");
  }
  a.unit = r.string("unit");
  a.description = r.string("description");
  // Ranges by unit: a fraction is at most 1; sizes, times, rates and ratios that estimates
  // divide by or scale with must be positive.
  if (const double* n = std::get_if<double>(&a.value)) {
    if (a.unit == "fraction" && *n > 1) field_error(*v, r.file(), "value", "expected a fraction in [0, 1]");
    static constexpr std::string_view kPositive[] = {"days", "years", "tokens", "sequences", "words_per_token",
                                                     "bytes_per_param", "ratio", "queries_per_year", "usd_per_year",
                                                     "usd_per_1k_tokens"};
    if (*n <= 0 && std::find(std::begin(kPositive), std::end(kPositive), a.unit) != std::end(kPositive)) {
      field_error(*v, r.file(), "value", fmt::format("expected a number > 0 (unit {})", a.unit));
    }
  }
  return a;
}

Law read_law(RecordReader& r) {
  Law l;
  read_base(r, l);
  l.form = r.string("form");
  check_one_of(r, "form", l.form, {"hoffmann", "kaplan"});
  std::vector<std::string> fields;
  if (l.form == "hoffmann") {
    l.e = r.positive("e");
    l.a = r.positive("a");
    l.b = r.positive("b");
    l.alpha = r.positive("alpha");
    l.beta = r.positive("beta");
    fields = {"e", "a", "b", "alpha", "beta"};
  } else {
    l.n_c = r.positive("n_c");
    l.d_c = r.positive("d_c");
    l.alpha_n = r.positive("alpha_n");
    l.alpha_d = r.positive("alpha_d");
    fields = {"n_c", "d_c", "alpha_n", "alpha_d"};
  }
  if (const toml::table* se = r.opt_table("std_errors")) {
    for (const auto& [key, node] : *se) {
      const std::string field = fmt::format("std_errors.{}", key.str());
      if (std::find(fields.begin(), fields.end(), key.str()) == fields.end()) {
        field_error(node, r.file(), field, fmt::format("not a parameter of the {} form", l.form));
      }
      const auto v = as_number(node);
      if (!v || !std::isfinite(*v) || *v < 0) field_error(node, r.file(), field, "expected a number >= 0");
      l.std_errors[std::string(key.str())] = *v;
    }
  }
  return l;
}

template <class T>
void upsert(std::vector<T>& records, T rec) {
  for (auto& existing : records) {
    if (existing.id == rec.id) {
      existing = std::move(rec);
      return;
    }
  }
  records.push_back(std::move(rec));
}

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

template <class T>
const T& lookup(const std::vector<T>& records, std::string_view id, std::string_view kind) {
  if (const T* rec = find_record(records, id)) return *rec;
  std::vector<std::string> names;
  for (const auto& rec : records) {
    names.push_back(rec.id);
    names.insert(names.end(), rec.aliases.begin(), rec.aliases.end());
  }
  throw InputError(unknown_id_message(kind, id, names, fmt::format("'llmcost list {}s'", kind)));
}

}  // namespace

void Catalog::load_text(std::string_view text, const std::string& origin) {
  const toml::table doc = parse_toml(text, origin);
  // Parse everything first, then commit, so a bad file leaves the catalog as it was.
  std::vector<Accelerator> accs;
  std::vector<Offer> offs;
  std::vector<Model> mods;
  std::vector<Assumption> asss;
  std::vector<Law> laws;
  std::set<std::string> ids_in_file;
  auto each_record = [&](const toml::node& node, std::string_view kind, auto&& read) {
    const toml::array* arr = node.as_array();
    if (!arr || !arr->is_array_of_tables()) {
      field_error(node, origin, kind, fmt::format("expected an array of tables, written [[{}]]", kind));
    }
    for (const toml::node& item : *arr) {
      RecordReader r(*item.as_table(), origin);
      auto rec = read(r);
      r.finish();
      if (!ids_in_file.insert(fmt::format("{}/{}", kind, rec.id)).second) {
        field_error(*item.as_table()->get("id"), origin, "id", fmt::format("duplicate {} id '{}'", kind, rec.id));
      }
      if constexpr (std::is_same_v<decltype(rec), Accelerator>) accs.push_back(std::move(rec));
      if constexpr (std::is_same_v<decltype(rec), Offer>) offs.push_back(std::move(rec));
      if constexpr (std::is_same_v<decltype(rec), Model>) mods.push_back(std::move(rec));
      if constexpr (std::is_same_v<decltype(rec), Assumption>) asss.push_back(std::move(rec));
      if constexpr (std::is_same_v<decltype(rec), Law>) laws.push_back(std::move(rec));
    }
  };
  for (const auto& [key, node] : doc) {
    const std::string k(key.str());
    if (k == "accelerator") {
      each_record(node, k, read_accelerator);
    } else if (k == "offer") {
      each_record(node, k, read_offer);
    } else if (k == "model") {
      each_record(node, k, read_model);
    } else if (k == "assumption") {
      each_record(node, k, read_assumption);
    } else if (k == "law") {
      each_record(node, k, read_law);
    } else {
      const auto& begin = key.source().begin;
      throw InputError(fmt::format(
          "{}:{}:{}: unknown record kind '{}'; expected [[accelerator]], [[offer]], [[model]], [[assumption]] or [[law]]",
          origin, begin.line, begin.column, k));
    }
  }
  for (auto& a : accs) upsert(accelerators_, std::move(a));
  for (auto& o : offs) upsert(offers_, std::move(o));
  for (auto& m : mods) upsert(models_, std::move(m));
  for (auto& a : asss) upsert(assumptions_, std::move(a));
  for (auto& l : laws) upsert(laws_, std::move(l));
}

void Catalog::load_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw EnvError(fmt::format("data folder '{}' is not a readable directory", dir));
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".toml" && entry.is_regular_file()) files.push_back(entry.path());
  }
  if (ec) throw EnvError(fmt::format("cannot list data folder '{}': {}", dir, ec.message()));
  std::sort(files.begin(), files.end());
  for (const auto& path : files) load_text(read_file(path.string(), "data file"), path.string());
}

void Catalog::validate() const {
  for (const auto& o : offers_) {
    if (!find_record(accelerators_, o.accelerator)) {
      std::vector<std::string> names;
      for (const auto& a : accelerators_) names.push_back(a.id);
      throw InputError(fmt::format("{}: offer '{}': field 'accelerator': {}", o.origin.str(), o.id,
                                   unknown_id_message("accelerator", o.accelerator, names,
                                                      "'llmcost list accelerators'")));
    }
  }
}

const Accelerator& Catalog::accelerator(std::string_view id) const {
  return lookup(accelerators_, id, "accelerator");
}
const Offer& Catalog::offer(std::string_view id) const { return lookup(offers_, id, "offer"); }
const Model& Catalog::model(std::string_view id) const { return lookup(models_, id, "model"); }
const Assumption& Catalog::assumption(std::string_view id) const {
  return lookup(assumptions_, id, "assumption");
}
const Law& Catalog::law(std::string_view id) const { return lookup(laws_, id, "law"); }

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
  std::stable_sort(out.begin(), out.end(), [](const Offer* a, const Offer* b) {
    return a->usd_per_chip_hour() < b->usd_per_chip_hour();
  });
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
