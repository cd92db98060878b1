#include <fmt/format.h>

#include "estimate/field_parsers.hpp"
#include "estimate/kind.hpp"
#include "estimate/uncertainty_rows.hpp"
#include "llmcost/error.hpp"
#include "llmcost/scaling.hpp"
#include "llmcost/units.hpp"

namespace llmcost {
namespace {

constexpr std::string_view kLawHelp = "scaling law id (default: assumption default_law; see 'llmcost list laws')";

const std::vector<Field<LossInputs>>& loss_fields() {
  static const std::vector<Field<LossInputs>> f = [] {
    std::vector<Field<LossInputs>> v{
        {"law", "ID", kLawHelp, [](LossInputs& in, std::string_view t) { in.law = parse_id(t); }},
        {"model", "ID", "take parameters and tokens from a catalog model",
         [](LossInputs& in, std::string_view t) { in.model = parse_id(t); }},
        {"params", "COUNT", "parameters N, e.g. 1T",
         [](LossInputs& in, std::string_view t) { in.params = parse_count(t); }},
        {"tokens", "COUNT", "training tokens D, e.g. 300B",
         [](LossInputs& in, std::string_view t) { in.tokens = parse_count(t); }},
    };
    add_uncertainty_fields(v, "ranges of the loss from the law's parameter standard errors (Monte Carlo)");
    return v;
  }();
  return f;
}

const std::vector<Field<OptimalInputs>>& optimal_fields() {
  static const std::vector<Field<OptimalInputs>> f = [] {
    std::vector<Field<OptimalInputs>> v{
        {"law", "ID", kLawHelp, [](OptimalInputs& in, std::string_view t) { in.law = parse_id(t); }},
        {"flops", "FLOP", "training compute C = 6·N·D, e.g. 5.76e23",
         [](OptimalInputs& in, std::string_view t) { in.flops = parse_count(t); }},
        {"budget-usd", "USD", "a budget instead of --flops, priced on --offer at --mfu",
         [](OptimalInputs& in, std::string_view t) { in.budget_usd = parse_usd(t); }},
        {"offer", "ID", "offer that turns --budget-usd into FLOPs (default: assumption default_train_offer)",
         [](OptimalInputs& in, std::string_view t) { in.offer = parse_id(t); }},
        {"mfu", "FRACTION", "utilisation with --budget-usd (default: assumption train_mfu)",
         [](OptimalInputs& in, std::string_view t) { in.mfu = parse_fraction(t); }},
        {"params", "COUNT", "compare a model of this size trained with the same compute",
         [](OptimalInputs& in, std::string_view t) { in.params = parse_count(t); }},
    };
    add_uncertainty_fields(
        v, "ranges of the compute-optimal split from the law's parameter standard errors (Monte Carlo)");
    return v;
  }();
  return f;
}

const std::vector<Field<ScaleInputs>>& scale_fields() {
  static const std::vector<Field<ScaleInputs>> f = [] {
    std::vector<Field<ScaleInputs>> v{
        {"flops", "FLOP", "training compute, e.g. 1e35",
         [](ScaleInputs& in, std::string_view t) { in.flops = parse_count(t); }},
        {"law", "ID", kLawHelp, [](ScaleInputs& in, std::string_view t) { in.law = parse_id(t); }},
        {"data-stock-tokens", "COUNT", "tokens of training text that exist (default: assumption data_stock_tokens)",
         [](ScaleInputs& in, std::string_view t) { in.data_stock_tokens = parse_count(t); }},
        {"offer", "ID", "offer for today's price (default: assumption default_train_offer)",
         [](ScaleInputs& in, std::string_view t) { in.offer = parse_id(t); }},
        {"mfu", "FRACTION", "utilisation (default: assumption train_mfu)",
         [](ScaleInputs& in, std::string_view t) { in.mfu = parse_fraction(t); }},
        {"budget-usd", "USD", "report the years until the cost falls below this budget",
         [](ScaleInputs& in, std::string_view t) { in.budget_usd = parse_usd(t); }},
        {"growth", "RATE",
         "FLOP/s per $ growth a year, e.g. 22% (default: assumption hardware_price_performance_growth)",
         [](ScaleInputs& in, std::string_view t) { in.growth = parse_percent(t); }},
        {"doubling-years", "YEARS",
         "FLOP/s per $ doubling time instead of --growth (Epoch: 2.46 all GPUs, 2.07 ML GPUs)",
         [](ScaleInputs& in, std::string_view t) { in.doubling_years = parse_positive(t, "y"); }},
    };
    add_uncertainty_fields(
        v, "ranges of the compute-optimal split from the law's parameter standard errors (Monte Carlo)");
    return v;
  }();
  return f;
}

}  // namespace

const EstimateKind& loss_kind() {
  static const KindOf<LossInputs> kind({"loss", "loss of a model under a scaling law, term by term",
                                        "Examples:\n"
                                        "  llmcost loss --law hoffmann2022 --params 1T --tokens 300B\n"
                                        "  llmcost loss --model chinchilla --law besiroglu2024",
                                        loss_fields, estimate_loss});
  return kind;
}

const EstimateKind& optimal_kind() {
  static const KindOf<OptimalInputs> kind({"optimal",
                                           "compute-optimal parameters and tokens for a compute or money budget",
                                           "Examples:\n"
                                           "  llmcost optimal --flops 5.76e23 --law hoffmann2022-unrounded\n"
                                           "  llmcost optimal --flops 5.76e23 --params 280B\n"
                                           "  llmcost optimal --budget-usd 10M --offer lambda-h100-8x --mfu 40%",
                                           optimal_fields, estimate_optimal});
  return kind;
}

const EstimateKind& scale_kind() {
  static const KindOf<ScaleInputs> kind({"scale",
                                         "what a very large compute budget implies: model, data, cost, share of GDP",
                                         "Examples:\n"
                                         "  llmcost scale --flops 1e35\n"
                                         "  llmcost scale --flops 1e30 --budget-usd 1B --doubling-years 2.46",
                                         scale_fields, estimate_scale});
  return kind;
}

}  // namespace llmcost
