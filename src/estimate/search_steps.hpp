// The steps of a search-query estimate: resolve (settings, once), compute (the query's tokens,
// cost and revenue; the cloud method prices its tokens with the infer estimator), rows
// (search_report.cpp).
#pragma once

#include <optional>

#include "estimate/resolve.hpp"
#include "llmcost/search.hpp"

namespace llmcost {

struct SearchContext {
  bool two_stage = false, api = true;
  bool split_price = false;  // input and output API prices given apart
  Setting prompt, response, samples, results, section, words_per_token, api_price, cache, margin, queries, revenue,
      optimization;
  double cloud_margin = 0;  // assumption cloud_gross_margin: the in-house factor's default is 1 / (1 - it)
};

// What the cloud method's serving estimate contributes.
struct ServingCost {
  Report infer;  // the infer report of one call's tokens
  bool default_model = false;
  double roofline_usd = 0, flop_rule_usd = 0;  // per query, before cache hits
};

struct SearchNumbers {
  double in_words = 0, out_words = 0, calls = 1, sequences = 1, words = 0, in_tokens = 0, out_tokens = 0, tokens = 0;
  double price_per_query = 0, cost = 0, implied_margin = 0;
  double revenue_per_query = 0, cost_to_revenue = 0, annual_cost = 0;
  double in_house = 0, optimized_cost = 0, optimized_ratio = 0, optimized_annual = 0;
  std::optional<ServingCost> serving;  // the cloud method
};

// Resolves the settings; throws InputError for an input the mode or method does not use.
SearchContext resolve_search(const SearchInputs& in, const Catalog& cat);

// The numbers; the cloud method runs the infer estimator on the query's tokens.
SearchNumbers compute_search(const SearchInputs& in, const SearchContext& c, const Catalog& cat);

}  // namespace llmcost
