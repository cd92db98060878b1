// `llmcost fit DATA.csv`: the Chinchilla approach-3 fit of a user's own (N, D, loss) runs.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "llmcost/atomic_file.hpp"
#include "llmcost/error.hpp"
#include "llmcost/fit.hpp"
#include "llmcost/fit_report.hpp"

namespace llmcost::cli {
namespace {

struct FitCli {
  std::string csv, grid = "full", save_law, plot;
  double huber_delta = 1e-3, at_flops = 0;
  int drop_highest = 0, bootstrap = 0, threads = 0;
  uint64_t seed = 1;
};

FitCli& opts() {
  static FitCli o;
  return o;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw EnvError(fmt::format("cannot read '{}'", path));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// --save-law NAME writes NAME.toml (or the given .toml path); the law's id is the file's stem.
std::pair<std::string, std::string> law_target(const std::string& arg) {
  namespace fs = std::filesystem;
  const fs::path p = fs::path(arg).extension() == ".toml" ? fs::path(arg) : fs::path(arg + ".toml");
  const std::string id = p.stem().string();
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) {
      throw InputError(fmt::format("--save-law: '{}' must use lower-case letters, digits, '-', '.' or '_'", id));
    }
  }
  return {p.string(), id};
}

}  // namespace

void setup_fit(CLI::App& sub) {
  FitCli& o = opts();
  sub.add_option("data", o.csv, "CSV with a header: params,tokens,loss or params,flops,loss")->required()->type_name("DATA.csv");
  sub.add_option("--grid", o.grid, "starts: full (4,500, as the paper) or coarse (108)")->type_name("GRID");
  sub.add_option("--huber-delta", o.huber_delta, "δ of the Huber loss (default 1e-3)")->type_name("DELTA");
  sub.add_option("--drop-highest", o.drop_highest, "drop the K highest-loss points (Epoch drops 5)")->type_name("K");
  sub.add_option("--bootstrap", o.bootstrap, "R resamples for standard errors and 95% intervals")->type_name("R");
  sub.add_option("--at-flops", o.at_flops, "compute budget for N_opt and its interval")->type_name("FLOP");
  sub.add_option("--threads", o.threads, "threads (default: all cores)")->type_name("N");
  sub.add_option("--seed", o.seed, "bootstrap seed (default 1; results are identical run to run)")->type_name("N");
  sub.add_option("--save-law", o.save_law, "write the fit as a law file NAME.toml (use it with --data DIR --law NAME)")
      ->type_name("NAME");
  sub.add_option("--plot", o.plot, "write an SVG of the data and the fitted iso-FLOP curves")->type_name("FILE.svg");
}

int run_fit() {
  const FitCli& o = opts();
  const Format format = parse_format(common().format);
  if (o.grid != "full" && o.grid != "coarse") throw InputError(fmt::format("--grid: expected full or coarse, got '{}'", o.grid));
  if (!(o.huber_delta > 0)) throw InputError(fmt::format("--huber-delta: expected a positive number, got {}", o.huber_delta));
  if (o.drop_highest < 0) throw InputError(fmt::format("--drop-highest: expected a count >= 0, got {}", o.drop_highest));
  if (o.bootstrap < 0) throw InputError(fmt::format("--bootstrap: expected a count >= 0, got {}", o.bootstrap));
  if (o.at_flops < 0) throw InputError(fmt::format("--at-flops: expected a positive number, got {}", o.at_flops));
  const auto target = o.save_law.empty() ? std::pair<std::string, std::string>{} : law_target(o.save_law);
  const FitData data = read_fit_csv(read_file(o.csv), o.csv);
  FitOptions fo;
  fo.coarse_grid = o.grid == "coarse";
  fo.huber_delta = o.huber_delta;
  fo.drop_highest = o.drop_highest;
  fo.bootstrap = o.bootstrap;
  fo.at_flops = o.at_flops;
  fo.threads = o.threads;
  fo.seed = o.seed;
  fo.progress = progress_bar("fit " + o.csv);
  const FitResult result = fit_law(data, fo);
  // Files first (atomically), so a failed write leaves nothing printed as if it had worked.
  if (!target.first.empty()) {
    const std::string source = fmt::format("llmcost fit {} ({} grid, {} points, objective {})", o.csv, o.grid,
                                           result.points, result.objective);
    write_file_atomic(target.first, law_toml(law_from_fit(result, target.second, source)));
  }
  if (!o.plot.empty()) write_file_atomic(o.plot, fit_plot_svg(data, result));
  Report r = fit_report(data, fo, result);
  if (!target.first.empty()) {
    r.notes.push_back(fmt::format("saved as law '{}' in {}: llmcost loss --data {} --law {} ...", target.second,
                                  target.first, std::filesystem::path(target.first).parent_path().empty()
                                                    ? "."
                                                    : std::filesystem::path(target.first).parent_path().string(),
                                  target.second));
  }
  (void)format;
  print_report(r);
  return 0;
}

}  // namespace llmcost::cli
