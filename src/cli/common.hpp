// Shared command-line plumbing: the subcommand table, common flags, catalog loading and output.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "llmcost/catalog.hpp"
#include "llmcost/render.hpp"
#include "llmcost/report.hpp"

namespace llmcost::cli {

// One row per subcommand: help can't drift from the code.
struct Subcommand {
  std::string_view name;
  std::string_view help;
  std::string_view examples;                 // shown under --help
  std::function<void(CLI::App& sub)> setup;  // adds the command's options
  std::function<int()> run;                  // after parsing; returns the exit code
  bool report = true;                        // prints a report: --explain and --quiet apply
};

const std::vector<Subcommand>& subcommands();

// Flags every command takes.
struct CommonOptions {
  std::string format = "table";
  bool explain = false;
  bool quiet = false;
  std::vector<std::string> data_dirs;
};
CommonOptions& common();
void add_common_options(CLI::App& sub);
// Throws InputError for common flags that contradict each other or do not apply to the command
// (--quiet with --explain; --quiet with a format other than table; either on a command that prints
// no report): a flag is never silently ignored.
void check_common_options(const Subcommand& command);

// The catalog from the default data, LLMCOST_DATA and --data.
Catalog load_catalog_from_options();

// The report in the chosen format (--format, --explain, --quiet).
std::string render_report(const Report& report);

// Prints a report in the chosen format to stdout.
void print_report(const Report& report);

// Writes `text` to stdout and flushes it. Throws EnvError (exit 3) when stdout cannot take it (a
// closed stream, a full disk): a report that is lost must not exit 0.
void print_text(std::string_view text);

// A progress bar on stderr for work that takes more than a second, when stderr is a terminal
// (and not --quiet); an empty function otherwise.
std::function<void(double)> progress_bar(const std::string& label);

}  // namespace llmcost::cli
