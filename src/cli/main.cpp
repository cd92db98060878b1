// Entry point: builds the subcommands from the table, parses, runs, and maps errors to exit
// codes (DESIGN.md): 0 ok, 1 an expectation failed, 2 bad input, 3 environment, 4 internal.
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "llmcost/error.hpp"

namespace llmcost::cli {

const std::vector<Subcommand>& subcommands() {
  static const std::vector<Subcommand> table{
      {"train", "cost, time, energy, carbon and memory of training a model",
       "Examples:\n"
       "  llmcost train --model gpt3\n"
       "  llmcost train --model gpt3 --offer gcp-tpu-v4-1yr --mfu 46.2% --format json\n"
       "  llmcost train --model gpt3 --hardware v100-32gb --chips 10000 --achieved-tflops 24.6 \\\n"
       "                --train-flop 3.14e23 --watts-per-chip 330 --pue 1.10 --grid-kg-per-kwh 0.429\n"
       "  llmcost train --model llama2-70b --hardware h100-sxm --own --days 30 --explain",
       setup_train, run_train},
      {"infer", "cost and speed of serving a model: FLOP rule and roofline (prefill, decode, KV cache)",
       "Examples:\n"
       "  llmcost infer --model gpt3 --offer aws-p4d-1yr --mfu 21.3%\n"
       "  llmcost infer --model llama2-70b --hardware h100-sxm --chips 2 --batch 64 --prompt-tokens 1024 \\\n"
       "                --output-tokens 256\n"
       "  llmcost infer --model llama3-8b --offer runpod-h100 --latency-budget-ms 1500\n"
       "  llmcost infer --model-config path/to/config.json --offer lambda-h100-8x --dtype fp8",
       setup_infer, run_infer},
      {"search", "cost of one LLM-powered search query against its revenue",
       "Examples:\n"
       "  llmcost search --mode chatgpt\n"
       "  llmcost search --mode two-stage --method api --explain\n"
       "  llmcost search --mode two-stage --method cloud --model llama2-70b --offer aws-p5",
       setup_search, run_search},
      {"loss", "loss of a model under a scaling law, term by term",
       "Examples:\n"
       "  llmcost loss --law hoffmann2022 --params 1T --tokens 300B\n"
       "  llmcost loss --model chinchilla --law besiroglu2024",
       setup_loss, run_loss},
      {"optimal", "compute-optimal parameters and tokens for a compute or money budget",
       "Examples:\n"
       "  llmcost optimal --flops 5.76e23 --law hoffmann2022-unrounded\n"
       "  llmcost optimal --flops 5.76e23 --params 280B\n"
       "  llmcost optimal --budget-usd 10M --offer lambda-h100-8x --mfu 40%",
       setup_optimal, run_optimal},
      {"fit", "fit a Chinchilla-form scaling law to your own (N, D, loss) runs",
       "Examples:\n"
       "  llmcost fit runs.csv\n"
       "  llmcost fit runs.csv --drop-highest 5 --bootstrap 200 --grid coarse --at-flops 5.76e23\n"
       "  llmcost fit runs.csv --save-law mylaw --plot fit.svg && llmcost optimal --data . --law mylaw --flops 1e23",
       setup_fit, run_fit},
      {"scale", "what a very large compute budget implies: model, data, cost, share of GDP",
       "Examples:\n"
       "  llmcost scale --flops 1e35\n"
       "  llmcost scale --flops 1e30 --budget-usd 1B --doubling-years 2.46",
       setup_scale, run_scale},
      {"trend", "how the cost of a fixed model falls over the years",
       "Examples:\n"
       "  llmcost trend --model gpt3\n"
       "  llmcost trend --model gpt3 --doubling-years 2.07 --until 2030",
       setup_trend, run_trend},
      {"calibrate", "measure GEMM throughput and memory bandwidth of this GPU (or the CPU) against the catalog",
       "Examples:\n"
       "  llmcost calibrate --out h100.toml\n"
       "  llmcost calibrate --dtype bf16,fp8 --device 1\n"
       "  llmcost calibrate --cpu --out cpu.toml\n"
       "  llmcost calibrate --cpu --as h100-sxm --format json",
       setup_calibrate, run_calibrate},
      {"run", "run scenario files (or folders of them) and check their expectations",
       "Examples:\n"
       "  llmcost run scenarios/reference\n"
       "  llmcost run my-budget.toml other-scenarios/",
       setup_run, run_run},
      {"list", "list catalog records: accelerators, offers, models, assumptions or laws",
       "Examples:\n"
       "  llmcost list models\n"
       "  llmcost list offers --format csv",
       setup_list, run_list},
      {"show", "show one catalog record with its source",
       "Examples:\n"
       "  llmcost show gpt3\n"
       "  llmcost show aws-p4d-1yr --format json",
       setup_show, run_show},
  };
  return table;
}

}  // namespace llmcost::cli

int main(int argc, char** argv) {
  using namespace llmcost;
  CLI::App app{"llmcost: cost and scaling estimates for large language models", "llmcost"};
  app.set_version_flag("--version", LLMCOST_VERSION);
  app.require_subcommand(1);
  app.footer("Exit codes: 0 ok, 1 a scenario expectation failed, 2 bad input, 3 environment missing, 4 internal error.");
  std::vector<std::pair<CLI::App*, const cli::Subcommand*>> subs;
  for (const auto& sc : cli::subcommands()) {
    CLI::App* sub = app.add_subcommand(std::string(sc.name), std::string(sc.help));
    sub->footer(std::string(sc.examples));
    sc.setup(*sub);
    cli::add_common_options(*sub);
    subs.emplace_back(sub, &sc);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  } catch (const CLI::CallForVersion&) {
    std::printf("llmcost %s\n", LLMCOST_VERSION);
    return 0;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::fprintf(stderr, "llmcost: error: %s (see 'llmcost --help')\n", e.what());
    return 2;
  }
  try {
    cli::check_common_options();
    for (const auto& [sub, sc] : subs) {
      if (sub->parsed()) return sc->run();
    }
    return 2;
  } catch (const InputError& e) {
    std::fprintf(stderr, "llmcost: error: %s\n", e.what());
    return 2;
  } catch (const EnvError& e) {
    std::fprintf(stderr, "llmcost: error: %s\n", e.what());
    return 3;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "llmcost: internal error: %s\n", e.what());
    return 4;
  }
}
