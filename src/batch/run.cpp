#include "llmcost/run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>

#include "llmcost/error.hpp"
#include "llmcost/text.hpp"

namespace llmcost {
namespace {

std::string row_label(const Scenario& s, const SweepResult& r, size_t row) {
  std::string out;
  for (size_t a = 0; a < r.axes.size(); ++a) {
    out += fmt::format("{}{}={}", a ? ", " : "", r.axes[a], axis_text(s, r, row, a));
  }
  return out;
}

[[noreturn]] void unknown_key(const Expectation& e, const std::vector<std::string>& keys) {
  throw InputError(
      fmt::format("{}: field 'expect.{}': {}", e.origin.str(), e.key, unknown_id_message("report key", e.key, keys)));
}

void check_report(ScenarioResult& result, const Scenario& s, const Report& report) {
  for (const Expectation& e : s.expect) {
    const Row* row = report.find(e.key);
    if (!row) {
      std::vector<std::string> keys;
      for (const auto& rr : report.rows) keys.push_back(rr.key);
      unknown_key(e, keys);
    }
    const bool pass = e.holds(row->value);
    result.checks.push_back(CheckResult{e, row->value, pass, {}});
    if (!pass) result.status = ScenarioResult::Status::fail;
  }
}

void check_sweep(ScenarioResult& result, const Scenario& s, const SweepResult& r) {
  const size_t rows = r.best.empty() ? r.row_count() : std::min<size_t>(1, r.row_count());
  for (const Expectation& e : s.expect) {
    if (std::find(r.keys.begin(), r.keys.end(), e.key) == r.keys.end()) unknown_key(e, r.keys);
    CheckResult check{e, std::nan(""), rows > 0, {}};
    for (size_t i = 0; i < rows; ++i) {
      const double v = r.at(i, e.key);
      if (!e.holds(v)) {
        check = CheckResult{e, v, false, row_label(s, r, i)};
        break;
      }
      check.actual = v;
    }
    if (rows == 0) check.point = "no point satisfies the constraint";
    result.checks.push_back(check);
    if (!check.pass) result.status = ScenarioResult::Status::fail;
  }
}

}  // namespace

ScenarioResult run_scenario_file(const std::string& path, const Catalog& catalog, const SweepOptions& options) {
  ScenarioResult result;
  result.file = path;
  const auto t0 = std::chrono::steady_clock::now();
  try {
    auto s = std::make_shared<Scenario>(load_scenario_file(path));
    result.name = s->name;
    result.scenario = s;
    if (s->points() > 1) {
      SweepOptions opt = options;
      // Expectations without `best` hold for every kept row: keep them to check.
      if (!s->expect.empty() && opt.best.empty() && s->best.empty()) opt.keep_rows = true;
      auto sweep = std::make_shared<SweepResult>(run_sweep(*s, catalog, opt));
      check_sweep(result, *s, *sweep);
      result.sweep = sweep;
    } else {
      check_report(result, *s, evaluate_scenario(*s, catalog));
    }
  } catch (const std::runtime_error& e) {  // InputError or EnvError: this scenario's, the others still run
    // Errors found past parsing (an estimator's "give either --chips or --days") name the file too.
    const std::string what = e.what();
    result.status = ScenarioResult::Status::error;
    result.environment = dynamic_cast<const EnvError*>(&e) != nullptr;
    result.error = what.rfind(path + ":", 0) == 0 ? what : fmt::format("{}: {}", path, what);
    result.checks.clear();
    result.sweep.reset();
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

std::vector<std::string> collect_scenario_files(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        if (it->is_regular_file() && it->path().extension() == ".toml") found.push_back(it->path().string());
      }
      if (ec) throw EnvError(fmt::format("cannot read scenario folder '{}': {}", p, ec.message()));
      // A mistyped folder must not pass as "0 scenarios" in CI.
      if (found.empty()) throw InputError(fmt::format("no scenario files (*.toml) under '{}'", p));
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(p, ec)) {
      files.push_back(p);
    } else {
      throw EnvError(fmt::format("no such scenario file or folder: '{}'", p));
    }
  }
  return files;
}

}  // namespace llmcost
