// Uncertainty propagation (llmcost/uncertainty.hpp, docs/uncertainty.md): the normal quantile, the
// Latin hypercube, Monte Carlo percentiles against the closed form of a product of lognormals, the
// variance shares, and train --uncertainty end to end.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "helpers.hpp"
#include "llmcost/error.hpp"
#include "llmcost/scenario.hpp"
#include "llmcost/sweep.hpp"
#include "llmcost/train.hpp"
#include "llmcost/uncertainty.hpp"
#include "report_json.hpp"

namespace llmcost {
namespace {

constexpr double kZ95 = 1.6448536269514722;

TEST_CASE("uncertainty: the normal quantile", "[uncertainty]") {
  // Φ⁻¹ at 0.975, 0.05, 0.5 and deep in the tail (tabulated values).
  CHECK(normal_quantile(0.975) == Approx(1.959963984540054).epsilon(1e-10));
  CHECK(normal_quantile(0.05) == Approx(-kZ95).epsilon(1e-10));
  CHECK(std::abs(normal_quantile(0.5)) < 1e-12);
  CHECK(normal_quantile(1e-9) == Approx(-5.997807015007686).epsilon(1e-8));
}

TEST_CASE("uncertainty: a Latin hypercube puts one draw in every stratum, reproducibly", "[uncertainty]") {
  const UncertainInput u{"u", 0.5, Spread{"uniform", 0, 1, {}, "test"}};
  const UncertainInput v{"v", 0.5, Spread{"uniform", 0, 1, {}, "test"}};
  const size_t n = 1000;
  const Sampled s = latin_hypercube({u, v}, n, 7);
  for (size_t i = 0; i < 2; ++i) {
    std::vector<int> seen(n, 0);
    for (const auto& x : s.samples) ++seen[static_cast<size_t>(x[i] * static_cast<double>(n))];
    CHECK(std::count(seen.begin(), seen.end(), 1) == static_cast<long>(n));
  }
  CHECK(latin_hypercube({u, v}, n, 7).samples == s.samples);
  CHECK(latin_hypercube({u, v}, n, 8).samples != s.samples);
}

TEST_CASE("uncertainty: an empirical spread draws its values in ascending order, whatever their listing",
          "[uncertainty]") {
  // Listed unsorted (as grid_kg_per_kwh's runs are): the quantile still rises with u, each value
  // takes an equal share of the strata, and the variance shares credit it, not an input that only
  // adds noise. Drawn in the listed order, its draws would be uncorrelated with its scores and
  // the noise would take most of the share.
  const UncertainInput e{"e", 1, Spread{"empirical", 0, 0, {1.1, 0.3, 1.0, 0.9}, "t"}};
  const UncertainInput noise{"noise", 1, Spread{"normal", 0.9, 1.1, {}, "t"}};
  double last = 0;
  for (const double u : {0.01, 0.24, 0.26, 0.49, 0.51, 0.74, 0.76, 0.99}) {
    const double q = spread_quantile(e, u);
    CHECK(q >= last);
    last = q;
  }
  CHECK(spread_quantile(e, 0.1) == 0.3);
  CHECK(spread_quantile(e, 0.9) == 1.1);
  const Sampled s = latin_hypercube({e, noise}, 4000, 3);
  std::vector<double> y;
  int lowest = 0;
  for (const auto& x : s.samples) y.push_back(x[0] * x[1]), lowest += x[0] == 0.3;
  CHECK(lowest == 1000);
  const std::vector<double> shares = variance_shares(s.scores, y);
  CHECK(shares[0] > 0.9);
  CHECK(shares[1] < 0.1);
}

TEST_CASE("uncertainty: percentiles of a product of lognormals match the closed form within 1%", "[uncertainty]") {
  // ln X_i ~ N(μ_i, σ_i²) with 90% intervals [low, high]: μ = mean of the logs, σ = their half
  // width / 1.645. The product's log is N(Σμ, Σσ²), its percentiles exp(Σμ + z·√Σσ²).
  // Spreads of the size of a cost estimate's inputs (an MFU ×/÷ 1.25, a price 1.7-2.4, ±10%).
  const std::vector<UncertainInput> in{{"a", 1, Spread{"lognormal", 0.8, 1.25, {}, "t"}},
                                       {"b", 2, Spread{"lognormal", 1.7, 2.4, {}, "t"}},
                                       {"c", 30, Spread{"lognormal", 27, 33, {}, "t"}}};
  double mu = 0, var = 0;
  std::vector<double> sig2;
  for (const auto& i : in) {
    mu += (std::log(i.spread.low) + std::log(i.spread.high)) / 2;
    const double s = (std::log(i.spread.high) - std::log(i.spread.low)) / (2 * kZ95);
    var += s * s, sig2.push_back(s * s);
  }
  Sampled s;
  std::vector<double> y;
  for (const std::uint64_t seed : {1, 2, 3, 4, 5}) {
    s = latin_hypercube(in, 10000, seed);
    y.clear();
    for (const auto& x : s.samples) y.push_back(x[0] * x[1] * x[2]);
    for (const double p : {5.0, 50.0, 95.0}) {
      std::vector<double> copy = y;
      const double z = p == 50 ? 0 : (p < 50 ? -kZ95 : kZ95);
      INFO("seed " << seed << ", percentile " << p);
      CHECK(percentile(copy, p) == Approx(std::exp(mu + z * std::sqrt(var))).epsilon(0.01));
    }
  }
  // Each input's share of the variance of log(product) is σ_i² / Σσ².
  const std::vector<double> shares = variance_shares(s.scores, y);
  for (size_t i = 0; i < in.size(); ++i) CHECK(shares[i] == Approx(sig2[i] / var).margin(0.01));
}

TEST_CASE("uncertainty: train --uncertainty keeps the point estimate inside its range", "[uncertainty]") {
  const auto r = test::report("train --model gpt3 --uncertainty");
  for (const char* key : {"cost_usd", "wall_time_s", "chip_hours", "energy_kwh", "co2e_kg"}) {
    INFO(key);
    const double point = test::value(r, key), lo = test::value(r, std::string(key) + "_p05"),
                 mid = test::value(r, std::string(key) + "_p50"), hi = test::value(r, std::string(key) + "_p95");
    CHECK(lo <= point);
    CHECK(point <= hi);
    CHECK(lo < mid);
    CHECK(mid < hi);
  }
  // The point estimate is the one without --uncertainty.
  CHECK(test::value(r, "cost_usd") == test::value(test::report("train --model gpt3"), "cost_usd"));
  // The planned MFU's error and goodput move time and cost; the grid moves emissions most.
  const std::string cost = r["values"]["sensitivity_cost_usd"];
  CHECK(cost.rfind("plan_mfu_error", 0) == 0);
  const std::string co2 = r["values"]["sensitivity_co2e_kg"];
  CHECK(co2.rfind("grid_kg_per_kwh", 0) == 0);
  // Same seed, same output; an 80% interval names its percentiles.
  CHECK(test::run_llmcost("train --model gpt3 --uncertainty --seed 3 --format json").out ==
        test::run_llmcost("train --model gpt3 --uncertainty --seed 3 --format json").out);
  const auto narrow = test::report("train --model gpt3 --uncertainty --interval 80 --samples 2000");
  CHECK(test::value(narrow, "cost_usd_p10") > test::value(r, "cost_usd_p05"));
  // Given inputs are certain: with --mfu, --goodput, --pue and --grid-kg-per-kwh nothing varies.
  const auto fixed = test::run_llmcost(
      "train --model gpt3 --mfu 40% --goodput 1 --pue 1.1 --grid-kg-per-kwh 0.4 --uncertainty --format json");
  CHECK(fixed.rc == 0);
  CHECK(fixed.out.find("none carries a spread") != std::string::npos);
  const auto stray = test::run_llmcost("train --model gpt3 --samples 100");
  CHECK(stray.rc == 2);
  CHECK(stray.err.find("--samples applies with --uncertainty only") != std::string::npos);
}

TEST_CASE("uncertainty: same seed, same output, for any thread count", "[uncertainty]") {
  for (const char* cmd : {"train --model gpt3 --uncertainty --seed 5 --format json",
                          "optimal --law besiroglu2024 --flops 5.76e23 --uncertainty --seed 5 --format json"}) {
    INFO(cmd);
    const std::string one = test::run_llmcost(std::string(cmd) + " --threads 1").out;
    CHECK(!one.empty());
    CHECK(test::run_llmcost(std::string(cmd) + " --threads 3").out == one);
    CHECK(test::run_llmcost(std::string(cmd) + " --threads 0").out == one);
  }
  const auto stray = test::run_llmcost("optimal --flops 1e23 --threads 2");
  CHECK(stray.rc == 2);
  CHECK(stray.err.find("--threads applies with --uncertainty only") != std::string::npos);
}

TEST_CASE("uncertainty: tables show the interval beside the value; JSON and CSV carry the percentiles",
          "[uncertainty]") {
  const auto table = test::run_llmcost("train --model gpt3 --uncertainty --samples 1000");
  REQUIRE(table.rc == 0);
  const auto json = test::report("train --model gpt3 --uncertainty --samples 1000");
  // "Cost  $1.32M ($1.18M–$1.55M)": the point, then the 5th and 95th percentiles, as rendered.
  const std::string cost = table.out.substr(table.out.find("  Cost  "));
  const std::string line = cost.substr(0, cost.find('\n'));
  CHECK(line.find(" (") != std::string::npos);
  CHECK(line.find("–") != std::string::npos);
  CHECK(table.out.find("cost_usd_p05") == std::string::npos);  // folded into the row, not listed
  CHECK(table.out.find("Cost, p05") == std::string::npos);
  CHECK(json["values"].contains("cost_usd_p05"));
  const auto csv = test::run_llmcost("train --model gpt3 --uncertainty --samples 1000 --format csv");
  CHECK(csv.out.find("\ncost_usd_p95,") != std::string::npos);
}

TEST_CASE("uncertainty: loss, optimal and scale take ranges from a law's standard errors", "[uncertainty]") {
  const auto loss = test::report("loss --model chinchilla --law besiroglu2024 --uncertainty --samples 2000");
  CHECK(test::value(loss, "loss_p05") < test::value(loss, "loss"));
  CHECK(test::value(loss, "loss") < test::value(loss, "loss_p95"));
  const auto opt = test::report("optimal --law besiroglu2024 --flops 5.76e23 --uncertainty");
  CHECK(test::value(opt, "params_opt_p05") < test::value(opt, "params_opt"));
  CHECK(test::value(opt, "params_opt") < test::value(opt, "params_opt_p95"));
  // Every sample splits the same budget: C = 6·N·D holds at the percentiles of N and D jointly.
  CHECK(test::value(opt, "tokens_opt_p05") < test::value(opt, "tokens_opt_p95"));
  const auto scale = test::report("scale --flops 1e27 --law besiroglu2024 --uncertainty --samples 1000");
  CHECK(test::value(scale, "data_needed_ratio_p05") < test::value(scale, "data_needed_ratio_p95"));
  // A law without standard errors says so and gives the point estimate.
  const auto bare = test::run_llmcost("optimal --law hoffmann2022 --flops 5.76e23 --uncertainty");
  CHECK(bare.rc == 0);
  CHECK(bare.out.find("no standard errors") != std::string::npos);
}

TEST_CASE("uncertainty: a law's correlation is a correlation matrix with its source", "[uncertainty]") {
  const std::string base =
      "[[law]]\nid = \"l\"\nform = \"hoffmann\"\ne = 1.8\na = 480.0\nb = 2000.0\nalpha = 0.35\nbeta = 0.37\n"
      "std_errors = { e = 0.03, a = 120.0, b = 1300.0, alpha = 0.015, beta = 0.021 }\nsource = \"s\"\n";
  const std::string ident =
      "[[1.0, 0.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0, 0.0], "
      "[0.0, 0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0, 1.0]]";
  Catalog ok;
  ok.load_text(base + "correlation = " + ident + "\ncorrelation_source = \"t\"\n", "a.toml");
  CHECK(ok.law("l").correlation.size() == 25);
  // corr(ln e, ln a) = 1: symmetric with a unit diagonal, but singular.
  const std::string not_pd =
      "[[1.0, 1.0, 0.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0, 0.0], "
      "[0.0, 0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0, 1.0]]";
  Catalog bad;
  CHECK_THROWS_WITH(
      bad.load_text(base + "correlation = " + not_pd + "\ncorrelation_source = \"t\"\n", "b.toml"),
      Catch::Contains("b.toml:11") && Catch::Contains("correlation") && Catch::Contains("not positive definite"));
  CHECK_THROWS_WITH(
      bad.load_text(base + "correlation = [[1.0, 0.5], [0.5, 1.0]]\ncorrelation_source = \"t\"\n", "c.toml"),
      Catch::Contains("5 rows of 5"));
  CHECK_THROWS_WITH(bad.load_text(base + "correlation = " + ident + "\n", "d.toml"),
                    Catch::Contains("correlation_source"));
}

TEST_CASE("uncertainty: scenarios state probabilities and sweeps rank by a percentile", "[uncertainty]") {
  // P(cost <= max) >= p reads the p-th percentile: the scenario turns --uncertainty on and asks
  // for that percentile.
  const Scenario s = parse_scenario(
      "kind = \"train\"\n[inputs]\nmodel = \"gpt3\"\n[expect]\ncost_usd = { max = 2e6, probability = 0.8 }\n"
      "co2e_kg = { min = 1e4, probability = 0.9 }\n",
      "p.toml");
  CHECK(s.expect[0].checked_key() == "cost_usd_p80");
  CHECK(s.expect[1].checked_key() == "co2e_kg_p10");
  CHECK(s.expect[0].describe() == "P(<= 2e+06) >= 80.0%");
  const Report r = evaluate_scenario(s, test::default_catalog());
  const double p80 = r.value("cost_usd_p80");
  CHECK(r.value("cost_usd_p50") < p80);
  CHECK(p80 < r.value("cost_usd_p95"));
  // The bound decides: a max just under the 80th percentile fails, just over passes.
  const auto dir = test::scratch_dir("probability");
  const auto write = [&](const std::string& name, double max) {
    std::ofstream(dir / name) << "kind = \"train\"\n[inputs]\nmodel = \"gpt3\"\n[expect]\ncost_usd = { max = " << max
                              << ", probability = 0.8 }\n";
    return (dir / name).string();
  };
  CHECK(test::run_llmcost("run " + write("pass.toml", p80 * 1.001)).rc == 0);
  const auto fail = test::run_llmcost("run " + write("fail.toml", p80 * 0.999));
  CHECK(fail.rc == 1);
  CHECK(fail.out.find("expected P(<= ") != std::string::npos);
  // Errors: a probability outside (0, 1), with two bounds or a value, or with --uncertainty off.
  CHECK_THROWS_WITH(
      parse_scenario("kind = \"train\"\n[expect]\ncost_usd = { max = 2e6, probability = 1.2 }\n", "a.toml"),
      Catch::Contains("a.toml:3") && Catch::Contains("expect.cost_usd.probability"));
  CHECK_THROWS_WITH(
      parse_scenario("kind = \"train\"\n[expect]\ncost_usd = { min = 1, max = 2e6, probability = 0.5 }\n", "b.toml"),
      Catch::Contains("one bound"));
  CHECK_THROWS_WITH(
      parse_scenario(
          "kind = \"train\"\n[inputs]\nuncertainty = false\n[expect]\ncost_usd = { max = 2e6, probability = 0.5 }\n",
          "c.toml"),
      Catch::Contains("needs uncertainty = true"));
  // A sweep ranks by a percentile of every point's own Monte Carlo, as the report computes it.
  const Scenario sweep = parse_scenario(
      "kind = \"train\"\nbest = \"cost_usd_p95\"\n[inputs]\nmodel = \"gpt3\"\nuncertainty = true\n"
      "samples = 1000\nchips = [512, 1024]\n",
      "s.toml");
  SweepOptions opt;
  const SweepResult res = run_sweep(sweep, test::default_catalog(), opt);
  REQUIRE(res.row_count() >= 1);
  const auto one = test::report("train --model gpt3 --uncertainty --samples 1000 --chips " +
                                std::to_string(static_cast<int>(res.at(0, "chips"))));
  CHECK(res.at(0, "cost_usd_p95") == Approx(test::value(one, "cost_usd_p95")).epsilon(1e-12));
}

TEST_CASE("uncertainty: the other estimate commands rerun themselves on sampled catalogs", "[uncertainty]") {
  // plan: the performance model's fitted runtime efficiency carries its validation error; the
  // step time's 90% interval holds the point estimate and is about ±12% wide.
  const auto plan = test::report("plan --model llama2-70b --chips 512 --hardware h100-sxm --uncertainty --samples 500");
  const double step = test::value(plan, "step_time_s");
  CHECK(test::value(plan, "step_time_s_p05") < step);
  CHECK(step < test::value(plan, "step_time_s_p95"));
  CHECK(test::value(plan, "step_time_s_p95") / test::value(plan, "step_time_s_p05") == Approx(1.2).margin(0.1));
  CHECK(std::string(plan["values"]["sensitivity_step_time_s"]) == "plan_runtime_efficiency 100%");
  // ... unless the user gives it: then nothing varies.
  const auto given = test::run_llmcost(
      "plan --model llama2-70b --chips 512 --hardware h100-sxm --runtime-efficiency 0.84 --uncertainty --samples 500");
  CHECK(given.rc == 0);
  CHECK(given.out.find("no spread in the catalog moves this estimate") != std::string::npos);
  // finetune, rlhf and serve through the same performance and serving models; infer's FLOP rule
  // through infer_mfu, its energy through PUE.
  for (const auto& [cmd, key] :
       {std::pair<const char*, const char*>{"finetune --model llama2-7b --tokens 100M --method lora --offer aws-p5",
                                            "cost_usd"},
        {"rlhf --actor opt-1.3b --reward opt-350m --hardware a100-80gb --chips 8", "total_time_s"},
        {"serve --model llama3-8b --offer aws-p5 --rps 5", "energy_per_1m_tokens_kwh"},
        {"infer --model llama2-70b --offer aws-p5", "cost_per_1m_tokens_usd"},
        {"trend --model gpt3", "train_cost_2026_usd"}}) {
    INFO(cmd);
    const auto r = test::report(std::string(cmd) + " --uncertainty --samples 300");
    CHECK(test::value(r, std::string(key) + "_p05") < test::value(r, std::string(key) + "_p95"));
  }
  // The same seed gives the same output for any thread count here too.
  const std::string cmd =
      "finetune --model llama2-7b --tokens 100M --method lora --offer aws-p5 --uncertainty "
      "--samples 300 --format json --threads ";
  CHECK(test::run_llmcost(cmd + "1").out == test::run_llmcost(cmd + "2").out);
}

TEST_CASE("uncertainty: --plot draws the distribution and what moves it", "[uncertainty]") {
  const auto dir = test::scratch_dir("uncertainty-plot");
  const std::string svg = (dir / "cost.svg").string();
  const auto ok = test::run_llmcost("train --model gpt3 --uncertainty --samples 1000 --plot " + svg);
  REQUIRE(ok.rc == 0);
  const std::string text = test::slurp(svg);
  CHECK(text.rfind("<svg xmlns=", 0) == 0);
  CHECK(text.find("Cost: cumulative probability") != std::string::npos);
  CHECK(text.find("What moves Cost") != std::string::npos);
  CHECK(text.find("plan_mfu_error") != std::string::npos);  // the largest share, in the tornado's legend
  CHECK(text.find("<path d=\"M") != std::string::npos);     // the distribution's curve has points
  CHECK(std::system(("xmllint --noout '" + svg + "' 2>/dev/null").c_str()) == 0);  // well-formed XML
  // Without --uncertainty there is nothing to draw: exit 2, nothing written.
  const std::string none = (dir / "none.svg").string();
  const auto bad = test::run_llmcost("train --model gpt3 --plot " + none);
  CHECK(bad.rc == 2);
  CHECK(bad.err.find("--plot: no range to draw") != std::string::npos);
  CHECK(!std::filesystem::exists(none));
  // trend draws its costs by year without --uncertainty, with the catalog's actual costs as markers.
  const std::string trend = (dir / "trend.svg").string();
  REQUIRE(test::run_llmcost("trend --model gpt3 --plot " + trend).rc == 0);
  const std::string t = test::slurp(trend);
  CHECK(t.find("training cost by year") != std::string::npos);
  CHECK(t.find("inference per 1K tokens by year") != std::string::npos);
  CHECK(t.find("catalog prices and published MFU") != std::string::npos);
  CHECK(std::system(("xmllint --noout '" + trend + "' 2>/dev/null").c_str()) == 0);
  // plan draws each listed layout's step time as a stacked bar of where it goes.
  const std::string plan = (dir / "plan.svg").string();
  REQUIRE(
      test::run_llmcost("plan --model llama3-70b --offer aws-p5 --chips 1024 --global-batch 4M --plot " + plan).rc ==
      0);
  const std::string pl = test::slurp(plan);
  CHECK(pl.find("where the step time goes") != std::string::npos);
  CHECK(pl.find("<rect x=") != std::string::npos);
  CHECK(pl.find("best layout on top") != std::string::npos);  // the runners-up below it
  CHECK(pl.find(">tensor-parallel communication<") != std::string::npos);
  CHECK(std::system(("xmllint --noout '" + plan + "' 2>/dev/null").c_str()) == 0);
  // serve traces a replica's latency against throughput as the batch doubles, its planned batch marked.
  const std::string serve = (dir / "serve.svg").string();
  REQUIRE(test::run_llmcost("serve --model llama3-8b --offer aws-p5 --rps 5 --plot " + serve).rc == 0);
  const std::string sv = test::slurp(serve);
  CHECK(sv.find("Latency against throughput") != std::string::npos);
  CHECK(sv.find("planned: batch") != std::string::npos);
  CHECK(std::system(("xmllint --noout '" + serve + "' 2>/dev/null").c_str()) == 0);
  // --plot goes with the estimate kinds, not with the listings.
  CHECK(test::run_llmcost("list models --plot " + none).rc == 2);
}

TEST_CASE("run --plot draws each sweep's cost against wall time with its Pareto front", "[sweep]") {
  const auto dir = test::scratch_dir("run-plot");
  // A sweep whose MFU the planner predicts: more chips finish sooner but cost more.
  const std::string scenario = (dir / "front.toml").string(), svg = (dir / "front.svg").string();
  std::ofstream(scenario) << "kind = \"train\"\n[inputs]\nmodel = \"llama2-7b\"\noffer = \"aws-p5\"\n"
                             "chips = [64, 128, 256, 512, 1024, 2048]\n";
  const auto ok = test::run_llmcost("run " + scenario + " --plot " + svg);
  REQUIRE(ok.rc == 0);
  const std::string text = test::slurp(svg);
  CHECK(text.find("cost against wall time") != std::string::npos);
  CHECK(text.find("6 of 6 plans kept") != std::string::npos);
  CHECK(text.find("Pareto front (6 plans)") != std::string::npos);  // each faster plan costs more
  CHECK(std::system(("xmllint --noout '" + svg + "' 2>/dev/null").c_str()) == 0);
  // No sweep with cost and time: exit 2, nothing written.
  const std::string none = (dir / "none.svg").string();
  const auto bad = test::run_llmcost("run " + std::string(LLMCOST_SCENARIO_DIR) +
                                     "/reference/train-gpt3-tpu-v4.toml --plot " + none);
  CHECK(bad.rc == 2);
  CHECK(bad.err.find("--plot: no sweep") != std::string::npos);
  CHECK(!std::filesystem::exists(none));
}

TEST_CASE("uncertainty: a spread must hold its value and name its source", "[uncertainty]") {
  const std::string base =
      "[[assumption]]\nid = \"x\"\nvalue = 2.0\nunit = \"ratio\"\ndescription = \"d\"\nsource = \"s\"\n";
  Catalog ok;
  ok.load_text(base + "spread = { distribution = \"lognormal\", low = 1.0, high = 4.0, source = \"t\" }\n", "a.toml");
  CHECK(ok.assumption("x").spread->high == 4.0);
  Catalog bad;
  CHECK_THROWS_WITH(
      bad.load_text(base + "spread = { distribution = \"normal\", low = 2.5, high = 4.0, source = \"t\" }\n", "b.toml"),
      Catch::Contains("b.toml:7") && Catch::Contains("spread.low") && Catch::Contains("must hold the value 2"));
  CHECK_THROWS_WITH(bad.load_text(base + "spread = { distribution = \"normal\", low = 1.0, high = 4.0 }\n", "c.toml"),
                    Catch::Contains("source"));
  CHECK_THROWS_WITH(
      bad.load_text(base + "spread = { distribution = \"beta\", low = 1.0, high = 4.0, source = \"t\" }\n", "d.toml"),
      Catch::Contains("distribution"));
}

}  // namespace
}  // namespace llmcost
