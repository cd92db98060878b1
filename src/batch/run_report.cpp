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

// "offer=aws-p5, mfu=0.4": the best row's axis values as written.
std::string best_point(const ScenarioResult& r) {
  std::string at;
  for (size_t a = 0; a < r.sweep->axes.size(); ++a) {
    at += fmt::format("{}{}={}", a ? ", " : "", r.sweep->axes[a], axis_text(*r.scenario, *r.sweep, 0, a));
  }
  return at;
}

// "         1,000 points, 12 kept where ... (0.05 s)", and the best row when the sweep has one.
std::string sweep_lines(const ScenarioResult& r) {
  const SweepResult& s = *r.sweep;
  std::string lines = render_text(
      Text::of("         {} points, {} kept{} ({} s)", Quantity{s.points, Unit::count}, Quantity{s.passed, Unit::count},
               s.where.empty() ? "" : " where " + printable(s.where), fmt::format("{:.2f}", r.seconds)));
  if (!s.best.empty() && s.row_count() > 0) {
    lines +=
        fmt::format("\n         best {} = {:.6g} at {}", printable(s.best), s.at(0, s.best), printable(best_point(r)));
  }
  return lines + "\n";
}

// File names, scenario names and messages are shown printable: a name cannot send escapes.
std::string status_lines(const ScenarioResult& r) {
  static constexpr const char* kTag[] = {"PASS ", "FAIL ", "ERROR"};
  std::string out = r.status == ScenarioResult::Status::error
                        ? fmt::format("ERROR  {}\n", printable(r.error))
                        : fmt::format("{}  {} ({} check{})\n", kTag[int(r.status)], printable(r.file), r.checks.size(),
                                      r.checks.size() == 1 ? "" : "s");
  if (r.sweep) out += sweep_lines(r);
  for (const auto& c : r.checks) {
    if (!c.pass)
      out += fmt::format("         {} [{}]\n", printable(describe_failure(c)), printable(c.expectation.origin.str()));
  }
  return out;
}

// A count as a JSON integer (points and kept rows are whole).
nlohmann::ordered_json count(double n) {
  return static_cast<long long>(n);
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
    j["points"] = count(r.sweep->points);
    j["kept"] = count(r.sweep->passed);
    if (!r.sweep->best.empty() && r.sweep->row_count() > 0) {
      // Axis values as written (strings), then the best key's value, a number (also when the
      // best key is an axis).
      nlohmann::ordered_json best;
      for (size_t a = 0; a < r.sweep->axes.size(); ++a) best[r.sweep->axes[a]] = axis_text(*r.scenario, *r.sweep, 0, a);
      const double v = r.sweep->at(0, r.sweep->best);
      best[r.sweep->best] = std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
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
  // A file name need not be UTF-8: such bytes become U+FFFD rather than failing the dump.
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string joined_rows_csv(const std::vector<ScenarioResult>& results, const std::string& flag) {
  std::string out, header;
  const std::string* header_file = nullptr;
  for (const auto& r : results) {
    if (!r.sweep) continue;
    const RowFormat format(*r.scenario, *r.sweep, true);
    if (!header_file) {
      header = format.header(), header_file = &r.file;
      out = header;
    } else if (format.header() != header) {
      throw InputError(columns_differ(flag, *header_file, r.file));
    }
    format.append(out, r.sweep->rows.data(), r.sweep->row_count());
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
