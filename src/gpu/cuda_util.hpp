// CUDA plumbing shared by the GEMM and bandwidth measurements: error checks, device buffers
// that report out-of-memory as a skippable condition, L2 flushing and event timing.
// Private to src/gpu/calibrate_cuda.cu (one translation unit).
#pragma once

#include <cuda_runtime.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "llmcost/error.hpp"

namespace llmcost::gpu {

// Thrown when a size does not fit in device memory; the sweep skips that size with a note.
struct OutOfMemory {};

inline void check(cudaError_t e, const char* what) {
  if (e == cudaErrorMemoryAllocation) {
    cudaGetLastError();  // clear the (non-sticky) error so later calls succeed
    throw OutOfMemory{};
  }
  if (e != cudaSuccess) throw EnvError(std::string(what) + ": " + cudaGetErrorString(e));
}

inline int attribute(cudaDeviceAttr attr, int device) {
  int v = 0;
  check(cudaDeviceGetAttribute(&v, attr, device), "cudaDeviceGetAttribute");
  return v;
}

class DeviceBuffer {
 public:
  explicit DeviceBuffer(size_t bytes) : bytes_(bytes) { check(cudaMalloc(&ptr_, bytes), "cudaMalloc"); }
  ~DeviceBuffer() { cudaFree(ptr_); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  void* get() const { return ptr_; }
  size_t bytes() const { return bytes_; }

 private:
  void* ptr_ = nullptr;
  size_t bytes_;
};

// Writing a buffer twice the L2 size evicts whatever the previous run left there, so every timed
// run reads its operands from device memory (as a training step's GEMMs mostly do).
class L2Flusher {
 public:
  explicit L2Flusher(size_t l2_bytes) : buffer_(std::max<size_t>(2 * l2_bytes, size_t{8} << 20)) {}
  void operator()(cudaStream_t s) {
    check(cudaMemsetAsync(buffer_.get(), ++pass_ & 0xff, buffer_.bytes(), s), "cudaMemsetAsync");
  }

 private:
  DeviceBuffer buffer_;
  int pass_ = 0;
};

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t h = v.size() / 2;
  return v.size() % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}

// Owns CUDA events (they are not freed with the context until the process ends).
class Events {
 public:
  explicit Events(size_t n) : events_(n) {
    for (auto& e : events_) check(cudaEventCreate(&e), "cudaEventCreate");
  }
  ~Events() {
    for (auto& e : events_) cudaEventDestroy(e);
  }
  Events(const Events&) = delete;
  Events& operator=(const Events&) = delete;
  cudaEvent_t operator[](size_t i) const { return events_[i]; }

 private:
  std::vector<cudaEvent_t> events_;
};

// Median seconds of `runs` launches of `op` on `s`, each timed by its own pair of CUDA events
// with an L2 flush queued before the start event. All runs are queued before one sync, so the
// host stays ahead of the device and launch gaps don't land inside a timed interval.
inline double time_runs(cudaStream_t s, int runs, L2Flusher& flush, const std::function<void()>& op) {
  const Events events(2 * size_t(runs));
  for (int i = 0; i < runs; ++i) {
    flush(s);
    check(cudaEventRecord(events[2 * size_t(i)], s), "cudaEventRecord");
    op();
    check(cudaEventRecord(events[2 * size_t(i) + 1], s), "cudaEventRecord");
  }
  check(cudaEventSynchronize(events[2 * size_t(runs) - 1]), "cudaEventSynchronize");
  std::vector<double> seconds;
  for (int i = 0; i < runs; ++i) {
    float ms = 0;
    check(cudaEventElapsedTime(&ms, events[2 * size_t(i)], events[2 * size_t(i) + 1]), "cudaEventElapsedTime");
    seconds.push_back(ms / 1e3);
  }
  return median(seconds);
}

// Warm-up (clocks, caches of the library, lazy module loading), then the median of enough runs
// to fill about `budget_s` (5 to 50 runs).
inline double measure(cudaStream_t s, double budget_s, L2Flusher& flush, const std::function<void()>& op) {
  const double warm = time_runs(s, 3, flush, op);
  const int runs = std::clamp(static_cast<int>(budget_s / std::max(warm, 1e-7)), 5, 50);
  return time_runs(s, runs, flush, op);
}

}  // namespace llmcost::gpu
