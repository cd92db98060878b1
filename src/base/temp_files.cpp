#include "base/temp_files.hpp"

#include <signal.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstring>
#include <mutex>

namespace llmcost {
namespace {

// The handler's view of the temporaries: fixed slots it can read without allocating. A slot is
// filled before it is marked used, and marked unused before it is reused.
constexpr size_t kSlots = 64;
constexpr size_t kPathMax = 4096;
std::array<std::array<char, kPathMax>, kSlots> g_paths{};
std::array<std::atomic<bool>, kSlots> g_used{};
std::mutex g_slot_mutex;  // between threads registering; the handler takes no lock

extern "C" void remove_temps_and_die(int sig) {
  for (size_t i = 0; i < kSlots; ++i) {
    if (g_used[i].load()) ::unlink(g_paths[i].data());
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

// Installs the handler for every terminating signal still at its default action (one that is
// ignored, as under nohup, stays ignored); checked at each new temporary, a dozen cheap calls.
void install_handlers() {
  for (int sig : terminating_signals()) {
    struct sigaction old {};
    if (::sigaction(sig, nullptr, &old) != 0 || old.sa_handler != SIG_DFL) continue;
    struct sigaction sa {};
    sa.sa_handler = remove_temps_and_die;
    sigemptyset(&sa.sa_mask);
    ::sigaction(sig, &sa, nullptr);
  }
}

int take_slot(const std::string& path) {
  if (path.size() >= kPathMax) return -1;  // too long for the table: still removed by the guard
  install_handlers();
  const std::lock_guard<std::mutex> lock(g_slot_mutex);
  for (size_t i = 0; i < kSlots; ++i) {
    if (g_used[i].load()) continue;
    std::memcpy(g_paths[i].data(), path.c_str(), path.size() + 1);
    g_used[i].store(true);
    return static_cast<int>(i);
  }
  return -1;
}

void free_slot(int slot) {
  if (slot >= 0) g_used[static_cast<size_t>(slot)].store(false);
}

}  // namespace

const std::vector<int>& terminating_signals() {
  static const std::vector<int> signals{SIGINT,  SIGTERM,   SIGHUP,  SIGQUIT, SIGUSR1, SIGUSR2,
                                        SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ, SIGPIPE};
  return signals;
}

TempFileGuard::~TempFileGuard() {
  for (size_t i = 0; i < paths_.size(); ++i) {
    if (slots_[i] == -2) continue;  // forgotten
    ::unlink(paths_[i].c_str());
    free_slot(slots_[i]);
  }
}

void TempFileGuard::track(std::string path) {
  slots_.push_back(take_slot(path));
  paths_.push_back(std::move(path));
}

void TempFileGuard::forget(size_t i) {
  free_slot(slots_[i]);
  slots_[i] = -2;
}

std::string TempFileGuard::release() {
  std::string p = paths_.at(0);
  forget(0);
  return p;
}

}  // namespace llmcost
