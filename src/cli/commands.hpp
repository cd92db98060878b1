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
void setup_loss(CLI::App& sub);
int run_loss();
void setup_optimal(CLI::App& sub);
int run_optimal();
void setup_scale(CLI::App& sub);
int run_scale();
void setup_trend(CLI::App& sub);
int run_trend();
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

}  // namespace llmcost::cli
