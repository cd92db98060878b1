// The estimate subcommands, one per kind of the registry (llmcost/estimate.hpp): each fills its
// inputs from a scenario file and its flags, runs the estimator and prints the report.
#include <fmt/format.h>

#include <map>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "llmcost/atomic_file.hpp"
#include "llmcost/chart.hpp"
#include "llmcost/estimate.hpp"
#include "llmcost/scenario.hpp"

namespace llmcost::cli {
namespace {

// The flags of one kind's subcommand, kept as text until the subcommand runs.
struct KindOptions {
  std::vector<std::string> values;    // per field
  std::vector<CLI::Option*> options;  // per field
  std::string scenario;               // --scenario FILE
  CLI::Option* scenario_option = nullptr;
  std::string plot;  // --plot FILE.svg, with --uncertainty
  CLI::Option* plot_option = nullptr;
};

std::map<std::string_view, KindOptions>& options() {
  static std::map<std::string_view, KindOptions> by_kind;
  return by_kind;
}

// --scenario FILE: the inputs of a single-point scenario file, under the flags (precedence:
// catalog defaults < scenario file < flags).
// Returns how many expectations the scenario has (checked by `llmcost run`, not here).
size_t apply_scenario(const EstimateKind& kind, const std::string& path, InputSet& inputs) {
  const Scenario s = load_scenario_file(path);
  if (s.kind != kind.name()) {
    throw InputError(
        fmt::format("--scenario {}: a {} scenario; run it with 'llmcost {}' or 'llmcost run'", path, s.kind, s.kind));
  }
  if (s.points() != 1) {
    throw InputError(fmt::format("--scenario {}: a sweep of {} points; run it with 'llmcost run'", path, s.points()));
  }
  apply_scenario_inputs(s, inputs);
  return s.expect.size();
}

// Each given flag into `inputs`; errors name the flag: "--mfu: expected ...".
void apply_flags(const EstimateKind& kind, const KindOptions& o, InputSet& inputs) {
  for (size_t i = 0; i < kind.fields().size(); ++i) {
    if (o.options[i]->count() == 0) continue;
    if (o.values[i].empty() && !kind.fields()[i].is_switch()) {  // given empty is not "not given"
      throw InputError(fmt::format("--{}: expected a value, got ''", kind.fields()[i].name));
    }
    try {
      inputs.set(i, o.values[i]);
    } catch (const InputError& e) {
      throw InputError(fmt::format("--{}: {}", kind.fields()[i].name, e.what()));
    } catch (const EnvError& e) {
      throw EnvError(fmt::format("--{}: {}", kind.fields()[i].name, e.what()));
    }
  }
}

}  // namespace

void setup_estimate(CLI::App& sub, const EstimateKind& kind) {
  KindOptions& o = options()[kind.name()];
  o.values.resize(kind.fields().size());
  for (size_t i = 0; i < kind.fields().size(); ++i) {
    const FieldInfo& f = kind.fields()[i];
    const std::string flag = "--" + std::string(f.name);
    if (f.is_switch()) {
      o.options.push_back(sub.add_flag_callback(
          flag, [&o, i] { o.values[i] = "true"; }, std::string(f.help)));
    } else {
      o.options.push_back(sub.add_option(flag, o.values[i], std::string(f.help))->type_name(std::string(f.hint)));
    }
  }
  o.scenario_option =
      sub.add_option(
             "--scenario", o.scenario,
             fmt::format("take the inputs of this scenario file (kind = \"{}\"); flags given as well override them",
                         kind.name()))
          ->type_name("FILE");
  if (kind.field_index("uncertainty")) {
    o.plot_option =
        sub.add_option(
               "--plot", o.plot,
               "with --uncertainty: write an SVG of the first ranged result's distribution and of what moves it")
            ->type_name("FILE.svg");
  }
}

int run_estimate(const EstimateKind& kind) {
  const KindOptions& o = options()[kind.name()];
  const std::unique_ptr<InputSet> inputs = kind.make_inputs();
  if (o.scenario_option->count() > 0 && o.scenario.empty()) throw InputError("--scenario: expected a file, got ''");
  const size_t expectations = o.scenario.empty() ? 0 : apply_scenario(kind, o.scenario, *inputs);
  apply_flags(kind, o, *inputs);
  const bool plot = o.plot_option && o.plot_option->count() > 0;
  if (plot && o.plot.empty()) throw InputError("--plot: expected a file name, got ''");
  if (plot) refuse_outputs_over_inputs({o.plot}, {o.scenario});
  const Catalog catalog = load_catalog_from_options();
  Report report = inputs->estimate(catalog);
  require_finite(report);
  if (!o.scenario.empty()) {
    report.notes.emplace_back(
        expectations == 0
            ? fmt::format("inputs from scenario {} (flags given override them)", o.scenario)
            : fmt::format("inputs from scenario {} (flags given override them); its [expect] table ({} check{}) is "
                          "not checked here: run 'llmcost run {}'",
                          o.scenario, expectations, expectations == 1 ? "" : "s", o.scenario));
  }
  std::vector<FileOutput> files;
  if (plot) {
    const std::vector<Chart> charts = report_charts(report);
    if (charts.empty()) throw InputError("--plot: no range to draw: give --uncertainty (and an input with a spread)");
    files.push_back({o.plot, render_svg_column(charts)});
  }
  write_files_atomic(files);
  print_report(report);
  return 0;
}

}  // namespace llmcost::cli
