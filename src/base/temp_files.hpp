// Temporary files that must not outlive a failure or a signal (issue: a 735 MB hidden .tmp file
// was left by SIGQUIT): each is unlinked when its guard goes out of scope, unless it was renamed
// into place, and by a signal handler should a terminating signal end the process meanwhile.
#pragma once

#include <string>
#include <vector>

namespace llmcost {

// The asynchronous signals that end the process by default and can be caught: INT, TERM, HUP,
// QUIT, USR1, USR2, ALRM, VTALRM, PROF, XCPU, XFSZ, PIPE.
const std::vector<int>& terminating_signals();

class TempFileGuard {
 public:
  TempFileGuard() = default;
  ~TempFileGuard();  // unlinks every path still held
  TempFileGuard(const TempFileGuard&) = delete;
  TempFileGuard& operator=(const TempFileGuard&) = delete;

  // Holds `path`: removed on failure, on destruction, or by the handler of a terminating signal.
  void track(std::string path);
  const std::string& path(size_t i) const { return paths_[i]; }
  // The file at `i` is no longer temporary (it was renamed into place): it is not removed.
  void forget(size_t i);
  // Hands over the only path held, no longer removed.
  std::string release();

 private:
  std::vector<std::string> paths_;
  std::vector<int> slots_;  // in the signal handler's table; -1 when forgotten
};

}  // namespace llmcost
