// Memory bandwidth on the GPU: STREAM's copy and triad (McCalpin) as hand-written kernels, and
// cudaMemcpy device-to-device as the vendor's reference, all timed the same way.
// Private to src/gpu/calibrate_cuda.cu.
#pragma once

#include <string>
#include <vector>

#include "gpu/cuda_util.hpp"
#include "llmcost/calibration.hpp"

namespace llmcost::gpu {

// Each thread keeps kUnroll independent 16-byte loads in flight before it stores: HBM needs many
// outstanding requests per SM to reach its bandwidth (Little's law), more than one float4 each.
constexpr int kUnroll = 4;
constexpr int kThreads = 256;

__global__ void copy_kernel(const float4* __restrict__ a, float4* __restrict__ c, size_t n) {
  const size_t stride = size_t(gridDim.x) * blockDim.x * kUnroll;
  for (size_t i = blockIdx.x * size_t(blockDim.x) * kUnroll + threadIdx.x; i < n; i += stride) {
    float4 v[kUnroll];
#pragma unroll
    for (int u = 0; u < kUnroll; ++u) {
      if (i + u * blockDim.x < n) v[u] = a[i + u * blockDim.x];
    }
#pragma unroll
    for (int u = 0; u < kUnroll; ++u) {
      if (i + u * blockDim.x < n) c[i + u * blockDim.x] = v[u];
    }
  }
}

__global__ void triad_kernel(float4* __restrict__ a, const float4* __restrict__ b, const float4* __restrict__ c,
                             float s, size_t n) {
  const size_t stride = size_t(gridDim.x) * blockDim.x * kUnroll;
  for (size_t i = blockIdx.x * size_t(blockDim.x) * kUnroll + threadIdx.x; i < n; i += stride) {
    float4 x[kUnroll], y[kUnroll];
#pragma unroll
    for (int u = 0; u < kUnroll; ++u) {
      if (i + u * blockDim.x < n) x[u] = b[i + u * blockDim.x], y[u] = c[i + u * blockDim.x];
    }
#pragma unroll
    for (int u = 0; u < kUnroll; ++u) {
      if (i + u * blockDim.x >= n) continue;
      a[i + u * blockDim.x] =
          make_float4(x[u].x + s * y[u].x, x[u].y + s * y[u].y, x[u].z + s * y[u].z, x[u].w + s * y[u].w);
    }
  }
}

// Enough resident blocks to fill every SM, each looping over the array (grid-stride).
template <class Kernel>
int grid_for(Kernel kernel, int device) {
  int per_sm = 0;
  check(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, kernel, kThreads, 0), "cudaOccupancy");
  return std::max(1, per_sm) * attribute(cudaDevAttrMultiProcessorCount, device);
}

// Copy, triad and memcpy over three arrays of `array_bytes` each. Bytes counted as STREAM does:
// what the kernel reads plus what it writes.
inline std::vector<BandwidthRow> measure_bandwidth(int device, cudaStream_t s, size_t array_bytes, double budget_s,
                                                   L2Flusher& flush, const std::function<void(const char*)>& step) {
  array_bytes -= array_bytes % 16;
  const DeviceBuffer a(array_bytes), b(array_bytes), c(array_bytes);
  for (const DeviceBuffer* buf : {&a, &b, &c}) check(cudaMemsetAsync(buf->get(), 0, array_bytes, s), "cudaMemsetAsync");
  const size_t n = array_bytes / sizeof(float4);
  auto* fa = static_cast<float4*>(a.get());
  auto* fb = static_cast<float4*>(b.get());
  auto* fc = static_cast<float4*>(c.get());
  const int copy_grid = grid_for(copy_kernel, device), triad_grid = grid_for(triad_kernel, device);
  struct Kernel {
    const char* name;
    double bytes;
    std::function<void()> launch;
  };
  const double bytes = double(array_bytes);
  const Kernel kernels[] = {
      {"copy", 2 * bytes, [&] { copy_kernel<<<copy_grid, kThreads, 0, s>>>(fa, fc, n); }},
      {"triad", 3 * bytes, [&] { triad_kernel<<<triad_grid, kThreads, 0, s>>>(fa, fb, fc, 3.0f, n); }},
      {"memcpy", 2 * bytes,
       [&] { check(cudaMemcpyAsync(fb, fc, array_bytes, cudaMemcpyDeviceToDevice, s), "cudaMemcpyAsync"); }},
  };
  std::vector<BandwidthRow> rows;
  for (const Kernel& k : kernels) {
    const double t = measure(s, budget_s, flush, k.launch);
    check(cudaGetLastError(), k.name);
    rows.push_back({k.name, k.bytes, t, k.bytes / t / 1e9});
    step(k.name);
  }
  return rows;
}

}  // namespace llmcost::gpu
