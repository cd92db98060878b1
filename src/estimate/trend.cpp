// `llmcost trend`: how the cost of a fixed model falls with hardware price-performance and MFU.
#include <fmt/format.h>

#include <cmath>

#include "estimate/estimate_util.hpp"
#include "llmcost/error.hpp"
#include "llmcost/scaling.hpp"
#include "llmcost/trend.hpp"
#include "llmcost/format.hpp"
#include "llmcost/units.hpp"

namespace llmcost {
namespace {

int year_of(const std::string& date, int fallback) {
  if (date.size() >= 4 && std::isdigit(static_cast<unsigned char>(date[0]))) return std::stoi(date.substr(0, 4));
  return fallback;
}

// Best published training MFU up to `year` (reference §7 MFU history).
double mfu_in(const Catalog& cat, int year) {
  if (year <= 2020) return cat.assumption_number("mfu_2020");
  if (year == 2021) return cat.assumption_number("mfu_2021");
  return cat.assumption_number("mfu_2022");
}

// Training cost of `flop` on an offer at an MFU: flop / (peak × MFU) chip-seconds × price.
double train_cost(const Offer& o, const Accelerator& a, double flop, double mfu) {
  const double peak = *a.peak_flops(a.default_dtype());
  return flop / (peak * mfu) / 3600 * o.usd_per_chip_hour();
}

}  // namespace

Report estimate_trend(const TrendInputs& in, const Catalog& cat) {
  Report r;
  r.kind = "trend";
  const Model& m = cat.model(in.model.empty() ? "gpt3" : in.model);
  r.add_context("model", "Model", fmt::format("{} ({})", m.id, m.name), in.model.empty() ? "default" : "given", cite(m));
  if (!m.train_tokens) throw InputError(fmt::format("trend: model '{}' has no train_tokens in the catalog", m.id));
  const double flop = r.add("train_flop", "Training compute", 6 * m.active() * *m.train_tokens, Unit::flop,
                            "6 × N × D");
  const int release = year_of(m.release, 2020);

  // --- The claim of reference §7: a GPT-3-level model got ~80% cheaper in the 2.5 years after
  // GPT-3's release. Priced with the catalog's on-demand offers of each generation and the
  // state-of-the-art MFU of each year.
  struct Step {
    const char* year_key;
    int year;
  };
  double first = 0;
  for (const Step& s : {Step{"trend_offer_2020", 2020}, Step{"trend_offer_2022", 2022}, Step{"trend_offer_2023", 2023}}) {
    const Offer& o = cat.offer(cat.assumption_text(s.year_key));
    const Accelerator& a = cat.accelerator(o.accelerator);
    const double mfu = mfu_in(cat, s.year);
    const double cost = train_cost(o, a, flop, mfu);
    r.add_input(fmt::format("actual_train_cost_{}_usd", s.year), fmt::format("Training cost, {} on {}", s.year, a.id), cost,
                Unit::usd, fmt::format("{} at {}/chip-h, MFU {}", o.id, format_usd(o.usd_per_chip_hour()),
                                       format_percent(mfu)),
                cite(o));
    if (first == 0) first = cost;
  }
  const double after = r.value("actual_train_cost_2022_usd");
  r.add("actual_decline_2020_2022", "Cost decline 2020 → 2022 (catalog prices, MFU history)", 1 - after / first,
        Unit::fraction, "1 - {actual_train_cost_2022_usd} / {actual_train_cost_2020_usd}");

  // --- Projection: price per FLOP falls by (1 + g) a year (reference §7: +50% per generation ≈
  // 22% a year); MFU follows the history, then stays.
  const double g = input_or_assumption(r, cat, given_growth(in.growth, in.doubling_years), "growth_per_year", "Price-performance growth a year",
                                       Unit::fraction, "hardware_price_performance_growth");
  const double trend_decline = 1 - std::pow(1 + g, -2.5) * mfu_in(cat, 2020) / mfu_in(cat, 2022);
  r.add("trend_decline_2_5y", "Decline in 2.5 years by trend (hardware + MFU)", trend_decline, Unit::fraction,
        "1 - (1 + {growth_per_year})^-2.5 × MFU 2020 / MFU 2022");
  const Offer& base_offer = cat.offer(cat.assumption_text("trend_offer_2020"));
  const Accelerator& base_acc = cat.accelerator(base_offer.accelerator);
  const double base_peak = *base_acc.peak_flops(base_acc.default_dtype());
  const double usd_per_peak_flop = base_offer.usd_per_chip_hour() / 3600 / base_peak;  // 2020 prices
  const double infer_mfu = cat.assumption_number("infer_mfu");
  const int until = in.until ? static_cast<int>(*in.until) : release + 10;
  if (until < release) throw InputError(fmt::format("--until {}: before the model's release ({})", until, release));
  if (until > release + 100) throw InputError(fmt::format("--until {}: more than 100 years out", until));
  for (int y = release; y <= until; ++y) {
    const double price = usd_per_peak_flop / std::pow(1 + g, y - 2020);
    r.add(fmt::format("train_cost_{}_usd", y), fmt::format("Trend: training cost in {}", y), flop / mfu_in(cat, y) * price,
          Unit::usd, fmt::format("{{train_flop}} / MFU({}) × 2020 price per FLOP / (1 + {{growth_per_year}})^{}", y, y - 2020));
    r.add(fmt::format("infer_cost_per_1k_tokens_{}_usd", y), fmt::format("Trend: inference per 1K tokens in {}", y),
          2 * m.active() * 1000 / infer_mfu * price, Unit::usd,
          fmt::format("2 × N × 1000 / infer_mfu × 2020 price per FLOP / (1 + {{growth_per_year}})^{}", y - 2020));
  }
  r.notes.push_back(fmt::format("2020 price per FLOP: {} ({}, {} dense peak); inference MFU {} (assumption infer_mfu)",
                                base_offer.id, format_usd(base_offer.usd_per_chip_hour()) + "/chip-h",
                                format_si(base_peak, "FLOP/s"), format_percent(infer_mfu)));
  r.notes.push_back("Epoch AI's alternatives: --doubling-years 2.46 (all GPUs) or 2.07 (ML GPUs), Hobbhahn & "
                    "Besiroglu 2022");
  r.title = fmt::format("Cost trend of {} from {} to {}", m.name, release, until);
  return r;
}

}  // namespace llmcost
