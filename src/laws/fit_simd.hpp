// exp and log on 4 or 8 doubles at a time (GCC/Clang vector extensions), for the fitter's
// objective, which spends nearly all of its time in 2 exp + 1 log per data row. Private to the
// fitter. Accuracy about 1 ulp on the ranges used (test_fit.cpp checks them against std::exp and
// std::log). Where the CPU lacks a vector width the compiler splits operations (SSE2 pairs on
// plain x86-64, scalars elsewhere), so the code is portable; fit_objective.hpp compiles it for
// AVX2 and AVX-512 as well and picks at run time.
#pragma once

#include <cstdint>

// Every function returning a vector is always inlined (and takes vectors by reference), so no
// vector crosses a call boundary and GCC's -Wpsabi warning ("AVX vector return without AVX
// enabled changes the ABI") does not apply. GCC reports it at the end of the translation unit,
// so it stays off from here on in the files that include this header (fit.cpp, test_fit.cpp).
#if defined(__GNUC__)  // GCC and Clang
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

// The fitter's compute path lives in headers with internal linkage (the unnamed namespace) so
// that each file including them gets its own copy built with its own flags: fit.cpp is compiled
// optimised even in Debug builds, and must not end up calling a test file's unoptimised copy of
// an inline function through the linker's merging of identical inline definitions.
namespace llmcost::fit_detail {
namespace {

typedef double V4d __attribute__((vector_size(32)));
typedef double V8d __attribute__((vector_size(64)));

#define LLMCOST_FIT_INLINE inline __attribute__((always_inline))

// The signed 64-bit lane mask type of a double vector (what its comparisons yield).
template <class V>
using MaskOf = decltype(V{} < V{});

template <class V>
LLMCOST_FIT_INLINE V splat(double x) {
  return V{} + x;
}

// Lanes of `a` where `mask` is all-ones, else of `b`.
template <class V>
LLMCOST_FIT_INLINE V select(const MaskOf<V>& mask, const V& a, const V& b) {
  using I = MaskOf<V>;
  return (V)((mask & (I)a) | (~mask & (I)b));
}

template <class V>
LLMCOST_FIT_INLINE V vmin(const V& a, const V& b) {
  return select<V>(a < b, a, b);
}
template <class V>
LLMCOST_FIT_INLINE V vmax(const V& a, const V& b) {
  return select<V>(a > b, a, b);
}
template <class V>
LLMCOST_FIT_INLINE V vabs(const V& a) {
  return (V)((MaskOf<V>)a & 0x7fffffffffffffffLL);
}

// e^x for x in [−708, 709] (inputs are clamped there). Cody–Waite reduction x = k·ln2 + r with
// |r| ≤ ln2/2 (ln2 split as in fdlibm e_exp.c so k·ln2_hi is exact), e^r by its Taylor series
// to r¹³/13! (remainder < 5e-18 relative), then scaling by 2^k built in the exponent bits.
template <class V>
LLMCOST_FIT_INLINE V exp_v(const V& x_in) {
  using I = MaskOf<V>;
  constexpr double kLog2e = 1.44269504088896338700e+00;
  constexpr double kLn2Hi = 6.93147180369123816490e-01, kLn2Lo = 1.90821492927058770002e-10;
  constexpr double kShifter = 6755399441055744.0;  // 1.5·2^52: adding it rounds to an integer
  const V x = vmin<V>(vmax<V>(x_in, splat<V>(-708.0)), splat<V>(709.0));
  const V shifted = x * kLog2e + kShifter;
  const V k = shifted - kShifter;
  const V r = (x - k * kLn2Hi) - k * kLn2Lo;
  V p = splat<V>(1.0 / 6227020800.0);  // 1/13!
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  // The low bits of `shifted` hold k (two's complement); 2^k has exponent field k + 1023.
  const I ki = (I)shifted - (I)splat<V>(kShifter);
  return p * (V)((ki + 1023) << 52);
}

// log x for finite x > 0 (normal numbers): fdlibm e_log.c. x = 2^k·m with m in [√2/2, √2),
// f = m − 1, s = f/(2 + f), log(1 + f) = f − f²/2 + s·(f²/2 + R(s²)) with fdlibm's minimax R.
template <class V>
LLMCOST_FIT_INLINE V log_v(const V& x) {
  using I = MaskOf<V>;
  constexpr double kLn2Hi = 6.93147180369123816490e-01, kLn2Lo = 1.90821492927058770002e-10;
  constexpr double kLg1 = 6.666666666666735130e-01, kLg2 = 3.999999999940941908e-01, kLg3 = 2.857142874366239149e-01,
                   kLg4 = 2.222219843214978396e-01, kLg5 = 1.818357216161805012e-01, kLg6 = 1.531383769920937332e-01,
                   kLg7 = 1.479819860511658591e-01;
  const I bits = (I)x;
  V m = (V)((bits & 0x000fffffffffffffLL) | 0x3ff0000000000000LL);  // mantissa in [1, 2)
  const I big = m > 1.4142135623730951;
  m = select<V>(big, m * 0.5, m);
  // k = biased exponent − 1023 (+1 where m was halved; big is −1 there), converted to double
  // through the 2^52 trick (AVX2 has no int64 → double conversion).
  const I biased = (bits >> 52) - big;
  const V kd = (V)(biased | 0x4330000000000000LL) - (4503599627370496.0 + 1023.0);
  const V f = m - 1.0;
  const V s = f / (2.0 + f);
  const V z = s * s;
  const V w = z * z;
  const V t1 = w * (kLg2 + w * (kLg4 + w * kLg6));
  const V t2 = z * (kLg1 + w * (kLg3 + w * (kLg5 + w * kLg7)));
  const V hfsq = 0.5 * f * f;
  return kd * kLn2Hi - ((hfsq - (s * (hfsq + (t1 + t2)) + kd * kLn2Lo)) - f);
}

}  // namespace
}  // namespace llmcost::fit_detail
