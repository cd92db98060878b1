// The objective of approach 3 (Hoffmann et al. 2022, App. D.2; docs/scaling-laws.md) and its
// analytic gradient, for LBFGSpp. Private to the fitter.
//
// Parameters x = (a, b, e, α, β) with A = e^a, B = e^b, E = e^e. For row i with logs
// n_i = log N_i, d_i = log D_i, l_i = log L_i:
//   u1 = a − α·n_i,  u2 = b − β·d_i,  u3 = e
//   p_i = LSE(u1, u2, u3) = log(e^u1 + e^u2 + e^u3)     (the predicted log-loss)
//   f(x) = Σ_i w_i · Huber_δ(p_i − l_i)
// with Huber_δ(r) = r²/2 for |r| ≤ δ, δ·(|r| − δ/2) otherwise, and w_i the row's multiplicity
// (1, or its bootstrap count; 0 for padding). With ψ = Huber' = clamp(r, −δ, δ), s = Σ_k e^{u_k}
// and k_i = w_i·ψ_i / s_i:
//   ∂f/∂a = Σ k·e^u1,  ∂f/∂b = Σ k·e^u2,  ∂f/∂e = Σ k·e^u3,
//   ∂f/∂α = −Σ k·e^u1·n,  ∂f/∂β = −Σ k·e^u2·d.
// Stability: when every u of every row lies in [−600, 600] (checked per call from the ranges of
// n and d) the sum e^u1 + e^u2 + e^u3 can neither overflow nor underflow to 0, and the fast
// vectorised path sums it directly; otherwise a scalar path factors out max(u) first (the
// usual stable LSE). Both compute the same function.
#pragma once

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "laws/fit_simd.hpp"

namespace llmcost::fit_detail {
namespace {  // internal linkage: see fit_simd.hpp

// Rows are padded to a multiple of this with zero-weight rows, which contribute nothing.
inline constexpr size_t kRowBlock = 8;

// Rows in log space, structure of arrays. Call pad() after the last add(): the kernels read
// whole blocks.
struct LogRows {
  std::vector<double> n, d, l, w;  // log N, log D, log L, multiplicity
  double n_min = INFINITY, n_max = -INFINITY, d_min = INFINITY, d_max = -INFINITY;

  void add(double log_n, double log_d, double log_l, double weight) {
    n.push_back(log_n), d.push_back(log_d), l.push_back(log_l), w.push_back(weight);
    n_min = std::min(n_min, log_n), n_max = std::max(n_max, log_n);
    d_min = std::min(d_min, log_d), d_max = std::max(d_max, log_d);
  }
  void pad() {
    while (n.size() % kRowBlock != 0) n.push_back(0), d.push_back(0), l.push_back(0), w.push_back(0);
  }
  size_t padded_size() const { return n.size(); }
};

// f, the five sums of its gradient (∂f/∂e = E·gk) and the rounding noise of f: each residual
// r = p − l carries an absolute error of a few ulp of the terms it is computed from (|l| + 1:
// p ≈ l, and log's error is absolute near 1; plus |max u| on the shifted path), so
// f = Σ w·Huber(r) is uncertain by about ε·Σ w·|ψ|·(|l| + 1), plus ε·f from the sum itself.
// Near an optimum with small residuals that is far more than ε·|f|; WolfeLineSearch uses it.
struct Sums {
  double f, ga, gb, gk, galpha, gbeta, noise;
};

// The fast path over all rows, one vector of rows at a time; requires every u in [−600, 600].
template <class V>
LLMCOST_FIT_INLINE Sums huber_lse_direct(const LogRows& rows, const double* x, double delta) {
  constexpr size_t kLanes = sizeof(V) / sizeof(double);
  static_assert(kRowBlock % kLanes == 0);
  const V a = splat<V>(x[0]), b = splat<V>(x[1]), e_big = splat<V>(std::exp(x[2]));
  const V alpha = splat<V>(x[3]), beta = splat<V>(x[4]), dv = splat<V>(delta);
  V f = splat<V>(0), ga = f, gb = f, gk = f, galpha = f, gbeta = f, noise = f;
  const size_t size = rows.padded_size();
  for (size_t i = 0; i < size; i += kLanes) {
    V n, d, l, w;
    std::memcpy(&n, rows.n.data() + i, sizeof n);
    std::memcpy(&d, rows.d.data() + i, sizeof d);
    std::memcpy(&l, rows.l.data() + i, sizeof l);
    std::memcpy(&w, rows.w.data() + i, sizeof w);
    const V t1 = exp_v<V>(a - alpha * n), t2 = exp_v<V>(b - beta * d);
    const V s = t1 + t2 + e_big;
    const V r = log_v<V>(s) - l;
    const V ar = vabs<V>(r);
    const V huber = select<V>(ar <= dv, 0.5 * r * r, dv * (ar - 0.5 * dv));
    const V psi = vmin<V>(vmax<V>(r, -dv), dv);
    const V k = w * psi / s;
    f += w * huber;
    noise += w * vabs<V>(psi) * (vabs<V>(l) + 1.0);
    ga += k * t1;
    gb += k * t2;
    gk += k;
    galpha -= k * t1 * n;
    gbeta -= k * t2 * d;
  }
  // Lanes summed in a fixed order: the result depends only on the instruction set.
  auto sum = [](const V& v) {
    double total = 0;
    for (size_t j = 0; j < kLanes; ++j) total += v[j];
    return total;
  };
  constexpr double kEps = 0x1.0p-52;
  return {sum(f), sum(ga), sum(gb), sum(gk) * std::exp(x[2]), sum(galpha), sum(gbeta), kEps * (sum(noise) + sum(f))};
}

// The fast path, compiled for the baseline instruction set and (on x86-64) for AVX2 and AVX-512.
inline Sums huber_lse_generic(const LogRows& rows, const double* x, double delta) {
  return huber_lse_direct<V8d>(rows, x, delta);
}
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define LLMCOST_FIT_X86_DISPATCH 1
__attribute__((target("avx2,fma"))) inline Sums huber_lse_avx2(const LogRows& rows, const double* x, double delta) {
  return huber_lse_direct<V8d>(rows, x, delta);
}
__attribute__((target("avx512f,avx512dq,avx2,fma"))) inline Sums huber_lse_avx512(const LogRows& rows, const double* x,
                                                                                  double delta) {
  return huber_lse_direct<V8d>(rows, x, delta);
}
#endif

// The fast path for the best instruction set this CPU has (chosen once per process, so results
// are identical across threads and runs on one machine).
inline Sums huber_lse_fast(const LogRows& rows, const double* x, double delta) {
  using Fn = Sums (*)(const LogRows&, const double*, double);
  static const Fn fn = [] {
#ifdef LLMCOST_FIT_X86_DISPATCH
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) return &huber_lse_avx512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return &huber_lse_avx2;
#endif
    return &huber_lse_generic;
  }();
  return fn(rows, x, delta);
}

// The stable path for any x: LSE with max(u) factored out, one row at a time.
inline Sums huber_lse_shifted(const LogRows& rows, const double* x, double delta) {
  Sums sums{0, 0, 0, 0, 0, 0, 0};
  for (size_t i = 0; i < rows.padded_size(); ++i) {
    const double u1 = x[0] - x[3] * rows.n[i], u2 = x[1] - x[4] * rows.d[i], u3 = x[2];
    const double m = std::max({u1, u2, u3});
    const double t1 = std::exp(u1 - m), t2 = std::exp(u2 - m), t3 = std::exp(u3 - m);
    const double s = t1 + t2 + t3;
    const double r = m + std::log(s) - rows.l[i];
    const double ar = std::abs(r);
    const double psi = std::clamp(r, -delta, delta);
    const double k = rows.w[i] * psi / s;
    sums.f += rows.w[i] * (ar <= delta ? 0.5 * r * r : delta * (ar - 0.5 * delta));
    sums.noise += rows.w[i] * std::abs(psi) * (std::abs(rows.l[i]) + std::abs(m) + 1);
    sums.ga += k * t1;
    sums.gb += k * t2;
    sums.gk += k * t3;
    sums.galpha -= k * t1 * rows.n[i];
    sums.gbeta -= k * t2 * rows.d[i];
  }
  sums.noise = 0x1.0p-52 * (sums.noise + sums.f);
  return sums;
}

// Whether every u1, u2, u3 over the rows lies in [−limit, limit] (u1 is linear in n, so its
// extremes are at n_min and n_max; likewise u2).
inline bool exponents_within(const LogRows& rows, const double* x, double limit) {
  const double u[] = {x[0] - x[3] * rows.n_min, x[0] - x[3] * rows.n_max, x[1] - x[4] * rows.d_min,
                      x[1] - x[4] * rows.d_max, x[2]};
  return std::all_of(std::begin(u), std::end(u), [&](double v) { return std::abs(v) <= limit; });
}

class HuberLse {
 public:
  HuberLse(const LogRows& rows, double delta) : rows_(rows), delta_(delta) {}

  // f(x), with ∇f written to `grad` (LBFGSpp's functor contract) and f's rounding noise to `noise`.
  double operator()(const Eigen::VectorXd& x, Eigen::VectorXd& grad, double& noise) const {
    const double* p = x.data();
    const Sums s =
        exponents_within(rows_, p, 600) ? huber_lse_fast(rows_, p, delta_) : huber_lse_shifted(rows_, p, delta_);
    grad.resize(5);
    grad << s.ga, s.gb, s.gk, s.galpha, s.gbeta;
    noise = s.noise;
    return s.f;
  }
  double operator()(const Eigen::VectorXd& x, Eigen::VectorXd& grad) const {
    double noise = 0;
    return (*this)(x, grad, noise);
  }
  double delta() const { return delta_; }

 private:
  const LogRows& rows_;
  double delta_;
};

}  // namespace
}  // namespace llmcost::fit_detail
