// Shared command-line plumbing: the subcommand table, common flags, catalog loading and output.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "llmcost/catalog.hpp"
#include "llmcost/fields.hpp"
#include "llmcost/render.hpp"
#include "llmcost/report.hpp"

namespace llmcost::cli {

// One row per subcommand: help can't drift from the code.
struct Subcommand {
  std::string_view name;
  std::string_view help;
  std::string_view examples;     // shown under --help
  void (*setup)(CLI::App& sub);  // adds the command's options
  int (*run)();                  // after parsing; returns the exit code
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
// Throws InputError for common flags that contradict each other (--quiet with --explain).
void check_common_options();

// The catalog from the default data, LLMCOST_DATA and --data.
Catalog load_catalog_from_options();

// Prints a report in the chosen format to stdout.
void print_report(const Report& report);

// A progress bar on stderr for work that takes more than a second, when stderr is a terminal
// (and not --quiet); an empty function otherwise.
std::function<void(double)> progress_bar(const std::string& label);

// Adds one option per field; values are kept as text until apply_fields().
template <class Inputs>
struct FieldOptions {
  std::vector<std::string> values;
  std::vector<CLI::Option*> options;
};

template <class Inputs>
void add_field_options(CLI::App& sub, const std::vector<Field<Inputs>>& fields, FieldOptions<Inputs>& out) {
  out.values.resize(fields.size());
  for (size_t i = 0; i < fields.size(); ++i) {
    const auto& f = fields[i];
    const std::string flag = "--" + std::string(f.name);
    if (f.hint.empty()) {
      out.options.push_back(sub.add_flag_callback(flag, [&out, i] { out.values[i] = "true"; }, std::string(f.help)));
    } else {
      out.options.push_back(sub.add_option(flag, out.values[i], std::string(f.help))->type_name(std::string(f.hint)));
    }
  }
}

// Parses each given flag into `in`; errors name the flag: "--mfu: expected ...".
template <class Inputs>
void apply_fields(Inputs& in, const std::vector<Field<Inputs>>& fields, const FieldOptions<Inputs>& opts);

}  // namespace llmcost::cli
