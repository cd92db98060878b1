#include "catalog/records.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace llmcost {
namespace {

const std::set<std::string, std::less<>> kDtypes{"fp32", "tf32", "fp16", "bf16", "fp8", "int8"};
const std::set<std::string, std::less<>> kArchitectures{"decoder-only", "encoder-decoder", "encoder-only", "moe"};
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

}  // namespace

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
  if (const auto basis = r.opt_string("purchase_basis")) {
    check_one_of(r, "purchase_basis", *basis, {"chip", "system"});
    if (!a.purchase_usd)
      field_error(*r.table().get("purchase_basis"), r.file(), "purchase_basis", "needs purchase_usd");
    a.purchase_basis = *basis;
  }
  a.system_power_w = r.opt_positive("system_power_w");
  // Links (per chip, GB/s per direction) and the fraction of them a large collective achieves.
  a.scaleup_domain = r.opt_integer("scaleup_domain", 1, 1LL << 30);
  a.scaleup_gbps = r.opt_positive("scaleup_gbps");
  a.scaleout_gbps = r.opt_positive("scaleout_gbps");
  a.scaleup_efficiency = r.opt_fraction("scaleup_efficiency");
  a.scaleout_efficiency = r.opt_fraction("scaleout_efficiency");
  a.matmul_efficiency = r.opt_fraction("matmul_efficiency");
  a.matmul_efficiency_fp8 = r.opt_fraction("matmul_efficiency_fp8");
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
  m.max_seq_len = r.opt_integer("max_seq_len", 1, kMax);
  m.head_dim = r.opt_integer("head_dim", 1, kMax);
  m.kv_dim = r.opt_integer("kv_dim", 1, kMax);
  m.train_tokens = r.opt_positive("train_tokens");
  m.release = r.opt_string("release").value_or("");
  m.ffn_dim = r.opt_integer("ffn_dim", 1, kMax);
  m.gated_mlp = r.opt_bool("gated_mlp");
  m.experts = r.opt_integer("experts", 1, kMax);
  m.experts_per_token = r.opt_integer("experts_per_token", 1, kMax);
  m.shared_experts = r.opt_integer("shared_experts", 1, kMax);
  m.expert_ffn_dim = r.opt_integer("expert_ffn_dim", 1, kMax);
  m.dense_layers = r.opt_integer("dense_layers", 0, kMax);
  m.train_batch_tokens = r.opt_positive("train_batch_tokens");
  m.train_chips = r.opt_integer("train_chips", 1, kMax);
  if (m.active_params && *m.active_params > m.params) {
    field_error(*r.table().get("active_params"), r.file(), "active_params",
                fmt::format("{} exceeds params {}", *m.active_params, m.params));
  }
  // Grouped-query attention shares each key/value head among several query heads: never more.
  if (m.kv_heads && *m.kv_heads > m.heads.value_or(*m.kv_heads)) {
    field_error(*r.table().get("kv_heads"), r.file(), "kv_heads",
                fmt::format("{} exceeds heads {}", *m.kv_heads, *m.heads));
  }
  if (m.seq_len && m.max_seq_len && *m.seq_len > *m.max_seq_len) {
    field_error(*r.table().get("seq_len"), r.file(), "seq_len",
                fmt::format("{} exceeds max_seq_len {}", *m.seq_len, *m.max_seq_len));
  }
  // Mixture of experts: the expert fields describe the routed experts, so they need `experts`;
  // a token visits at most all of them, and at least one layer stays a MoE layer.
  for (const char* key : {"experts_per_token", "shared_experts", "expert_ffn_dim", "dense_layers"}) {
    if (!m.experts && r.table().get(key)) field_error(*r.table().get(key), r.file(), key, "needs experts");
  }
  if (m.experts_per_token && *m.experts_per_token > *m.experts) {
    field_error(*r.table().get("experts_per_token"), r.file(), "experts_per_token",
                fmt::format("{} exceeds experts {}", *m.experts_per_token, *m.experts));
  }
  if (m.dense_layers && m.layers && *m.dense_layers >= *m.layers) {
    field_error(*r.table().get("dense_layers"), r.file(), "dense_layers",
                fmt::format("{} must be less than layers {}", *m.dense_layers, *m.layers));
  }
  return m;
}

// `spread = { distribution = "...", low = ..., high = ..., source = "..." }` (or `values = [...]`
// for an empirical one): the interval holds the value, lognormal bounds are positive.
Spread read_spread(const toml::table& t, const std::string& file, const Assumption& a) {
  RecordReader r(t, file);
  Spread s;
  s.distribution = r.string("distribution");
  check_one_of(r, "distribution", s.distribution, {"lognormal", "normal", "uniform", "triangular", "empirical"});
  s.source = r.string("source");
  const double* value = std::get_if<double>(&a.value);
  const auto fail = [&](const char* key, const std::string& why) {
    field_error(*t.get(key), file, std::string("spread.") + key, why);
  };
  if (!value) fail("distribution", "a spread needs a numeric value");
  if (s.distribution == "empirical") {
    const toml::array* list = t.get_as<toml::array>("values");
    if (!list || list->empty()) fail("distribution", "an empirical spread needs values = [published figures]");
    (void)r.opt_node("values");
    for (const toml::node& v : *list) {
      const std::optional<double> n = as_number(v);
      if (!n || !std::isfinite(*n) || *n <= 0) fail("values", "expected finite numbers > 0");
      s.values.push_back(*n);
    }
    std::sort(s.values.begin(), s.values.end());  // drawn by quantile (llmcost/uncertainty.hpp)
  } else {
    s.low = r.positive("low");
    s.high = r.positive("high");
    if (!(s.low <= *value && *value <= s.high))
      fail("low", fmt::format("the interval [{}, {}] must hold the value {}", s.low, s.high, *value));
    if (!(s.low < s.high)) fail("high", "expected high > low");
  }
  r.finish();
  return s;
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
  if (const toml::table* t = r.opt_table("spread")) a.spread = read_spread(*t, r.file(), a);
  // Ranges by unit: a fraction is at most 1; sizes, times, rates and ratios that estimates
  // divide by or scale with must be positive.
  if (const double* n = std::get_if<double>(&a.value)) {
    if (a.unit == "fraction" && *n > 1) field_error(*v, r.file(), "value", "expected a fraction in [0, 1]");
    static constexpr std::string_view kPositive[] = {"days",
                                                     "years",
                                                     "tokens",
                                                     "sequences",
                                                     "words_per_token",
                                                     "bytes_per_param",
                                                     "ratio",
                                                     "queries_per_year",
                                                     "usd_per_year",
                                                     "usd_per_1k_tokens"};
    if (*n <= 0 && std::find(std::begin(kPositive), std::end(kPositive), a.unit) != std::end(kPositive)) {
      field_error(*v, r.file(), "value", fmt::format("expected a number > 0 (unit {})", a.unit));
    }
  }
  return a;
}

std::string correlation_problem(const std::vector<double>& corr) {
  constexpr size_t n = kLawParams;
  if (corr.size() != n * n) return fmt::format("expected {} rows of {} numbers", n, n);
  for (size_t i = 0; i < n; ++i) {
    if (corr[i * n + i] != 1) return fmt::format("row {}: the diagonal must be 1", i + 1);
    for (size_t j = 0; j < n; ++j) {
      const double v = corr[i * n + j];
      if (!(v >= -1 && v <= 1)) return fmt::format("row {}: {} is not in [-1, 1]", i + 1, v);
      if (std::abs(v - corr[j * n + i]) > 1e-9) return fmt::format("rows {} and {} are not symmetric", i + 1, j + 1);
    }
  }
  // Positive definite: a Cholesky factorisation with positive pivots.
  std::vector<double> l(n * n, 0.0);
  for (size_t j = 0; j < n; ++j) {
    double d = corr[j * n + j];
    for (size_t k = 0; k < j; ++k) d -= l[j * n + k] * l[j * n + k];
    if (!(d > 1e-12)) return "not positive definite";
    l[j * n + j] = std::sqrt(d);
    for (size_t i = j + 1; i < n; ++i) {
      double v = corr[i * n + j];
      for (size_t k = 0; k < j; ++k) v -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = v / l[j * n + j];
    }
  }
  return "";
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
  if (const toml::node* corr = r.opt_node("correlation")) {
    const auto fail = [&](const std::string& why) { field_error(*corr, r.file(), "correlation", why); };
    if (l.form != "hoffmann") fail("only a hoffmann-form law carries a correlation");
    if (l.std_errors.size() != fields.size()) fail("needs std_errors for every parameter");
    const toml::array* rows = corr->as_array();
    const char* shape = "expected 5 rows of 5 numbers (ln e, ln a, ln b, alpha, beta)";
    if (!rows || rows->size() != kLawParams) fail(shape);
    for (const toml::node& row : *rows) {
      const toml::array* cells = row.as_array();
      if (!cells || cells->size() != kLawParams) fail(shape);
      for (const toml::node& cell : *cells) {
        const std::optional<double> v = as_number(cell);
        if (!v) fail("expected numbers");
        l.correlation.push_back(*v);
      }
    }
    if (const std::string why = correlation_problem(l.correlation); !why.empty()) fail(why);
    l.correlation_source = r.string("correlation_source");
  } else if (r.opt_string("correlation_source")) {
    throw InputError(fmt::format("{}: field 'correlation_source' without a correlation", l.origin.str()));
  }
  return l;
}

}  // namespace llmcost
