// JUnit XML for CI systems: one <testcase> per scenario, failures with expected and actual values,
// malformed scenarios as <error>. Follows the Ant/Jenkins JUnit schema (testsuites/testsuite/testcase).
#pragma once

#include <string>
#include <vector>

#include "llmcost/run.hpp"

namespace llmcost {

std::string junit_xml(const std::vector<ScenarioResult>& results);

// One line per failed check: "cost_usd: expected 1.5e+06 ± 2%, got 1.39807e+06 (-6.80%)".
std::string describe_failure(const CheckResult& check);

}  // namespace llmcost
