#include "llmcost/files.hpp"

#include <fmt/format.h>

#include <sys/stat.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>

#include "llmcost/error.hpp"

namespace llmcost {

std::string read_file(const std::string& path, std::string_view what) {
  const std::string name = what.empty() ? fmt::format("'{}'", path) : fmt::format("{} '{}'", what, path);
  // Checked before opening: opening a pipe blocks until a writer comes, and /dev/zero never ends.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw EnvError(fmt::format("cannot read {}: {}", name, std::strerror(errno)));
  if (S_ISDIR(st.st_mode)) throw EnvError(fmt::format("cannot read {}: is a directory", name));
  if (!S_ISREG(st.st_mode)) {
    throw EnvError(fmt::format("cannot read {}: not a regular file (a pipe, a socket or a device)", name));
  }
  if (static_cast<uint64_t>(st.st_size) > kMaxInputBytes) {
    throw InputError(fmt::format("{}: {} bytes; llmcost reads input files of at most {} MiB", name,
                                 static_cast<uint64_t>(st.st_size), kMaxInputBytes >> 20));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw EnvError(fmt::format("cannot read {}: {}", name, std::strerror(errno)));
  // One byte more than stat said: a file that grows while it is read shows it (and stops at the limit).
  std::string text(static_cast<size_t>(st.st_size) + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) throw EnvError(fmt::format("cannot read {}: {}", name, std::strerror(errno)));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > static_cast<size_t>(st.st_size)) {  // grown since stat: read the rest, bounded
    std::string rest(kMaxInputBytes + 1 - text.size(), '\0');
    in.read(rest.data(), static_cast<std::streamsize>(rest.size()));
    text.append(rest, 0, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxInputBytes) {
      throw InputError(fmt::format("{}: more than {} MiB; llmcost reads input files of at most {} MiB", name,
                                   kMaxInputBytes >> 20, kMaxInputBytes >> 20));
    }
  }
  return text;
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
