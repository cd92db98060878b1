// The economics of one LLM-powered search query (docs/reference-case.md §2): what the tokens of a
// ChatGPT-style answer or a two-stage retrieve-then-summarise answer cost, against what a search
// query earns.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "llmcost/catalog.hpp"
#include "llmcost/infer.hpp"
#include "llmcost/report.hpp"
#include "llmcost/uncertainty.hpp"

namespace llmcost {

enum class SearchMode {
  chatgpt,    // one prompt, `samples` responses sampled, best kept
  two_stage,  // `results` retrieved sections, one summary each, the query once
};
enum class SearchMethod {
  api,    // pay an API per token; cost to serve = price × (1 − cache hits) × (1 − API margin)
  cloud,  // price the tokens on a model and offer (FLOP rule and roofline of llmcost infer)
};

struct SearchInputs {
  std::optional<SearchMode> mode;      // default chatgpt
  std::optional<SearchMethod> method;  // default api
  std::optional<double> prompt_words, response_words;
  std::optional<double> samples;                 // chatgpt mode only
  std::optional<double> results, section_words;  // two-stage mode only
  std::optional<double> words_per_token;
  std::optional<double> api_usd_per_1k_tokens;
  std::optional<double> api_usd_per_1m_input;   // API price of input tokens, as APIs quote it (with the output price)
  std::optional<double> api_usd_per_1m_output;  // API price of output tokens
  std::optional<double> cache_hit;              // [0, 1)
  std::optional<double> api_margin;             // [0, 1)
  std::optional<double> queries_per_year;
  std::optional<double> revenue_per_year;
  std::optional<double> optimization_factor;
  std::optional<double> in_house_factor;   // default 1 / (1 − cloud gross margin)
  InferInputs serving;                     // model, offer, ... for --method cloud
  std::vector<std::string> serving_flags;  // the `serving` inputs given ("--offer"): cloud method only
  UncertaintyOptions uncertainty;          // --uncertainty (docs/uncertainty.md §1)
};

// Estimates the cost of one query and its share of the revenue per query. Throws InputError for
// an input the mode or method does not use (--results with chatgpt, --offer with api).
Report estimate_search(const SearchInputs& in, const Catalog& catalog);

}  // namespace llmcost
