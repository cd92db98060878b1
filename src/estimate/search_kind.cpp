#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "estimate/field_parsers.hpp"
#include "estimate/infer_kind.hpp"
#include "estimate/uncertainty_rows.hpp"
#include "llmcost/error.hpp"
#include "llmcost/search.hpp"
#include "llmcost/units.hpp"

namespace llmcost {
namespace {

using F = Field<SearchInputs>;

double whole(std::string_view t) {
  const double v = parse_count(t);
  if (v != std::floor(v)) throw InputError(fmt::format("expected a whole number, got '{}'", t));
  return v;
}

// Flags of `llmcost infer` that `search --method cloud` passes through, each recorded in
// serving_flags when given (the api method rejects them).
std::vector<F> serving_fields() {
  std::vector<F> out;
  for (std::string_view name : {"model", "model-config", "params", "offer", "hardware", "mfu", "dtype", "kv-dtype",
                                "chips", "batch", "compute-efficiency", "bandwidth-efficiency", "calibration"}) {
    const Field<InferInputs>* f = find_field(infer_fields(), name);
    out.push_back(F{f->name, f->hint, f->help, [f](SearchInputs& in, std::string_view t) {
                      f->set(in.serving, t);
                      const std::string flag = "--" + std::string(f->name);
                      auto& given = in.serving_flags;
                      if (std::find(given.begin(), given.end(), flag) == given.end()) given.push_back(flag);
                    }});
  }
  return out;
}

const std::vector<F>& search_fields() {
  static const std::vector<F> fields = [] {
    std::vector<F> f{
        {"mode", "MODE",
         "chatgpt (one prompt, several sampled answers; default) or two-stage (retrieve, then summarise)",
         [](SearchInputs& in, std::string_view t) {
           if (t == "chatgpt")
             in.mode = SearchMode::chatgpt;
           else if (t == "two-stage")
             in.mode = SearchMode::two_stage;
           else
             throw InputError(fmt::format("expected chatgpt or two-stage, got '{}'", t));
         }},
        {"method", "METHOD",
         "api (pay per token; default) or cloud (price the tokens on --model, --offer and the other serving flags)",
         [](SearchInputs& in, std::string_view t) {
           if (t == "api")
             in.method = SearchMethod::api;
           else if (t == "cloud")
             in.method = SearchMethod::cloud;
           else
             throw InputError(fmt::format("expected api or cloud, got '{}'", t));
         }},
        {"prompt-words", "N", "words in the user's query (default: assumption search_prompt_words, 50)",
         [](SearchInputs& in, std::string_view t) { in.prompt_words = whole(t); }},
        {"response-words", "N", "words per generated answer (default: assumption search_response_words, 400)",
         [](SearchInputs& in, std::string_view t) { in.response_words = whole(t); }},
        {"samples", "N",
         "chatgpt mode only: answers sampled per query, best kept (default: assumption search_samples, 5)",
         [](SearchInputs& in, std::string_view t) { in.samples = whole(t); }},
        {"results", "N",
         "two-stage mode only: retrieved results summarised per query (default: assumption search_results, 10)",
         [](SearchInputs& in, std::string_view t) { in.results = whole(t); }},
        {"section-words", "N",
         "two-stage mode only: words of each retrieved section (default: assumption search_section_words, 1000)",
         [](SearchInputs& in, std::string_view t) { in.section_words = whole(t); }},
        {"words-per-token", "RATIO", "English words per token (default: assumption words_per_token, 0.75)",
         [](SearchInputs& in, std::string_view t) { in.words_per_token = parse_positive(t); }},
        {"api-usd-per-1k-tokens", "USD", "API price per 1K tokens (default: assumption api_usd_per_1k_tokens)",
         [](SearchInputs& in, std::string_view t) { in.api_usd_per_1k_tokens = parse_usd(t); }},
        {"api-usd-per-1m-input", "USD",
         "API price per 1M input tokens, with --api-usd-per-1m-output (instead of one price per 1K tokens)",
         [](SearchInputs& in, std::string_view t) { in.api_usd_per_1m_input = parse_usd(t); }},
        {"api-usd-per-1m-output", "USD", "API price per 1M output tokens, with --api-usd-per-1m-input",
         [](SearchInputs& in, std::string_view t) { in.api_usd_per_1m_output = parse_usd(t); }},
        {"cache-hit", "RATE", "share of queries answered from a cache (default: assumption cache_hit_rate)",
         [](SearchInputs& in, std::string_view t) { in.cache_hit = parse_rate(t); }},
        {"api-margin", "RATE", "api method only: API provider's gross margin (default: assumption api_gross_margin)",
         [](SearchInputs& in, std::string_view t) { in.api_margin = parse_rate(t); }},
        {"queries-per-year", "COUNT", "search queries a year (default: assumption search_queries_per_year)",
         [](SearchInputs& in, std::string_view t) { in.queries_per_year = parse_count(t); }},
        {"revenue-per-year", "USD", "search revenue a year (default: assumption search_revenue_per_year_usd)",
         [](SearchInputs& in, std::string_view t) { in.revenue_per_year = parse_usd(t); }},
        {"optimization-factor", "X",
         "saving from quantisation, distillation, smaller models (default: assumption "
         "optimization_factor)",
         [](SearchInputs& in, std::string_view t) { in.optimization_factor = parse_factor(t); }},
        {"in-house-factor", "X", "saving from running in-house (default: 1 / (1 - assumption cloud_gross_margin))",
         [](SearchInputs& in, std::string_view t) { in.in_house_factor = parse_factor(t); }},
    };
    for (F& s : serving_fields()) f.push_back(std::move(s));
    add_uncertainty_fields(f, "ranges of the cost per query by Monte Carlo over the assumptions' spreads",
                           "mc-samples");
    return f;
  }();
  return fields;
}

}  // namespace

const EstimateKind& search_kind() {
  static const KindOf<SearchInputs> kind(
      {"search", "cost of one LLM-powered search query against its revenue",
       "Examples:\n"
       "  llmcost search --mode chatgpt\n"
       "  llmcost search --mode two-stage --method api --explain\n"
       "  llmcost search --mode two-stage --method cloud --model llama2-70b --offer aws-p5",
       search_fields, estimate_search});
  return kind;
}

}  // namespace llmcost
