// Every formula a report shows is the computation it stands for: for each row with a formula, in
// every command (the goldens' commands and the branches around them), the formula is evaluated
// with muParser from the report's own values and compared with the row's value. A formula string
// that drifts from the code (a term left out, a wrong key) fails here. docs/formulas.md has the
// convention: {key} is another row, × and · multiply, [text] is a comment.
#include <muParser.h>
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "cli_runner.hpp"

namespace {

using nlohmann::json;

// The commands whose reports are checked: every command, every branch that writes a different
// formula (rules, pricing, calibration, MoE, laws of both forms, modes and methods).
const std::vector<std::string> kCommands{
    // train: the goldens, then each branch of throughput, FLOP rule, chips and cost.
    "train --model gpt3 --offer gcp-tpu-v4-1yr --mfu 46.2%",
    "train --model gpt3 --hardware v100-32gb --chips 10000 --achieved-tflops 24.6 --watts-per-chip 330 --pue 1.10 "
    "--grid-kg-per-kwh 0.429",
    "train --model gpt3 --hardware v100-32gb --chips 10000 --achieved-tflops 24.6 --train-flop 3.14e23",
    "train --model gpt3",
    "train --model gpt3 --flops-rule detailed",
    "train --model deepseek-v3 --offer aws-p5",
    "train --model gpt3 --offer aws-p4d-1yr --days 20",
    "train --model llama2-70b --hardware h100-sxm --own --chips 512",
    "train --model llama2-70b --hardware h100-sxm --own --days 30 --lifetime-years 4 --usd-per-kwh 0.1",
    "train --model gpt3 --calibration '" LLMCOST_TEST_DIR "/calibration/h100-sxm.toml'",
    "train --model gpt3 --calibration '" LLMCOST_TEST_DIR "/calibration/h100-sxm.toml' --mfu 40%",
    "train --params 7B --tokens 1T --chips 8",
    "train --model test-t5 --offer aws-p4d-1yr --data '{data}'",
    "train --model deepseek-v3 --offer aws-p5 --dtype fp8",
    "train --model llama2-70b --hardware a100-40gb --own --chips 512",
    "train --model gpt3 --offer aws-p5 --host-power-ratio 1.5",
    "train --model gpt3 --flops-rule detailed --seq-len 4096",
    // infer: FLOP rule and roofline, dense and MoE, quantised, calibrated, unknown architecture.
    "infer --model llama2-70b --hardware h100-sxm --chips 2 --batch 64 --prompt-tokens 1024 --output-tokens 256 "
    "--offer lambda-h100-8x",
    "infer --model gpt3 --offer aws-p4d-1yr --mfu 21.3%",
    "infer --model llama3-8b --offer runpod-h100 --latency-budget-ms 1500",
    "infer --model mixtral --offer runpod-h100 --dtype int4",
    "infer --model deepseek-v3 --offer aws-p5 --dtype fp8",
    "infer --model gpt3 --calibration '" LLMCOST_TEST_DIR "/calibration/h100-sxm.toml' --offer aws-p5",
    "infer --params 7B --hardware h100-sxm",
    "infer --model test-t5 --offer runpod-h100 --data '{data}'",
    "infer --model-config '" LLMCOST_TEST_DIR "/hf/mixtral-8x7b.json' --offer runpod-h100",
    // search: both modes, both methods.
    "search --mode chatgpt",
    "search --mode two-stage",
    "search --mode two-stage --method cloud --model llama2-70b --offer aws-p5",
    "search --method cloud --offer aws-p4d-1yr --in-house-factor 1.5",
    // scaling laws: both forms, every option.
    "loss --law hoffmann2022 --params 1T --tokens 300B",
    "loss --model chinchilla --law besiroglu2024",
    "loss --law kaplan2020 --params 1B --tokens 20B",
    "loss --model deepseek-v3",
    "optimal --flops 5.76e23 --law hoffmann2022-unrounded --params 280B",
    "optimal --budget-usd 10M --offer lambda-h100-8x --mfu 40%",
    "optimal --flops 5.76e23 --law kaplan2020 --params 70B",
    "scale --flops 1e35",
    "scale --flops 1e35 --budget-usd 1B",
    "scale --flops 1e30 --budget-usd 1B --doubling-years 2.46",
    "trend --model gpt3 --until 2024",
    "trend --model llama2-70b --until 2026",
    "trend --model deepseek-v3 --until 2025",
    "plan --model megatron-1t --hardware a100-80gb --chips 3072 --global-batch 6291456 --tokens 450B",
    "plan --model llama2-70b --offer aws-p5 --chips 512 --global-batch 4194304 --tokens 2T",
    "plan --model megatron-175b --hardware a100-80gb --chips 64 --global-batch 131072 --attention unfused "
    "--layout tp=8,pp=8,vp=3,mb=1,recompute=selective,zero=0",
    "plan --model mixtral-8x7b --offer aws-p5 --chips 256 --global-batch 4194304",
    "train --model llama2-70b --offer aws-p5 --chips 1024 --dtype fp8",
    "infer --model mixtral-8x7b --offer aws-p5 --batch 4",
    "infer --model bert-large --offer runpod-h100",
    "serve --model llama3-70b --offer runpod-h200 --rps 20 --ttft-ms 500 --tpot-ms 50",
    "serve --model llama3-8b --offer runpod-h100,aws-p5 --tokens-per-day 10B",
    "search --method api --api-usd-per-1m-input 0.5 --api-usd-per-1m-output 1.5",
    "infer --model llama3-70b --offer runpod-h200 --ttft-ms 100 --tpot-ms 15",
    "infer --model deepseek-v3 --hardware h200 --chips 16 --batch 32",
    // Pipeline stages, a cached prompt prefix, speculative decoding (dense and MoE targets).
    "infer --model llama3-405b --hardware h100-sxm --batch 64 --pp 2 --prompt-tokens 1000 --output-tokens 200",
    "infer --model llama3-8b --offer runpod-h100 --prompt-tokens 2000 --cached-prompt-tokens 1500",
    "infer --model llama3-70b --offer lambda-h100-8x --batch 8 --draft-model llama3-8b --spec-tokens 4",
    "infer --model mixtral-8x7b --offer aws-p5 --draft-model llama2-7b --acceptance 1 --cached-prompt-tokens 30 "
    "--prompt-tokens 200",
    "infer --model llama3-405b --hardware h100-sxm --chips 16 --pp 2 --draft-model llama3-8b --batch 4",
    // Fine-tuning and RLHF.
    "finetune --model llama2-7b --tokens 100M --offer runpod-h100",
    "finetune --model llama-65b --method qlora --tokens 50M --hardware a6000",
    "finetune --model llama3-70b --method full --objective dpo --tokens 200M --offer aws-p5",
    "finetune --params 7B --method full --tokens 1B --offer runpod-h100",
    "rlhf --actor opt-13b --reward opt-350m --offer azure-nd-a100-80gb-2023",
    "rlhf --actor opt-1.3b --reward opt-350m --hardware a6000 --lora-dim 0 --zero 2",
    "trend --model mixtral --tokens 1T --until 2025",
    // fit and calibrate.
    "fit '" LLMCOST_TEST_DIR "/../examples/runs.csv' --grid coarse --at-flops 5.76e23",
    "fit '" LLMCOST_TEST_DIR "/../examples/runs.csv' --grid coarse --bootstrap 4 --at-flops 5.76e23 --threads 2",
    "calibrate --cpu --quick --as h100-sxm",
};

double round1(double x) {
  return std::round(x);
}

double ceil1(double x) {
  return std::ceil(x);
}
double floor1(double x) {
  return std::floor(x);
}

// The formula as muParser reads it: comments in [brackets] dropped, × and · as *, − as -.
std::string parser_syntax(std::string f) {
  f = std::regex_replace(f, std::regex(R"(\s*\[[^\]]*\])"), "");
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{{"×", "*"}, {"·", "*"}, {"−", "-"}}) {
    for (size_t at; (at = f.find(from)) != std::string::npos;) f.replace(at, from.size(), to);
  }
  return f;
}

// Evaluates `formula` with every numeric report value as a variable.
double evaluate(const std::string& formula, std::map<std::string, double>& vars) {
  mu::Parser p;
  p.DefineFun("ceil", ceil1);
  p.DefineFun("floor", floor1);
  p.DefineFun("round", round1);
  for (auto& [name, value] : vars) p.DefineVar(name, &value);
  p.SetExpr(parser_syntax(formula));
  return p.Eval();
}

// A data folder with an encoder-decoder model (the catalog has none), for the 3ND / 1N branches.
std::string encoder_decoder_data() {
  static const std::string dir = [] {
    const auto d = std::filesystem::temp_directory_path() / ("llmcost-formulas-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    std::ofstream(d / "t5.toml") << "[[model]]\nid = \"test-t5\"\nname = \"T5-like 11B\"\nparams = 11e9\n"
                                    "architecture = \"encoder-decoder\"\nlayers = 24\nd_model = 1024\nheads = 128\n"
                                    "train_tokens = 1e12\nsource = \"test record\"\n";
    return d.string();
  }();
  return dir;
}

// The report of `args` as JSON.
json report_of(std::string args) {
  if (const size_t at = args.find("{data}"); at != std::string::npos) args.replace(at, 6, encoder_decoder_data());
  const llmcost::test::Run r = llmcost::test::run_llmcost(args + " --format json");
  INFO("llmcost " << args << "\n" << r.err);
  REQUIRE(r.rc == 0);
  json j = json::parse(r.out);
  return j;
}

// The rows whose formula does not give their value ("key = formula: ..."), and how many were checked.
struct Checked {
  int formulas = 0;
  std::vector<std::string> mismatches;
};

Checked check_report(const json& report) {
  std::map<std::string, double> vars;
  for (const auto& [key, v] : report["values"].items()) {
    if (v.is_number()) vars[key] = v.get<double>();
    if (v.is_boolean()) vars[key] = v.get<bool>() ? 1 : 0;
  }
  Checked out;
  for (const json& row : report["rows"]) {
    if (!row.contains("formula")) continue;
    const std::string key = row["key"], formula = row["formula"];
    const double value = row["value"].get<double>();
    ++out.formulas;
    try {
      const double got = evaluate(formula, vars);
      if (!(std::fabs(got - value) <= 1e-9 * std::fabs(value) + 1e-300)) {
        out.mismatches.push_back(key + " = " + formula + ": gives " + std::to_string(got) + ", the row holds " +
                                 std::to_string(value));
      }
    } catch (const mu::Parser::exception_type& e) {
      out.mismatches.push_back(key + " = " + formula + ": " + e.GetMsg());
    }
  }
  return out;
}

}  // namespace

TEST_CASE("Formulas: every formula of every command evaluates to its row's value", "[formulas]") {
  int formulas = 0;
  for (const std::string& args : kCommands) {
    INFO("llmcost " << args);
    const Checked c = check_report(report_of(args));
    for (const std::string& m : c.mismatches) FAIL_CHECK(m);
    CHECK(c.formulas > 0);
    formulas += c.formulas;
  }
  CHECK(formulas > 300);  // a few hundred: none skipped by a broken command list
}

TEST_CASE("Formulas: a formula string that drifts from the computation is caught", "[formulas]") {
  json report = report_of("train --model gpt3");
  REQUIRE(check_report(report).mismatches.empty());
  for (json& row : report["rows"]) {
    if (row["key"] == "chip_hours") row["formula"] = "train_flop / achieved_flop_per_s";  // "/ 3600" left out
  }
  const Checked c = check_report(report);
  REQUIRE(c.mismatches.size() == 1);
  CHECK(c.mismatches[0].rfind("chip_hours = train_flop / achieved_flop_per_s: gives ", 0) == 0);
  std::map<std::string, double> vars{{"a", 2}, {"b", 3}, {"c", 4}};
  CHECK(evaluate("a × b + c [a comment]", vars) == 10);
  CHECK(evaluate("max(ceil(a / b), c) · 2", vars) == 8);
}

TEST_CASE("Formulas: every row's formula names rows of its own report", "[formulas]") {
  // {key} references resolve in the report (the JSON's substituted form has no braces left).
  for (const std::string& args : kCommands) {
    INFO("llmcost " << args);
    const json report = report_of(args);
    for (const json& row : report["rows"]) {
      if (!row.contains("substituted")) continue;
      INFO(row["key"].get<std::string>() << ": " << row["substituted"].get<std::string>());
      CHECK(row["substituted"].get<std::string>().find('{') == std::string::npos);
    }
  }
}
