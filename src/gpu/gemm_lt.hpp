// GEMM throughput through cuBLASLt, the library PyTorch and Transformer Engine call for linear
// layers: layout "TN" (A transposed, B not; column-major), the only one cuBLASLt runs FP8 in on
// Hopper, and what nn.Linear's forward issues. FP32 accumulation for every dtype (as training
// does), inputs filled with random values in [-1, 1) (zeros would flatter power-limited clocks).
// Private to src/gpu/calibrate_cuda.cu.
#pragma once

#include <cublasLt.h>
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_fp8.h>

#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "gpu/cuda_util.hpp"

namespace llmcost::gpu {

struct DtypeSpec {
  const char* name;
  cudaDataType_t ab;  // A and B
  cudaDataType_t cd;  // C and D
  cublasComputeType_t compute;
  size_t ab_bytes, cd_bytes;
  int min_cc;  // compute capability x10 with tensor-core support (cuBLASLt requirement)
};

// In sweep order. FP8 (e4m3) needs Ada/Hopper (8.9+) and writes BF16, a supported FP8 output.
inline const std::vector<DtypeSpec>& dtype_specs() {
  static const std::vector<DtypeSpec> specs{
      {"fp32", CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F, 4, 4, 0},
      {"tf32", CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F_FAST_TF32, 4, 4, 80},
      {"fp16", CUDA_R_16F, CUDA_R_16F, CUBLAS_COMPUTE_32F, 2, 2, 70},
      {"bf16", CUDA_R_16BF, CUDA_R_16BF, CUBLAS_COMPUTE_32F, 2, 2, 80},
      {"fp8", CUDA_R_8F_E4M3, CUDA_R_16BF, CUBLAS_COMPUTE_32F, 1, 2, 89},
  };
  return specs;
}

// Thrown when cuBLASLt has no algorithm for a dtype and shape; the sweep notes and skips it.
struct NotSupported {};

inline void check_lt(cublasStatus_t st, const char* what) {
  if (st == CUBLAS_STATUS_ALLOC_FAILED) throw OutOfMemory{};
  if (st == CUBLAS_STATUS_NOT_SUPPORTED) throw NotSupported{};
  if (st != CUBLAS_STATUS_SUCCESS) throw EnvError(std::string(what) + ": cuBLAS status " + std::to_string(int(st)));
}

__device__ inline float hash_to_unit(size_t i, unsigned seed) {
  auto h = static_cast<unsigned>(i) * 0x9E3779B1u ^ seed;  // Murmur3 finaliser
  h ^= h >> 16, h *= 0x85EBCA6Bu, h ^= h >> 13, h *= 0xC2B2AE35u, h ^= h >> 16;
  return static_cast<float>(h >> 8) * (2.0f / 16777216.0f) - 1.0f;
}

template <class T>
__global__ void fill_random(T* p, size_t n, unsigned seed) {
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < n; i += size_t(gridDim.x) * blockDim.x) {
    p[i] = T(hash_to_unit(i, seed));
  }
}

inline void fill(const DeviceBuffer& buf, cudaDataType_t type, unsigned seed, cudaStream_t s) {
  auto launch = [&](auto* p, size_t elem) { fill_random<<<1024, 256, 0, s>>>(p, buf.bytes() / elem, seed); };
  switch (type) {
    case CUDA_R_32F: launch(static_cast<float*>(buf.get()), 4); break;
    case CUDA_R_16F: launch(static_cast<__half*>(buf.get()), 2); break;
    case CUDA_R_16BF: launch(static_cast<__nv_bfloat16*>(buf.get()), 2); break;
    default: launch(static_cast<__nv_fp8_e4m3*>(buf.get()), 1); break;
  }
  check(cudaGetLastError(), "fill_random");
}

template <class T, cublasStatus_t (*Destroy)(T)>
using LtPtr = std::unique_ptr<std::remove_pointer_t<T>, decltype(Destroy)>;

using OpDesc = LtPtr<cublasLtMatmulDesc_t, cublasLtMatmulDescDestroy>;
using Layout = LtPtr<cublasLtMatrixLayout_t, cublasLtMatrixLayoutDestroy>;
using Pref = LtPtr<cublasLtMatmulPreference_t, cublasLtMatmulPreferenceDestroy>;

inline Layout layout(cudaDataType_t type, long long rows, long long cols) {
  cublasLtMatrixLayout_t l = nullptr;
  check_lt(cublasLtMatrixLayoutCreate(&l, type, uint64_t(rows), uint64_t(cols), rows), "cublasLtMatrixLayoutCreate");
  return Layout(l, cublasLtMatrixLayoutDestroy);
}

// The shared state of the GEMM sweep: handle, stream, workspace (32 MiB, NVIDIA's advice for
// Hopper) and the L2 flusher.
struct GemmContext {
  cublasLtHandle_t handle;
  cudaStream_t stream;
  const DeviceBuffer& workspace;
  L2Flusher& flush;
  double budget_s;
};

// Median seconds of one C[m×n] = A[m×k]·B[k×n] in `spec`'s types. Of cuBLASLt's top heuristic
// candidates (up to 4) the fastest over a short trial is timed, as framework autotuners do.
inline double time_gemm(const GemmContext& ctx, const DtypeSpec& spec, long long m, long long n, long long k) {
  const DeviceBuffer a(size_t(m * k) * spec.ab_bytes), b(size_t(k * n) * spec.ab_bytes),
      d(size_t(m * n) * spec.cd_bytes);
  fill(a, spec.ab, 1, ctx.stream);
  fill(b, spec.ab, 2, ctx.stream);
  cublasLtMatmulDesc_t raw = nullptr;
  check_lt(cublasLtMatmulDescCreate(&raw, spec.compute, CUDA_R_32F), "cublasLtMatmulDescCreate");
  const OpDesc op(raw, cublasLtMatmulDescDestroy);
  const cublasOperation_t ta = CUBLAS_OP_T, tb = CUBLAS_OP_N;
  check_lt(cublasLtMatmulDescSetAttribute(op.get(), CUBLASLT_MATMUL_DESC_TRANSA, &ta, sizeof ta), "TRANSA");
  check_lt(cublasLtMatmulDescSetAttribute(op.get(), CUBLASLT_MATMUL_DESC_TRANSB, &tb, sizeof tb), "TRANSB");
  const Layout la = layout(spec.ab, k, m), lb = layout(spec.ab, k, n), ld = layout(spec.cd, m, n);
  cublasLtMatmulPreference_t raw_pref = nullptr;
  check_lt(cublasLtMatmulPreferenceCreate(&raw_pref), "cublasLtMatmulPreferenceCreate");
  const Pref pref(raw_pref, cublasLtMatmulPreferenceDestroy);
  const uint64_t ws = ctx.workspace.bytes();
  check_lt(cublasLtMatmulPreferenceSetAttribute(pref.get(), CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &ws, sizeof ws),
           "MAX_WORKSPACE_BYTES");
  cublasLtMatmulHeuristicResult_t found[4] = {};
  int count = 0;
  check_lt(cublasLtMatmulAlgoGetHeuristic(ctx.handle, op.get(), la.get(), lb.get(), ld.get(), ld.get(), pref.get(), 4,
                                          found, &count),
           "cublasLtMatmulAlgoGetHeuristic");
  if (count == 0) throw NotSupported{};
  const float alpha = 1, beta = 0;
  auto run = [&](const cublasLtMatmulAlgo_t* algo) {
    return [&, algo] {
      check_lt(cublasLtMatmul(ctx.handle, op.get(), &alpha, a.get(), la.get(), b.get(), lb.get(), &beta, d.get(),
                              ld.get(), d.get(), ld.get(), algo, ctx.workspace.get(), ws, ctx.stream),
               "cublasLtMatmul");
    };
  };
  int best = 0;
  double best_s = 0;
  for (int i = 0; i < count && count > 1; ++i) {
    time_runs(ctx.stream, 1, ctx.flush, run(&found[i].algo));  // first launch loads the kernel
    const double t = time_runs(ctx.stream, 3, ctx.flush, run(&found[i].algo));
    if (i == 0 || t < best_s) best = i, best_s = t;
  }
  return measure(ctx.stream, ctx.budget_s, ctx.flush, run(&found[best].algo));
}

}  // namespace llmcost::gpu
