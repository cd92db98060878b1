// Parallelism planning: `llmcost plan` searches the layouts of a model on a cluster with the
// performance model (llmcost/perf.hpp) and reports the fastest that fits, or evaluates one given
// layout.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "llmcost/calibration.hpp"
#include "llmcost/catalog.hpp"
#include "llmcost/perf.hpp"
#include "llmcost/report.hpp"
#include "llmcost/uncertainty.hpp"

namespace llmcost {

// How the attention core runs: fused (FlashAttention) or as separate GEMMs and softmax (Megatron-LM
// before 2023, the published validation runs).
enum class Attention { flash, unfused };

struct PlanInputs {
  std::string model;                   // catalog id
  std::optional<Model> model_config;   // a model read from a Hugging Face config.json
  std::string hardware;                // accelerator id
  std::string offer;                   // offer id (implies the accelerator; prices the run)
  std::optional<double> chips;         // accelerators in the job
  std::optional<double> global_batch;  // tokens per optimizer step
  std::optional<double> seq_len;       // tokens per sequence
  std::optional<double> tokens;        // training tokens for the whole run
  std::string dtype;                   // bf16 | fp16 | fp8 | ...; empty: bf16, else fp16
  std::string layout;                  // "tp=8,pp=8,mb=1,...": evaluate this one instead of searching
  Attention attention = Attention::flash;
  std::optional<double> runtime_efficiency;  // overrides plan_runtime_efficiency
  std::optional<double> top;                 // alternatives to list (default 5)
  std::optional<Calibration> calibration;    // measured GEMM sweep and bandwidth
  UncertaintyOptions uncertainty;            // --uncertainty (docs/uncertainty.md §1)
};

// An accelerator's links as the performance models use them: the chips of one scale-up domain,
// the achievable bytes/s per chip per direction within it and over the network (the catalog's
// GB/s × its collective efficiency, else assumption plan_collective_efficiency; 0 when the catalog
// has no figure), and the latency of one collective (assumption plan_collective_latency_s).
struct LinkFigures {
  int domain = 1;
  double scaleup_bw = 0, scaleout_bw = 0, collective_latency = 0;
};
LinkFigures link_figures(const Accelerator& acc, const Catalog& catalog);

// The accelerator and its links for the performance model, from the catalog record, the plan
// assumptions and an optional calibration (its GEMM sweep and copy bandwidth replace the defaults).
// Throws InputError when the accelerator lacks what `chips` needs (links beyond one domain).
PerfHardware perf_hardware(const Accelerator& acc, const std::string& dtype, double chips, const Catalog& catalog,
                           const Calibration* calibration);

// Parses "tp=8,pp=4,dp=16,vp=3,mb=1,recompute=selective,zero=1,sp=on,cp=1,ep=1"; keys left out
// keep their defaults, dp defaults to what the chips leave. Throws InputError for an unknown key
// or a bad value.
Layout parse_layout(const std::string& text, double chips, Attention attention);

// The run a layout search plans for: the global batch (`batch_tokens` given, else the model's
// published train_batch_tokens, else assumption plan_global_batch_tokens) in whole sequences of
// `seq_len`, rounded up by the search to whole micro-batches of every rank; 2-byte weights (4 for
// fp32/tf32); assumption plan_memory_overhead held back.
struct PlannedRun {
  PerfRun run;
  double batch_tokens = 0;
  std::string batch_source;  // "given", "catalog model ID (published run)" or the assumption
};
PlannedRun planned_run(const Model& m, double seq_len, const std::optional<double>& batch_tokens,
                       const std::string& dtype, const Catalog& catalog);

struct RankedLayout {
  Layout layout;
  StepEstimate step;
};

// Every valid layout of `chips` that fits in memory, fastest first; `evaluated` counts the layouts
// costed. Pure: the search behind `llmcost plan` and `train`'s planned MFU.
std::vector<RankedLayout> search_layouts(const PerfShape& shape, const PerfHardware& hw, const PerfRun& run, int chips,
                                         bool flash, size_t keep, long long* evaluated = nullptr);

// The plan report. Throws InputError for unknown ids, a model without a shape and invalid layouts.
Report estimate_plan(const PlanInputs& in, const Catalog& catalog);

}  // namespace llmcost
