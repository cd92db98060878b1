#include "llmcost/infer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "estimate/estimate_util.hpp"
#include "llmcost/error.hpp"
#include "llmcost/format.hpp"
#include "llmcost/units.hpp"

namespace llmcost {

double dtype_bytes(const std::string& dtype) {
  if (dtype == "fp32" || dtype == "tf32") return 4;
  if (dtype == "fp16" || dtype == "bf16") return 2;
  if (dtype == "fp8" || dtype == "int8") return 1;
  if (dtype == "int4") return 0.5;
  throw InputError(fmt::format("unknown dtype '{}'", dtype));
}

namespace {

// The dtype whose peak runs the matmuls for weights stored as `weights`: the same when the chip
// has it; 8-bit without 8-bit units and int4 run as weight-only quantisation at 16-bit.
std::string compute_dtype(const std::string& weights, const Accelerator& acc, bool explicit_dtype, Report& r) {
  if (acc.peak_flops(weights)) return weights;
  if (explicit_dtype && (weights == "fp32" || weights == "fp16" || weights == "bf16")) {
    throw InputError(fmt::format("--dtype {}: accelerator {} has no {} peak in the catalog", weights, acc.id, weights));
  }
  for (const char* d : {"bf16", "fp16", "fp32"}) {
    if (acc.peak_flops(d)) {
      if (weights != "bf16" && weights != "fp16") {
        r.notes.push_back(fmt::format("{} has no {} units: {} weights are dequantised and multiplied at {} "
                                      "(weight-only quantisation)", acc.id, weights, weights, d));
      }
      return d;
    }
  }
  return acc.peak_tflops.begin()->first;
}

struct Roofline {
  double chips, peak, bw, ce, be;  // per-chip peak FLOP/s and bytes/s, efficiencies
  double weights, kv_per_token;    // bytes
  double active_flop_per_token;    // 2·N_active
  double active_weight_bytes;      // bytes of weights one token touches (MoE: active experts)
  double prompt, output;

  double time(double flop, double bytes) const {
    return std::max(flop / (chips * peak * ce), bytes / (chips * bw * be));
  }
  // Prefill of the whole batch: compute 2·N·P·B; memory: weights once + the KV cache written.
  double ttft(double b) const { return time(active_flop_per_token * prompt * b, weights + b * prompt * kv_per_token); }
  // Weights read per decode step: all of them for a dense model; for MoE at most B tokens' experts.
  double step_weight_bytes(double b) const { return std::min(weights, b * active_weight_bytes); }
  // One decode step at the mean context P + O/2: 2·N·B FLOPs; weights + KV of every sequence read.
  double tpot(double b) const {
    return time(active_flop_per_token * b, step_weight_bytes(b) + b * (prompt + output / 2) * kv_per_token);
  }
  double latency(double b) const { return ttft(b) + (output - 1) * tpot(b); }
  bool memory_bound(double b) const {
    return step_weight_bytes(b) + b * (prompt + output / 2) * kv_per_token > 0 &&
           (step_weight_bytes(b) + b * (prompt + output / 2) * kv_per_token) / (bw * be) >
               active_flop_per_token * b / (peak * ce);
  }
};

// Largest batch in [1, hi] with latency <= budget (latency grows with the batch), or 0.
double max_batch_within(const Roofline& rf, double hi, double budget_s) {
  if (hi < 1 || rf.latency(1) > budget_s) return 0;
  double lo = 1;
  while (lo < hi) {
    const double mid = std::floor((lo + hi + 1) / 2);
    if (rf.latency(mid) <= budget_s) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

}  // namespace

Report estimate_inference(const InferInputs& in, const Catalog& cat) {
  Report r;
  r.kind = "infer";
  const ModelParams mp = resolve_model(r, cat, in.model, in.model_config, in.params, "infer");
  const Hardware hw = resolve_hardware(r, cat, in.offer, in.hardware, false, "default_infer_offer",
                                       in.calibration ? &*in.calibration : nullptr);
  const Accelerator& acc = *hw.acc;
  const std::string acc_src = fmt::format("catalog accelerator {}", acc.id);

  // --- Dtypes: weights decide bytes per parameter; the matmul dtype decides the peak.
  std::string wdtype = in.dtype;
  if (wdtype.empty()) wdtype = acc.default_dtype();
  const std::string cdtype = compute_dtype(wdtype, acc, !in.dtype.empty(), r);
  const std::string kvdtype = in.kv_dtype.empty() ? (wdtype == "bf16" ? "bf16" : "fp16") : in.kv_dtype;
  r.add_context("dtype", "Weights / matmul / KV dtype", fmt::format("{} / {} / {}", wdtype, cdtype, kvdtype),
                in.dtype.empty() ? "default: bf16, else fp16" : "given");
  const double peak = r.add_input("peak_flop_per_s", fmt::format("Peak {} per chip (dense)", cdtype),
                                  *acc.peak_flops(cdtype), Unit::flop_per_s, acc_src, cite(acc));
  const double bw = r.add_input("memory_bandwidth_bytes_per_s", "Memory bandwidth per chip",
                                acc.memory_bandwidth_gbps * 1e9, Unit::bytes_per_s, acc_src);
  const double chip_mem = r.add_input("chip_memory_bytes", "Memory per chip", acc.memory_gb * 1e9, Unit::bytes,
                                      acc_src);
  // A calibration replaces the vendor ceilings of the roofline with measured ones (the FLOP rule
  // keeps the reference case's vendor peak × MFU).
  double roof_peak = peak, roof_bw = bw;
  if (in.calibration) {
    const Calibration& cal = *in.calibration;
    std::optional<double> measured = cal.gemm_flops(cdtype);
    std::string mdtype = cdtype;
    for (const auto& [d, tflops] : cal.gemm_tflops) {
      if (!measured || (!cal.gemm_flops(cdtype) && tflops * 1e12 > *measured)) measured = tflops * 1e12, mdtype = d;
    }
    if (!measured || !(cal.bandwidth_gbps > 0)) {
      throw InputError(fmt::format("--calibration {}: needs a GEMM and a bandwidth measurement", cal.origin.file));
    }
    r.add_context("calibration", "Calibration", fmt::format("{} ({}, {})", cal.device, cal.method, cal.date),
                  "given: " + cal.origin.file);
    roof_peak = r.add_input("measured_flop_per_s", fmt::format("Measured {} GEMM ceiling per chip", mdtype), *measured,
                            Unit::flop_per_s, "calibration " + cal.origin.file);
    roof_bw = r.add_input("measured_bandwidth_bytes_per_s", "Measured memory bandwidth per chip",
                          cal.bandwidth_bytes_per_s(), Unit::bytes_per_s, "calibration " + cal.origin.file);
    r.notes.push_back("the roofline uses the calibration's measured ceilings; the compute and bandwidth "
                      "efficiencies apply on top of them");
  }
  const bool priced = hw.offer != nullptr;
  const double price = priced ? add_offer_price(r, hw) : 0;

  // --- FLOP rule (reference §3): 2·N FLOPs per token (N for an encoder-decoder, half the weights
  // per token); chip-seconds per 1K tokens = 2·N·1000 / (peak × MFU).
  const bool enc_dec = mp.model && mp.model->architecture == "encoder-decoder";
  const double flop_per_token = r.add("flop_per_token", "Inference FLOP per token", (enc_dec ? 1 : 2) * mp.active,
                                      Unit::flop, enc_dec ? "{active_params}" : fmt::format("2 × {{{}}}",
                                      mp.active != mp.params ? "active_params" : "params"));
  const double mfu = input_or_assumption(r, cat, in.mfu, "mfu", "MFU (FLOP rule)", Unit::fraction, "infer_mfu");
  const double chip_s_1k = r.add("chip_seconds_per_1k_tokens", "Chip time per 1K tokens (FLOP rule)",
                                 flop_per_token * 1000 / (peak * mfu), Unit::seconds,
                                 "{flop_per_token} × 1000 / ({peak_flop_per_s} × {mfu})");
  if (priced) {
    r.add("cost_per_1k_tokens_usd", "Cost per 1K tokens (FLOP rule)", chip_s_1k * price / 3600, Unit::usd,
          "{chip_seconds_per_1k_tokens} × {usd_per_chip_hour} / 3600");
  }

  // --- Roofline inputs.
  const double wbytes_per_param = dtype_bytes(wdtype);
  const double weights = r.add("weights_bytes", "Weights", mp.params * wbytes_per_param, Unit::bytes,
                               fmt::format("{{params}} × {} B ({})", format_plain(wbytes_per_param), wdtype));
  double kv_per_token = 0;
  const std::optional<double> kv_elems = mp.model ? mp.model->kv_elements_per_token_layer() : std::nullopt;
  if (kv_elems && mp.model->layers) {
    kv_per_token = r.add_input("kv_bytes_per_token", "KV cache per token", *mp.model->layers * *kv_elems *
                                                                               dtype_bytes(kvdtype),
                               Unit::bytes, fmt::format("{}: {} layers × {} K+V elements × {} B", mp.source,
                                                        *mp.model->layers, format_plain(*kv_elems, 6),
                                                        format_plain(dtype_bytes(kvdtype))));
  } else {
    r.notes.push_back("the model's layers and heads are unknown: the KV cache is left out of memory and time");
  }
  const double prompt = input_or_assumption(r, cat, in.prompt_tokens, "prompt_tokens", "Prompt tokens per request",
                                            Unit::tokens, "infer_prompt_tokens");
  const double output = input_or_assumption(r, cat, in.output_tokens, "output_tokens", "Output tokens per request",
                                            Unit::tokens, "infer_output_tokens");
  const double ce = input_or_assumption(r, cat, in.compute_efficiency, "compute_efficiency", "Compute efficiency",
                                        Unit::fraction, "infer_compute_efficiency");
  const double be = input_or_assumption(r, cat, in.bandwidth_efficiency, "bandwidth_efficiency",
                                        "Bandwidth efficiency", Unit::fraction, "infer_bandwidth_efficiency");

  // Chips per replica: given; else one instance of a multi-chip offer; else (bare hardware, or
  // an offer priced per chip) the fewest, a power of two, whose memory holds the weights.
  double chips = 0;
  if (in.chips) {
    chips = r.add_input("chips", "Chips per replica (tensor parallel)", *in.chips, Unit::count, "given");
  } else if (hw.offer && hw.offer->count > 1) {
    chips = r.add_input("chips", "Chips per replica (tensor parallel)", hw.offer->count, Unit::count,
                        fmt::format("one {} instance", hw.offer->instance));
  } else {
    chips = 1;
    while (chips * chip_mem < weights && chips < 65536) chips *= 2;
    r.add_input("chips", "Chips per replica (tensor parallel)", chips, Unit::count,
                "default: fewest (power of two) that hold the weights");
  }

  // --- Memory: weights + KV cache of every sequence at full length, spread over the chips.
  const double per_seq_kv = (prompt + output) * kv_per_token;
  const double free_bytes = chips * chip_mem - weights;
  const double max_fit = free_bytes < 0 ? 0 : (per_seq_kv > 0 ? std::floor(free_bytes / per_seq_kv) : 1e9);
  const double cap = cat.assumption_number("infer_max_batch");
  double batch = 0;
  if (in.batch) {
    batch = r.add_input("batch", "Batch (concurrent sequences)", *in.batch, Unit::count, "given");
  } else {
    batch = std::max(1.0, std::min(cap, max_fit));
    r.add_input("batch", "Batch (concurrent sequences)", batch, Unit::count,
                fmt::format("default: largest that fits, at most {} (assumption infer_max_batch)", format_count(cap)),
                cite(cat.assumption("infer_max_batch")));
  }
  const double kv_total = r.add("kv_cache_bytes", "KV cache (whole batch)", batch * per_seq_kv, Unit::bytes,
                                "{batch} × ({prompt_tokens} + {output_tokens}) × {kv_bytes_per_token}");
  r.add("memory_per_chip_bytes", "Memory per chip used", (weights + kv_total) / chips, Unit::bytes,
        "({weights_bytes} + {kv_cache_bytes}) / {chips}");
  const bool fits = weights + kv_total <= chips * chip_mem;
  r.add("fits", "Fits in memory", fits ? 1 : 0, Unit::flag, "{memory_per_chip_bytes} <= {chip_memory_bytes}");
  if (per_seq_kv > 0 || free_bytes < 0) {  // with no KV cache to count, no batch limit to report
    r.add("max_batch_fit", "Largest batch that fits", max_fit, Unit::count,
          "floor(({chips} × {chip_memory_bytes} - {weights_bytes}) / (({prompt_tokens} + {output_tokens}) × "
          "{kv_bytes_per_token}))");
  }
  if (!fits) {
    r.notes.push_back(max_fit >= 1
                          ? fmt::format("a batch of {} does not fit on {} × {}: the largest that fits is {}",
                                        format_count(batch), format_count(chips), acc.id, format_count(max_fit))
                          : fmt::format("the weights alone ({}) exceed the memory of {} × {} ({}): add chips or "
                                        "quantise; times below assume they fit",
                                        format_si(weights, "B"), format_count(chips), acc.id,
                                        format_si(chips * chip_mem, "B")));
  }

  // --- Roofline times (Williams et al. 2009): each phase takes max(FLOPs / compute, bytes / bandwidth).
  const double active_bytes = mp.active * wbytes_per_param;
  const Roofline rf{chips, roof_peak, roof_bw, ce, be, weights, kv_per_token, flop_per_token, active_bytes, prompt, output};
  const double ttft = r.add("time_to_first_token_s", "Time to first token", rf.ttft(batch), Unit::seconds,
                            "max(2·N·{prompt_tokens}·{batch} / compute, weights / bandwidth)");
  const double tpot = r.add("time_per_output_token_s", "Time per output token", rf.tpot(batch), Unit::seconds,
                            "max(2·N·{batch} / compute, (weights + {batch}·context·{kv_bytes_per_token}) / bandwidth)");
  r.add_text_result("bound", "Decode is bound by", rf.memory_bound(batch) ? "memory bandwidth" : "compute",
                    "the larger of the two terms of time_per_output_token_s");
  r.add("request_latency_s", "Request latency", rf.latency(batch), Unit::seconds,
        "{time_to_first_token_s} + ({output_tokens} - 1) × {time_per_output_token_s}");
  const double tps = r.add("tokens_per_s", "Output tokens/s per replica", batch / tpot, Unit::tokens_per_s,
                           "{batch} / {time_per_output_token_s}");
  r.add("tokens_per_s_per_chip", "Output tokens/s per chip", tps / chips, Unit::tokens_per_s, "{tokens_per_s} / {chips}");
  if (priced) {
    // The replica's price per second split by phase: prefill time over prompt tokens, decode time
    // over output tokens.
    const double usd_per_s = chips * price / 3600;
    r.add("cost_per_1m_input_tokens_usd", "Cost per 1M input tokens (roofline)", usd_per_s * ttft / (batch * prompt) * 1e6,
          Unit::usd, "{chips} × {usd_per_chip_hour} / 3600 × {time_to_first_token_s} / ({batch} × {prompt_tokens}) × 1e6");
    r.add("cost_per_1m_output_tokens_usd", "Cost per 1M output tokens (roofline)", usd_per_s * tpot / batch * 1e6,
          Unit::usd, "{chips} × {usd_per_chip_hour} / 3600 × {time_per_output_token_s} / {batch} × 1e6");
    r.add("cost_per_request_usd", "Cost per request (roofline)",
          usd_per_s * (ttft / batch + output * tpot / batch), Unit::usd,
          "{cost_per_1m_input_tokens_usd} × {prompt_tokens} / 1e6 + {cost_per_1m_output_tokens_usd} × {output_tokens} / 1e6");
  } else {
    r.notes.push_back("no price: give --offer ID for costs");
  }
  if (in.latency_budget_ms) {
    const double budget = r.add_input("latency_budget_s", "Latency budget", *in.latency_budget_ms / 1000,
                                      Unit::seconds, "given");
    const double best = max_batch_within(rf, std::max(1.0, std::min(max_fit, 1e6)), budget);
    r.add("max_batch_latency_budget", "Largest batch within the latency budget", best, Unit::count,
          "largest batch with {request_latency_s} <= {latency_budget_s}");
    if (best == 0) r.notes.push_back("even a batch of 1 exceeds the latency budget");
  }
  r.notes.push_back("roofline leaves out attention FLOPs, communication between tensor-parallel chips and "
                    "scheduling overheads; the FLOP rule folds all of them into the MFU");
  r.title = fmt::format("Serving {} on {} × {}{}", model_title(mp.model, mp.params, resizes(mp.model, in.params)),
                        format_count(chips), acc.name, hw.offer ? " (" + hw.offer->id + ")" : "");
  return r;
}

}  // namespace llmcost
