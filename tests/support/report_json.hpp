// Reading a report from the built binary as JSON (`--format json`), for CLI tests.
#pragma once

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>

#include "cli_runner.hpp"

namespace llmcost::test {

// `llmcost ARGS --format json`, which must succeed.
inline nlohmann::json report(const std::string& args) {
  const Run r = run_llmcost(args + " --format json");
  INFO("llmcost " << args << "\n" << r.err);
  REQUIRE(r.rc == 0);
  return nlohmann::json::parse(r.out);
}

// The value of `key` in the report's JSON `values`.
inline double value(const nlohmann::json& rep, const std::string& key) {
  return rep["values"][key].get<double>();
}

// Every note of the report, one a line.
inline std::string notes(const nlohmann::json& rep) {
  std::string all;
  for (const auto& n : rep["notes"]) all += n.get<std::string>() + "\n";
  return all;
}

// The label of the row `key`, or "".
inline std::string row_label(const nlohmann::json& rep, const std::string& key) {
  for (const auto& row : rep["rows"]) {
    if (row["key"] == key) return row["label"];
  }
  return "";
}

// The value of the assumption (a text context or an input) `key`, or "".
inline std::string context(const nlohmann::json& rep, const std::string& key) {
  for (const auto& a : rep["assumptions"]) {
    if (a["key"] == key && a["value"].is_string()) return a["value"];
  }
  return "";
}

}  // namespace llmcost::test
