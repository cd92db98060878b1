// The calibration file (read, validate, write), the summary of a sweep and device matching.
#include "llmcost/calibration.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include "toml_record.hpp"

#ifdef LLMCOST_HAVE_CUDA
#include <dlfcn.h>

#include <filesystem>

#include "gpu/plugin.hpp"
#endif

namespace llmcost {
namespace {

constexpr long long kMaxDim = 1LL << 20;  // far beyond any matrix a GPU holds
const std::vector<std::string> kMethods{"cuda", "cpu"};
const std::vector<std::string> kKernels{"copy", "triad", "memcpy"};

std::string join_or(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    out += i == 0 ? "" : (i + 1 == items.size() ? " or " : ", ");
    out += items[i];
  }
  return out;
}

// A required string that must be one of `allowed`.
std::string one_of(RecordReader& r, std::string_view key, const std::vector<std::string>& allowed) {
  std::string v = r.string(key);
  if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
    field_error(*r.table().get(key), r.file(), key, fmt::format("expected {}, got '{}'", join_or(allowed), v));
  }
  return v;
}

[[noreturn]] void missing(const RecordReader& r, std::string_view key) {
  throw InputError(fmt::format("{}: missing required field '{}'", r.origin().str(), key));
}

bool digits(std::string_view s, size_t from, size_t count) {
  for (size_t i = from; i < from + count; ++i) {
    if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

// "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" (what utc_timestamp writes).
bool is_iso_date(std::string_view s) {
  if (s.size() != 10 && s.size() != 20) return false;
  const bool date = digits(s, 0, 4) && s[4] == '-' && digits(s, 5, 2) && s[7] == '-' && digits(s, 8, 2);
  if (!date) return false;
  if (s.size() == 10) return true;
  return s[10] == 'T' && digits(s, 11, 2) && s[13] == ':' && digits(s, 14, 2) &&
         s[16] == ':' && digits(s, 17, 2) && s[19] == 'Z';
}

void read_version(RecordReader& r) {
  const toml::node* node = r.opt_node("schema_version");
  if (!node) missing(r, "schema_version");
  auto v = node->value_exact<int64_t>();
  if (!v) field_error(*node, r.file(), "schema_version", "expected an integer");
  if (*v != 1) field_error(*node, r.file(), "schema_version", fmt::format("unsupported version {}; this llmcost reads 1", *v));
}

std::map<std::string, double> read_gemm_tflops(RecordReader& r) {
  const toml::table* t = r.opt_table("gemm_tflops");
  if (!t) missing(r, "gemm_tflops");
  RecordReader sub(*t, r.file());
  std::map<std::string, double> out;
  for (const auto& dtype : calibration_dtypes()) {
    if (auto v = sub.opt_positive(dtype)) out[dtype] = *v;
  }
  sub.finish();
  if (out.empty()) {
    field_error(*t, r.file(), "gemm_tflops", fmt::format("expected at least one dtype ({})", join_or(calibration_dtypes())));
  }
  return out;
}

GemmRow read_gemm_row(RecordReader& r) {
  GemmRow row;
  row.dtype = one_of(r, "dtype", calibration_dtypes());
  row.m = r.integer("m", 1, kMaxDim);
  row.n = r.integer("n", 1, kMaxDim);
  row.k = r.integer("k", 1, kMaxDim);
  row.seconds = r.positive("seconds");
  row.tflops = r.positive("tflops");
  return row;
}

BandwidthRow read_bandwidth_row(RecordReader& r) {
  BandwidthRow row;
  row.kernel = one_of(r, "kernel", kKernels);
  row.bytes = r.positive("bytes");
  row.seconds = r.positive("seconds");
  row.gbps = r.positive("gbps");
  return row;
}

// The `[[key]]` array of tables, each read by `read_row` and checked for unknown keys.
template <class Row>
std::vector<Row> read_rows(RecordReader& r, std::string_view key, Row (*read_row)(RecordReader&)) {
  std::vector<Row> rows;
  const toml::node* node = r.opt_node(key);
  if (!node) return rows;
  const toml::array* arr = node->as_array();
  if (!arr) field_error(*node, r.file(), key, fmt::format("expected an array of tables ([[{}]])", key));
  for (const toml::node& item : *arr) {
    const toml::table* t = item.as_table();
    if (!t) field_error(item, r.file(), key, fmt::format("expected an array of tables ([[{}]])", key));
    RecordReader row_reader(*t, r.file());
    rows.push_back(read_row(row_reader));
    row_reader.finish();
  }
  return rows;
}

// TOML basic string: quotes, backslashes and control characters escaped.
std::string toml_string(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') out += {'\\', ch};
    else if (u < 0x20 || u == 0x7f) out += fmt::format("\\u{:04X}", u);
    else out += ch;
  }
  return out + "\"";
}

// Shortest text that reads back as the same double (fmt's default), valid TOML for finite values.
std::string num(double v) { return fmt::format("{}", v); }

std::vector<std::string> tokens(std::string_view name) {
  std::vector<std::string> out(1);
  for (char ch : name) {
    if (std::isalnum(static_cast<unsigned char>(ch))) out.back() += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    else if (!out.back().empty()) out.emplace_back();
  }
  if (out.back().empty()) out.pop_back();
  return out;
}

// CUDA device names do not follow the catalog's names ("NVIDIA H100 80GB HBM3" is the SXM part),
// so known parts are recognised by name tokens: all of `need`, none of `avoid`.
struct NameRule {
  std::vector<std::string> need, avoid;
  std::string id;
};
const std::vector<NameRule>& name_rules() {
  static const std::vector<NameRule> rules{
      {{"h100", "pcie"}, {}, "h100-pcie"},
      {{"h100"}, {"nvl"}, "h100-sxm"},
      {{"h200"}, {"nvl"}, "h200"},
      {{"a100", "80gb"}, {"pcie"}, "a100-80gb"},
      {{"a100", "40gb"}, {"pcie"}, "a100-40gb"},
      {{"b200"}, {}, "b200"},
      {{"l4"}, {}, "l4"},
      {{"a10g"}, {}, "a10g"},
      {{"rtx", "a6000"}, {}, "a6000"},
      {{"rtx", "4090"}, {}, "rtx-4090"},
      {{"v100", "16gb"}, {"pcie"}, "v100-16gb"},
      {{"v100", "32gb"}, {"pcie"}, "v100-32gb"},
  };
  return rules;
}

}  // namespace

const std::vector<std::string>& calibration_dtypes() {
  static const std::vector<std::string> dtypes{"fp32", "tf32", "fp16", "bf16", "fp8"};
  return dtypes;
}

std::optional<double> Calibration::gemm_flops(std::string_view dtype) const {
  auto it = gemm_tflops.find(std::string(dtype));
  if (it == gemm_tflops.end()) return std::nullopt;
  return it->second * 1e12;
}

bool GemmRow::operator==(const GemmRow& o) const {
  return dtype == o.dtype && m == o.m && n == o.n && k == o.k && seconds == o.seconds && tflops == o.tflops;
}

bool BandwidthRow::operator==(const BandwidthRow& o) const {
  return kernel == o.kernel && bytes == o.bytes && seconds == o.seconds && gbps == o.gbps;
}

bool Calibration::operator==(const Calibration& o) const {
  return schema_version == o.schema_version && device == o.device && driver == o.driver &&
         accelerator == o.accelerator && method == o.method && date == o.date && sm_clock_mhz == o.sm_clock_mhz &&
         memory_clock_mhz == o.memory_clock_mhz && gemm_tflops == o.gemm_tflops &&
         bandwidth_gbps == o.bandwidth_gbps && gemm == o.gemm && bandwidth == o.bandwidth && notes == o.notes;
}

Calibration read_calibration(std::string_view text, const std::string& origin) {
  const toml::table root = parse_toml(text, origin);
  RecordReader r(root, origin);
  Calibration c;
  c.origin = r.origin();
  read_version(r);
  c.device = r.string("device");
  c.driver = r.string("driver");
  c.accelerator = r.string("accelerator");
  c.method = one_of(r, "method", kMethods);
  c.date = r.string("date");
  if (!is_iso_date(c.date)) {
    field_error(*root.get("date"), origin, "date", fmt::format("expected an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ), got '{}'", c.date));
  }
  c.sm_clock_mhz = r.opt_positive("sm_clock_mhz");
  c.memory_clock_mhz = r.opt_positive("memory_clock_mhz");
  c.bandwidth_gbps = r.positive("bandwidth_gbps");
  c.notes = r.string_list("notes");
  c.gemm_tflops = read_gemm_tflops(r);
  c.gemm = read_rows<GemmRow>(r, "gemm", read_gemm_row);
  c.bandwidth = read_rows<BandwidthRow>(r, "bandwidth", read_bandwidth_row);
  r.finish();
  return c;
}

Calibration load_calibration(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) throw EnvError(fmt::format("cannot read calibration file '{}': {}", path, std::strerror(errno)));
  return read_calibration(text.str(), path);
}

std::string calibration_to_toml(const Calibration& c) {
  std::string out =
      "# llmcost calibration: what `llmcost calibrate` measured on one device.\n"
      "# Use it with --calibration FILE on train, infer and search. TFLOP/s are dense, GB/s = 1e9 B/s.\n";
  out += fmt::format("schema_version = {}\n", c.schema_version);
  out += fmt::format("device = {}\ndriver = {}\n", toml_string(c.device), toml_string(c.driver));
  out += fmt::format("accelerator = {}\nmethod = {}\n", toml_string(c.accelerator), toml_string(c.method));
  out += fmt::format("date = {}\n", toml_string(c.date));
  if (c.sm_clock_mhz) out += fmt::format("sm_clock_mhz = {}\n", num(*c.sm_clock_mhz));
  if (c.memory_clock_mhz) out += fmt::format("memory_clock_mhz = {}\n", num(*c.memory_clock_mhz));
  out += fmt::format("bandwidth_gbps = {}\n", num(c.bandwidth_gbps));
  if (!c.notes.empty()) {
    out += "notes = [\n";
    for (const auto& n : c.notes) out += fmt::format("  {},\n", toml_string(n));
    out += "]\n";
  }
  out += "\n[gemm_tflops]\n";
  for (const auto& [dtype, tf] : c.gemm_tflops) out += fmt::format("{} = {}\n", dtype, num(tf));
  for (const auto& g : c.gemm) {
    out += fmt::format("\n[[gemm]]\ndtype = {}\nm = {}\nn = {}\nk = {}\nseconds = {}\ntflops = {}\n", toml_string(g.dtype),
                       g.m, g.n, g.k, num(g.seconds), num(g.tflops));
  }
  for (const auto& b : c.bandwidth) {
    out += fmt::format("\n[[bandwidth]]\nkernel = {}\nbytes = {}\nseconds = {}\ngbps = {}\n", toml_string(b.kernel),
                       num(b.bytes), num(b.seconds), num(b.gbps));
  }
  return out;
}

void summarize(Calibration& c) {
  c.gemm_tflops.clear();
  for (const auto& dtype : calibration_dtypes()) {
    double largest = 0;
    for (const auto& g : c.gemm) {
      if (g.dtype == dtype) largest = std::max(largest, double(g.m) * double(g.n) * double(g.k));
    }
    for (const auto& g : c.gemm) {
      if (g.dtype != dtype || double(g.m) * double(g.n) * double(g.k) < largest / 64) continue;
      c.gemm_tflops[dtype] = std::max(c.gemm_tflops[dtype], g.tflops);
    }
  }
  c.bandwidth_gbps = 0;
  for (const auto& b : c.bandwidth) {
    if (b.kernel != "memcpy") c.bandwidth_gbps = std::max(c.bandwidth_gbps, b.gbps);
  }
}

std::optional<std::string> match_accelerator(std::string_view device_name, const Catalog& catalog) {
  const std::vector<std::string> toks = tokens(device_name);
  auto has = [&](const std::string& t) { return std::find(toks.begin(), toks.end(), t) != toks.end(); };
  auto known = [&](std::string_view id) -> std::optional<std::string> {
    RecordKind kind{};
    const RecordBase* rec = catalog.find_any(id, &kind);
    if (rec && kind == RecordKind::accelerator) return rec->id;
    return std::nullopt;  // a user catalog without this part
  };
  for (const auto& rule : name_rules()) {
    if (std::all_of(rule.need.begin(), rule.need.end(), has) && std::none_of(rule.avoid.begin(), rule.avoid.end(), has)) {
      return known(rule.id);
    }
  }
  // A user's own accelerator record may carry the driver's name as its name or an alias.
  for (const auto& a : catalog.accelerators()) {
    if (tokens(a.name) == toks) return a.id;
    for (const auto& alias : a.aliases) {
      if (tokens(alias) == toks) return a.id;
    }
  }
  return std::nullopt;
}

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

#ifdef LLMCOST_HAVE_CUDA
namespace {

// The plugin next to an installed binary (<prefix>/lib/llmcost/), else the build tree's.
std::string plugin_path() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path() / LLMCOST_GPU_PLUGIN_INSTALL_REL;
    if (fs::exists(installed, ec)) return installed.string();
  }
  return LLMCOST_GPU_PLUGIN_BUILD;
}

template <class Fn>
Fn symbol(void* handle, const char* name) {
  Fn fn = nullptr;
  void* p = handle ? dlsym(handle, name) : nullptr;
  static_assert(sizeof fn == sizeof p);
  std::memcpy(&fn, &p, sizeof fn);  // POSIX guarantees object and function pointers convert
  return fn;
}

struct Plugin {
  gpu::AvailableFn available = nullptr;
  gpu::MeasureFn measure = nullptr;
  std::string error;  // why it could not be loaded
};

// Loaded once and never unloaded (CUDA libraries do not unload cleanly).
const Plugin& plugin() {
  static const Plugin loaded = [] {
    Plugin p;
    const std::string path = plugin_path();
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      p.error = fmt::format("cannot load llmcost's CUDA plugin: {}; use --cpu", dlerror());
      return p;
    }
    const auto abi = symbol<gpu::AbiFn>(handle, gpu::kAbiSymbol);
    p.available = symbol<gpu::AvailableFn>(handle, gpu::kAvailableSymbol);
    p.measure = symbol<gpu::MeasureFn>(handle, gpu::kMeasureSymbol);
    if (!abi || abi() != gpu::kAbi || !p.available || !p.measure) {
      p.error = fmt::format("llmcost's CUDA plugin '{}' is from another build; reinstall llmcost or use --cpu", path);
    }
    return p;
  }();
  return loaded;
}

}  // namespace

std::optional<std::string> cuda_unavailable_reason(int device) {
  const Plugin& p = plugin();
  if (!p.error.empty()) return p.error;
  std::string reason;
  if (p.available(device, reason)) return std::nullopt;
  return reason;
}

Calibration calibrate_cuda(const CalibrateOptions& options) {
  if (auto reason = cuda_unavailable_reason(options.device)) throw EnvError(*reason);
  Calibration c;
  std::string error;
  if (!plugin().measure(options, c, error)) throw EnvError(error);
  c.method = "cuda";
  c.date = utc_timestamp();
  summarize(c);
  if (c.gemm_tflops.empty() || c.bandwidth_gbps <= 0) {
    throw EnvError(fmt::format("calibration measured nothing usable on {}{}", c.device,
                               c.notes.empty() ? "" : ": " + c.notes.back()));
  }
  return c;
}
#else
// Built without the CUDA toolkit: the CUDA path exists only to say so.
std::optional<std::string> cuda_unavailable_reason(int) { return "this llmcost was built without CUDA; use --cpu"; }
Calibration calibrate_cuda(const CalibrateOptions&) { throw EnvError(*cuda_unavailable_reason(0)); }
#endif

}  // namespace llmcost
