// The calibration file (read, validate, write) and the summary of a sweep.
#include "llmcost/calibration.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <ctime>

#include "catalog/toml_record.hpp"
#include "llmcost/files.hpp"
#include "llmcost/text.hpp"

namespace llmcost {
namespace {

constexpr long long kMaxDim = 1LL << 20;  // far beyond any matrix a GPU holds
const std::vector<std::string> kMethods{"cuda", "cpu"};
const std::vector<std::string> kKernels{"copy", "triad", "memcpy"};

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
  return s[10] == 'T' && digits(s, 11, 2) && s[13] == ':' && digits(s, 14, 2) && s[16] == ':' && digits(s, 17, 2) &&
         s[19] == 'Z';
}

void read_version(RecordReader& r) {
  const toml::node* node = r.opt_node("schema_version");
  if (!node) missing(r, "schema_version");
  auto v = node->value_exact<int64_t>();
  if (!v) field_error(*node, r.file(), "schema_version", "expected an integer");
  if (*v != 1)
    field_error(*node, r.file(), "schema_version", fmt::format("unsupported version {}; this llmcost reads 1", *v));
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
    field_error(*t, r.file(), "gemm_tflops",
                fmt::format("expected at least one dtype ({})", join_or(calibration_dtypes())));
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
    if (ch == '"' || ch == '\\')
      out += {'\\', ch};
    else if (u < 0x20 || u == 0x7f)
      out += fmt::format("\\u{:04X}", u);
    else
      out += ch;
  }
  return out + "\"";
}

// Shortest text that reads back as the same double (fmt's default), valid TOML for finite values.
std::string num(double v) {
  return fmt::format("{}", v);
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
         memory_clock_mhz == o.memory_clock_mhz && gemm_tflops == o.gemm_tflops && bandwidth_gbps == o.bandwidth_gbps &&
         gemm == o.gemm && bandwidth == o.bandwidth && notes == o.notes;
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
    field_error(*root.get("date"), origin, "date",
                fmt::format("expected an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ), got '{}'", c.date));
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
  return read_calibration(read_file(path, "calibration file"), path);
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
    out += fmt::format("\n[[gemm]]\ndtype = {}\nm = {}\nn = {}\nk = {}\nseconds = {}\ntflops = {}\n",
                       toml_string(g.dtype), g.m, g.n, g.k, num(g.seconds), num(g.tflops));
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

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace llmcost
