// Tests of include/llmcost/hf_config.hpp: Hugging Face config.json files (tests/hf/, copied verbatim
// from the published model repositories) read into Models whose parameter counts match the published
// figures, a cross-check with the catalog, and the errors for bad inputs.
// Exact counts are worked out by hand below from each architecture's tensors (d = hidden size,
// L = layers, V = vocabulary, ff = FFN width); the published figures come from the papers and cards.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "helpers.hpp"
#include "llmcost/error.hpp"
#include "llmcost/hf_config.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using Catch::Matchers::StartsWith;
using Catch::Matchers::WithinRel;
using llmcost::EnvError;
using llmcost::InputError;
using llmcost::load_hf_config;
using llmcost::Model;
using llmcost::model_from_hf_config;

namespace {

std::string hf_path(const std::string& file) {
  return std::string(LLMCOST_TEST_DIR) + "/hf/" + file;
}

Model load(const std::string& file) {
  return load_hf_config(hf_path(file));
}

// A small Llama config with `patch` applied (RFC 7396 merge patch: its members replace or add).
std::string llama(const std::string& patch = "{}") {
  nlohmann::json config = nlohmann::json::parse(R"({"model_type": "llama", "hidden_size": 64,
    "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128, "vocab_size": 100})");
  config.merge_patch(nlohmann::json::parse(patch));
  return config.dump();
}

// model_from_hf_config's InputError message for `text`.
std::string error_of(const std::string& text) {
  try {
    model_from_hf_config(text, "c.json");
  } catch (const InputError& e) {
    return e.what();
  }
  FAIL("no InputError for " << text);
  return "";
}

}  // namespace

TEST_CASE("HF config: GPT-2 small has exactly 124439808 parameters", "[hf_config]") {
  // V·d + n_pos·d = 50257·768 + 1024·768 = 39,383,808; per block 12d² + 13d = 7,087,872, ×12 =
  // 85,054,464; ln_f 2d = 1,536; head tied. Total 124,439,808 (the "124M" of GPT-2 small).
  const Model m = load("gpt2.json");
  CHECK(m.params == 124439808.0);
  CHECK_FALSE(m.active_params);
  CHECK(m.id == "hf-gpt2");
  CHECK(m.name == "GPT2LMHeadModel");
  CHECK(m.architecture == "decoder-only");
  CHECK(m.layers == 12);
  CHECK(m.d_model == 768);
  CHECK(m.heads == 12);
  CHECK(m.kv_heads == 12);
  CHECK_FALSE(m.head_dim);
  CHECK_FALSE(m.kv_dim);
  CHECK(m.vocab == 50257);
  CHECK(m.seq_len == 1024);
  CHECK(m.source == "Hugging Face config.json: " + hf_path("gpt2.json"));
}

TEST_CASE("HF config: an untied GPT-2 head adds V times d", "[hf_config]") {
  const std::string text = R"({"model_type": "gpt2", "n_layer": 12, "n_embd": 768, "n_head": 12,
    "vocab_size": 50257, "n_positions": 1024, "n_inner": null, "tie_word_embeddings": false})";
  CHECK(model_from_hf_config(text, "c.json").params == 124439808.0 + 50257.0 * 768);
}

TEST_CASE("HF config: OPT-125m has about 125.2M parameters with 2 extra position rows", "[hf_config]") {
  // V·d = 50272·768 = 38,608,896; positions (2048 + 2)·768 = 1,574,400; per layer 4(d²+d) + 2d·ff + ff
  // + d + 4d = 7,087,872, ×12 = 85,054,464; final LayerNorm 1,536. Total 125,239,296 (the "125M" of
  // Zhang et al. 2022); checked to 0.1% of 125.2M.
  const Model m = load("opt-125m.json");
  CHECK(m.params == 125239296.0);
  CHECK_THAT(m.params, WithinRel(125.2e6, 0.001));
  CHECK(m.id == "facebook-opt-125m");
  CHECK(m.name == "facebook/opt-125m");
  CHECK(m.seq_len == 2048);
  CHECK(m.kv_heads == 12);
}

TEST_CASE("HF config: Llama-2-7B has exactly 6738415616 parameters", "[hf_config]") {
  // Embedding and untied head 2·32000·4096 = 262,144,000; per layer 4d² + 3·d·11008 + 2d =
  // 202,383,360, ×32 = 6,476,267,520; final norm 4,096. Total 6,738,415,616 (Meta's published count).
  const Model m = load("llama-2-7b.json");
  CHECK(m.params == 6738415616.0);
  CHECK(m.id == "meta-llama-llama-2-7b-hf");
  CHECK(m.name == "meta-llama/Llama-2-7b-hf");
  CHECK(m.kv_heads == 32);
  CHECK(m.max_seq_len == 4096);  // the limit; RoPE configs do not say the training context
  CHECK_FALSE(m.seq_len);
  CHECK_FALSE(m.head_dim);
}

TEST_CASE("HF config: Mistral-7B-v0.1 has exactly 7241732096 parameters", "[hf_config]") {
  // GQA with 8 KV heads of 128: attention 2d² + 2·d·1024 = 41,943,040; FFN 3·d·14336 = 176,160,768;
  // norms 8,192; per layer 218,112,000, ×32 = 6,979,584,000; + 262,144,000 + 4,096 = 7,241,732,096.
  const Model m = load("mistral-7b.json");
  CHECK(m.params == 7241732096.0);
  CHECK(m.kv_heads == 8);
  CHECK(m.max_seq_len == 32768);
  CHECK(m.id == "hf-mistral");
}

TEST_CASE("HF config: Mixtral-8x7B has 46.7B parameters and 12.9B active", "[hf_config]") {
  // Per layer: attention 41,943,040 + 8 experts × 176,160,768 + router 4096·8 + norms 8,192 =
  // 1,451,270,144, ×32 + 262,148,096 = 46,702,792,704. Active: 2 experts, 394,305,536 per layer,
  // ×32 + 262,148,096 = 12,879,925,248; Mistral AI publishes 12.9B, checked to 0.5%.
  const Model m = load("mixtral-8x7b.json");
  CHECK(m.params == 46702792704.0);
  REQUIRE(m.active_params);
  CHECK(*m.active_params == 12879925248.0);
  CHECK_THAT(*m.active_params, WithinRel(12.9e9, 0.005));
  CHECK(m.architecture == "moe");
  CHECK(m.kv_heads == 8);
}

TEST_CASE("HF config: Falcon-7B has about 6.92B parameters with multi-query attention", "[hf_config]") {
  // query_key_value 4544·(4544 + 2·64) = 21,229,568; dense 4544² = 20,647,936; FFN 8d² = 165,183,488;
  // one LayerNorm 9,088; per layer 207,070,080, ×32 = 6,626,242,560; embedding (tied) 65024·4544 =
  // 295,469,056; ln_f 9,088. Total 6,921,720,704; TII's card: 7B, Hugging Face lists 6.92B (0.5%).
  const Model m = load("falcon-7b.json");
  CHECK(m.params == 6921720704.0);
  CHECK_THAT(m.params, WithinRel(6.92e9, 0.005));
  CHECK(m.kv_heads == 1);
  CHECK(m.heads == 71);
  CHECK(m.layers == 32);
  CHECK_FALSE(m.seq_len);  // the config does not say
  CHECK(m.id == "hf-refinedwebmodel");
}

TEST_CASE("HF config: current and legacy Falcon field names give the same model", "[hf_config]") {
  // The falcon-7b repository later renamed model_type, n_head and n_layer; the count is unchanged.
  const std::string text = R"({"model_type": "falcon", "hidden_size": 4544, "num_attention_heads": 71,
    "num_hidden_layers": 32, "multi_query": true, "new_decoder_architecture": false, "parallel_attn": true,
    "bias": false, "vocab_size": 65024})";
  const Model m = model_from_hf_config(text, "c.json");
  CHECK(m.params == load("falcon-7b.json").params);
  CHECK(m.kv_heads == 1);
}

TEST_CASE("HF config: Falcon new decoder architecture uses num_kv_heads", "[hf_config]") {
  // Falcon-40B shape: qkv 8192·(128 + 16)·64 = 75,497,472; dense 67,108,864; FFN 8d² = 536,870,912;
  // ln_attn + ln_mlp 32,768; per layer 679,510,016, ×60 = 40,770,600,960; embedding 532,676,608;
  // ln_f 16,384. Total 41,303,293,952.
  const std::string text = R"({"model_type": "falcon", "hidden_size": 8192, "num_attention_heads": 128,
    "num_hidden_layers": 60, "new_decoder_architecture": true, "num_kv_heads": 8, "vocab_size": 65024})";
  const Model m = model_from_hf_config(text, "c.json");
  CHECK(m.kv_heads == 8);
  CHECK(m.params == 41303293952.0);
}

TEST_CASE("HF config: Qwen2-7B has about 7.62B parameters with qkv biases", "[hf_config]") {
  // Attention 2·3584² + 2·3584·512 + biases (3584 + 2·512) = 29,364,736; FFN 3·3584·18944 = 203,685,888;
  // norms 7,168; per layer 233,057,792, ×28 = 6,525,618,176; untied embedding and head 2·152064·3584 =
  // 1,089,994,752; final norm 3,584. Total 7,615,616,512; Qwen publishes 7.62B (0.5%).
  const Model m = load("qwen2-7b.json");
  CHECK(m.params == 7615616512.0);
  CHECK_THAT(m.params, WithinRel(7.62e9, 0.005));
  CHECK(m.kv_heads == 4);
  CHECK(m.max_seq_len == 131072);
}

TEST_CASE("HF config: DeepSeek-V3 has about 671B parameters and 37B active", "[hf_config]") {
  // MLA per layer 187,107,328 (q_a 7168·1536, q_b 1536·128·192, kv_a 7168·576, kv_b 512·128·256, o
  // 128·128·7168, two norms 1536 + 512). 3 dense layers of 583,483,392; 58 MoE layers of 257 experts ×
  // 44,040,192 + router 1,835,008 + attention + norms = 11,507,286,016; embedding and head 1,853,358,080.
  // Total 671,026,404,352 (published 671B, MTP module excluded); checked to 1.5%.
  const Model m = load("deepseek-v3.json");
  CHECK_THAT(m.params, WithinRel(671e9, 0.015));
  CHECK(m.params == 671026404352.0);
  REQUIRE(m.active_params);
  // Active: 9 of 257 experts, 37,552,282,624 (published 37B, 1.5%). DeepSeek's README_WEIGHTS.md gives
  // 36.6B without the 0.93B input embedding (129280·7168): checked to 0.5%.
  CHECK_THAT(*m.active_params, WithinRel(37e9, 0.015));
  CHECK_THAT(*m.active_params - 129280.0 * 7168, WithinRel(36.6e9, 0.005));
  CHECK(m.kv_dim == 576);
  CHECK_FALSE(m.kv_heads);
  CHECK(m.heads == 128);
  CHECK(m.architecture == "moe");
  CHECK(m.kv_elements_per_token_layer() == 576.0);
}

TEST_CASE("HF config: DeepSeek without q_lora_rank projects queries directly", "[hf_config]") {
  // d 64, 2 heads, nope 16, rope 8, v 16, rkv 32, one dense layer (ff 128) and one MoE layer with
  // 4 routed + 1 shared experts of 32 (top 2). Attention: q 64·2·24 = 3,072; kv_a 64·40 = 2,560; norm 32;
  // kv_b 32·2·32 = 2,048; o 2·16·64 = 2,048: 9,760. Dense layer 9,760 + 3·64·128 + 128 = 34,464.
  // MoE layer 9,760 + 5·6,144 + 256 + 128 = 40,864. Embedding + head 12,800 + final norm 64.
  // Total 88,192; active 9,760 + 3·6,144 + 384 = 28,576 for the MoE layer: 75,904.
  const std::string text = R"({"model_type": "deepseek_v3", "hidden_size": 64, "num_hidden_layers": 2,
    "num_attention_heads": 2, "vocab_size": 100, "intermediate_size": 128, "moe_intermediate_size": 32,
    "q_lora_rank": null, "kv_lora_rank": 32, "qk_nope_head_dim": 16, "qk_rope_head_dim": 8, "v_head_dim": 16,
    "n_routed_experts": 4, "n_shared_experts": 1, "num_experts_per_tok": 2, "first_k_dense_replace": 1})";
  const Model m = model_from_hf_config(text, "c.json");
  CHECK(m.params == 88192.0);
  CHECK(m.active_params == 75904.0);
  CHECK(m.kv_dim == 40);
}

TEST_CASE("HF config: head_dim is kept only when it differs from d over heads", "[hf_config]") {
  // d 64, 4 heads of 32 (not 16), 2 KV heads: q and o 2·64·128 = 16,384, k and v 2·64·64 = 8,192, FFN
  // 3·64·128 = 24,576, norms 128: 49,280 per layer, ×2 + embedding and head 12,800 + final norm 64 = 111,424.
  const Model wide = model_from_hf_config(llama(R"({"head_dim": 32, "num_key_value_heads": 2})"), "c.json");
  CHECK(wide.head_dim == 32);
  CHECK(wide.kv_heads == 2);
  CHECK(wide.params == 111424.0);
  CHECK(wide.kv_elements_per_token_layer() == 2.0 * 2 * 32);
  const Model plain = model_from_hf_config(llama(R"({"head_dim": 16})"), "c.json");
  CHECK_FALSE(plain.head_dim);
  CHECK(plain.kv_heads == 4);
}

TEST_CASE("HF config: the id comes from _name_or_path or the model type", "[hf_config]") {
  CHECK(model_from_hf_config(llama(), "c.json").id == "hf-llama");
  CHECK(model_from_hf_config(llama(R"({"_name_or_path": "Org/Model 7B+"})"), "c.json").id == "org-model-7b-");
  CHECK(model_from_hf_config(llama(R"({"_name_or_path": "/data/models/Qwen2-7B/"})"), "c.json").id == "qwen2-7b");
  CHECK(model_from_hf_config(llama(R"({"_name_or_path": ""})"), "c.json").id == "hf-llama");
  CHECK(model_from_hf_config(llama(), "c.json").name == "llama");
}

TEST_CASE("HF config: models in the catalog agree with it", "[hf_config]") {
  const auto& catalog = llmcost::test::default_catalog();
  const auto same_shape = [](const Model& hf, const Model& cat) {
    CHECK(hf.layers == cat.layers);
    CHECK(hf.d_model == cat.d_model);
    CHECK(hf.heads == cat.heads);
    CHECK(hf.kv_heads == cat.kv_heads);
    CHECK(hf.kv_dim == cat.kv_dim);
    CHECK(hf.vocab == cat.vocab);
    CHECK(hf.architecture == cat.architecture);
  };
  SECTION("Mixtral-8x7B and DeepSeek-V3 within 2%") {
    for (const auto& [file, id] :
         {std::pair{"mixtral-8x7b.json", "mixtral-8x7b"}, {"deepseek-v3.json", "deepseek-v3"}}) {
      const Model hf = load(file);
      const Model& cat = catalog.model(id);
      CHECK_THAT(hf.params, WithinRel(cat.params, 0.02));
      REQUIRE(cat.active_params);
      CHECK_THAT(hf.active(), WithinRel(cat.active(), 0.02));
      same_shape(hf, cat);
    }
  }
  SECTION("Llama-2-7B within 4% of the catalog's nominal 7.0e9") {
    // The catalog records the paper's rounded "7B"; the exact count is 6.738e9 (-3.7%).
    const Model hf = load("llama-2-7b.json");
    const Model& cat = catalog.model("llama2-7b");
    CHECK_THAT(hf.params, WithinRel(cat.params, 0.04));
    CHECK(hf.max_seq_len == cat.seq_len);  // Llama 2 was pre-trained at its full 4,096 context
    same_shape(hf, cat);
  }
}

TEST_CASE("HF config: a JSON syntax error names line and column", "[hf_config]") {
  // The stray '}' after the trailing comma is line 3, column 1.
  CHECK_THAT(error_of("{\n  \"model_type\": \"llama\",\n}\n"), StartsWith("c.json:3:1: invalid JSON: syntax error"));
  // A missing ':' is found at the number after the key; nlohmann reports its last character, line 2 column 17.
  const std::string msg = error_of("{\"model_type\": \"llama\",\n \"hidden_size\" 64}");
  CHECK_THAT(msg, StartsWith("c.json:2:17: invalid JSON: "));
  CHECK_THAT(msg, Contains("expected ':'"));
  CHECK_THAT(error_of("[1, 2]"), Equals("c.json: expected a JSON object (a config.json)"));
}

TEST_CASE("HF config: a missing field is named", "[hf_config]") {
  const std::string text = R"({"model_type": "llama", "hidden_size": 64, "num_attention_heads": 4,
    "intermediate_size": 128, "vocab_size": 100})";
  CHECK_THAT(error_of(text), Equals("c.json: field 'num_hidden_layers': missing; a 'llama' config needs it"));
  CHECK_THAT(error_of(R"({"model_type": "gpt2"})"),
             Equals("c.json: field 'n_layer': missing; a 'gpt2' config needs it"));
  CHECK_THAT(error_of(R"({"hidden_size": 64})"), StartsWith("c.json: field 'model_type': missing; supported: "));
}

TEST_CASE("HF config: an unknown model_type lists the supported ones", "[hf_config]") {
  CHECK_THAT(error_of(R"({"model_type": "bert", "hidden_size": 768})"),
             Equals("c.json: field 'model_type': unsupported 'bert'; supported: deepseek_v3, falcon, gpt2, llama, "
                    "mistral, mixtral, opt, qwen2, RefinedWeb, RefinedWebModel"));
}

TEST_CASE("HF config: zero negative and oversized sizes are rejected", "[hf_config]") {
  CHECK_THAT(error_of(llama(R"({"num_hidden_layers": 0})")),
             Equals("c.json: field 'num_hidden_layers': expected a positive integer, got 0"));
  CHECK_THAT(error_of(llama(R"({"vocab_size": -100})")),
             Equals("c.json: field 'vocab_size': expected a positive integer, got -100"));
  CHECK_THAT(error_of(llama(R"({"hidden_size": 1e30})")),
             Equals("c.json: field 'hidden_size': expected a positive integer, got 1e+30"));
  CHECK_THAT(error_of(llama(R"({"hidden_size": 99999999999})")),
             Equals("c.json: field 'hidden_size': 99999999999 is too large (at most 268435456)"));
}

TEST_CASE("HF config: wrong types are rejected", "[hf_config]") {
  CHECK_THAT(error_of(llama(R"({"num_hidden_layers": "32"})")),
             Equals("c.json: field 'num_hidden_layers': expected a positive integer, got \"32\""));
  CHECK_THAT(error_of(llama(R"({"hidden_size": 64.5})")),
             Equals("c.json: field 'hidden_size': expected a positive integer, got 64.5"));
  CHECK_THAT(error_of(R"({"model_type": "llama", "num_hidden_layers": null})"),
             Equals("c.json: field 'num_hidden_layers': expected a positive integer, got null"));
  CHECK_THAT(error_of(llama(R"({"tie_word_embeddings": "no"})")),
             Equals("c.json: field 'tie_word_embeddings': expected true or false, got \"no\""));
  CHECK_THAT(error_of(R"({"model_type": 7})"), Equals("c.json: field 'model_type': expected a string, got 7"));
}

TEST_CASE("HF config: inconsistent head counts are rejected", "[hf_config]") {
  CHECK_THAT(error_of(llama(R"({"num_key_value_heads": 3})")),
             Equals("c.json: field 'num_key_value_heads': 3 must divide the 4 attention heads"));
  CHECK_THAT(error_of(llama(R"({"num_attention_heads": 5})")),
             Equals("c.json: field 'num_attention_heads': 5 heads do not divide the hidden size 64"));
  const std::string mixtral = R"({"model_type": "mixtral", "hidden_size": 64, "num_hidden_layers": 2,
    "num_attention_heads": 4, "intermediate_size": 128, "vocab_size": 100, "num_local_experts": 2,
    "num_experts_per_tok": 3})";
  CHECK_THAT(error_of(mixtral), Equals("c.json: field 'num_experts_per_tok': 3 exceeds num_local_experts 2"));
}

TEST_CASE("HF config: load_hf_config reads a folder's config.json and reports unreadable files", "[hf_config]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "llmcost-test-hf-config";
  fs::create_directories(dir);
  std::ofstream(dir / "config.json") << llama();
  CHECK(load_hf_config(dir.string()).params == model_from_hf_config(llama(), "x").params);
  fs::remove_all(dir);
  CHECK_THROWS_AS(load_hf_config(hf_path("no-such-config.json")), EnvError);
  CHECK_THROWS_WITH(load_hf_config(hf_path("no-such-config.json")), Contains("no-such-config.json"));
}
