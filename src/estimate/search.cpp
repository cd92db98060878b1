#include "llmcost/search.hpp"

#include <fmt/format.h>

#include "estimate/estimate_util.hpp"
#include "llmcost/error.hpp"
#include "llmcost/format.hpp"
#include "llmcost/units.hpp"

namespace llmcost {
namespace {

constexpr const char* kReference = "reference case §2 (Sunyan, The Economics of Large Language Models, Jan 2023)";

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

// Prices the query's tokens on a model and offer with llmcost infer: the FLOP rule (the
// reference's §3 method) as the headline, the roofline alongside. Returns the cost per query
// before cache hits.
double cloud_cost(Report& r, const SearchInputs& in, const Catalog& cat, double in_tokens, double out_tokens,
                  double calls) {
  InferInputs serving = in.serving;
  const bool default_model = serving.model.empty() && !serving.model_config && !serving.params;
  if (default_model) serving.model = cat.assumption_text("default_search_model");
  serving.prompt_tokens = std::max(1.0, std::round(in_tokens / calls));
  serving.output_tokens = std::max(1.0, std::round(out_tokens / calls));
  const Report inf = estimate_inference(serving, cat);
  if (!inf.find("cost_per_1k_tokens_usd")) {
    throw InputError("search --method cloud needs a price: give --offer (see 'llmcost list offers')");
  }
  for (const char* key : {"model", "accelerator", "offer", "dtype"}) {
    const TextAssumption* t = inf.find_text(key);
    if (!t) continue;
    r.context.push_back(*t);
    if (t->key == "model" && default_model) {
      r.context.back().source = assumption_source("default_search_model");
      r.context.back().cite = cite(cat.assumption("default_search_model"));
    }
  }
  // The serving caveats (memory fit, dtype, roofline scope) hold for the query's tokens too.
  for (const std::string& note : inf.notes) r.notes.push_back("serving: " + note);
  const std::string via = serving.model.empty() ? "llmcost infer" : "llmcost infer --model " + serving.model;
  r.add_input("cost_per_1k_tokens_usd", "Cloud cost per 1K tokens (FLOP rule)", inf.value("cost_per_1k_tokens_usd"),
              Unit::usd, via + " (FLOP rule, MFU " + format_percent(inf.value("mfu")) + ")");
  r.add_input("cost_per_1m_input_tokens_usd", "Cloud cost per 1M input tokens (roofline)",
              inf.value("cost_per_1m_input_tokens_usd"), Unit::usd, via + " (roofline)");
  r.add_input("cost_per_1m_output_tokens_usd", "Cloud cost per 1M output tokens (roofline)",
              inf.value("cost_per_1m_output_tokens_usd"), Unit::usd, via + " (roofline)");
  const double roofline_usd = in_tokens * inf.value("cost_per_1m_input_tokens_usd") / 1e6 +
                             out_tokens * inf.value("cost_per_1m_output_tokens_usd") / 1e6;
  const double roofline = r.add(
      "roofline_cost_per_query_usd", "Cloud cost per query (roofline, before cache)", roofline_usd, Unit::usd,
      "({input_tokens} × {cost_per_1m_input_tokens_usd} + {output_tokens} × {cost_per_1m_output_tokens_usd}) / 1e6");
  const double flop_rule = r.add("flop_rule_cost_per_query_usd", "Cloud cost per query (FLOP rule, before cache)",
                                 (in_tokens + out_tokens) / 1000 * inf.value("cost_per_1k_tokens_usd"), Unit::usd,
                                 "{tokens_per_query} / 1000 × {cost_per_1k_tokens_usd}");
  // The headline follows the FLOP rule; say so when the roofline disagrees by more than 2×.
  const double ratio = roofline / flop_rule;
  if (ratio > 2 || ratio < 0.5) {
    r.notes.push_back(
        fmt::format("the roofline prices the query at {}× the FLOP rule ({} against {}): the cost to "
                    "serve follows the FLOP rule, the reference's method (§3)",
                    format_sig(ratio), format_usd(roofline), format_usd(flop_rule)));
  }
  return flop_rule;
}

}  // namespace

Report estimate_search(const SearchInputs& in, const Catalog& cat) {
  Report r;
  r.kind = "search";
  const bool two_stage = in.mode == SearchMode::two_stage;
  const bool api = in.method.value_or(SearchMethod::api) == SearchMethod::api;
  check_applicable(in, two_stage, api);
  r.add_context("mode", "Mode",
                two_stage ? "two-stage: retrieve, then summarise each result" : "chatgpt: one prompt, sampled answers",
                in.mode ? "given" : "default (--mode two-stage for retrieve-then-summarise)", kReference);
  r.add_context("method", "Method", api ? "api: pay per token" : "cloud: own serving on an offer",
                in.method ? "given" : "default (--method cloud for own serving)");

  // --- Words, then tokens (reference §2). ChatGPT-style: prompt + samples × response words.
  // Two-stage: results × (section + response) + prompt words.
  const double prompt =
      input_or_assumption(r, cat, in.prompt_words, "prompt_words", "Query words", Unit::count, "search_prompt_words");
  const double response = input_or_assumption(r, cat, in.response_words, "response_words", "Words per answer",
                                              Unit::count, "search_response_words");
  double in_words = 0, out_words = 0, calls = 1;
  if (two_stage) {
    const double results =
        input_or_assumption(r, cat, in.results, "results", "Results summarised", Unit::count, "search_results");
    const double section = input_or_assumption(r, cat, in.section_words, "section_words", "Words per retrieved section",
                                               Unit::count, "search_section_words");
    in_words = results * section + prompt;
    out_words = results * response;
    calls = results;
  } else {
    const double samples =
        input_or_assumption(r, cat, in.samples, "samples", "Answers sampled", Unit::count, "search_samples");
    in_words = prompt;
    out_words = samples * response;
  }
  const double wpt = input_or_assumption(r, cat, in.words_per_token, "words_per_token", "Words per token",
                                         Unit::ratio, "words_per_token");
  r.add("words_per_query", "Words billed per query", in_words + out_words, Unit::count,
        two_stage ? "{results} × ({section_words} + {response_words}) + {prompt_words}"
                  : "{prompt_words} + {samples} × {response_words}");
  const double in_tokens = r.add("input_tokens", "Input tokens per query", in_words / wpt, Unit::tokens,
                                 two_stage ? "({results} × {section_words} + {prompt_words}) / {words_per_token}"
                                           : "{prompt_words} / {words_per_token}");
  const double out_tokens = r.add("output_tokens", "Output tokens per query", out_words / wpt, Unit::tokens,
                                  two_stage ? "{results} × {response_words} / {words_per_token}"
                                            : "{samples} × {response_words} / {words_per_token}");
  const double tokens = r.add("tokens_per_query", "Tokens per query", in_tokens + out_tokens, Unit::tokens,
                              "{input_tokens} + {output_tokens}");

  // --- Price and cost to serve. API: price × (1 − cache hits) × (1 − API margin). Cloud: the
  // serving cost of the same tokens × (1 − cache hits).
  const double api_price = input_or_assumption(r, cat, in.api_usd_per_1k_tokens, "api_usd_per_1k_tokens",
                                               "API price per 1K tokens", Unit::usd, "api_usd_per_1k_tokens");
  const double price_q = r.add("api_price_per_query_usd", "API price per query", tokens / 1000 * api_price, Unit::usd,
                               "{tokens_per_query} / 1000 × {api_usd_per_1k_tokens}");
  const double cache = input_or_assumption(r, cat, in.cache_hit, "cache_hit_rate", "Cache hit rate", Unit::fraction,
                                           "cache_hit_rate");
  double cost = 0;
  if (api) {
    const double margin = input_or_assumption(r, cat, in.api_margin, "api_gross_margin", "API gross margin",
                                              Unit::fraction, "api_gross_margin");
    cost = r.add("cost_per_query_usd", "Cost to serve per query", price_q * (1 - cache) * (1 - margin), Unit::usd,
                 "{api_price_per_query_usd} × (1 - {cache_hit_rate}) × (1 - {api_gross_margin})");
  } else {
    const double serving = cloud_cost(r, in, cat, in_tokens, out_tokens, calls);
    cost = r.add("cost_per_query_usd", "Cost to serve per query", serving * (1 - cache), Unit::usd,
                 "{flop_rule_cost_per_query_usd} × (1 - {cache_hit_rate})");
    r.add("api_gross_margin_implied", "API gross margin implied", 1 - serving / price_q, Unit::fraction,
          "1 - {flop_rule_cost_per_query_usd} / {api_price_per_query_usd}");
  }

  // --- Against revenue: revenue per query = search revenue / queries a year.
  const double queries = input_or_assumption(r, cat, in.queries_per_year, "queries_per_year", "Search queries a year",
                                             Unit::count, "search_queries_per_year");
  const double revenue = input_or_assumption(r, cat, in.revenue_per_year, "revenue_per_year_usd",
                                             "Search revenue a year", Unit::usd, "search_revenue_per_year_usd");
  const double rpq = r.add("revenue_per_query_usd", "Revenue per query", revenue / queries, Unit::usd,
                           "{revenue_per_year_usd} / {queries_per_year}");
  r.add("cost_to_revenue", "Cost / revenue per query", cost / rpq, Unit::ratio,
        "{cost_per_query_usd} / {revenue_per_query_usd}");
  r.add("annual_cost_usd", "Added cost a year", cost * queries, Unit::usd, "{cost_per_query_usd} × {queries_per_year}");

  // --- Further reductions (reference §2): optimisation ≈ 4×, in-house instead of cloud ≈ 2×
  // (a cloud gross margin m saves 1 / (1 − m)).
  const double opt = input_or_assumption(r, cat, in.optimization_factor, "optimization_factor",
                                         "Optimisation factor", Unit::ratio, "optimization_factor");
  double in_house = 0;
  if (in.in_house_factor) {
    in_house = r.add_input("in_house_factor", "In-house factor", *in.in_house_factor, Unit::ratio, "given");
  } else {
    const double m = cat.assumption_number("cloud_gross_margin");
    in_house = r.add_input("in_house_factor", "In-house factor", 1 / (1 - m), Unit::ratio,
                           fmt::format("1 / (1 - cloud_gross_margin {})", format_percent(m)),
                           cite(cat.assumption("cloud_gross_margin")));
  }
  const double opt_cost = r.add("optimized_cost_per_query_usd", "Cost per query after both", cost / opt / in_house,
                                Unit::usd, "{cost_per_query_usd} / {optimization_factor} / {in_house_factor}");
  r.add("optimized_cost_to_revenue", "Optimised cost / revenue", opt_cost / rpq, Unit::fraction,
        "{optimized_cost_per_query_usd} / {revenue_per_query_usd}");
  r.add("optimized_annual_cost_usd", "Added cost a year after both", opt_cost * queries, Unit::usd,
        "{optimized_cost_per_query_usd} × {queries_per_year}");
  r.title = fmt::format("One LLM-powered search query ({}, {})", two_stage ? "two-stage" : "ChatGPT-style",
                        api ? "API" : "cloud");
  return r;
}

}  // namespace llmcost
