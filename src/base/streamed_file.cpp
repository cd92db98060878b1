// StreamedFile: an output written piece by piece (sweep rows) and committed like write_files_atomic.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "base/atomic_file_parts.hpp"
#include "base/temp_files.hpp"
#include "llmcost/atomic_file.hpp"
#include "llmcost/error.hpp"

namespace llmcost {

struct StreamedFile::Impl {
  OutputTarget target;
  int fd = -1;
  bool named = false;  // a temporary beside the target (else unnamed, in the temporary folder)
  TempFileGuard guard;
  unsigned long long size = 0;

  [[noreturn]] void fail(const char* what) const {
    const int err = errno;
    cannot_write(target.path.empty() ? std::string("a temporary file") : target.path, what, err);
  }
  // An unnamed temporary in $TMPDIR (or /tmp): the system removes it when it is closed.
  void open_unnamed() {
    const char* dir = std::getenv("TMPDIR");
    std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/.llmcost-XXXXXX";
    fd = ::mkstemp(tmpl.data());
    if (fd < 0) fail("temporary file");
    ::unlink(tmpl.c_str());
  }
};

StreamedFile::StreamedFile(const std::string& path) : impl_(std::make_unique<Impl>()) {
  namespace fs = std::filesystem;
  impl_->target = classify_output(path);
  if (impl_->target.kind == OutputTarget::Kind::stream) {
    impl_->open_unnamed();
    return;
  }
  const fs::path file(impl_->target.file);
  const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
  std::string tmpl = (dir / ("." + file.filename().string() + ".tmp-XXXXXX")).string();
  impl_->fd = ::mkstemp(tmpl.data());
  if (impl_->fd < 0) cannot_write(path, nullptr, errno);
  impl_->guard.track(tmpl);
  impl_->named = true;
}

StreamedFile::StreamedFile() : impl_(std::make_unique<Impl>()) {
  impl_->open_unnamed();
}

StreamedFile::~StreamedFile() {
  if (impl_->fd >= 0) ::close(impl_->fd);  // the guard removes a named temporary not committed
}

void StreamedFile::write(std::string_view text) {
  write_all(impl_->fd, text, [&](const char* what) { impl_->fail(what); });
  impl_->size += text.size();
}

unsigned long long StreamedFile::size() const {
  return impl_->size;
}

void StreamedFile::truncate(unsigned long long size) {
  if (size >= impl_->size) return;
  const auto at = static_cast<off_t>(size);
  if (::ftruncate(impl_->fd, at) != 0 || ::lseek(impl_->fd, at, SEEK_SET) != at) impl_->fail("truncate");
  impl_->size = size;
}

void StreamedFile::read_back(const std::function<void(std::string_view)>& out) {
  std::string block(size_t{1} << 20, '\0');
  for (unsigned long long at = 0; at < impl_->size;) {
    const ssize_t n = ::pread(impl_->fd, block.data(), block.size(), static_cast<off_t>(at));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) impl_->fail("read");
    out(std::string_view(block.data(), static_cast<size_t>(n)));
    at += static_cast<unsigned long long>(n);
  }
}

const std::string& StreamedFile::path() const {
  return impl_->target.path;
}

void write_files_atomic(const std::vector<FileOutput>& files, StreamedFile& streamed) {
  StreamedFile::Impl& s = *streamed.impl_;
  for (const auto& f : files) {
    if (same_output(f.path, s.target.path)) throw InputError(fmt::format("'{}' is named as two outputs", f.path));
  }
  if (s.named) {  // finished like write_temporary's: mode, fsync, close
    const auto mode =
        s.target.kind == OutputTarget::Kind::existing ? static_cast<mode_t>(s.target.mode) : new_file_mode();
    if (::fchmod(s.fd, mode) != 0 || ::fsync(s.fd) != 0) s.fail("fsync");
    const int closed = ::close(s.fd);
    s.fd = -1;
    if (closed != 0) s.fail("close");
  }
  const HoldSignals hold;
  write_files_atomic(files);  // the whole-text files: temporaries, then renames
  if (s.named) {
    if (std::rename(s.guard.path(0).c_str(), s.target.file.c_str()) != 0) cannot_write(s.target.path, nullptr, errno);
    s.guard.forget(0);
    return;
  }
  // A terminal, pipe or device: the unnamed temporary copied to it in blocks, as write_stream does.
  const int fd = ::open(s.target.path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) cannot_write(s.target.path, nullptr, errno);
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  auto fail = [&](const char* what) {
    const int err = errno;
    ::close(fd);
    cannot_write(s.target.path, what, err);
  };
  streamed.read_back([&](std::string_view block) { write_all(fd, block, fail); });
  if (::close(fd) != 0) cannot_write(s.target.path, "close", errno);
}

}  // namespace llmcost
