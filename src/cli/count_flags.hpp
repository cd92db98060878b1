// Checks of the count flags that several commands share (--threads), with one-line messages
// instead of CLI11's range text.
#pragma once

#include <fmt/format.h>

#include "llmcost/error.hpp"

namespace llmcost::cli {

// More threads than this is a typo, not a machine: each is a real OS thread.
inline constexpr int kMaxThreads = 1024;
inline constexpr const char* kThreadsHelp = "threads: 0 for all cores (the default), at most 1024";

// --threads N: 0 (all cores) to kMaxThreads.
inline void check_threads(int threads) {
  if (threads < 0 || threads > kMaxThreads) {
    throw InputError(fmt::format("--threads: expected 0 (all cores) to {}, got {}", kMaxThreads, threads));
  }
}

}  // namespace llmcost::cli
