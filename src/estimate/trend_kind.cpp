#include <fmt/format.h>

#include <cmath>

#include "estimate/field_parsers.hpp"
#include "estimate/kind.hpp"
#include "estimate/uncertainty_rows.hpp"
#include "llmcost/error.hpp"
#include "llmcost/scaling.hpp"
#include "llmcost/trend.hpp"
#include "llmcost/units.hpp"

namespace llmcost {
namespace {

const std::vector<Field<TrendInputs>>& trend_fields() {
  static const std::vector<Field<TrendInputs>> f = [] {
    std::vector<Field<TrendInputs>> v{
        {"model", "ID", "catalog model (default gpt3)",
         [](TrendInputs& in, std::string_view t) { in.model = parse_id(t); }},
        {"tokens", "COUNT", "training tokens, e.g. 1T (default: the model's train_tokens)",
         [](TrendInputs& in, std::string_view t) { in.tokens = parse_count(t); }},
        {"growth", "RATE",
         "FLOP/s per $ growth a year, e.g. 22% (default: assumption hardware_price_performance_growth)",
         [](TrendInputs& in, std::string_view t) { in.growth = parse_percent(t); }},
        {"doubling-years", "YEARS",
         "FLOP/s per $ doubling time instead of --growth (Epoch: 2.46 all GPUs, 2.07 ML GPUs)",
         [](TrendInputs& in, std::string_view t) { in.doubling_years = parse_positive(t, "y"); }},
        {"until", "YEAR", "last year of the projection (default: release + 10)",
         [](TrendInputs& in, std::string_view t) {
           const double y = parse_number(t);
           if (y != std::floor(y) || y < 1900 || y > 2300)
             throw InputError(fmt::format("expected a year, got '{}'", t));
           in.until = y;
         }},
    };
    add_uncertainty_fields(v, "ranges of the projected costs by Monte Carlo over the assumptions' spreads");
    return v;
  }();
  return f;
}

}  // namespace

const EstimateKind& trend_kind() {
  static const KindOf<TrendInputs> kind({"trend", "how the cost of a fixed model falls over the years",
                                         "Examples:\n"
                                         "  llmcost trend --model gpt3\n"
                                         "  llmcost trend --model gpt3 --doubling-years 2.07 --until 2030\n"
                                         "  llmcost trend --model mixtral --tokens 1T",
                                         trend_fields, estimate_trend});
  return kind;
}

}  // namespace llmcost
