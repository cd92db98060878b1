// `llmcost serve`: replicas from traffic, per offer, each replica planned by `infer`.
#include "llmcost/serve.hpp"
#include "estimate/uncertainty_rows.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "estimate/infer_steps.hpp"
#include "estimate/resolve.hpp"
#include "llmcost/error.hpp"

namespace llmcost {
namespace {

constexpr double kHoursPerMonth = 8760.0 / 12;

// One offer's plan.
struct OfferPlan {
  std::string offer;
  Report replica;  // the infer report of one replica
  double replica_rps = 0, replicas = 0, chips = 0, gpus = 0, utilisation = 0, usd_per_hour = 0, usd_per_month = 0;
};

// One replica on `offer`, as `llmcost infer` plans it.
OfferPlan plan_replica(const ServeInputs& in, const std::string& offer, const Catalog& cat) {
  OfferPlan p;
  p.offer = offer;
  InferInputs serving = in.serving;
  serving.offer = offer;
  p.replica = estimate_inference(serving, cat);
  if (const Row* met = p.replica.find("slo_met"); met && met->value == 0) {
    throw InputError(
        fmt::format("offer {}: no replica meets the SLOs (see 'llmcost infer --offer {}' with the same "
                    "flags)",
                    offer, offer));
  }
  if (p.replica.value("fits") == 0) {
    throw InputError(
        fmt::format("offer {}: the model does not fit one replica of {} chips", offer, p.replica.value("chips")));
  }
  p.chips = p.replica.value("chips");
  p.replica_rps = p.replica.value("batch") / p.replica.value("request_latency_s");
  return p;
}

// The fleet of replicas that carries the peak.
void size_fleet(OfferPlan& p, double peak_rps, double mean_rps) {
  p.replicas = std::max(1.0, std::ceil(peak_rps / p.replica_rps - 1e-9));  // at least one, however light the traffic
  p.gpus = p.replicas * p.chips;
  p.utilisation = mean_rps / (p.replicas * p.replica_rps);
  p.usd_per_hour = p.gpus * p.replica.value("usd_per_chip_hour");
  p.usd_per_month = p.usd_per_hour * kHoursPerMonth;
}

std::vector<std::string> offers_or_default(const ServeInputs& in, const Catalog& cat) {
  if (!in.offers.empty()) return in.offers;
  return {cat.assumption_text("default_infer_offer")};
}

void add_traffic_rows(Report& r, const ServeInputs& in, const Catalog& cat, double prompt, double output) {
  if (in.rps) {
    r.add_input("mean_rps", "Mean requests per second", *in.rps, Unit::none, "given");
  } else {
    r.add_input("tokens_per_day", "Tokens a day (input + output)", *in.tokens_per_day, Unit::tokens, "given");
    r.add("mean_rps", "Mean requests per second", *in.tokens_per_day / 86400 / (prompt + output), Unit::none,
          "{tokens_per_day} / 86400 / ({prompt_tokens} + {output_tokens})");
  }
  add_setting(r, cat, setting(in.peak_to_mean, cat, "serve_peak_to_mean"), "peak_to_mean", "Peak to mean traffic",
              Unit::ratio);
  r.add("peak_rps", "Peak requests per second", r.value("mean_rps") * r.value("peak_to_mean"), Unit::none,
        "{mean_rps} × {peak_to_mean}");
}

void add_plan_rows(Report& r, const OfferPlan& p) {
  for (const char* key : {"chips", "batch", "time_to_first_token_s", "time_per_output_token_s", "request_latency_s",
                          "usd_per_chip_hour"}) {
    const Row* row = p.replica.find(key);
    if (row) r.add_input(key, row->label + " (one replica)", row->value, row->unit, "llmcost infer --offer " + p.offer);
  }
  r.add("replica_rps", "Requests per second per replica", p.replica_rps, Unit::none,
        "{batch} / {request_latency_s} [continuous batching: batch requests in flight]");
  r.add("replicas", "Replicas", p.replicas, Unit::count, "max(1, ceil({peak_rps} / {replica_rps}))");
  r.add("accelerators", "Accelerators", p.gpus, Unit::count, "{replicas} × {chips}");
  r.add("utilisation", "Mean utilisation", p.utilisation, Unit::fraction, "{mean_rps} / ({replicas} × {replica_rps})");
  r.add("usd_per_hour", "Cost per hour", p.usd_per_hour, Unit::usd, "{accelerators} × {usd_per_chip_hour}");
  r.add("usd_per_month", "Cost per month", p.usd_per_month, Unit::usd, "{usd_per_hour} × 730 [hours a month]");
}

// Continuous batching at the mean traffic: each replica receives λ = mean / replicas requests a
// second; a request's prefill (ttft(B) / B, the batch's prefill shared out, at least one request's)
// interrupts the decode steps, which then take tpot(B) / (1 − λ·t_prefill) each; Little's law holds
// B = λ × (t_prefill + (O − 1) × that) requests in flight. Solved for B by bisection between 0 and
// the planned batch, each B costed by `infer` on the replica's chips and stages.
struct SteadyState {
  double batch = 0, prefill = 0, step = 0, tpot = 0, latency = 0;
};

SteadyState steady_state(const ServeInputs& in, const OfferPlan& p, const Catalog& cat, double lambda) {
  InferInputs at = in.serving;
  at.offer = p.offer;
  at.chips = p.chips;
  at.pp = p.replica.find("pipeline_stages") ? p.replica.value("pipeline_stages") : 1.0;
  at.ttft_ms.reset(), at.tpot_ms.reset(), at.latency_budget_ms.reset();
  const double output = p.replica.value("output_tokens");
  // The replica's chips and stages are fixed: resolve once, then only the arithmetic per batch.
  const InferContext ctx = resolve_inference(at, cat);
  const auto state = [&](double b) {
    at.batch = std::max(b, 1.0);
    const InferNumbers r = compute_inference(at, ctx);
    SteadyState s;
    s.batch = b;
    s.prefill = r.ttft / *at.batch;
    const double busy = std::min(lambda * s.prefill, 0.999);
    s.step = output > 0 ? r.tpot : 0;
    s.tpot = s.step / (1 - busy);
    s.latency = s.prefill + std::max(0.0, output - 1) * s.tpot;
    return s;
  };
  double lo = 0, hi = p.replica.value("batch");
  for (int i = 0; i < 48 && hi - lo > 1e-6 * hi; ++i) {
    const double mid = (lo + hi) / 2;
    (lambda * state(mid).latency > mid ? lo : hi) = mid;
  }
  return state(hi);
}

// For --plot: each replica's request latency against its output tokens/s as the batch doubles,
// up to the largest batch whose KV cache fits, on the chosen replica (infer's arithmetic).
Curve latency_curve(const ServeInputs& in, const OfferPlan& p, const Catalog& cat) {
  InferInputs at = in.serving;
  at.offer = p.offer;
  at.chips = p.chips;
  at.pp = p.replica.find("pipeline_stages") ? p.replica.value("pipeline_stages") : 1.0;
  at.ttft_ms.reset(), at.tpot_ms.reset(), at.latency_budget_ms.reset();
  const InferContext ctx = resolve_inference(at, cat);
  Curve c;
  c.title =
      Text::of("Latency against throughput on one replica ({} × {}) as the batch grows", Quantity{p.chips, Unit::count},
               p.replica.context.size() > 1 ? p.replica.context[1].value : p.offer);
  c.x_label = Text::of("output tokens/s per replica");
  c.y_label = Text::of("request latency");
  c.x_unit = Unit::tokens_per_s, c.y_unit = Unit::seconds;
  const double planned = p.replica.value("batch");
  const double top = std::max(planned, p.replica.find("max_batch_fit") ? p.replica.value("max_batch_fit") : planned);
  for (double b = 1; b <= top; b *= 2) {
    at.batch = b;
    const InferNumbers n = compute_inference(at, ctx);
    if (!n.fits) break;
    c.points.emplace_back(n.tokens_per_s, n.latency), c.tags.push_back(b);
  }
  at.batch = planned;
  const InferNumbers n = compute_inference(at, ctx);
  c.points.emplace_back(n.tokens_per_s, n.latency), c.tags.push_back(planned);
  c.marked = static_cast<int>(c.points.size()) - 1;
  return c;
}

void add_steady_state_rows(Report& r, const SteadyState& s) {
  r.add("replica_mean_rps", "Mean requests per second per replica", r.value("mean_rps") / r.value("replicas"),
        Unit::none, "{mean_rps} / {replicas}");
  r.add_found("batch_at_mean", "Requests in flight per replica at the mean", s.batch, Unit::count,
              "Little's law with continuous batching: batch = replica_mean_rps × request time, solved by bisection "
              "(docs/serving.md §5)");
  r.add_found("prefill_at_mean_s", "Prefill per request at the mean", s.prefill, Unit::seconds,
              "llmcost infer's time to first token at that batch (at least 1) over the batch");
  if (s.tpot > 0) {
    r.add_found("step_at_mean_s", "Decode step at the mean", s.step, Unit::seconds,
                "llmcost infer's time per output token at that batch");
    // The decode steps run in the time the prefills leave.
    r.add("tpot_at_mean_s", "Time per output token at the mean", s.tpot, Unit::seconds,
          "{step_at_mean_s} / (1 - {replica_mean_rps} × {prefill_at_mean_s})");
  }
  r.add("latency_at_mean_s", "Request latency at the mean", s.latency, Unit::seconds,
        s.tpot > 0 ? "{prefill_at_mean_s} + ({output_tokens} - 1) × {tpot_at_mean_s}" : "{prefill_at_mean_s}");
}

// Dollars per 1M tokens at the mean traffic, the replicas' time split between prefill and decode.
void add_unit_cost_rows(Report& r, const OfferPlan& p, double prompt, double output) {
  const double ttft = r.value("time_to_first_token_s"), latency = r.value("request_latency_s");
  const double prefill_share = ttft / latency;
  r.add("prefill_share", "Prefill share of a request's time", prefill_share, Unit::fraction,
        "{time_to_first_token_s} / {request_latency_s}");
  const double per_hour_requests = r.value("mean_rps") * 3600;
  r.add("cost_per_1m_input_tokens_usd", "Cost per 1M input tokens (at this utilisation)",
        p.usd_per_hour * prefill_share / (per_hour_requests * prompt) * 1e6, Unit::usd,
        "{usd_per_hour} × {prefill_share} / ({mean_rps} × 3600 × {prompt_tokens}) × 1e6");
  if (output > 0) {
    r.add("cost_per_1m_output_tokens_usd", "Cost per 1M output tokens (at this utilisation)",
          p.usd_per_hour * (1 - prefill_share) / (per_hour_requests * output) * 1e6, Unit::usd,
          "{usd_per_hour} × (1 - {prefill_share}) / ({mean_rps} × 3600 × {output_tokens}) × 1e6");
  }
  const Row* watts = p.replica.find("watts_per_chip");
  if (!watts) return;
  r.add_input("watts_per_chip", "Server power per chip", watts->value, Unit::watts, "llmcost infer --offer " + p.offer);
  r.add_input("pue", "Datacenter PUE", p.replica.value("pue"), Unit::ratio, "llmcost infer");
  r.add_input("grid_kg_per_kwh", "Grid carbon intensity", p.replica.value("grid_kg_per_kwh"), Unit::kg_per_kwh,
              "llmcost infer");
  const double kwh =
      p.gpus * watts->value * p.replica.value("pue") / 1000 / (per_hour_requests * (prompt + output)) * 1e6;
  r.add("energy_per_1m_tokens_kwh", "Energy per 1M tokens (provisioned power)", kwh, Unit::kwh,
        "{accelerators} × {watts_per_chip} × {pue} / 1000 / ({mean_rps} × 3600 × ({prompt_tokens} + "
        "{output_tokens})) × 1e6");
  r.add("co2e_per_1m_tokens_kg", "Emissions per 1M tokens", kwh * p.replica.value("grid_kg_per_kwh"), Unit::kg_co2e,
        "{energy_per_1m_tokens_kwh} × {grid_kg_per_kwh}");
}

}  // namespace

static Report estimate_serving_point(const ServeInputs& in, const Catalog& cat) {
  if (in.rps.has_value() == in.tokens_per_day.has_value())
    throw InputError("serve needs the traffic: give --rps or --tokens-per-day (one of them)");
  Report r;
  r.kind = "serve";
  std::vector<OfferPlan> plans;
  for (const std::string& offer : offers_or_default(in, cat)) plans.push_back(plan_replica(in, offer, cat));
  // Tokens per request, resolved as infer resolves them (an encoder-only model generates none).
  const Report& probe = plans.front().replica;
  const double prompt = probe.value("prompt_tokens"), output = probe.value("output_tokens");
  r.add_input("prompt_tokens", "Prompt tokens per request", prompt, Unit::tokens, probe.find("prompt_tokens")->source);
  r.add_input("output_tokens", "Output tokens per request", output, Unit::tokens, probe.find("output_tokens")->source);
  add_traffic_rows(r, in, cat, prompt, output);
  const double mean = r.value("mean_rps"), peak = r.value("peak_rps");
  for (OfferPlan& p : plans) size_fleet(p, peak, mean);
  const auto best = std::min_element(plans.begin(), plans.end(), [](const OfferPlan& a, const OfferPlan& b) {
    return a.usd_per_month < b.usd_per_month;
  });
  r.add_context("offer", "Offer (cheapest)", best->offer,
                plans.size() > 1 ? "the cheapest of the offers given" : "given or default");
  for (const TextAssumption& t : best->replica.context) {
    if (t.key == "model" || t.key == "accelerator") r.context.push_back(t);
  }
  add_plan_rows(r, *best);
  add_steady_state_rows(r, steady_state(in, *best, cat, mean / best->replicas));
  add_unit_cost_rows(r, *best, prompt, output);
  r.curves.push_back(latency_curve(in, *best, cat));
  if (plans.size() > 1) {
    for (const OfferPlan& p : plans) {
      std::string key = "usd_per_month_" + p.offer;  // a key is a formula variable: letters, digits, _
      std::replace_if(
          key.begin(), key.end(), [](char ch) { return ch == '-' || ch == '.'; }, '_');
      r.add_found(key, "Cost per month on " + p.offer, p.usd_per_month, Unit::usd,
                  fmt::format("{} replicas × {} chips, planned as above", p.replicas, p.chips));
    }
  }
  r.notes.emplace_back(
      "replicas are provisioned for the peak and draw their full server power while up; each runs the batch "
      "'llmcost infer' plans for it (continuous batching at that concurrency)");
  r.title = Text::of("Serving {} at {} requests/s (peak {}) on {}",
                     probe.context.empty() ? std::string("the model") : probe.context.front().value,
                     Quantity{mean, Unit::number}, Quantity{peak, Unit::number}, best->offer);
  return r;
}

Report estimate_serving(const ServeInputs& in, const Catalog& cat) {
  return with_catalog_ranges(in, cat, estimate_serving_point,
                             {"replicas", "usd_per_month", "latency_at_mean_s", "cost_per_1m_output_tokens_usd",
                              "energy_per_1m_tokens_kwh", "co2e_per_1m_tokens_kg"});
}

}  // namespace llmcost
