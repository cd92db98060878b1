#include <fmt/format.h>

#include "estimate/field_parsers.hpp"
#include "estimate/kind.hpp"
#include "estimate/uncertainty_rows.hpp"
#include "llmcost/error.hpp"
#include "llmcost/hf_config.hpp"
#include "llmcost/train.hpp"
#include "llmcost/units.hpp"

namespace llmcost {
namespace {

std::string parse_dtype(std::string_view text) {
  for (std::string_view d : {"fp32", "tf32", "fp16", "bf16", "fp8"}) {
    if (text == d) return std::string(text);
  }
  if (text == "int8" || text == "int4") {
    throw InputError(
        fmt::format("{} training is not supported (integer formats quantise models for inference); "
                    "train in bf16, fp16 or fp8",
                    text));
  }
  throw InputError(fmt::format("expected fp32, tf32, fp16, bf16 or fp8, got '{}'", text));
}

FlopsRule parse_rule(std::string_view text) {
  if (text == "6nd" || text == "6ND") return FlopsRule::six_nd;
  if (text == "detailed") return FlopsRule::detailed;
  throw InputError(fmt::format("expected 6nd or detailed, got '{}'", text));
}

using F = Field<TrainInputs>;

const std::vector<F>& train_fields() {
  static const std::vector<F> fields = [] {
    std::vector<F> f{
        {"model", "ID", "catalog model id or alias (see 'llmcost list models')",
         [](TrainInputs& in, std::string_view t) { in.model = parse_id(t); }},
        {"model-config", "FILE", "Hugging Face config.json to read the architecture from (instead of --model)",
         [](TrainInputs& in, std::string_view t) { in.model_config = load_hf_config(parse_file(t)); }},
        {"params", "COUNT", "parameter count, e.g. 7B (overrides the model's)",
         [](TrainInputs& in, std::string_view t) { in.params = parse_count(t); }},
        {"tokens", "COUNT", "training tokens, e.g. 300B or 1.4T (default: the model's train_tokens)",
         [](TrainInputs& in, std::string_view t) { in.tokens = parse_count(t); }},
        {"hardware", "ID", "accelerator id (default: the offer's; see 'llmcost list accelerators')",
         [](TrainInputs& in, std::string_view t) { in.hardware = parse_id(t); }},
        {"offer", "ID", "cloud offer id that sets price and accelerator (default: assumption default_train_offer)",
         [](TrainInputs& in, std::string_view t) { in.offer = parse_id(t); }},
        {"mfu", "FRACTION",
         "model FLOPs utilisation, e.g. 46.2% (default: planned by the performance model, as llmcost plan; else "
         "assumption train_mfu)",
         [](TrainInputs& in, std::string_view t) { in.mfu = parse_fraction(t); }},
        {"achieved-tflops", "TFLOPS", "achieved TFLOP/s per chip, instead of --mfu",
         [](TrainInputs& in, std::string_view t) { in.achieved_tflops = parse_positive(t, "TFLOPS"); }},
        {"dtype", "DTYPE",
         "training precision: fp32, tf32, fp16, bf16, fp8 (default: bf16, else fp16; fp8 applies assumption "
         "fp8_train_speedup to the bf16 MFU)",
         [](TrainInputs& in, std::string_view t) { in.dtype = parse_dtype(t); }},
        {"seq-len", "TOKENS",
         "context length the model was trained at, for attention FLOPs (default: the model's seq_len; a config's "
         "max_position_embeddings is not used)",
         [](TrainInputs& in, std::string_view t) { in.seq_len = parse_whole(t, "tokens"); }},
        {"chips", "N", "number of chips (solves the wall-clock time)",
         [](TrainInputs& in, std::string_view t) { in.chips = parse_whole(t, "chips"); }},
        {"days", "DURATION",
         "wall-clock time to solve the chip count for, e.g. 30 or 36h (default: assumption "
         "default_train_days)",
         [](TrainInputs& in, std::string_view t) { in.days = parse_duration_s(t, 86400) / 86400; }},
        {"watts-per-chip", "WATTS",
         "measured average power per chip, server share included (default: TDP × --host-power-ratio)",
         [](TrainInputs& in, std::string_view t) { in.watts_per_chip = parse_positive(t, "W"); }},
        {"host-power-ratio", "RATIO",
         "server power per chip / accelerator TDP, >= 1 (default: the catalog's system power, else assumption "
         "host_power_ratio; 1 counts the accelerators alone)",
         [](TrainInputs& in, std::string_view t) {
           in.host_power_ratio = parse_positive(t);
           if (*in.host_power_ratio < 1) throw InputError(fmt::format("expected a ratio >= 1, got '{}'", t));
         }},
        {"pue", "RATIO", "datacenter power usage effectiveness (default: assumption pue)",
         [](TrainInputs& in, std::string_view t) {
           in.pue = parse_positive(t);
           if (*in.pue < 1) throw InputError(fmt::format("expected a PUE >= 1, got '{}'", t));
         }},
        {"grid-kg-per-kwh", "KG", "grid carbon intensity, kgCO2e/kWh (default: assumption grid_kg_per_kwh)",
         [](TrainInputs& in, std::string_view t) { in.grid_kg_per_kwh = parse_positive(t, "kg/kWh"); }},
        {"train-flop", "FLOP",
         "total training FLOPs when published or measured, instead of the FLOP rule (e.g. "
         "3.14e23 for GPT-3, Patterson et al. 2021)",
         [](TrainInputs& in, std::string_view t) { in.train_flop = parse_count(t); }},
        {"own", "", "price owned hardware (purchase amortised + electricity) instead of a cloud offer",
         [](TrainInputs& in, std::string_view t) { in.own = parse_bool(t); }},
        {"lifetime-years", "YEARS", "amortisation period with --own (default: assumption hardware_lifetime_years)",
         [](TrainInputs& in, std::string_view t) {
           in.lifetime_years = parse_duration_s(t, 365.25 * 86400) / (365.25 * 86400);
         }},
        {"usd-per-kwh", "USD", "electricity price with --own (default: assumption usd_per_kwh)",
         [](TrainInputs& in, std::string_view t) { in.usd_per_kwh = parse_usd(t); }},
        {"bytes-per-param", "BYTES", "training-state bytes per parameter (default: assumption train_bytes_per_param)",
         [](TrainInputs& in, std::string_view t) { in.bytes_per_param = parse_positive(t); }},
        {"global-batch", "TOKENS",
         "tokens per optimizer step for the planned MFU, e.g. 4194304 (default: the model's published batch, else "
         "assumption plan_global_batch_tokens)",
         [](TrainInputs& in, std::string_view t) { in.global_batch = parse_count(t); }},
        {"goodput", "FRACTION",
         "share of wall time in useful steps (default: assumption train_goodput with a planned MFU, 1 with --mfu)",
         [](TrainInputs& in, std::string_view t) {
           in.goodput = parse_fraction(t);
           if (*in.goodput <= 0) throw InputError("expected a fraction above 0");
         }},
        {"calibration", "FILE",
         "calibration file from 'llmcost calibrate --out': its measured GEMM TFLOP/s is the ceiling",
         [](TrainInputs& in, std::string_view t) { in.calibration = load_calibration(parse_file(t)); }},
        {"flops-rule", "RULE", "6nd (C = 6ND) or detailed (adds attention FLOPs; Kaplan et al. 2020)",
         [](TrainInputs& in, std::string_view t) { in.flops_rule = parse_rule(t); }},
    };
    add_uncertainty_fields(f,
                           "ranges of cost, time, energy and emissions by Monte Carlo over the assumptions' spreads");
    return f;
  }();
  return fields;
}

}  // namespace

// The compute path of sweeps (train_sweep.cpp).
std::unique_ptr<PointEvaluator> train_evaluator(const std::vector<Field<TrainInputs>>& fields, const Catalog& catalog);

const EstimateKind& train_kind() {
  static const KindOf<TrainInputs> kind(
      {"train", "cost, time, energy, carbon and memory of training a model",
       "Examples:\n"
       "  llmcost train --model gpt3\n"
       "  llmcost train --model gpt3 --offer gcp-tpu-v4-1yr --mfu 46.2% --format json\n"
       "  llmcost train --model gpt3 --hardware v100-32gb --chips 10000 --achieved-tflops 24.6 \\\n"
       "                --train-flop 3.14e23 --watts-per-chip 330 --pue 1.10 --grid-kg-per-kwh 0.429\n"
       "  llmcost train --model llama2-70b --hardware h100-sxm --own --days 30 --explain\n"
       "  llmcost train --model gpt3 --uncertainty",
       train_fields, estimate_training, train_evaluator});
  return kind;
}

}  // namespace llmcost
