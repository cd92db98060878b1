// Entry point: builds the subcommands from the table, parses, runs, and maps errors to exit
// codes (README.md, Exit codes): 0 ok, 1 an expectation failed, 2 bad input, 3 environment, 4 internal.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "llmcost/error.hpp"
#include "llmcost/format.hpp"
#include "llmcost/text.hpp"

namespace llmcost::cli {

const std::vector<Subcommand>& subcommands() {
  static const std::vector<Subcommand> table = [] {
    std::vector<Subcommand> t;
    for (const EstimateKind* kind : estimate_kinds()) {
      t.push_back({kind->name(), kind->help(), kind->examples(), [kind](CLI::App& sub) { setup_estimate(sub, *kind); },
                   [kind] { return run_estimate(*kind); }});
    }
    const std::vector<Subcommand> others{
        {"fit", "fit a Chinchilla-form scaling law to your own (N, D, loss) runs",
         "Examples:\n"
         "  llmcost fit runs.csv\n"
         "  llmcost fit runs.csv --drop-highest 5 --bootstrap 200 --grid coarse --at-flops 5.76e23\n"
         "  llmcost fit runs.csv --save-law mylaw --plot fit.svg && llmcost optimal --data . --law mylaw --flops 1e23",
         setup_fit, run_fit},
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
         setup_run, run_run, false},
        {"list", "list catalog records: accelerators, offers, models, assumptions or laws",
         "Examples:\n"
         "  llmcost list models\n"
         "  llmcost list offers --format csv",
         setup_list, run_list, false},
        {"show", "show one catalog record with its source",
         "Examples:\n"
         "  llmcost show gpt3\n"
         "  llmcost show aws-p4d-1yr --format json",
         setup_show, run_show, false},
        {"completion", "print the bash completion script, or the man page's command sections",
         "Examples:\n"
         "  llmcost completion bash > /etc/bash_completion.d/llmcost\n"
         "  source <(llmcost completion bash)",
         setup_completion, run_completion, false},
    };
    t.insert(t.end(), others.begin(), others.end());
    return t;
  }();
  return table;
}

}  // namespace llmcost::cli

namespace {

// "unknown flag '--modle'; did you mean '--model'? (see 'llmcost train --help')" for the first
// unexpected argument of a subcommand; "" when no subcommand was reached.
std::string unexpected_message(const CLI::App& app) {
  for (const CLI::App* sub : app.get_subcommands()) {
    const std::vector<std::string> given = sub->remaining();
    if (given.empty()) continue;
    const std::string see = fmt::format(" (see 'llmcost {} --help')", sub->get_name());
    const auto flag =
        std::find_if(given.begin(), given.end(), [](const std::string& a) { return a.rfind('-', 0) == 0; });
    if (flag == given.end()) return fmt::format("unexpected argument {}{}", llmcost::quoted_excerpt(given[0]), see);
    std::vector<std::string> known;
    for (const CLI::Option* opt : sub->get_options()) {
      for (const std::string& name : opt->get_lnames()) known.push_back("--" + name);
    }
    const std::string name = flag->substr(0, flag->find('='));
    const std::string best = llmcost::closest(name, known, std::max<size_t>(3, name.size() / 3 + 1));
    return fmt::format("unknown flag {}{}{}", llmcost::quoted_excerpt(name),
                       best.empty() ? "" : fmt::format("; did you mean '{}'?", best), see);
  }
  return "";
}

// Parses the command line and runs the subcommand; the exit codes are README.md's, and every
// error that reaches main() is printed as one line.
int run_main(int argc, char** argv) {
  using namespace llmcost;
  CLI::App app{"llmcost: cost and scaling estimates for large language models", "llmcost"};
  app.set_version_flag("--version", LLMCOST_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 ok, 1 a scenario expectation failed, 2 bad input, 3 environment missing, 4 internal error.");
  std::vector<std::pair<CLI::App*, const cli::Subcommand*>> subs;
  for (const auto& sc : cli::subcommands()) {
    CLI::App* sub = app.add_subcommand(std::string(sc.name), std::string(sc.help));
    sub->footer(std::string(sc.examples));
    sc.setup(*sub);
    cli::add_common_options(*sub);
    subs.emplace_back(sub, &sc);
  }
  cli::set_root_app(app);
  if (argc < 2) {  // no subcommand: the overview, not an error
    cli::print_text(app.help());
    return 0;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ExtrasError& e) {
    const std::string message = unexpected_message(app);
    std::fprintf(
        stderr, "llmcost: error: %s\n",
        llmcost::printable(message.empty() ? std::string(e.what()) + " (see 'llmcost --help')" : message).c_str());
    return 2;
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  } catch (const CLI::CallForVersion&) {
    std::printf("llmcost %s\n", LLMCOST_VERSION);
    return 0;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::fprintf(stderr, "llmcost: error: %s (see 'llmcost --help')\n", llmcost::printable(e.what()).c_str());
    return 2;
  }
  for (const auto& [sub, sc] : subs) {
    if (!sub->parsed()) continue;
    cli::check_common_options(*sc);
    return sc->run();
  }
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run_main(argc, argv);
  } catch (const llmcost::InputError& e) {  // messages quote file names and ids: shown, never sent raw
    std::fprintf(stderr, "llmcost: error: %s\n", llmcost::printable(e.what()).c_str());
    return 2;
  } catch (const llmcost::EnvError& e) {
    std::fprintf(stderr, "llmcost: error: %s\n", llmcost::printable(e.what()).c_str());
    return 3;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "llmcost: internal error: %s\n", llmcost::printable(e.what()).c_str());
    return 4;
  } catch (...) {
    std::fputs("llmcost: internal error: unknown exception\n", stderr);
    return 4;
  }
}
