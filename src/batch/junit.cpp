#include "llmcost/junit.hpp"
#include "llmcost/text.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>

namespace llmcost {
namespace {}  // namespace

std::string describe_failure(const CheckResult& c) {
  const Expectation& e = c.expectation;
  std::string dev;
  if (e.value && *e.value != 0 && std::isfinite(c.actual))
    dev = fmt::format(" ({:+.2f}%)", (c.actual / *e.value - 1) * 100);
  std::string out = fmt::format("{}: expected {}, got {:.6g}{}", e.key, e.describe(), c.actual, dev);
  if (!c.point.empty()) out += fmt::format(" at {}", c.point);
  return out;
}

std::string junit_xml(const std::vector<ScenarioResult>& results) {
  size_t failures = 0, errors = 0;
  double seconds = 0;
  for (const auto& r : results) {
    failures += r.status == ScenarioResult::Status::fail;
    errors += r.status == ScenarioResult::Status::error;
    seconds += r.seconds;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"llmcost\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.6f}\">\n",
                     results.size(), failures, errors, seconds);
  out += fmt::format(
      "  <testsuite name=\"llmcost run\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" "
      "time=\"{:.6f}\">\n",
      results.size(), failures, errors, seconds);
  for (const auto& r : results) {
    const std::filesystem::path p(r.file);
    const std::string classname = p.parent_path().string().empty() ? "scenarios" : p.parent_path().string();
    out += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{:.6f}\"", xml_escape(classname),
                       xml_escape(r.name.empty() ? p.filename().string() : p.filename().string() + ": " + r.name),
                       r.seconds);
    if (r.status == ScenarioResult::Status::pass) {
      out += "/>\n";
      continue;
    }
    out += ">\n";
    if (r.status == ScenarioResult::Status::error) {
      out += fmt::format("      <error message=\"{}\" type=\"malformed\"/>\n", xml_escape(r.error));
    } else {
      std::string lines;
      for (const auto& c : r.checks) {
        if (!c.pass) lines += describe_failure(c) + "\n";
      }
      const std::string first = lines.substr(0, lines.find('\n'));
      out += fmt::format("      <failure message=\"{}\" type=\"expectation\">{}</failure>\n", xml_escape(first),
                         xml_escape(lines));
    }
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace llmcost
