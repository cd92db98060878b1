// The data catalog: accelerators, offers (prices), models and named assumptions, loaded from
// TOML files (data/*.toml, then --data / LLMCOST_DATA folders; later files override by id).
// Every record keeps its source and the place it was read from.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "llmcost/error.hpp"

namespace llmcost {

// Fields every record has.
struct RecordBase {
  std::string id;
  std::vector<std::string> aliases;
  std::string source;
  std::string note;
  Origin origin;
};

struct Accelerator : RecordBase {
  std::string name;
  std::string vendor;
  int year = 0;
  double memory_gb = 0;              // GB = 1e9 bytes
  double memory_bandwidth_gbps = 0;  // GB/s
  std::optional<double> interconnect_gbps;
  double tdp_w = 0;
  std::map<std::string, double> peak_tflops;  // dense, per dtype
  std::optional<double> purchase_usd;
  // What purchase_usd buys: "chip" (the accelerator alone) or "system" (a whole server's price
  // divided by its accelerators, CPUs, memory and networking included).
  std::string purchase_basis = "chip";
  // A whole server's power per accelerator at full load (e.g. DGX H100: 10.2 kW / 8), when published.
  std::optional<double> system_power_w;

  // Links, for the training performance model (llmcost plan). The scale-up domain is the chips one
  // NVLink/NVSwitch or ICI fabric joins (8 in a DGX); scaleup_gbps each chip's bandwidth into it
  // and scaleout_gbps its share of the network between domains, both in GB/s per direction; the
  // efficiencies are the fractions of those a large collective achieves (bus bandwidth).
  std::optional<int> scaleup_domain;
  std::optional<double> scaleup_gbps;
  std::optional<double> scaleout_gbps;
  std::optional<double> scaleup_efficiency;
  std::optional<double> scaleout_efficiency;
  // The fraction of the dense peak the best large GEMMs reach on this chip (measured maximum
  // achievable matmul FLOP/s over the datasheet peak), for the performance model.
  std::optional<double> matmul_efficiency;
  std::optional<double> matmul_efficiency_fp8;  // the same for fp8 GEMMs, against the fp8 peak

  // Dense peak in FLOP/s for `dtype`, or nullopt when the chip has no such unit.
  std::optional<double> peak_flops(std::string_view dtype) const;

  // The dtype a 16-bit mixed-precision run uses: bf16, else fp16, else fp32 (else the first listed).
  std::string default_dtype() const;
};

struct Offer : RecordBase {
  std::string provider;
  std::string instance;
  std::string accelerator;  // an accelerator id
  int count = 1;            // accelerators per instance
  double usd_per_hour = 0;  // per instance
  std::string term;         // on-demand | 1yr | 3yr | spot
  std::string region;
  std::string date;

  double usd_per_chip_hour() const { return usd_per_hour / count; }
};

struct Model : RecordBase {
  std::string name;
  double params = 0;
  std::optional<double> active_params;  // MoE
  std::string architecture;             // decoder-only | encoder-decoder | encoder-only | moe
  std::optional<int> layers, d_model, heads, kv_heads, vocab;
  std::optional<int> seq_len;      // the context length the model was pre-trained at
  std::optional<int> max_seq_len;  // the longest context it accepts (a config's max_position_embeddings)
  std::optional<int> head_dim;     // when not d_model / heads
  std::optional<int> kv_dim;       // K+V elements cached per token per layer when not 2·kv_heads·head_dim (MLA)
  std::optional<double> train_tokens;
  std::string release;

  // Shape for the performance model. ffn_dim: the MLP's inner size (4·d_model in GPT-style
  // models); gated_mlp: SwiGLU/GeGLU (three matrices, not two). MoE: routed experts per MoE
  // layer, experts each token visits, always-on shared experts, each expert's inner size, and the
  // leading layers that stay dense (DeepSeek-V3: 3).
  std::optional<int> ffn_dim;
  std::optional<bool> gated_mlp;
  std::optional<int> experts, experts_per_token, shared_experts, expert_ffn_dim, dense_layers;
  // The published pre-training run: global batch in tokens and the accelerators it ran on.
  std::optional<double> train_batch_tokens;
  std::optional<int> train_chips;

  double active() const { return active_params.value_or(params); }

  // K+V elements cached per token per layer: kv_dim, else 2 · kv_heads · head_dim (kv_heads
  // defaults to heads, head_dim to d_model / heads); nullopt when the architecture is unknown.
  std::optional<double> kv_elements_per_token_layer() const;
};

// How uncertain a number is: its 90% interval [low, high] under a distribution (lognormal and
// normal: the 5th and 95th percentiles; uniform: the bounds; triangular: the bounds, the value the
// mode), or an empirical list of published values drawn from with equal weight.
struct Spread {
  std::string distribution;  // lognormal | normal | uniform | triangular | empirical
  double low = 0, high = 0;
  std::vector<double> values;  // empirical; ascending as the catalog loads them
  std::string source;
};

struct Assumption : RecordBase {
  std::variant<double, std::string> value;
  std::string unit;
  std::string description;
  std::optional<Spread> spread;  // numeric assumptions only
};

// A scaling law. hoffmann: L = E + A/N^α + B/D^β (Hoffmann et al. 2022); kaplan:
// L = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D (Kaplan et al. 2020).
struct Law : RecordBase {
  std::string form;                                   // hoffmann | kaplan
  double e = 0, a = 0, b = 0, alpha = 0, beta = 0;    // hoffmann
  double n_c = 0, d_c = 0, alpha_n = 0, alpha_d = 0;  // kaplan
  std::map<std::string, double> std_errors;           // published standard errors by field
  // Correlation of the hoffmann parameters (ln e, ln a, ln b, alpha, beta), 25 entries row-major;
  // empty when none is published or derived. correlation_source says where it comes from.
  std::vector<double> correlation;
  std::string correlation_source;
};

// The parameters a hoffmann-form law's correlation is over: ln e, ln a, ln b, alpha, beta (the
// fit's own parameters).
inline constexpr size_t kLawParams = 5;

// Why `corr` (kLawParams² entries, row-major) is not a correlation matrix (symmetric, unit
// diagonal, entries in [-1, 1], positive definite), or "".
std::string correlation_problem(const std::vector<double>& corr);

// Record kinds as named in files (`[[accelerator]]`) and on the command line (`list accelerators`).
enum class RecordKind { accelerator, offer, model, assumption, law };

class Catalog {
 public:
  // Parses one TOML document; `origin` names it in errors. Records replace earlier ones with the
  // same id. Throws InputError (file:line:col, field) on syntax or schema errors.
  void load_text(std::string_view text, const std::string& origin);

  // Loads every *.toml file of `dir` in name order. Throws EnvError if `dir` is unreadable.
  void load_dir(const std::string& dir);

  // Files load_dir passed over, each with why: TOML files without a record table (a calibration
  // file beside the data), entries that could not be examined (a link loop).
  const std::vector<std::string>& skipped_files() const { return skipped_; }

  // Checks references between records (offer -> accelerator) and that no id or alias names
  // records of two kinds (find_any would silently pick one). Call after the last load.
  void validate() const;

  // Lookups by id or alias (case-insensitive); unknown ids throw InputError with a suggestion.
  const Accelerator& accelerator(std::string_view id) const;
  const Offer& offer(std::string_view id) const;
  const Model& model(std::string_view id) const;
  const Assumption& assumption(std::string_view id) const;
  const Law& law(std::string_view id) const;
  double assumption_number(std::string_view id) const;
  const std::string& assumption_text(std::string_view id) const;
  // Replaces a numeric assumption's value (a Monte Carlo sample on a copy of the catalog).
  void set_assumption_value(std::string_view id, double value);

  const std::vector<Accelerator>& accelerators() const { return accelerators_; }
  const std::vector<Offer>& offers() const { return offers_; }
  const std::vector<Model>& models() const { return models_; }
  const std::vector<Assumption>& assumptions() const { return assumptions_; }
  const std::vector<Law>& laws() const { return laws_; }

  // Offers for one accelerator id, cheapest per chip-hour first.
  std::vector<const Offer*> offers_for(std::string_view accelerator_id) const;

  // The record with this id or alias in any kind, or nullptr; validate() keeps names unique across kinds.
  const RecordBase* find_any(std::string_view id, RecordKind* kind = nullptr) const;

 private:
  template <class Table>
  void load_table(const Table& doc, const std::string& origin);  // a parsed TOML document (toml::table)

  std::vector<std::string> skipped_;
  std::vector<Accelerator> accelerators_;
  std::vector<Offer> offers_;
  std::vector<Model> models_;
  std::vector<Assumption> assumptions_;
  std::vector<Law> laws_;
};

}  // namespace llmcost
