// Capacity planning for serving: from traffic (requests per second or tokens a day) and latency
// SLOs to replicas, accelerators, utilisation and dollars a month, per offer. Each replica is what
// `llmcost infer` plans for the offer (chips, batch within the SLOs); continuous batching keeps
// `batch` requests in flight per replica, so a replica completes batch / request latency requests a
// second.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "llmcost/catalog.hpp"
#include "llmcost/infer.hpp"
#include "llmcost/report.hpp"
#include "llmcost/uncertainty.hpp"

namespace llmcost {

struct ServeInputs {
  InferInputs serving;                   // model, dtype, tokens per request, SLOs; offer unused
  std::vector<std::string> offers;       // compared; default: assumption default_infer_offer
  std::optional<double> rps;             // mean requests per second
  std::optional<double> tokens_per_day;  // or mean tokens (input + output) a day
  std::optional<double> peak_to_mean;    // provisioned for the peak: default assumption serve_peak_to_mean
  UncertaintyOptions uncertainty;        // --uncertainty (docs/uncertainty.md §1)
};

// The capacity plan on the cheapest offer, with every offer's monthly cost beside it. Throws
// InputError for unknown ids, missing traffic or an offer whose replica cannot meet the SLOs.
Report estimate_serving(const ServeInputs& in, const Catalog& catalog);

}  // namespace llmcost
