// Shapes and hardware of the published Megatron-LM runs, for the performance-model tests. The
// hardware comes from the catalog's a100-80gb record and the default assumptions, as `llmcost plan`
// resolves them, so a change to the data shows here.
#pragma once

#include "llmcost/catalog.hpp"
#include "llmcost/data_paths.hpp"
#include "llmcost/perf.hpp"
#include "llmcost/plan.hpp"

namespace llmcost::test {

// A GPT layer stack as Megatron-LM benchmarks it: MHA, ffn 4h, vocabulary 51,200.
inline PerfShape megatron_shape(int layers, int hidden, int heads) {
  PerfShape s;
  s.layers = layers;
  s.hidden = hidden;
  s.heads = heads;
  s.kv_heads = heads;
  s.head_dim = hidden / heads;
  s.ffn = 4 * hidden;
  s.vocab = 51200;
  const double h = hidden, l = layers;
  s.params = 12 * l * h * h * (1 + 13 / (12 * h) + (51200 + 2048) / (12 * l * h));
  s.active = s.params;
  return s;
}

// DGX A100 80GB as Selene ran it: the catalog's a100-80gb with the plan assumptions, resolved as
// `llmcost plan` resolves them.
inline PerfHardware selene_a100() {
  const Catalog cat = load_catalog({LLMCOST_DATA_DIR});
  return perf_hardware(cat.accelerator("a100-80gb"), "bf16", 3072, cat, nullptr);
}

}  // namespace llmcost::test
