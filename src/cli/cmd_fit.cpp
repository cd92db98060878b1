// `llmcost fit DATA.csv`: the Chinchilla approach-3 fit of a user's own (N, D, loss) runs.
#include <fmt/format.h>

#include <charconv>
#include <optional>
#include <vector>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/count_flags.hpp"
#include "llmcost/atomic_file.hpp"
#include "llmcost/chart.hpp"
#include "llmcost/error.hpp"
#include "llmcost/files.hpp"
#include "llmcost/fit.hpp"
#include "llmcost/fit_report.hpp"

namespace llmcost::cli {
namespace {

struct FitCli {
  std::string csv, grid = "full", save_law, plot, seed = "1";
  double huber_delta = 1e-3, at_flops = 0;
  int drop_highest = 0, bootstrap = 0, threads = 0;
  CLI::Option *save_law_option = nullptr, *plot_option = nullptr;  // given, even empty
};

// --seed N: a whole number from 0 to 2^64 - 1 (CLI11 would wrap -1 round to 2^64 - 1).
uint64_t parse_seed(const std::string& text) {
  uint64_t seed = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seed);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    throw InputError(fmt::format("--seed: expected a whole number from 0 to 18446744073709551615, got '{}'", text));
  }
  return seed;
}

FitCli& opts() {
  static FitCli o;
  return o;
}

// The options as the flags give them; a bad flag (or --format) fails now, not after a long fit.
FitOptions fit_options(const FitCli& o) {
  (void)parse_format(common().format);
  if (o.grid != "full" && o.grid != "coarse")
    throw InputError(fmt::format("--grid: expected full or coarse, got '{}'", o.grid));
  if (!(o.huber_delta > 0))
    throw InputError(fmt::format("--huber-delta: expected a positive number, got {}", o.huber_delta));
  if (o.drop_highest < 0)
    throw InputError(fmt::format("--drop-highest: expected a count >= 0, got {}", o.drop_highest));
  if (o.bootstrap < 0 || o.bootstrap > kMaxBootstrap) {
    throw InputError(fmt::format("--bootstrap: expected a count from 0 to {}, got {}", kMaxBootstrap, o.bootstrap));
  }
  check_threads(o.threads);
  if (o.at_flops < 0) throw InputError(fmt::format("--at-flops: expected a positive number, got {}", o.at_flops));
  FitOptions fo;
  fo.coarse_grid = o.grid == "coarse";
  fo.huber_delta = o.huber_delta;
  fo.drop_highest = o.drop_highest;
  fo.bootstrap = o.bootstrap;
  fo.at_flops = o.at_flops;
  fo.threads = o.threads;
  fo.seed = parse_seed(o.seed);
  // A flag given an empty value is an error, never "not given".
  if (o.save_law_option->count() > 0 && o.save_law.empty()) throw InputError("--save-law: expected a name, got ''");
  if (o.plot_option->count() > 0 && o.plot.empty()) throw InputError("--plot: expected a file name, got ''");
  return fo;
}

}  // namespace

void setup_fit(CLI::App& sub) {
  FitCli& o = opts();
  sub.add_option("data", o.csv, "CSV with a header: params,tokens,loss or params,flops,loss")
      ->required()
      ->type_name("DATA.csv");
  sub.add_option("--grid", o.grid, "starts: full (4,500, as the paper) or coarse (108)")->type_name("GRID");
  sub.add_option("--huber-delta", o.huber_delta, "δ of the Huber loss (default 1e-3)")->type_name("DELTA");
  sub.add_option("--drop-highest", o.drop_highest, "drop the K highest-loss points (Epoch drops 5)")->type_name("K");
  sub.add_option("--bootstrap", o.bootstrap, "R resamples for standard errors and 95% intervals (at most 100,000)")
      ->type_name("R");
  sub.add_option("--at-flops", o.at_flops, "compute budget for N_opt and its interval")->type_name("FLOP");
  sub.add_option("--threads", o.threads, kThreadsHelp)->type_name("N");
  sub.add_option("--seed", o.seed, "bootstrap seed (default 1; results are identical run to run)")->type_name("N");
  o.save_law_option =
      sub.add_option("--save-law", o.save_law,
                     "write the fit as a law file NAME.toml in this folder (a name, not a path; use it with "
                     "--data . --law NAME)")
          ->type_name("NAME");
  o.plot_option = sub.add_option("--plot", o.plot, "write an SVG of the data and the fitted iso-FLOP curves")
                      ->type_name("FILE.svg");
}

int run_fit() {
  const FitCli& o = opts();
  FitOptions fo = fit_options(o);
  const std::optional<LawTarget> target = o.save_law.empty() ? std::nullopt : std::optional(law_target(o.save_law));
  refuse_outputs_over_inputs({o.plot, target ? target->file : ""}, {o.csv});  // before a long fit, not after
  const FitData data = read_fit_csv(read_file(o.csv), o.csv);
  fo.progress = progress_bar("fit " + o.csv);
  const FitResult result = fit_law(data, fo);
  // Every file and the report rendered first, then the files written all or none, then the report
  // printed: a failed write leaves neither a file nor output printed as if it had worked, and a
  // report that cannot be rendered leaves no file behind.
  std::vector<FileOutput> files;
  if (target) files.push_back({target->file, law_file_text(result, target->id, fit_law_source(data, fo, result))});
  if (!o.plot.empty()) files.push_back({o.plot, render_svg(fit_chart(data, result))});
  Report r = fit_report(data, fo, result);
  if (target) {
    r.notes.emplace_back(fmt::format("saved as law '{}' in {}: llmcost loss --data . --law {} ...", target->id,
                                     target->file, target->id));
  }
  const std::string text = render_report(r);
  write_files_atomic(files);
  print_text(text);
  return 0;
}

}  // namespace llmcost::cli
