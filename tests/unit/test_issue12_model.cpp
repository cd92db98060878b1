// Issue 12 regressions at the library level (catalog, Hugging Face import, fitter, shipped data):
// each case failed against the code before its fix.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "llmcost/error.hpp"
#include "llmcost/fit.hpp"
#include "llmcost/hf_config.hpp"
#include "llmcost/train.hpp"

using llmcost::InputError;
using llmcost::test::default_catalog;

namespace {

// A small Llama config: RoPE, so its max_position_embeddings is no training length.
const char* kLlama = R"({"model_type": "llama", "hidden_size": 64, "num_hidden_layers": 2,
  "num_attention_heads": 4, "intermediate_size": 128, "vocab_size": 100, "max_position_embeddings": 131072})";

}  // namespace

TEST_CASE("Issue12: the HF import keeps max_position_embeddings apart from the training context", "[regressions]") {
  const llmcost::Model m = llmcost::model_from_hf_config(kLlama, "c.json");
  CHECK_FALSE(m.seq_len);  // not in a RoPE config
  CHECK(m.max_seq_len == 131072);
  // Learned position tables (GPT-2, OPT) hold exactly the trained length.
  const llmcost::Model gpt2 = llmcost::load_hf_config(std::string(LLMCOST_TEST_DIR) + "/hf/gpt2.json");
  CHECK(gpt2.seq_len == 1024);
  CHECK(gpt2.max_seq_len == 1024);
}

TEST_CASE("Issue12: every shipped model has a training seq_len, and ids are unique across kinds", "[regressions]") {
  const llmcost::Catalog& cat = default_catalog();
  std::map<std::string, std::string> seen;  // lower-case id or alias -> "kind id"
  auto add = [&](const llmcost::RecordBase& r, const std::string& kind) {
    std::vector<std::string> names = r.aliases;
    names.push_back(r.id);
    for (const auto& n : names) {
      const auto [it, fresh] = seen.emplace(n, kind + " " + r.id);
      INFO(n << ": " << it->second << " and " << kind << " " << r.id);
      CHECK((fresh || it->second == kind + " " + r.id));
    }
  };
  for (const auto& m : cat.models()) {
    INFO(m.id);
    CHECK(m.seq_len.has_value());
    if (m.kv_heads && m.heads) CHECK(*m.kv_heads <= *m.heads);
    add(m, "model");
  }
  for (const auto& a : cat.accelerators()) add(a, "accelerator");
  for (const auto& o : cat.offers()) add(o, "offer");
  for (const auto& l : cat.laws()) add(l, "law");
  for (const auto& a : cat.assumptions()) add(a, "assumption");
  // grid_kg_per_kwh is used by train only: its description must not claim inference.
  CHECK(cat.assumption("grid_kg_per_kwh").description.find("inference") == std::string::npos);
}

TEST_CASE("Issue12: a Huber delta that underflows the objective is refused, not 'converged'", "[regressions]") {
  llmcost::FitData data;
  data.origin = "runs";
  for (double n : {1e8, 3e8, 1e9, 3e9, 1e10, 3e10}) {
    for (double d : {5e9, 2e10, 8e10, 3e11, 1e12, 4e12}) {
      data.points.push_back({n, d, 1.69 + 406.4 / std::pow(n, 0.34) + 410.7 / std::pow(d, 0.28)});
    }
  }
  llmcost::FitOptions opt;
  opt.coarse_grid = true;
  opt.threads = 1;
  for (double delta : {1e-308, 1e-12}) {
    opt.huber_delta = delta;
    CHECK_THROWS_AS(llmcost::fit_law(data, opt), InputError);
  }
  // At the smallest allowed δ a converged fit has left its start (α, β ∈ {0.5, 1} on the coarse grid).
  opt.huber_delta = 1e-10;
  const llmcost::FitResult r = llmcost::fit_law(data, opt);
  if (r.converged) {
    CHECK(r.law.alpha != 0.5);
    CHECK(r.law.alpha != 1.0);
    CHECK_THAT(r.law.alpha, Catch::Matchers::WithinAbs(0.34, 0.01));
  }
}

TEST_CASE("Issue12: --seq-len replaces the model's context in the detailed rule", "[regressions]") {
  // GPT-3 trained at a 4,096-token context instead of the catalog's 2,048.
  llmcost::TrainInputs in;
  in.model = "gpt3";
  in.flops_rule = llmcost::FlopsRule::detailed;
  in.seq_len = 4096;
  const llmcost::TrainNumbers n = llmcost::compute_training(in, llmcost::resolve_training(in, default_catalog()));
  // 6 · 96 · 4096 · 12288 = 28,991,029,248 attention FLOP per token; 6 · 175e9 = 1.05e12.
  CHECK_THAT(n.train_flop, Catch::Matchers::WithinRel((1.05e12 + 28991029248.0) * 300e9, 1e-12));
}
