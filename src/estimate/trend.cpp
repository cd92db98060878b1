// `llmcost trend`: how the cost of a fixed model falls with hardware price-performance and MFU.
// Resolve (model, offers of each generation, MFU history) → compute (costs by year) → rows.
#include "llmcost/trend.hpp"
#include "estimate/uncertainty_rows.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>

#include "estimate/resolve.hpp"
#include "llmcost/error.hpp"
#include "llmcost/scaling.hpp"

namespace llmcost {
namespace {

int year_of(const std::string& date, int fallback) {
  if (date.size() >= 4 && std::isdigit(static_cast<unsigned char>(date[0]))) return std::stoi(date.substr(0, 4));
  return fallback;
}

// The best published training MFU up to a year (docs/reference-case.md §7, MFU history): the
// assumption that holds for `year`.
const char* mfu_key(int year) {
  return year <= 2020 ? "mfu_2020" : year == 2021 ? "mfu_2021" : "mfu_2022";
}

// A generation of hardware as the reference case priced it: an on-demand offer of that year.
struct Generation {
  int year = 0;
  const Offer* offer = nullptr;
  const Accelerator* acc = nullptr;
  double mfu = 0, cost = 0;  // cost of training the model on it at that year's MFU
};

struct TrendContext {
  const Model* model = nullptr;
  double tokens = 0;
  int release = 0, until = 0;
  std::array<Generation, 3> generations;  // 2020, 2022, 2023
  size_t base = 0;                        // the generation the projection starts from
  double usd_per_flop_base = 0;           // its price per dense peak FLOP
  double infer_mfu = 0;
  std::array<double, 3> mfu{};  // mfu_2020, mfu_2021, mfu_2022
};

double peak_of(const Accelerator& a) {
  return *a.peak_flops(a.default_dtype());
}

TrendContext resolve_trend(const TrendInputs& in, const Catalog& cat) {
  TrendContext c;
  c.model = &cat.model(in.model.empty() ? "gpt3" : in.model);
  if (!in.tokens && !c.model->train_tokens)
    throw InputError(fmt::format("trend: model '{}' has no train_tokens in the catalog; give --tokens", c.model->id));
  c.tokens = in.tokens ? *in.tokens : *c.model->train_tokens;
  c.release = year_of(c.model->release, 2020);
  c.until = in.until ? static_cast<int>(*in.until) : c.release + 10;
  if (c.until < c.release)
    throw InputError(fmt::format("--until {}: before the model's release ({})", c.until, c.release));
  if (c.until > c.release + 100) throw InputError(fmt::format("--until {}: more than 100 years out", c.until));
  const int years[] = {2020, 2022, 2023};
  for (size_t i = 0; i < 3; ++i) {
    Generation& g = c.generations[i];
    g.year = years[i];
    g.offer = &cat.offer(cat.assumption_text(fmt::format("trend_offer_{}", g.year)));
    g.acc = &cat.accelerator(g.offer->accelerator);
    g.mfu = cat.assumption_number(mfu_key(g.year));
  }
  // The projection starts from the newest generation not after the model's release: a 2023 model
  // is priced from 2023 hardware, not from 2020 prices brought forward by the trend.
  for (size_t i = 0; i < c.generations.size(); ++i) {
    if (c.generations[i].year <= c.release) c.base = i;
  }
  const Generation& base = c.generations[c.base];
  c.usd_per_flop_base = base.offer->usd_per_chip_hour() / 3600 / peak_of(*base.acc);
  c.infer_mfu = cat.assumption_number("infer_mfu");
  c.mfu = {cat.assumption_number("mfu_2020"), cat.assumption_number("mfu_2021"), cat.assumption_number("mfu_2022")};
  return c;
}

double mfu_in(const TrendContext& c, int year) {
  return year <= 2020 ? c.mfu[0] : year == 2021 ? c.mfu[1] : c.mfu[2];
}

// The claim of docs/reference-case.md §7: a GPT-3-level model got ~80% cheaper in the 2.5 years
// after GPT-3's release. Priced with the catalog's on-demand offers of each generation and the
// state-of-the-art MFU of each year. Training cost: flop / (peak × MFU) chip-seconds × price.
void add_actual_rows(Report& r, TrendContext& c, double flop) {
  for (Generation& g : c.generations) {
    g.cost = flop / (peak_of(*g.acc) * g.mfu) / 3600 * g.offer->usd_per_chip_hour();
    r.add_input(fmt::format("actual_train_cost_{}_usd", g.year),
                fmt::format("Training cost, {} on {}", g.year, g.acc->id), g.cost, Unit::usd,
                Text::of("{} at {}/chip-h, MFU {}", g.offer->id, Quantity{g.offer->usd_per_chip_hour(), Unit::usd},
                         Quantity{g.mfu, Unit::fraction}),
                cite(*g.offer));
  }
  r.add("actual_decline_2020_2022", "Cost decline 2020 → 2022 (catalog prices, MFU history)",
        1 - c.generations[1].cost / c.generations[0].cost, Unit::fraction,
        "1 - {actual_train_cost_2022_usd} / {actual_train_cost_2020_usd}");
}

// The projection: price per FLOP falls by (1 + g) a year (docs/reference-case.md §7: +50% per
// generation ≈ 22% a year); MFU follows the history, then stays.
void add_projection_rows(Report& r, const Catalog& cat, const TrendContext& c, double g) {
  for (int i = 0; i < 3; ++i) {
    const std::string key = fmt::format("mfu_{}", 2020 + i);
    r.add_input(key, fmt::format("Training MFU, {}", 2020 + i), c.mfu[size_t(i)], Unit::fraction,
                assumption_source(key), cite(cat.assumption(key)));
  }
  r.add("trend_decline_2_5y", "Decline in 2.5 years by trend (hardware + MFU)",
        1 - std::pow(1 + g, -2.5) * c.mfu[0] / c.mfu[2], Unit::fraction,
        "1 - (1 + {growth_per_year})^(-2.5) × {mfu_2020} / {mfu_2022}");
  const Generation& base = c.generations[c.base];
  const std::string price_key = fmt::format("usd_per_flop_{}", base.year);
  r.add_input(price_key, fmt::format("Price per peak FLOP, {}", base.year), c.usd_per_flop_base, Unit::usd,
              Text::of("{}: {}/chip-h for {}", base.offer->id, Quantity{base.offer->usd_per_chip_hour(), Unit::usd},
                       Quantity{peak_of(*base.acc), Unit::flop_per_s}),
              cite(*base.offer));
  r.add_input("infer_mfu", "Inference MFU", c.infer_mfu, Unit::fraction, assumption_source("infer_mfu"),
              cite(cat.assumption("infer_mfu")));
  const std::string n_key = c.model->active_params ? "active_params" : "params";
  for (int y = c.release; y <= c.until; ++y) {
    const double price = c.usd_per_flop_base / std::pow(1 + g, y - base.year);
    r.add(fmt::format("train_cost_{}_usd", y), fmt::format("Trend: training cost in {}", y),
          r.value("train_flop") / mfu_in(c, y) * price, Unit::usd,
          fmt::format("{{train_flop}} / {{{}}} × {{{}}} / (1 + {{growth_per_year}})^{}", mfu_key(y), price_key,
                      y - base.year));
    r.add(fmt::format("infer_cost_per_1k_tokens_{}_usd", y), fmt::format("Trend: inference per 1K tokens in {}", y),
          2 * c.model->active() * 1000 / c.infer_mfu * price, Unit::usd,
          fmt::format("2 × {{{}}} × 1000 / {{infer_mfu}} × {{{}}} / (1 + {{growth_per_year}})^{}", n_key, price_key,
                      y - base.year));
  }
  if (c.base > 0 || c.release < base.year) {
    r.notes.emplace_back(Text::of(
        "the projection starts from {} ({}), the trend offer of {}, the newest not after the model's release ({}){}",
        base.offer->id, base.acc->id, Quantity{double(base.year), Unit::exact},
        Quantity{double(c.release), Unit::exact},
        c.release < base.year ? ": earlier years are extrapolated back at the trend rate" : ""));
  }
}

}  // namespace

static Report estimate_trend_point(const TrendInputs& in, const Catalog& cat) {
  TrendContext c = resolve_trend(in, cat);
  const Model& m = *c.model;
  Report r;
  r.kind = "trend";
  r.add_context("model", "Model", fmt::format("{} ({})", m.id, m.name), in.model.empty() ? "default" : "given",
                cite(m));
  const std::string src = "catalog model " + m.id;
  r.add_input(m.active_params ? "active_params" : "params", m.active_params ? "Active parameters" : "Parameters",
              m.active(), Unit::params, src);
  r.add_input("tokens", "Training tokens", c.tokens, Unit::tokens, in.tokens ? "given" : src);
  const double flop = r.add("train_flop", "Training compute", 6 * m.active() * c.tokens, Unit::flop,
                            fmt::format("6 × {{{}}} × {{tokens}}", m.active_params ? "active_params" : "params"));
  add_actual_rows(r, c, flop);
  const double g =
      input_or_assumption(r, cat, given_growth(in.growth, in.doubling_years), "growth_per_year",
                          "Price-performance growth a year", Unit::fraction, "hardware_price_performance_growth");
  add_projection_rows(r, cat, c, g);
  r.notes.emplace_back(
      "Epoch AI's alternatives: --doubling-years 2.46 (all GPUs) or 2.07 (ML GPUs), Hobbhahn & "
      "Besiroglu 2022");
  r.title = Text::of("Cost trend of {} from {} to {}", m.name, Quantity{double(c.release), Unit::exact},
                     Quantity{double(c.until), Unit::exact});
  return r;
}

Report estimate_trend(const TrendInputs& in, const Catalog& cat) {
  return with_catalog_ranges(in, cat, estimate_trend_point,
                             {"train_cost_*", "infer_cost_per_1k_tokens_*", "trend_decline_2_5y"});
}

}  // namespace llmcost
