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
#include <functional>

#include "base/atomic_file_parts.hpp"
#include "base/temp_files.hpp"
#include "llmcost/error.hpp"
#include "llmcost/files.hpp"

namespace llmcost {

// The mode a new file gets under the process's umask (umask can only be read by setting it).
HoldSignals::HoldSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : terminating_signals()) sigaddset(&set, sig);
  pthread_sigmask(SIG_BLOCK, &set, &old_);
}

HoldSignals::~HoldSignals() {
  pthread_sigmask(SIG_SETMASK, &old_, nullptr);
}

mode_t new_file_mode() {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return static_cast<mode_t>(0666 & ~mask);
}

[[noreturn]] void cannot_write(const std::string& path, const char* what, int err) {
  if (what == nullptr) throw EnvError(fmt::format("cannot write '{}': {}", path, std::strerror(err)));
  throw EnvError(fmt::format("cannot write '{}': {}: {}", path, what, std::strerror(err)));
}

void write_all(int fd, std::string_view text, const std::function<void(const char*)>& fail) {
  for (size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write");
    }
    done += static_cast<size_t>(n);
  }
}

OutputTarget classify_output(const std::string& path) {
  namespace fs = std::filesystem;
  OutputTarget t{path, path, OutputTarget::Kind::regular, 0};
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return t;  // new file (or a dangling link: written as given)
  if (S_ISDIR(st.st_mode)) cannot_write(path, nullptr, EISDIR);
  if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
    t.kind = OutputTarget::Kind::stream;
    return t;
  }
  if (!S_ISREG(st.st_mode)) {
    throw EnvError(fmt::format("cannot write '{}': not a regular file, a terminal or a pipe", path));
  }
  // A link to a regular file: the file it names is replaced, the link stays a link.
  std::error_code ec;
  const fs::path resolved = fs::canonical(path, ec);
  if (!ec) t.file = resolved.string();
  t.kind = OutputTarget::Kind::existing;
  t.mode = static_cast<unsigned>(st.st_mode & 07777);
  return t;
}

std::string write_temporary(const OutputTarget& target, std::string_view text) {
  namespace fs = std::filesystem;
  const fs::path file(target.file);
  const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
  std::string tmpl = (dir / ("." + file.filename().string() + ".tmp-XXXXXX")).string();
  TempFileGuard guard;
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) cannot_write(target.path, nullptr, errno);
  guard.track(tmpl);
  auto fail = [&](const char* what) {
    const int err = errno;
    ::close(fd);
    cannot_write(target.path, what, err);
  };
  write_all(fd, text, fail);
  // An existing file keeps its mode (a private 600 file stays private); a new one gets the umask's.
  const mode_t mode = target.kind == OutputTarget::Kind::existing ? static_cast<mode_t>(target.mode) : new_file_mode();
  if (::fchmod(fd, mode) != 0) fail("chmod");
  if (::fsync(fd) != 0) fail("fsync");
  if (::close(fd) != 0) cannot_write(target.path, "close", errno);
  return guard.release();
}

void write_stream(const OutputTarget& target, std::string_view text) {
  // A pipe without a reader would block for ever: opened non-blocking, it fails at once (ENXIO).
  const int fd = ::open(target.path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) cannot_write(target.path, nullptr, errno);
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  write_all(fd, text, [&](const char* what) {
    const int err = errno;
    ::close(fd);
    cannot_write(target.path, what, err);
  });
  if (::close(fd) != 0) cannot_write(target.path, "close", errno);
}

bool same_output(const std::string& a, const std::string& b) {
  namespace fs = std::filesystem;
  std::error_code e1, e2;
  return same_file(a, b) || fs::weakly_canonical(a, e1) == fs::weakly_canonical(b, e2);
}

void refuse_outputs_over_inputs(const std::vector<std::string>& outputs, const std::vector<std::string>& inputs) {
  for (const std::string& out : outputs) {
    for (const std::string& in : inputs) {
      if (!out.empty() && !in.empty() && same_file(out, in)) {
        throw InputError(fmt::format("'{}' would replace the input '{}': name another output file", out, in));
      }
    }
  }
}

void write_file_atomic(const std::string& path, std::string_view text) {
  write_files_atomic({FileOutput{path, std::string(text)}});
}

void write_files_atomic(const std::vector<FileOutput>& files) {
  std::vector<OutputTarget> targets;
  for (size_t i = 0; i < files.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (same_output(files[i].path, files[j].path)) {
        throw InputError(fmt::format("'{}' is named as two outputs", files[i].path));
      }
    }
    targets.push_back(classify_output(files[i].path));
  }
  const HoldSignals hold;
  TempFileGuard temps;
  for (size_t i = 0; i < files.size(); ++i) {
    if (targets[i].kind != OutputTarget::Kind::stream) temps.track(write_temporary(targets[i], files[i].text));
  }
  // Every file is on disk; renames within a folder fail only on rare races (the target turned
  // into a folder meanwhile). Then targets this call created are removed again: nothing new stays.
  std::vector<std::string> created;
  for (size_t i = 0, t = 0; i < files.size(); ++i) {
    const OutputTarget& target = targets[i];
    if (target.kind == OutputTarget::Kind::stream) continue;
    const bool existed = ::access(target.file.c_str(), F_OK) == 0;
    if (std::rename(temps.path(t).c_str(), target.file.c_str()) != 0) {
      const int err = errno;
      for (const std::string& c : created) ::unlink(c.c_str());
      cannot_write(target.path, nullptr, err);
    }
    temps.forget(t++);
    if (!existed) created.push_back(target.file);
  }
  // Terminals and pipes last: they cannot be taken back, so they get text only when every file did.
  for (size_t i = 0; i < files.size(); ++i) {
    if (targets[i].kind == OutputTarget::Kind::stream) write_stream(targets[i], files[i].text);
  }
}

}  // namespace llmcost
