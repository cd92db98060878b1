// The layout search of `llmcost plan` and the hardware and layout inputs it rests on.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "estimate/resolve.hpp"
#include "llmcost/error.hpp"
#include "llmcost/plan.hpp"
#include "llmcost/text.hpp"

namespace llmcost {
namespace {

// The calibration's measured rate for the nearest (log distance) product of its sweep at `dtype`.
std::function<double(double, double, double)> measured_gemm(const Calibration& cal, const std::string& dtype) {
  std::vector<GemmRow> rows;
  for (const GemmRow& r : cal.gemm) {
    if (r.dtype == dtype) rows.push_back(r);
  }
  if (rows.empty()) return {};
  return [rows](double m, double n, double k) {
    const auto dist = [&](const GemmRow& r) {
      const auto d = [](long long a, double b) { return std::pow(std::log(static_cast<double>(a) / b), 2); };
      return d(r.m, m) + d(r.n, n) + d(r.k, k);
    };
    const GemmRow& best = *std::min_element(rows.begin(), rows.end(),
                                            [&](const GemmRow& a, const GemmRow& b) { return dist(a) < dist(b); });
    return best.tflops * 1e12;
  };
}

int layout_int(const std::string& key, const std::string& value) {
  char* end = nullptr;
  const long v = std::strtol(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0' || v < 1 || v > 1000000)
    throw InputError(fmt::format("layout key '{}': expected a whole number >= 1, got {}", key, quoted_excerpt(value)));
  return static_cast<int>(v);
}

bool layout_switch(const std::string& key, const std::string& value) {
  if (value == "on" || value == "true" || value == "1") return true;
  if (value == "off" || value == "false" || value == "0") return false;
  throw InputError(fmt::format("layout key '{}': expected on or off, got {}", key, quoted_excerpt(value)));
}

std::vector<int> divisors(int n, int limit) {
  std::vector<int> out;
  for (int d = 1; d <= std::min(n, limit); ++d) {
    if (n % d == 0) out.push_back(d);
  }
  return out;
}

}  // namespace

LinkFigures link_figures(const Accelerator& acc, const Catalog& catalog) {
  const double collective = catalog.assumption_number("plan_collective_efficiency");
  LinkFigures l;
  l.domain = acc.scaleup_domain.value_or(1);
  l.scaleup_bw = acc.scaleup_gbps.value_or(0) * 1e9 * acc.scaleup_efficiency.value_or(collective);
  l.scaleout_bw = acc.scaleout_gbps.value_or(0) * 1e9 * acc.scaleout_efficiency.value_or(collective);
  l.collective_latency = catalog.assumption_number("plan_collective_latency_s");
  return l;
}

PlannedRun planned_run(const Model& m, double seq_len, const std::optional<double>& batch_tokens,
                       const std::string& dtype, const Catalog& catalog) {
  PlannedRun p;
  p.batch_tokens = batch_tokens ? *batch_tokens
                                : m.train_batch_tokens.value_or(catalog.assumption_number("plan_global_batch_tokens"));
  p.batch_source = batch_tokens           ? "given"
                   : m.train_batch_tokens ? "catalog model " + m.id + " (published run)"
                                          : assumption_source("plan_global_batch_tokens");
  p.run.seq_len = seq_len;
  p.run.global_batch = std::max(1.0, std::round(p.batch_tokens / seq_len));
  p.run.round_batch = true;  // whole micro-batches on every rank, at most 10% above the batch asked for
  p.run.memory_overhead = catalog.assumption_number("plan_memory_overhead");
  p.run.weight_bytes = dtype == "fp32" || dtype == "tf32" ? 4 : 2;
  return p;
}

PerfHardware perf_hardware(const Accelerator& acc, const std::string& dtype, double chips, const Catalog& catalog,
                           const Calibration* calibration) {
  PerfHardware hw;
  const std::string ref_dtype = dtype == "fp8" ? acc.default_dtype() : dtype;
  hw.peak = acc.peak_flops(ref_dtype).value_or(0);
  hw.linear_peak = acc.peak_flops(dtype).value_or(hw.peak);
  hw.matmul_efficiency = acc.matmul_efficiency.value_or(catalog.assumption_number("plan_matmul_efficiency"));
  hw.linear_efficiency =
      dtype == "fp8" ? acc.matmul_efficiency_fp8.value_or(hw.matmul_efficiency) : hw.matmul_efficiency;
  hw.memory_bytes = acc.memory_gb * 1e9;
  hw.memory_bw = acc.memory_bandwidth_gbps * 1e9;
  hw.memory_efficiency = catalog.assumption_number("plan_memory_efficiency");
  hw.runtime_efficiency = catalog.assumption_number("plan_runtime_efficiency");
  hw.zero3_overlap = catalog.assumption_number("plan_zero3_overlap");
  hw.flash_efficiency = catalog.assumption_number("plan_flash_efficiency");
  const LinkFigures links = link_figures(acc, catalog);
  hw.domain = links.domain;
  hw.scaleup_bw = links.scaleup_bw;
  hw.scaleout_bw = links.scaleout_bw;
  hw.collective_latency = links.collective_latency;
  if (hw.domain > 1 && hw.scaleup_bw <= 0)
    throw InputError(fmt::format("accelerator {} has a scale-up domain but no scaleup_gbps in the catalog", acc.id));
  if (chips > hw.domain && hw.scaleout_bw <= 0) {
    throw InputError(fmt::format(
        "accelerator {} has no scaleout_gbps in the catalog: {} chips span more than its {}-chip scale-up domain",
        acc.id, chips, hw.domain));
  }
  if (hw.domain <= 1) hw.scaleup_bw = hw.scaleout_bw;
  if (calibration) {
    hw.measured_gemm = measured_gemm(*calibration, ref_dtype);
    if (calibration->bandwidth_gbps > 0) {
      hw.memory_efficiency = std::min(1.0, calibration->bandwidth_gbps / acc.memory_bandwidth_gbps);
    }
  }
  return hw;
}

Layout parse_layout(const std::string& text, double chips, Attention attention) {
  Layout l;
  l.flash = attention == Attention::flash;
  bool dp_given = false;
  for (const std::string& item : split(text, ',')) {
    const size_t eq = item.find('=');
    if (eq == std::string::npos)
      throw InputError(fmt::format("layout item {}: expected KEY=VALUE (e.g. tp=8)", quoted_excerpt(item)));
    const std::string key(trim(std::string_view(item).substr(0, eq)));
    const std::string value(trim(std::string_view(item).substr(eq + 1)));
    if (key == "tp")
      l.tp = layout_int(key, value);
    else if (key == "pp")
      l.pp = layout_int(key, value);
    else if (key == "dp")
      l.dp = layout_int(key, value), dp_given = true;
    else if (key == "cp")
      l.cp = layout_int(key, value);
    else if (key == "ep")
      l.ep = layout_int(key, value);
    else if (key == "vp")
      l.vp = layout_int(key, value);
    else if (key == "mb")
      l.mb = layout_int(key, value);
    else if (key == "sp")
      l.sp = layout_switch(key, value);
    else if (key == "flash")
      l.flash = layout_switch(key, value);
    else if (key == "zero") {
      if (value.size() != 1 || value[0] < '0' || value[0] > '3')
        throw InputError(fmt::format("layout key 'zero': expected 0, 1, 2 or 3, got {}", quoted_excerpt(value)));
      l.zero = value[0] - '0';
    } else if (key == "recompute") {
      if (value == "none")
        l.recompute = Recompute::none;
      else if (value == "selective")
        l.recompute = Recompute::selective;
      else if (value == "full")
        l.recompute = Recompute::full;
      else
        throw InputError(
            fmt::format("layout key 'recompute': expected none, selective or full, got {}", quoted_excerpt(value)));
    } else {
      const std::vector<std::string> keys{"tp", "pp", "dp", "cp", "ep", "vp", "mb", "recompute", "zero", "sp", "flash"};
      throw InputError(unknown_id_message("layout key", key, keys));
    }
  }
  const double model_parallel = static_cast<double>(l.tp) * l.pp * l.cp;
  if (!dp_given) {
    const double dp = chips / model_parallel;
    if (dp < 1 || dp != std::floor(dp))
      throw InputError(fmt::format("tp × pp × cp = {} does not divide the {} chips", model_parallel, chips));
    l.dp = static_cast<int>(dp);
  } else if (model_parallel * l.dp != chips) {
    throw InputError(fmt::format("tp × pp × cp × dp = {} but the job has {} chips", model_parallel * l.dp, chips));
  }
  if (l.tp == 1) l.sp = false;
  return l;
}

std::vector<RankedLayout> search_layouts(const PerfShape& shape, const PerfHardware& hw, const PerfRun& run, int chips,
                                         bool flash, size_t keep, long long* evaluated) {
  std::vector<RankedLayout> best;
  long long count = 0;
  const int max_tp = std::max(1, std::min(hw.domain * 2, 64));
  const bool moe = shape.experts > 0;
  const int max_cp = run.seq_len >= 16384 ? 16 : 1;
  for (int tp : divisors(shape.heads, max_tp)) {
    if ((tp & (tp - 1)) != 0 || chips % tp != 0) continue;  // powers of two, as frameworks shard
    for (int cp = 1; cp <= max_cp; cp *= 2) {
      if (chips % (tp * cp) != 0) continue;
      for (int pp : divisors(shape.layers, chips / (tp * cp))) {
        if ((chips / (tp * cp)) % pp != 0) continue;
        const int dp = chips / (tp * cp * pp);
        for (int vp : divisors(shape.layers / pp, pp > 1 ? 8 : 1)) {
          for (int ep = 1; ep <= (moe ? dp * cp : 1); ep *= 2) {
            for (int mb : {1, 2, 4, 8, 16}) {
              for (Recompute rc : {Recompute::none, Recompute::selective, Recompute::full}) {
                if (flash && rc == Recompute::selective) continue;  // nothing selective left to redo
                for (int zero = 0; zero <= 3; ++zero) {
                  if (dp * cp == 1 && zero > 0) break;
                  Layout l;
                  l.tp = tp, l.pp = pp, l.dp = dp, l.cp = cp, l.ep = ep, l.vp = vp, l.mb = mb;
                  l.recompute = rc, l.zero = zero, l.sp = tp > 1, l.flash = flash;
                  if (!layout_problem(shape, l, run).empty()) continue;
                  ++count;
                  const StepEstimate e = evaluate_layout(shape, hw, l, run);
                  if (!e.fits) continue;
                  if (best.size() == keep && e.step_s >= best.back().step.step_s) continue;
                  const auto at = std::upper_bound(best.begin(), best.end(), e.step_s,
                                                   [](double t, const RankedLayout& r) { return t < r.step.step_s; });
                  best.insert(at, RankedLayout{l, e});
                  if (best.size() > keep) best.pop_back();
                }
              }
            }
          }
        }
      }
    }
  }
  if (evaluated) *evaluated = count;
  return best;
}

}  // namespace llmcost
