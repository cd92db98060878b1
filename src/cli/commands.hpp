// Setup and run functions of each subcommand (one .cpp each); the table is in main.cpp.
#pragma once

#include <CLI/CLI.hpp>

namespace llmcost::cli {

void setup_train(CLI::App& sub);
int run_train();
void setup_infer(CLI::App& sub);
int run_infer();
void setup_search(CLI::App& sub);
int run_search();
void setup_run(CLI::App& sub);
int run_run();
void setup_list(CLI::App& sub);
int run_list();
void setup_show(CLI::App& sub);
int run_show();

}  // namespace llmcost::cli
