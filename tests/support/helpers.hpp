// Test helpers: the default catalog, loaded once; scratch folders and files for tests that write them;
// the message of an expected InputError.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "llmcost/catalog.hpp"
#include "llmcost/error.hpp"

namespace llmcost::test {

// The catalog of data/ as shipped (LLMCOST_DATA_DIR).
inline const Catalog& default_catalog() {
  static const Catalog catalog = [] {
    Catalog c;
    c.load_dir(LLMCOST_DATA_DIR);
    c.validate();
    return c;
  }();
  return catalog;
}

// Writes `text` to `path` as it is (binary).
inline void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// A fresh empty folder per test case, under one folder per test process removed at exit.
inline std::filesystem::path scratch_dir(const std::string& name) {
  namespace fs = std::filesystem;
  struct Root {
    fs::path path = fs::temp_directory_path() / ("llmcost-test-" + std::to_string(::getpid()));
    ~Root() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  };
  static const Root root;
  const fs::path dir = root.path / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// The message of the InputError that `f` throws ("" if it throws nothing, which fails the caller's check).
template <class F>
std::string input_error_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// The names in `dir`, sorted: what a command left there, temporaries included.
inline std::vector<std::string> names_in(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace llmcost::test
