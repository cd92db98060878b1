// The cost of one LLM-powered search query, the rows step: resolve → compute (search.cpp) → rows.
#include <fmt/format.h>

#include "estimate/search_steps.hpp"
#include "estimate/uncertainty_rows.hpp"

namespace llmcost {
namespace {

constexpr const char* kReference =
    "docs/reference-case.md §2 (Sunyan, The Economics of Large Language Models, Jan 2023)";

void add_token_rows(Report& r, const Catalog& cat, const SearchContext& c, const SearchNumbers& n) {
  add_setting(r, cat, c.prompt, "prompt_words", "Query words", Unit::count);
  add_setting(r, cat, c.response, "response_words", "Words per answer", Unit::count);
  if (c.two_stage) {
    add_setting(r, cat, c.results, "results", "Results summarised", Unit::count);
    add_setting(r, cat, c.section, "section_words", "Words per retrieved section", Unit::count);
  } else {
    add_setting(r, cat, c.samples, "samples", "Answers sampled", Unit::count);
  }
  add_setting(r, cat, c.words_per_token, "words_per_token", "Words per token", Unit::ratio);
  r.add("words_per_query", "Words billed per query", n.words, Unit::count,
        c.two_stage ? "{results} × ({section_words} + {response_words}) + {prompt_words}"
                    : "{prompt_words} + {samples} × {response_words}");
  r.add("input_tokens", "Input tokens per query", n.in_tokens, Unit::tokens,
        c.two_stage ? "({results} × {section_words} + {prompt_words}) / {words_per_token}"
                    : "{prompt_words} / {words_per_token}");
  r.add("output_tokens", "Output tokens per query", n.out_tokens, Unit::tokens,
        c.two_stage ? "{results} × {response_words} / {words_per_token}"
                    : "{samples} × {response_words} / {words_per_token}");
  r.add("tokens_per_query", "Tokens per query", n.tokens, Unit::tokens, "{input_tokens} + {output_tokens}");
}

// The serving estimate's context, caveats and prices, and the query priced both ways.
void add_serving_rows(Report& r, const Catalog& cat, const SearchInputs& in, const ServingCost& s) {
  for (const char* key : {"model", "accelerator", "offer", "dtype"}) {
    const TextAssumption* t = s.infer.find_text(key);
    if (!t) continue;
    r.context.push_back(*t);
    if (t->key == "model" && s.default_model) {
      r.context.back().source = assumption_source("default_search_model");
      r.context.back().cite = cite(cat.assumption("default_search_model"));
    }
  }
  // The serving caveats (memory fit, dtype, roofline scope) hold for the query's tokens too.
  for (const Text& note : s.infer.notes) r.notes.emplace_back(Text("serving: ") + note);
  const std::string& model = s.default_model ? cat.assumption_text("default_search_model") : in.serving.model;
  const std::string via = model.empty() ? "llmcost infer" : "llmcost infer --model " + model;
  r.add_input("cost_per_1k_tokens_usd", "Cloud cost per 1K tokens (FLOP rule)", s.infer.value("cost_per_1k_tokens_usd"),
              Unit::usd, Text::of("{} (FLOP rule, MFU {})", via, Quantity{s.infer.value("mfu"), Unit::fraction}));
  r.add_input("cost_per_1m_input_tokens_usd", "Cloud cost per 1M input tokens (roofline)",
              s.infer.value("cost_per_1m_input_tokens_usd"), Unit::usd, via + " (roofline)");
  r.add_input("cost_per_1m_output_tokens_usd", "Cloud cost per 1M output tokens (roofline)",
              s.infer.value("cost_per_1m_output_tokens_usd"), Unit::usd, via + " (roofline)");
  r.add("roofline_cost_per_query_usd", "Cloud cost per query (roofline, before cache)", s.roofline_usd, Unit::usd,
        "({input_tokens} × {cost_per_1m_input_tokens_usd} + {output_tokens} × {cost_per_1m_output_tokens_usd}) / 1e6");
  r.add("flop_rule_cost_per_query_usd", "Cloud cost per query (FLOP rule, before cache)", s.flop_rule_usd, Unit::usd,
        "{tokens_per_query} / 1000 × {cost_per_1k_tokens_usd}");
  // The headline follows the FLOP rule; say so when the roofline disagrees by more than 2×.
  const double ratio = s.roofline_usd / s.flop_rule_usd;
  if (ratio > 2 || ratio < 0.5) {
    r.notes.emplace_back(Text::of(
        "the roofline prices the query at {}× the FLOP rule ({} against {}): the cost to serve "
        "follows the FLOP rule, the reference's method (§3)",
        Quantity{ratio, Unit::number}, Quantity{s.roofline_usd, Unit::usd}, Quantity{s.flop_rule_usd, Unit::usd}));
  }
}

void add_cost_rows(Report& r, const Catalog& cat, const SearchInputs& in, const SearchContext& c,
                   const SearchNumbers& n) {
  if (c.split_price) {
    r.add_input("api_usd_per_1m_input_tokens", "API price per 1M input tokens", *in.api_usd_per_1m_input, Unit::usd,
                "given");
    r.add_input("api_usd_per_1m_output_tokens", "API price per 1M output tokens", *in.api_usd_per_1m_output, Unit::usd,
                "given");
    r.add("api_price_per_query_usd", "API price per query", n.price_per_query, Unit::usd,
          "{input_tokens} × {api_usd_per_1m_input_tokens} / 1e6 + {output_tokens} × {api_usd_per_1m_output_tokens} / "
          "1e6");
  } else {
    add_setting(r, cat, c.api_price, "api_usd_per_1k_tokens", "API price per 1K tokens", Unit::usd);
    r.add("api_price_per_query_usd", "API price per query", n.price_per_query, Unit::usd,
          "{tokens_per_query} / 1000 × {api_usd_per_1k_tokens}");
  }
  add_setting(r, cat, c.cache, "cache_hit_rate", "Cache hit rate", Unit::fraction);
  if (c.api) {
    add_setting(r, cat, c.margin, "api_gross_margin", "API gross margin", Unit::fraction);
    r.add("cost_per_query_usd", "Cost to serve per query", n.cost, Unit::usd,
          "{api_price_per_query_usd} × (1 - {cache_hit_rate}) × (1 - {api_gross_margin})");
    return;
  }
  add_serving_rows(r, cat, in, *n.serving);
  r.add("cost_per_query_usd", "Cost to serve per query", n.cost, Unit::usd,
        "{flop_rule_cost_per_query_usd} × (1 - {cache_hit_rate})");
  r.add("api_gross_margin_implied", "API gross margin implied", n.implied_margin, Unit::fraction,
        "1 - {flop_rule_cost_per_query_usd} / {api_price_per_query_usd}");
}

void add_revenue_rows(Report& r, const Catalog& cat, const SearchInputs& in, const SearchContext& c,
                      const SearchNumbers& n) {
  add_setting(r, cat, c.queries, "queries_per_year", "Search queries a year", Unit::count);
  add_setting(r, cat, c.revenue, "revenue_per_year_usd", "Search revenue a year", Unit::usd);
  r.add("revenue_per_query_usd", "Revenue per query", n.revenue_per_query, Unit::usd,
        "{revenue_per_year_usd} / {queries_per_year}");
  r.add("cost_to_revenue", "Cost / revenue per query", n.cost_to_revenue, Unit::ratio,
        "{cost_per_query_usd} / {revenue_per_query_usd}");
  r.add("annual_cost_usd", "Added cost a year", n.annual_cost, Unit::usd, "{cost_per_query_usd} × {queries_per_year}");
  add_setting(r, cat, c.optimization, "optimization_factor", "Optimisation factor", Unit::ratio);
  if (in.in_house_factor) {
    r.add_input("in_house_factor", "In-house factor", n.in_house, Unit::ratio, "given");
  } else {
    r.add_input("in_house_factor", "In-house factor", n.in_house, Unit::ratio,
                Text::of("1 / (1 - cloud_gross_margin {})", Quantity{c.cloud_margin, Unit::fraction}),
                cite(cat.assumption("cloud_gross_margin")));
  }
  r.add("optimized_cost_per_query_usd", "Cost per query after both", n.optimized_cost, Unit::usd,
        "{cost_per_query_usd} / {optimization_factor} / {in_house_factor}");
  r.add("optimized_cost_to_revenue", "Optimised cost / revenue", n.optimized_ratio, Unit::fraction,
        "{optimized_cost_per_query_usd} / {revenue_per_query_usd}");
  r.add("optimized_annual_cost_usd", "Added cost a year after both", n.optimized_annual, Unit::usd,
        "{optimized_cost_per_query_usd} × {queries_per_year}");
}

}  // namespace

static Report estimate_search_point(const SearchInputs& in, const Catalog& cat) {
  const SearchContext c = resolve_search(in, cat);
  const SearchNumbers n = compute_search(in, c, cat);
  Report r;
  r.kind = "search";
  r.add_context(
      "mode", "Mode",
      c.two_stage ? "two-stage: retrieve, then summarise each result" : "chatgpt: one prompt, sampled answers",
      in.mode ? "given" : "default (--mode two-stage for retrieve-then-summarise)", kReference);
  r.add_context("method", "Method", c.api ? "api: pay per token" : "cloud: own serving on an offer",
                in.method ? "given" : "default (--method cloud for own serving)");
  add_token_rows(r, cat, c, n);
  add_cost_rows(r, cat, in, c, n);
  add_revenue_rows(r, cat, in, c, n);
  r.title = fmt::format("One LLM-powered search query ({}, {})", c.two_stage ? "two-stage" : "ChatGPT-style",
                        c.api ? "API" : "cloud");
  return r;
}

Report estimate_search(const SearchInputs& in, const Catalog& cat) {
  return with_catalog_ranges(
      in, cat, estimate_search_point,
      {"cost_per_query_usd", "cost_to_revenue", "annual_cost_usd", "optimized_cost_per_query_usd",
       "optimized_cost_to_revenue", "optimized_annual_cost_usd"});
}

}  // namespace llmcost
