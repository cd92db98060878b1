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

[[noreturn]] void unknown_key(const Expectation& e, const std::vector<std::string>& keys) {
  throw InputError(
      fmt::format("{}: field 'expect.{}': {}", e.origin.str(), e.key, unknown_id_message("report key", e.key, keys)));
}

void check_report(ScenarioResult& result, const Scenario& s, const Report& report) {
  for (const Expectation& e : s.expect) {
    const Row* row = report.find(e.checked_key());
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

// A sweep's expectations, checked on its rows as they come (every kept row without `best`, the
// best one with it), before they go on to `out`: no row needs to stay in memory to be checked.
class CheckedRows : public RowSink {
 public:
  CheckedRows(const Scenario& s, RowSink* out) : scenario_(s), out_(out) {}

  void begin(const Scenario& s, const SweepResult& shape) override {
    for (const Expectation& e : s.expect) {
      const auto it = std::find(shape.keys.begin(), shape.keys.end(), e.checked_key());
      if (it == shape.keys.end()) unknown_key(e, shape.keys);
      columns_.push_back(shape.axes.size() + static_cast<size_t>(it - shape.keys.begin()));
      checks_.push_back(CheckResult{e, std::nan(""), true, {}});
    }
    shape_ = &shape;
    every_row_ = shape.best.empty();
    if (out_) out_->begin(s, shape), began_ = true;
  }

  void rows(const double* rows, size_t count) override {
    for (size_t i = 0; i < count && (every_row_ || seen_ == 0); ++i, ++seen_) check(rows + i * shape_->width());
    if (out_) out_->rows(rows, count);
  }

  void end(bool complete) override {
    if (out_ && began_) out_->end(complete);
  }

  // The checks into `result`; a sweep that kept no row fails every expectation.
  void finish(ScenarioResult& result) {
    for (CheckResult& c : checks_) {
      if (seen_ == 0) c.pass = false, c.point = "no point satisfies the constraint";
      if (!c.pass) result.status = ScenarioResult::Status::fail;
      result.checks.push_back(c);
    }
  }

 private:
  void check(const double* row) {
    for (size_t k = 0; k < checks_.size(); ++k) {
      CheckResult& c = checks_[k];
      if (!c.pass) continue;  // the first failing row, in order, is the one reported
      c.actual = row[columns_[k]];
      if (!c.expectation.holds(c.actual)) c.pass = false, c.point = label(row);
    }
  }

  // "mfu=0.3, chips=512": the row's axis values as written.
  std::string label(const double* row) const {
    std::string out;
    for (size_t a = 0, seen = 0; a < scenario_.inputs.size(); ++a) {
      const ScenarioInput& in = scenario_.inputs[a];
      if (in.values.size() < 2) continue;
      out += fmt::format("{}{}={}", seen ? ", " : "", in.name, in.values[static_cast<size_t>(row[seen])]);
      ++seen;
    }
    return out;
  }

  const Scenario& scenario_;
  RowSink* out_;
  const SweepResult* shape_ = nullptr;
  std::vector<size_t> columns_;  // of each expectation's key
  std::vector<CheckResult> checks_;
  bool every_row_ = true, began_ = false;
  size_t seen_ = 0;
};

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
      // Without a best key, expectations hold for every kept row: they are checked as the rows
      // come. With one, on the best row the result holds.
      const bool best = !options.best.empty() || !s->best.empty();
      const bool stream = options.sink != nullptr || (!best && !s->expect.empty());
      CheckedRows checked(*s, options.sink);
      SweepOptions opt = options;
      if (stream) opt.sink = &checked;
      auto sweep = std::make_shared<SweepResult>(run_sweep(*s, catalog, opt));
      if (!stream) {
        checked.begin(*s, *sweep);
        checked.rows(sweep->rows.data(), std::min<size_t>(1, sweep->row_count()));
      }
      checked.finish(result);
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

namespace {

namespace fs = std::filesystem;

// The *.toml files under `dir`, sorted. Links to files are followed, links to folders are not
// (no loop can be walked); a *.toml entry that cannot be resolved (a symlink loop, a dangling
// link) is an error naming it.
std::vector<std::string> scenarios_under(const std::string& dir) {
  std::vector<std::string> found;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->path().extension() != ".toml") continue;
    std::error_code type_ec;
    const bool regular = it->is_regular_file(type_ec);
    if (type_ec) {
      throw EnvError(fmt::format("cannot read scenario file '{}': {}", it->path().string(), type_ec.message()));
    }
    if (regular) found.push_back(it->path().string());
  }
  if (ec) throw EnvError(fmt::format("cannot read scenario folder '{}': {}", dir, ec.message()));
  // A mistyped folder must not pass as "0 scenarios" in CI.
  if (found.empty()) throw InputError(fmt::format("no scenario files (*.toml) under '{}'", dir));
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace

std::vector<std::string> collect_scenario_files(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const auto& p : paths) {
    std::error_code ec;
    const fs::file_status st = fs::status(p, ec);
    if (fs::is_directory(st)) {
      const std::vector<std::string> found = scenarios_under(p);
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(st)) {
      files.push_back(p);
    } else if (ec && ec != std::errc::no_such_file_or_directory) {
      throw EnvError(fmt::format("cannot read scenario file or folder '{}': {}", p, ec.message()));  // a link loop
    } else {
      throw EnvError(fmt::format("no such scenario file or folder: '{}'", p));
    }
  }
  return files;
}

}  // namespace llmcost
