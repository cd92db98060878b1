// Property tests over random valid inputs (fixed seed): estimates are finite and positive, and
// move in the directions physics and prices dictate.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "helpers.hpp"
#include "llmcost/infer.hpp"
#include "llmcost/train.hpp"

using namespace llmcost;
using llmcost::test::default_catalog;

namespace {

struct Random {
  std::mt19937_64 rng{20261123};
  double log_uniform(double lo, double hi) {
    return std::exp(std::uniform_real_distribution<double>(std::log(lo), std::log(hi))(rng));
  }
  double uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
  }
};

TrainInputs random_train(Random& g) {
  TrainInputs in;
  std::vector<std::string> offers;
  for (const auto& o : default_catalog().offers()) offers.push_back(o.id);
  in.params = g.log_uniform(1e8, 1e13);
  in.tokens = g.log_uniform(1e9, 1e14);
  in.offer = g.pick(offers);
  in.mfu = g.uniform(1e-3, 1.0);
  in.chips = std::round(g.log_uniform(1, 1e5));
  return in;
}

double cost(const TrainInputs& in) {
  return estimate_training(in, default_catalog()).value("cost_usd");
}

}  // namespace

TEST_CASE("Invariants: training estimates are finite and positive", "[invariants]") {
  Random g;
  for (int i = 0; i < 300; ++i) {
    const Report r = estimate_training(random_train(g), default_catalog());
    for (const auto& row : r.rows) {
      INFO(row.key << " = " << row.value);
      CHECK(std::isfinite(row.value));
      CHECK(row.value > 0);
    }
  }
}

TEST_CASE("Invariants: more tokens never cost less, higher MFU never costs more", "[invariants]") {
  Random g;
  for (int i = 0; i < 200; ++i) {
    TrainInputs a = random_train(g);
    TrainInputs b = a;
    b.tokens = *a.tokens * g.uniform(1.0, 10.0);
    CHECK(cost(b) >= cost(a));
    b = a;
    b.mfu = std::min(1.0, *a.mfu * g.uniform(1.0, 3.0));
    CHECK(cost(b) <= cost(a));
  }
}

TEST_CASE("Invariants: more chips never take longer nor change chip-hours", "[invariants]") {
  Random g;
  for (int i = 0; i < 200; ++i) {
    TrainInputs a = random_train(g);
    TrainInputs b = a;
    b.chips = *a.chips * std::round(g.uniform(1, 8));
    const Report ra = estimate_training(a, default_catalog()), rb = estimate_training(b, default_catalog());
    CHECK(rb.value("wall_time_s") <= ra.value("wall_time_s"));
    CHECK(rb.value("chip_hours") == ra.value("chip_hours"));
    CHECK(rb.value("cost_usd") == ra.value("cost_usd"));
  }
}

TEST_CASE("Invariants: serving estimates are finite and positive, and bigger batches raise throughput",
          "[invariants]") {
  Random g;
  const std::vector<std::string> models{"gpt3",         "llama2-7b",   "llama2-70b",
                                        "mixtral-8x7b", "llama3-405b", "deepseek-v3"};
  std::vector<std::string> offers;
  for (const auto& o : default_catalog().offers()) offers.push_back(o.id);
  for (int i = 0; i < 200; ++i) {
    InferInputs in;
    in.model = g.pick(models);
    in.offer = g.pick(offers);
    in.batch = std::round(g.log_uniform(1, 512));
    in.prompt_tokens = std::round(g.log_uniform(1, 32768));
    in.output_tokens = std::round(g.log_uniform(1, 4096));
    in.seq_len = *in.prompt_tokens + *in.output_tokens;  // a long-context variant where the model's is shorter
    const Report r = estimate_inference(in, default_catalog());
    for (const auto& row : r.rows) {
      INFO(in.model << " on " << in.offer << ": " << row.key << " = " << row.value);
      CHECK(std::isfinite(row.value));
      if (row.key != "fits" && row.key != "max_batch_fit") CHECK(row.value > 0);
    }
    InferInputs bigger = in;  // the same replica (chips), twice the batch
    bigger.batch = *in.batch * 2;
    bigger.chips = r.value("chips");
    CHECK(estimate_inference(bigger, default_catalog()).value("tokens_per_s") >= r.value("tokens_per_s") * (1 - 1e-12));
  }
}
