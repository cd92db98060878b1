// The parts of an atomic write that whole-text files (atomic_file.cpp) and streamed files
// (streamed_file.cpp) share: where an output goes, its temporary, the commit under held signals.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <functional>
#include <string>
#include <string_view>

namespace llmcost {

// Holds every asynchronous signal that would end the process (Ctrl-C, TERM, HUP, QUIT, USR1 ...)
// while files are committed, a few milliseconds: the signal is delivered after the renames or the
// clean-up, so no temporary file is left behind and no set of files is half renamed.
class HoldSignals {
 public:
  HoldSignals();
  ~HoldSignals();
  HoldSignals(const HoldSignals&) = delete;
  HoldSignals& operator=(const HoldSignals&) = delete;

 private:
  sigset_t old_;
};

// Where the text of one output goes: a new or existing regular file (through a temporary and a
// rename over `file`, the link's target when `path` is a link), or a stream written in place.
struct OutputTarget {
  std::string path;  // as given
  std::string file;  // what is replaced
  enum class Kind { regular, existing, stream } kind = Kind::regular;
  unsigned mode = 0;  // of an existing file
};

// Classifies `path`; throws EnvError for a folder or another special file (a socket, a block device).
OutputTarget classify_output(const std::string& path);

// The mode a new file gets under the process's umask.
mode_t new_file_mode();

// Throws EnvError "cannot write 'PATH': [WHAT: ]REASON".
[[noreturn]] void cannot_write(const std::string& path, const char* what, int err);

// Writes all of `text` to `fd`, retrying after signals; calls `fail` (which throws) on an error.
void write_all(int fd, std::string_view text, const std::function<void(const char*)>& fail);

// True when two output paths name the same file.
bool same_output(const std::string& a, const std::string& b);

}  // namespace llmcost
