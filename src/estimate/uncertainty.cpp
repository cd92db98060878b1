// Uncertainty propagation (llmcost/uncertainty.hpp).
#include "llmcost/uncertainty.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "llmcost/error.hpp"
#include "llmcost/law.hpp"

namespace llmcost {
namespace {

constexpr double kZ95 = 1.6448536269514722;  // Φ⁻¹(0.95): a 90% interval is ±1.645 σ

}  // namespace

double normal_quantile(double u) {
  // Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4), then Newton's method on Φ(x) = erfc(−x/√2)/2.
  const double p = std::min(u, 1 - u);
  const double t = std::sqrt(-2 * std::log(p));
  double x =
      t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
  if (u < 0.5) x = -x;
  for (int i = 0; i < 2; ++i) {
    const double cdf = 0.5 * std::erfc(-x / std::sqrt(2.0));
    const double pdf = std::exp(-0.5 * x * x) / std::sqrt(2 * std::numbers::pi);
    if (!(pdf > 0)) break;
    x -= (cdf - u) / pdf;
  }
  return x;
}

double spread_quantile(const UncertainInput& in, double u) {
  const Spread& s = in.spread;
  if (s.distribution == "lognormal") {
    const double mu = (std::log(s.low) + std::log(s.high)) / 2,
                 sigma = (std::log(s.high) - std::log(s.low)) / (2 * kZ95);
    return std::exp(mu + sigma * normal_quantile(u));
  }
  if (s.distribution == "normal") {
    const double mu = (s.low + s.high) / 2, sigma = (s.high - s.low) / (2 * kZ95);
    return mu + sigma * normal_quantile(u);
  }
  if (s.distribution == "uniform") return s.low + u * (s.high - s.low);
  if (s.distribution == "triangular") {
    const double a = s.low, b = s.high, c = in.point, fc = (c - a) / (b - a);
    return u < fc ? a + std::sqrt(u * (b - a) * (c - a)) : b - std::sqrt((1 - u) * (b - a) * (b - c));
  }
  // empirical: equal weights, taken in ascending order so that the draw rises with u (and with its
  // normal score, which the variance shares correlate with the result). The catalog stores them
  // sorted; a spread built by hand in any order is sorted here.
  const size_t k = std::min(s.values.size() - 1, static_cast<size_t>(u * static_cast<double>(s.values.size())));
  if (std::is_sorted(s.values.begin(), s.values.end())) return s.values[k];
  std::vector<double> sorted = s.values;
  std::sort(sorted.begin(), sorted.end());
  return sorted[k];
}

// Iman & Conover (1982): reorder each input's draws so that their normal scores are uncorrelated
// with the other inputs' (the random pairing of a Latin hypercube leaves spurious correlations of
// order 1/√n); every input keeps exactly its stratified draws.
void decorrelate(Sampled& s) {
  const size_t d = s.scores.size(), n = d ? s.scores[0].size() : 0;
  if (d < 2 || n < d + 2) return;
  Eigen::MatrixXd z(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d));
  for (size_t i = 0; i < d; ++i)
    for (size_t k = 0; k < n; ++k) z(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(i)) = s.scores[i][k];
  const Eigen::MatrixXd centred = z.rowwise() - z.colwise().mean();
  Eigen::MatrixXd cov = centred.transpose() * centred / static_cast<double>(n - 1);
  const Eigen::VectorXd sd = cov.diagonal().cwiseSqrt();
  const Eigen::MatrixXd corr = sd.cwiseInverse().asDiagonal() * cov * sd.cwiseInverse().asDiagonal();
  const Eigen::LLT<Eigen::MatrixXd> llt(corr);
  if (llt.info() != Eigen::Success) return;
  // Scores with the sample correlation removed: z · (L⁻¹)ᵀ.
  const Eigen::MatrixXd target = llt.matrixL().solve(z.transpose()).transpose();
  std::vector<size_t> order(n), by_value(n);
  std::vector<double> values(n), scores(n);
  for (size_t i = 0; i < d; ++i) {
    // The k-th smallest draw goes where the target column has its k-th smallest entry.
    std::iota(order.begin(), order.end(), size_t{0});
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return target(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(i)) <
             target(static_cast<Eigen::Index>(b), static_cast<Eigen::Index>(i));
    });
    std::iota(by_value.begin(), by_value.end(), size_t{0});
    std::sort(by_value.begin(), by_value.end(), [&](size_t a, size_t b) { return s.scores[i][a] < s.scores[i][b]; });
    for (size_t k = 0; k < n; ++k)
      values[order[k]] = s.samples[by_value[k]][i], scores[order[k]] = s.scores[i][by_value[k]];
    for (size_t k = 0; k < n; ++k) s.samples[k][i] = values[k], s.scores[i][k] = scores[k];
  }
}

Sampled latin_hypercube(const std::vector<UncertainInput>& inputs, size_t n, std::uint64_t seed) {
  Sampled out;
  out.samples.assign(n, std::vector<double>(inputs.size()));
  out.scores.assign(inputs.size(), std::vector<double>(n));
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<size_t> strata(n);
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::iota(strata.begin(), strata.end(), size_t{0});
    std::shuffle(strata.begin(), strata.end(), rng);
    for (size_t k = 0; k < n; ++k) {
      double u = (static_cast<double>(strata[k]) + unit(rng)) / static_cast<double>(n);
      u = std::clamp(u, 1e-12, 1 - 1e-12);
      out.samples[k][i] = spread_quantile(inputs[i], u);
      out.scores[i][k] = normal_quantile(u);
    }
  }
  decorrelate(out);
  return out;
}

double percentile(std::vector<double>& values, double p) {
  if (!std::is_sorted(values.begin(), values.end())) std::sort(values.begin(), values.end());
  if (values.empty()) return 0;
  const double pos = p / 100 * static_cast<double>(values.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(values.size() - 1, lo + 1);
  return values[lo] + (pos - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

std::vector<double> variance_shares(const std::vector<std::vector<double>>& scores,
                                    const std::vector<double>& outputs) {
  const size_t n = outputs.size();
  std::vector<double> y(n);
  double my = 0;
  for (size_t k = 0; k < n; ++k) y[k] = std::log(outputs[k]), my += y[k];
  my /= static_cast<double>(n);
  double syy = 0;
  for (double v : y) syy += (v - my) * (v - my);
  std::vector<double> shares(scores.size(), 0.0);
  if (syy <= 0) return shares;
  double total = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    double mx = 0;
    for (double v : scores[i]) mx += v;
    mx /= static_cast<double>(n);
    double sxx = 0, sxy = 0;
    for (size_t k = 0; k < n; ++k)
      sxx += (scores[i][k] - mx) * (scores[i][k] - mx), sxy += (scores[i][k] - mx) * (y[k] - my);
    shares[i] = sxx > 0 ? sxy * sxy / (sxx * syy) : 0;
    total += shares[i];
  }
  if (total > 0)
    for (double& s : shares) s /= total;
  return shares;
}

std::string percentile_tag(double p) {
  const double whole = std::round(p);
  if (std::abs(p - whole) < 1e-9) return fmt::format("p{:02}", static_cast<int>(whole));
  std::string tag = fmt::format("p{:g}", p);  // p2.5 → p2_5: keys stay identifiers
  std::replace(tag.begin(), tag.end(), '.', '_');
  return tag;
}

void for_samples(size_t n, int threads, const std::function<void(size_t, size_t)>& fn) {
  size_t t = threads > 0 ? static_cast<size_t>(threads) : std::max(1U, std::thread::hardware_concurrency());
  t = std::max<size_t>(1, std::min(t, n / 64));  // chunks of at least 64 samples
  if (t == 1) {
    fn(0, n);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(t);
  for (size_t i = 0; i < t; ++i) pool.emplace_back(fn, n * i / t, n * (i + 1) / t);
  for (std::thread& th : pool) th.join();
}

LawSamples sample_law(const Law& law, size_t n, std::uint64_t seed) {
  if (law.form != "hoffmann") throw InputError(fmt::format("law {}: --uncertainty needs a hoffmann-form law", law.id));
  const char* names[kLawParams] = {"e", "a", "b", "alpha", "beta"};
  const double point[kLawParams] = {law.e, law.a, law.b, law.alpha, law.beta};
  double sd[kLawParams];
  for (size_t i = 0; i < kLawParams; ++i) {
    const auto se = law.std_errors.find(names[i]);
    if (se == law.std_errors.end())
      throw InputError(
          fmt::format("law {} has no standard error for {}: --uncertainty needs all five", law.id, names[i]));
    sd[i] = i < 3 ? se->second / point[i] : se->second;  // ln e, ln a, ln b: the delta method
  }
  // Standard normal scores by Latin hypercube, then correlated by the Cholesky factor.
  std::vector<UncertainInput> unit(kLawParams);
  for (size_t i = 0; i < kLawParams; ++i) unit[i] = {names[i], 0, Spread{"normal", -kZ95, kZ95, {}, ""}};
  const Sampled z = latin_hypercube(unit, n, seed);
  const auto ix = [](size_t i) { return static_cast<Eigen::Index>(i); };
  Eigen::MatrixXd corr = Eigen::MatrixXd::Identity(ix(kLawParams), ix(kLawParams));
  if (!law.correlation.empty())
    for (size_t i = 0; i < kLawParams; ++i)
      for (size_t j = 0; j < kLawParams; ++j) corr(ix(i), ix(j)) = law.correlation[i * kLawParams + j];
  const Eigen::MatrixXd l = Eigen::LLT<Eigen::MatrixXd>(corr).matrixL();
  LawSamples out;
  out.laws.reserve(n);
  out.scores.assign(kLawParams, std::vector<double>(n));
  for (size_t k = 0; k < n; ++k) {
    double x[kLawParams];
    for (size_t i = 0; i < kLawParams; ++i) {
      double v = 0;
      for (size_t j = 0; j <= i; ++j) v += l(ix(i), ix(j)) * z.samples[k][j];
      out.scores[i][k] = v;
      x[i] = i < 3 ? point[i] * std::exp(sd[i] * v) : point[i] + sd[i] * v;
    }
    out.laws.push_back(hoffmann_law(x[0], x[1], x[2], x[3], x[4]));
  }
  return out;
}

}  // namespace llmcost
