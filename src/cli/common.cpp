#include "cli/common.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "llmcost/data_paths.hpp"
#include "llmcost/error.hpp"
#include "llmcost/format.hpp"

namespace llmcost::cli {

CommonOptions& common() {
  static CommonOptions options;
  return options;
}

void add_common_options(CLI::App& sub) {
  CommonOptions& c = common();
  sub.add_option("--format", c.format, "output format: table, json, csv, markdown")
      ->type_name("FORMAT")
      ->default_str("table");
  sub.add_flag("--explain", c.explain, "show every formula with its numbers and the source of every assumption");
  sub.add_flag("--quiet,-q", c.quiet, "print the results only (table format)");
  sub.add_option("--data", c.data_dirs, "extra data folder(s) of TOML records; override the catalog by id")
      ->type_name("DIR");
}

void check_common_options(const Subcommand& command) {
  const CommonOptions& c = common();
  if (c.quiet && c.explain) throw InputError("give either --quiet or --explain, not both");
  const Format format = parse_format(c.format);
  for (const auto& [given, flag] : {std::pair{c.explain, "--explain"}, std::pair{c.quiet, "--quiet"}}) {
    if (given && !command.report) {
      throw InputError(fmt::format("{} applies to the commands that print a report, not to '{}'", flag, command.name));
    }
  }
  if (c.explain && (format == Format::json || format == Format::csv)) {
    throw InputError(
        "--explain applies with --format table or markdown only: JSON and CSV always carry the "
        "formulas and sources");
  }
  if (c.quiet && format != Format::table) {
    throw InputError(
        fmt::format("--quiet applies with --format table only (--format {} prints every value anyway)", c.format));
  }
  for (const std::string& dir : c.data_dirs) {
    if (dir.empty()) throw InputError("--data: expected a folder, got ''");
  }
}

Catalog load_catalog_from_options() {
  Catalog catalog = load_catalog(data_dirs(std::getenv("LLMCOST_DATA"), common().data_dirs));
  for (const std::string& skipped : catalog.skipped_files())
    std::fprintf(stderr, "llmcost: note: skipped %s\n", skipped.c_str());
  return catalog;
}

std::string render_report(const Report& report) {
  const Format format = parse_format(common().format);
  return render(report, common().quiet && format == Format::table ? Format::quiet : format, common().explain);
}

void print_report(const Report& report) {
  print_text(render_report(report));
}

void print_text(std::string_view text) {
  const bool written = std::fwrite(text.data(), 1, text.size(), stdout) == text.size();
  if (!written || std::fflush(stdout) != 0 || std::ferror(stdout)) {
    throw EnvError(fmt::format("cannot write the output to stdout: {}", std::strerror(errno)));
  }
}

std::function<void(double)> progress_bar(const std::string& raw_label) {
  const std::string label = printable(raw_label);
  if (!::isatty(STDERR_FILENO) || common().quiet) return {};
  auto start = std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now());
  return [start, label](double f) {
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - *start).count();
    if (s < 1 && f < 1) return;
    const int width = 30, filled = static_cast<int>(f * width);
    std::fprintf(stderr, "\r%s [%s%s] %3.0f%%", label.c_str(), std::string(size_t(filled), '#').c_str(),
                 std::string(size_t(width - filled), ' ').c_str(), f * 100);
    if (f >= 1) std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
  };
}

}  // namespace llmcost::cli
