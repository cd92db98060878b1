#include "llmcost/junit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "llmcost/format.hpp"
#include "llmcost/text.hpp"

namespace llmcost {
namespace {

// `s` as XML text: what XML 1.0 cannot hold, even escaped, replaced by U+FFFD (bytes that are not
// UTF-8, as a file name may have; the non-characters U+FFFE and U+FFFF), then xml_escape (markup
// escaped, control characters dropped). The report stays well-formed for any name.
std::string xml_text(std::string_view s) {
  static constexpr std::string_view kReplacement = "\xef\xbf\xbd";
  std::string valid;
  valid.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const Utf8Char c = utf8_at(s, i);
    if (c.length == 0 || c.code == 0xFFFE || c.code == 0xFFFF) {
      valid += kReplacement;
      i += std::max<size_t>(c.length, 1);
    } else {
      valid.append(s, i, c.length);
      i += c.length;
    }
  }
  return xml_escape(valid);
}

}  // namespace

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
    out += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{:.6f}\"", xml_text(classname),
                       xml_text(r.name.empty() ? p.filename().string() : p.filename().string() + ": " + r.name),
                       r.seconds);
    if (r.status == ScenarioResult::Status::pass) {
      out += "/>\n";
      continue;
    }
    out += ">\n";
    if (r.status == ScenarioResult::Status::error) {
      out += fmt::format("      <error message=\"{}\" type=\"malformed\"/>\n", xml_text(r.error));
    } else {
      std::string lines;
      for (const auto& c : r.checks) {
        if (!c.pass) lines += describe_failure(c) + "\n";
      }
      const std::string first = lines.substr(0, lines.find('\n'));
      out += fmt::format("      <failure message=\"{}\" type=\"expectation\">{}</failure>\n", xml_text(first),
                         xml_text(lines));
    }
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace llmcost
