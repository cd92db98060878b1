#include "llmcost/run_report.hpp"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "llmcost/error.hpp"
#include "llmcost/format.hpp"
#include "llmcost/junit.hpp"
#include "llmcost/report.hpp"
#include "llmcost/sweep.hpp"

namespace llmcost {
namespace {

// "         1,000 points, 12 kept where ... (0.05 s)", and the best row when the sweep has one.
std::string sweep_lines(const ScenarioResult& r) {
  const SweepResult& s = *r.sweep;
  std::string lines = render_text(Text::of("         {} points, {} kept{} ({} s)", Quantity{s.points, Unit::count},
                                           Quantity{s.passed, Unit::count}, s.where.empty() ? "" : " where " + s.where,
                                           fmt::format("{:.2f}", r.seconds)));
  if (!s.best.empty() && s.row_count() > 0) {
    std::string at;
    for (size_t a = 0; a < s.axes.size(); ++a) {
      at += fmt::format("{}{}={}", a ? ", " : "", s.axes[a], axis_text(*r.scenario, s, 0, a));
    }
    lines += fmt::format("\n         best {} = {:.6g} at {}", s.best, s.at(0, s.best), at);
  }
  return lines + "\n";
}

std::string status_lines(const ScenarioResult& r) {
  static constexpr const char* kTag[] = {"PASS ", "FAIL ", "ERROR"};
  std::string out = r.status == ScenarioResult::Status::error
                        ? fmt::format("ERROR  {}\n", r.error)
                        : fmt::format("{}  {} ({} check{})\n", kTag[int(r.status)], r.file, r.checks.size(),
                                      r.checks.size() == 1 ? "" : "s");
  if (r.sweep) out += sweep_lines(r);
  for (const auto& c : r.checks) {
    if (!c.pass) out += fmt::format("         {} [{}]\n", describe_failure(c), c.expectation.origin.str());
  }
  return out;
}

nlohmann::ordered_json json_of(const ScenarioResult& r) {
  static constexpr const char* kStatus[] = {"pass", "fail", "error"};
  nlohmann::ordered_json j{{"file", r.file}, {"name", r.name}, {"status", kStatus[int(r.status)]}};
  if (!r.error.empty()) j["error"] = r.error;
  nlohmann::ordered_json checks = nlohmann::ordered_json::array();
  for (const auto& c : r.checks) {
    nlohmann::ordered_json cj{{"key", c.expectation.key}, {"expected", c.expectation.describe()}, {"pass", c.pass}};
    if (std::isfinite(c.actual)) cj["actual"] = c.actual;
    if (!c.point.empty()) cj["point"] = c.point;
    checks.push_back(cj);
  }
  j["checks"] = checks;
  if (r.sweep) {
    j["points"] = r.sweep->points;
    j["kept"] = r.sweep->passed;
    if (!r.sweep->best.empty() && r.sweep->row_count() > 0) {
      nlohmann::ordered_json best;
      for (size_t a = 0; a < r.sweep->axes.size(); ++a) best[r.sweep->axes[a]] = axis_text(*r.scenario, *r.sweep, 0, a);
      best[r.sweep->best] = r.sweep->at(0, r.sweep->best);
      j["best"] = best;
    }
  }
  return j;
}

}  // namespace

RunTally tally_results(const std::vector<ScenarioResult>& results) {
  RunTally t;
  for (const auto& r : results) {
    t.sweeps += r.sweep != nullptr;
    t.passed += r.status == ScenarioResult::Status::pass;
    t.failed += r.status == ScenarioResult::Status::fail;
    t.malformed += r.status == ScenarioResult::Status::error;
    t.environment += r.status == ScenarioResult::Status::error && r.environment;
  }
  return t;
}

std::string run_status_text(const std::vector<ScenarioResult>& results) {
  std::string out;
  for (const auto& r : results) out += status_lines(r);
  const RunTally t = tally_results(results);
  return out + fmt::format("{} scenario{}: {} passed, {} failed, {} malformed\n", results.size(),
                           results.size() == 1 ? "" : "s", t.passed, t.failed, t.malformed);
}

std::string run_json(const std::vector<ScenarioResult>& results) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& r : results) list.push_back(json_of(r));
  const RunTally t = tally_results(results);
  const nlohmann::ordered_json doc{
      {"scenarios", list}, {"passed", t.passed}, {"failed", t.failed}, {"malformed", t.malformed}};
  return doc.dump(2) + "\n";
}

// One header, so every sweep must have the same columns (a second header in the middle would break
// every CSV reader).
std::string joined_rows_csv(const std::vector<ScenarioResult>& results, const std::string& flag) {
  std::string out, header;
  const std::string* header_file = nullptr;
  for (const auto& r : results) {
    if (!r.sweep) continue;
    std::string csv = sweep_rows_csv(*r.scenario, *r.sweep);
    const size_t eol = csv.find('\n') + 1;
    if (!header_file) {
      header = csv.substr(0, eol), header_file = &r.file;
      out = std::move(csv);
    } else if (csv.compare(0, eol, header) == 0) {
      out.append(csv, eol, std::string::npos);
    } else {
      throw InputError(
          fmt::format("{} needs sweeps with the same columns: '{}' and '{}' differ; run them separately "
                      "or write JSON lines (--rows FILE.jsonl)",
                      flag, *header_file, r.file));
    }
  }
  return out;
}

std::string joined_rows_jsonl(const std::vector<ScenarioResult>& results) {
  std::string out;
  for (const auto& r : results) {
    if (r.sweep) out += sweep_rows_jsonl(*r.scenario, *r.sweep);
  }
  return out;
}

}  // namespace llmcost
