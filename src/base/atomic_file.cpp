#include "llmcost/atomic_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "llmcost/error.hpp"

namespace llmcost {
namespace {

// Holds Ctrl-C (and TERM, HUP) while the files are written, a few milliseconds: the signal is
// delivered after the renames or the clean-up, so no temporary file is left behind.
class HoldSignals {
 public:
  HoldSignals() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&set, sig);
    pthread_sigmask(SIG_BLOCK, &set, &old_);
  }
  ~HoldSignals() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  HoldSignals(const HoldSignals&) = delete;
  HoldSignals& operator=(const HoldSignals&) = delete;

 private:
  sigset_t old_;
};

// The mode a new file gets under the process's umask (umask can only be read by setting it).
mode_t new_file_mode() {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return static_cast<mode_t>(0666 & ~mask);
}

[[noreturn]] void cannot_write(const std::string& path, const char* what, int err) {
  if (what == nullptr) throw EnvError(fmt::format("cannot write '{}': {}", path, std::strerror(err)));
  throw EnvError(fmt::format("cannot write '{}': {}: {}", path, what, std::strerror(err)));
}

// `text` in a new temporary file beside `path`, flushed to disk; returns the temporary's name.
std::string write_temporary(const std::string& path, std::string_view text) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  std::error_code ec;
  if (fs::is_directory(target, ec)) cannot_write(path, nullptr, EISDIR);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string tmpl = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) cannot_write(path, nullptr, errno);
  auto fail = [&](const char* what) {
    const int err = errno;
    ::close(fd);
    ::unlink(tmpl.c_str());
    cannot_write(path, what, err);
  };
  for (size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write");
    }
    done += static_cast<size_t>(n);
  }
  if (::fchmod(fd, new_file_mode()) != 0) fail("chmod");
  if (::fsync(fd) != 0) fail("fsync");
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmpl.c_str());
    cannot_write(path, "close", err);
  }
  return tmpl;
}

}  // namespace

void write_file_atomic(const std::string& path, std::string_view text) {
  write_files_atomic({FileOutput{path, std::string(text)}});
}

void write_files_atomic(const std::vector<FileOutput>& files) {
  namespace fs = std::filesystem;
  for (size_t i = 0; i < files.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      std::error_code e1, e2;
      if (fs::weakly_canonical(files[i].path, e1) == fs::weakly_canonical(files[j].path, e2)) {
        throw InputError(fmt::format("'{}' is named as two outputs", files[i].path));
      }
    }
  }
  const HoldSignals hold;
  std::vector<std::string> temps;
  auto remove_temps = [&](size_t from) {
    for (size_t k = from; k < temps.size(); ++k) ::unlink(temps[k].c_str());
  };
  try {
    for (const FileOutput& f : files) temps.push_back(write_temporary(f.path, f.text));
  } catch (...) {
    remove_temps(0);
    throw;
  }
  // Every file is on disk; renames within a folder fail only on rare races (the target turned
  // into a folder meanwhile). Then targets this call created are removed again: nothing new stays.
  std::vector<bool> existed(files.size());
  for (size_t i = 0; i < files.size(); ++i) existed[i] = ::access(files[i].path.c_str(), F_OK) == 0;
  for (size_t i = 0; i < files.size(); ++i) {
    if (std::rename(temps[i].c_str(), files[i].path.c_str()) != 0) {
      const int err = errno;
      remove_temps(i);
      for (size_t k = 0; k < i; ++k) {
        if (!existed[k]) ::unlink(files[k].path.c_str());
      }
      cannot_write(files[i].path, nullptr, err);
    }
  }
}

}  // namespace llmcost
