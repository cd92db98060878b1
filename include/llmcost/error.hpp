// Errors that reach the user. Each carries a one-line message; main() prints it and maps the
// type to an exit code (README.md, Exit codes: 2 bad input, 3 environment missing).
#pragma once

#include <stdexcept>
#include <string>

namespace llmcost {

// Bad usage or bad input: exit code 2. The message names the place (flag or file:line:col).
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Something the environment lacks (unreadable file, no CUDA device): exit code 3.
class EnvError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Where a value came from in a file, for error messages (`file:line:col`).
struct Origin {
  std::string file;
  int line = 0;
  int col = 0;

  // "file:line:col", or "file" when no position is known.
  std::string str() const;
};

}  // namespace llmcost
