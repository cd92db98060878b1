#include "llmcost/files.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "llmcost/error.hpp"

namespace llmcost {

std::string read_file(const std::string& path, std::string_view what) {
  const std::string name = what.empty() ? fmt::format("'{}'", path) : fmt::format("{} '{}'", what, path);
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw EnvError(fmt::format("cannot read {}: is a directory", name));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw EnvError(fmt::format("cannot read {}: {}", name, std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw EnvError(fmt::format("cannot read {}: {}", name, std::strerror(errno)));
  return text.str();
}

bool same_file(const std::string& a, const std::string& b) {
  namespace fs = std::filesystem;
  std::error_code ea, eb;
  if (fs::exists(a, ea) && fs::exists(b, eb)) return fs::equivalent(a, b, ea) && !ea;
  return fs::weakly_canonical(a, ea) == fs::weakly_canonical(b, eb);
}

std::filesystem::path executable_dir() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : exe.parent_path();
}

}  // namespace llmcost
