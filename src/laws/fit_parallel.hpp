// A small work-sharing loop for the fitter's independent tasks (starts, bootstrap resamples).
// Private to fit.cpp. Results must be written by task index so they do not depend on which
// thread ran a task; this is what makes fits identical for any thread count.
#pragma once

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace llmcost::fit_detail {

// Worker threads for a request of `threads` (0 = all hardware threads), never more than `tasks`.
inline int worker_count(int threads, int tasks) {
  int n = threads > 0 ? threads : static_cast<int>(std::thread::hardware_concurrency());
  return std::clamp(n, 1, std::max(tasks, 1));
}

// Runs body(worker, begin, end) over [0, tasks) in chunks of `chunk` handed out on demand (starts
// differ in cost, so static slices would leave threads idle). `worker` in [0, workers) lets the
// body keep per-thread scratch. The first exception thrown by a body is rethrown here.
template <class Body>
void parallel_chunks(int tasks, int workers, int chunk, Body&& body) {
  std::atomic<int> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto run = [&](int worker) {
    try {
      for (;;) {
        const int begin = next.fetch_add(chunk);
        if (begin >= tasks) return;
        body(worker, begin, std::min(begin + chunk, tasks));
      }
    } catch (...) {
      const std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      next.store(tasks);
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(static_cast<size_t>(workers - 1));
  for (int w = 1; w < workers; ++w) pool.emplace_back(run, w);
  run(0);  // the calling thread works too
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace llmcost::fit_detail
