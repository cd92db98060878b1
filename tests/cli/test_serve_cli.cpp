// `llmcost serve`: capacity from traffic, per offer, on top of `llmcost infer`'s replica.
#include <catch2/catch.hpp>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_runner.hpp"
#include "report_json.hpp"

namespace {

using llmcost::test::report;
using llmcost::test::run_llmcost;

using llmcost::test::value;

TEST_CASE("serve: replicas, accelerators, utilisation and cost from the traffic", "[serve]") {
  const std::string flags = "--model llama3-70b --offer runpod-h200 --ttft-ms 500 --tpot-ms 50";
  const auto r = report("serve " + flags + " --rps 20");
  const auto replica = report("infer " + flags);
  // The replica is infer's plan for the same SLOs.
  CHECK(value(r, "chips") == value(replica, "chips"));
  CHECK(value(r, "batch") == value(replica, "batch"));
  const double replica_rps = value(replica, "batch") / value(replica, "request_latency_s");
  CHECK(value(r, "replica_rps") == Approx(replica_rps).epsilon(1e-12));
  // Provisioned for the peak (2 × the mean by default).
  CHECK(value(r, "peak_rps") == 40);
  CHECK(value(r, "replicas") == std::ceil(40 / replica_rps));
  CHECK(value(r, "accelerators") == value(r, "replicas") * value(r, "chips"));
  CHECK(value(r, "utilisation") == Approx(20 / (value(r, "replicas") * replica_rps)).epsilon(1e-12));
  CHECK(value(r, "usd_per_month") ==
        Approx(value(r, "accelerators") * value(replica, "usd_per_chip_hour") * 730).epsilon(1e-12));
  // Tokens a day instead: 20 requests/s × 600 tokens × 86,400 s.
  const auto t = report("serve " + flags + " --tokens-per-day " + std::to_string(20.0 * 600 * 86400));
  CHECK(value(t, "mean_rps") == Approx(20).epsilon(1e-12));
  CHECK(value(t, "usd_per_month") == value(r, "usd_per_month"));
}

TEST_CASE("serve: offers compared in one report, the cheapest planned", "[serve]") {
  const auto r = report("serve --model llama3-8b --offer runpod-h100,aws-p5 --rps 50");
  const double a = value(r, "usd_per_month_runpod_h100"), b = value(r, "usd_per_month_aws_p5");
  CHECK(value(r, "usd_per_month") == std::min(a, b));
  CHECK(llmcost::test::context(r, "offer") == (a < b ? "runpod-h100" : "aws-p5"));
}

TEST_CASE("serve: traffic is required, once; an SLO no replica meets is an error", "[serve]") {
  for (const std::string& args :
       {std::string("serve --model llama3-8b --offer runpod-h100"),
        std::string("serve --model llama3-8b --offer runpod-h100 --rps 1 --tokens-per-day 1B")}) {
    const auto r = run_llmcost(args);
    CHECK(r.rc == 2);
    CHECK(r.err.find("give --rps or --tokens-per-day") != std::string::npos);
  }
  // However light the traffic, one replica (before: 0 replicas and an infinite utilisation, exit 2).
  const auto light = report("serve --model llama3-8b --offer runpod-h100 --rps 1e-9");
  CHECK(value(light, "replicas") == 1);
  CHECK(value(light, "utilisation") == Approx(1e-9 / value(light, "replica_rps")).epsilon(1e-9));
  const auto slo = run_llmcost("serve --model llama3-70b --offer runpod-h200 --rps 1 --tpot-ms 0.5");
  CHECK(slo.rc == 2);
  CHECK(slo.err.find("no replica meets the SLOs") != std::string::npos);
}

TEST_CASE("serve: continuous batching at the mean traffic by Little's law", "[serve]") {
  const std::string flags = "--model llama3-8b --offer runpod-h100 --prompt-tokens 500 --output-tokens 200";
  const auto r = report("serve " + flags + " --rps 30");
  const double lambda = value(r, "replica_mean_rps");
  CHECK(lambda == Approx(30 / value(r, "replicas")).epsilon(1e-12));
  // Little's law: requests in flight = arrival rate × time in the system.
  const double b = value(r, "batch_at_mean");
  CHECK(b == Approx(lambda * value(r, "latency_at_mean_s")).epsilon(1e-4));
  CHECK(b < value(r, "batch"));  // at the mean, below what the replica was sized for at the peak
  // The decode steps run in the time the prefills leave: infer's step at that batch, stretched.
  CHECK(value(r, "tpot_at_mean_s") ==
        Approx(value(r, "step_at_mean_s") / (1 - lambda * value(r, "prefill_at_mean_s"))).epsilon(1e-9));
  // The step and prefill are infer's at that batch (infer takes a whole batch: compare at the
  // nearest, within the change one sequence makes).
  const auto at = report("infer " + flags + " --chips " + std::to_string(int(value(r, "chips"))) + " --batch " +
                         std::to_string(int(std::round(b))));
  CHECK(value(r, "step_at_mean_s") == Approx(value(at, "time_per_output_token_s")).epsilon(0.02));
  CHECK(value(r, "prefill_at_mean_s") == Approx(value(at, "time_to_first_token_s") / std::round(b)).epsilon(0.02));
  CHECK(value(r, "latency_at_mean_s") ==
        Approx(value(r, "prefill_at_mean_s") + 199 * value(r, "tpot_at_mean_s")).epsilon(1e-9));
  // Light traffic: a handful in flight, each request's latency close to one alone.
  const auto light = report("serve " + flags + " --rps 0.5");
  const auto alone = report("infer " + flags + " --chips 1 --batch 1");
  CHECK(value(light, "batch_at_mean") < 10);
  CHECK(value(light, "latency_at_mean_s") < 1.2 * value(alone, "request_latency_s"));
}

TEST_CASE("serve: finetune and rlhf too answer in every format", "[serve]") {
  const std::pair<std::string, std::string> commands[] = {
      {"serve --model llama3-70b --offer runpod-h200,aws-p5 --rps 20 --ttft-ms 500 --tpot-ms 50", "usd_per_month"},
      {"finetune --model llama2-7b --tokens 100M --offer runpod-h100", "cost_usd"},
      {"rlhf --actor opt-1.3b --reward opt-350m --hardware a6000", "step3_time_s"}};
  for (const auto& [command, key] : commands) {
    for (const char* format : {"table", "json", "csv", "markdown"}) {
      const auto r = run_llmcost(command + " --format " + format);
      INFO(command << " --format " << format << ": " << r.err);
      CHECK(r.rc == 0);
      CHECK(r.err.empty());
      // The table shows labels under "Results"; JSON, CSV and Markdown carry the keys.
      const bool table = std::string(format) == "table";
      CHECK(r.out.find(table ? std::string("Results") : key) != std::string::npos);
    }
  }
}

}  // namespace
