#include <fmt/format.h>

#include <cmath>

#include "llmcost/error.hpp"
#include "llmcost/fields.hpp"
#include "llmcost/units.hpp"

namespace llmcost {
namespace {

constexpr std::string_view kLawHelp = "scaling law id (default: assumption default_law; see 'llmcost list laws')";


double growth_rate(std::string_view t) {
  const double g = parse_positive(t.back() == '%' ? t.substr(0, t.size() - 1) : t);
  return t.back() == '%' ? g / 100 : g;
}

}  // namespace

const std::vector<Field<LossInputs>>& loss_fields() {
  static const std::vector<Field<LossInputs>> f{
      {"law", "ID", kLawHelp, [](LossInputs& in, std::string_view t) { in.law = std::string(t); }},
      {"model", "ID", "take parameters and tokens from a catalog model",
       [](LossInputs& in, std::string_view t) { in.model = std::string(t); }},
      {"params", "COUNT", "parameters N, e.g. 1T", [](LossInputs& in, std::string_view t) { in.params = parse_count(t); }},
      {"tokens", "COUNT", "training tokens D, e.g. 300B",
       [](LossInputs& in, std::string_view t) { in.tokens = parse_count(t); }},
  };
  return f;
}

const std::vector<Field<OptimalInputs>>& optimal_fields() {
  static const std::vector<Field<OptimalInputs>> f{
      {"law", "ID", kLawHelp, [](OptimalInputs& in, std::string_view t) { in.law = std::string(t); }},
      {"flops", "FLOP", "training compute C = 6·N·D, e.g. 5.76e23",
       [](OptimalInputs& in, std::string_view t) { in.flops = parse_count(t); }},
      {"budget-usd", "USD", "a budget instead of --flops, priced on --offer at --mfu",
       [](OptimalInputs& in, std::string_view t) { in.budget_usd = parse_usd(t); }},
      {"offer", "ID", "offer that turns --budget-usd into FLOPs (default: assumption default_train_offer)",
       [](OptimalInputs& in, std::string_view t) { in.offer = std::string(t); }},
      {"mfu", "FRACTION", "utilisation with --budget-usd (default: assumption train_mfu)",
       [](OptimalInputs& in, std::string_view t) { in.mfu = parse_fraction(t); }},
      {"params", "COUNT", "compare a model of this size trained with the same compute",
       [](OptimalInputs& in, std::string_view t) { in.params = parse_count(t); }},
  };
  return f;
}

const std::vector<Field<ScaleInputs>>& scale_fields() {
  static const std::vector<Field<ScaleInputs>> f{
      {"flops", "FLOP", "training compute, e.g. 1e35", [](ScaleInputs& in, std::string_view t) { in.flops = parse_count(t); }},
      {"law", "ID", kLawHelp, [](ScaleInputs& in, std::string_view t) { in.law = std::string(t); }},
      {"data-stock-tokens", "COUNT", "tokens of training text that exist (default: assumption data_stock_tokens)",
       [](ScaleInputs& in, std::string_view t) { in.data_stock_tokens = parse_count(t); }},
      {"offer", "ID", "offer for today's price (default: assumption default_train_offer)",
       [](ScaleInputs& in, std::string_view t) { in.offer = std::string(t); }},
      {"mfu", "FRACTION", "utilisation (default: assumption train_mfu)",
       [](ScaleInputs& in, std::string_view t) { in.mfu = parse_fraction(t); }},
      {"budget-usd", "USD", "report the years until the cost falls below this budget",
       [](ScaleInputs& in, std::string_view t) { in.budget_usd = parse_usd(t); }},
      {"growth", "RATE", "FLOP/s per $ growth a year, e.g. 22% (default: assumption hardware_price_performance_growth)",
       [](ScaleInputs& in, std::string_view t) { in.growth = growth_rate(t); }},
      {"doubling-years", "YEARS", "FLOP/s per $ doubling time instead of --growth (Epoch: 2.46 all GPUs, 2.07 ML GPUs)",
       [](ScaleInputs& in, std::string_view t) { in.doubling_years = parse_positive(t, "y"); }},
  };
  return f;
}

const std::vector<Field<TrendInputs>>& trend_fields() {
  static const std::vector<Field<TrendInputs>> f{
      {"model", "ID", "catalog model (default gpt3)", [](TrendInputs& in, std::string_view t) { in.model = std::string(t); }},
      {"growth", "RATE", "FLOP/s per $ growth a year, e.g. 22% (default: assumption hardware_price_performance_growth)",
       [](TrendInputs& in, std::string_view t) { in.growth = growth_rate(t); }},
      {"doubling-years", "YEARS", "FLOP/s per $ doubling time instead of --growth (Epoch: 2.46 all GPUs, 2.07 ML GPUs)",
       [](TrendInputs& in, std::string_view t) { in.doubling_years = parse_positive(t, "y"); }},
      {"until", "YEAR", "last year of the projection (default: release + 10)",
       [](TrendInputs& in, std::string_view t) {
         const double y = parse_number(t);
         if (y != std::floor(y) || y < 1900 || y > 2300) throw InputError(fmt::format("expected a year, got '{}'", t));
         in.until = y;
       }},
  };
  return f;
}

}  // namespace llmcost
