// The cost of one LLM-powered search query, resolve and compute steps (search_steps.hpp):
// docs/reference-case.md §2. search_report.cpp writes the rows.
#include <fmt/format.h>

#include <cmath>

#include "estimate/search_steps.hpp"
#include "llmcost/error.hpp"
#include "llmcost/infer.hpp"

namespace llmcost {
namespace {

// Inputs that one mode or method does not use are errors, not silently dropped.
void check_applicable(const SearchInputs& in, bool two_stage, bool api) {
  if (two_stage) {
    reject_inapplicable({{in.samples.has_value(), "--samples"}}, "--mode chatgpt");
  } else {
    reject_inapplicable({{in.results.has_value(), "--results"}, {in.section_words.has_value(), "--section-words"}},
                        "--mode two-stage");
  }
  if (api) {
    std::vector<GivenFlag> serving;
    for (const std::string& flag : in.serving_flags) serving.push_back({true, flag});
    reject_inapplicable(serving, "--method cloud");
  } else {
    reject_inapplicable({{in.api_margin.has_value(), "--api-margin"}}, "--method api");
  }
}

// Prices one call's tokens with the infer estimator: the FLOP rule (the reference's §3 method)
// as the headline, the roofline beside it.
ServingCost cloud_cost(const SearchInputs& in, const Catalog& cat, const SearchNumbers& n) {
  ServingCost s;
  InferInputs serving = in.serving;
  s.default_model = serving.model.empty() && !serving.model_config && !serving.params;
  if (s.default_model) serving.model = cat.assumption_text("default_search_model");
  serving.prompt_tokens = std::max(1.0, std::round(n.in_tokens / n.calls));
  // Each generated answer is one sequence: ChatGPT-style sampling decodes `samples` answers that
  // share the prompt (prefilled once), each at its own context, not one long generation.
  serving.output_tokens = std::max(1.0, std::round(n.out_tokens / n.sequences));
  s.infer = estimate_inference(serving, cat);
  if (!s.infer.find("cost_per_1k_tokens_usd")) {
    throw InputError("search --method cloud needs a price: give --offer (see 'llmcost list offers')");
  }
  s.roofline_usd = n.in_tokens * s.infer.value("cost_per_1m_input_tokens_usd") / 1e6 +
                   n.out_tokens * s.infer.value("cost_per_1m_output_tokens_usd") / 1e6;
  s.flop_rule_usd = (n.in_tokens + n.out_tokens) / 1000 * s.infer.value("cost_per_1k_tokens_usd");
  return s;
}

// Words, then tokens (docs/reference-case.md §2). ChatGPT-style: prompt + samples × response
// words. Two-stage: results × (section + response) + prompt words.
void compute_tokens(SearchNumbers& n, const SearchContext& c) {
  if (c.two_stage) {
    n.in_words = c.results.value * c.section.value + c.prompt.value;
    n.out_words = c.results.value * c.response.value;
    n.calls = c.results.value;
    n.sequences = n.calls;
  } else {
    n.in_words = c.prompt.value;
    n.out_words = c.samples.value * c.response.value;
    n.sequences = c.samples.value;
  }
  n.words = n.in_words + n.out_words;
  n.in_tokens = n.in_words / c.words_per_token.value;
  n.out_tokens = n.out_words / c.words_per_token.value;
  n.tokens = n.in_tokens + n.out_tokens;
}

}  // namespace

SearchContext resolve_search(const SearchInputs& in, const Catalog& cat) {
  SearchContext c;
  c.two_stage = in.mode == SearchMode::two_stage;
  c.api = in.method.value_or(SearchMethod::api) == SearchMethod::api;
  check_applicable(in, c.two_stage, c.api);
  c.prompt = setting(in.prompt_words, cat, "search_prompt_words");
  c.response = setting(in.response_words, cat, "search_response_words");
  if (c.two_stage) {
    c.results = setting(in.results, cat, "search_results");
    c.section = setting(in.section_words, cat, "search_section_words");
  } else {
    c.samples = setting(in.samples, cat, "search_samples");
  }
  c.words_per_token = setting(in.words_per_token, cat, "words_per_token");
  c.split_price = in.api_usd_per_1m_input || in.api_usd_per_1m_output;
  if (c.split_price) {
    if (!in.api_usd_per_1m_input || !in.api_usd_per_1m_output)
      throw InputError("give both --api-usd-per-1m-input and --api-usd-per-1m-output (APIs price them apart)");
    if (in.api_usd_per_1k_tokens)
      throw InputError("give either --api-usd-per-1k-tokens or the input and output prices, not both");
  }
  c.api_price = setting(in.api_usd_per_1k_tokens, cat, "api_usd_per_1k_tokens");
  c.cache = setting(in.cache_hit, cat, "cache_hit_rate");
  if (c.api) c.margin = setting(in.api_margin, cat, "api_gross_margin");
  c.queries = setting(in.queries_per_year, cat, "search_queries_per_year");
  c.revenue = setting(in.revenue_per_year, cat, "search_revenue_per_year_usd");
  c.optimization = setting(in.optimization_factor, cat, "optimization_factor");
  c.cloud_margin = cat.assumption_number("cloud_gross_margin");
  return c;
}

SearchNumbers compute_search(const SearchInputs& in, const SearchContext& c, const Catalog& cat) {
  SearchNumbers n;
  compute_tokens(n, c);
  // Cost to serve. API: price × (1 − cache hits) × (1 − API margin). Cloud: the serving cost of
  // the same tokens × (1 − cache hits).
  n.price_per_query =
      c.split_price ? n.in_tokens * *in.api_usd_per_1m_input / 1e6 + n.out_tokens * *in.api_usd_per_1m_output / 1e6
                    : n.tokens / 1000 * c.api_price.value;
  if (c.api) {
    n.cost = n.price_per_query * (1 - c.cache.value) * (1 - c.margin.value);
  } else {
    n.serving = cloud_cost(in, cat, n);
    n.cost = n.serving->flop_rule_usd * (1 - c.cache.value);
    n.implied_margin = 1 - n.serving->flop_rule_usd / n.price_per_query;
  }
  // Against revenue: revenue per query = search revenue / queries a year.
  n.revenue_per_query = c.revenue.value / c.queries.value;
  n.cost_to_revenue = n.cost / n.revenue_per_query;
  n.annual_cost = n.cost * c.queries.value;
  // Further reductions (docs/reference-case.md §2): optimisation ≈ 4×, in-house instead of cloud
  // ≈ 2× (a cloud gross margin m saves 1 / (1 − m)).
  n.in_house = in.in_house_factor ? *in.in_house_factor : 1 / (1 - c.cloud_margin);
  n.optimized_cost = n.cost / c.optimization.value / n.in_house;
  n.optimized_ratio = n.optimized_cost / n.revenue_per_query;
  n.optimized_annual = n.optimized_cost * c.queries.value;
  return n;
}

}  // namespace llmcost
