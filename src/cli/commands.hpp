// The subcommands: one per estimate kind of the registry (cmd_estimate.cpp), and the others, one
// file each. The table that puts them together is in main.cpp.
#pragma once

#include <CLI/CLI.hpp>

#include "llmcost/estimate.hpp"

namespace llmcost::cli {

void setup_estimate(CLI::App& sub, const EstimateKind& kind);
int run_estimate(const EstimateKind& kind);

void setup_fit(CLI::App& sub);
int run_fit();
void setup_run(CLI::App& sub);
int run_run();
void setup_list(CLI::App& sub);
int run_list();
void setup_show(CLI::App& sub);
int run_show();
void setup_calibrate(CLI::App& sub);
int run_calibrate();
void setup_completion(CLI::App& sub);
int run_completion();
// The parser `completion` describes (set once by main before parsing).
void set_root_app(const CLI::App& app);

}  // namespace llmcost::cli
