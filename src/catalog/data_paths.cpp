#include "llmcost/data_paths.hpp"

#include <filesystem>

#include "llmcost/files.hpp"

namespace llmcost {

std::string default_data_dir() {
  namespace fs = std::filesystem;
  const fs::path dir = executable_dir();
  std::error_code ec;
  if (!dir.empty() && fs::is_directory(dir / LLMCOST_INSTALL_DATA_REL, ec)) {
    return fs::weakly_canonical(dir / LLMCOST_INSTALL_DATA_REL, ec).string();
  }
  return LLMCOST_SOURCE_DATA_DIR;
}

std::vector<std::string> data_dirs(const char* env_value, const std::vector<std::string>& flag_dirs) {
  std::vector<std::string> dirs{default_data_dir()};
  if (env_value) {
    std::string env(env_value);
    size_t start = 0;
    while (start <= env.size()) {
      const size_t end = std::min(env.find(':', start), env.size());
      if (end > start) dirs.push_back(env.substr(start, end - start));
      start = end + 1;
    }
  }
  dirs.insert(dirs.end(), flag_dirs.begin(), flag_dirs.end());
  return dirs;
}

Catalog load_catalog(const std::vector<std::string>& dirs) {
  Catalog catalog;
  for (const auto& dir : dirs) catalog.load_dir(dir);
  catalog.validate();
  return catalog;
}

}  // namespace llmcost
