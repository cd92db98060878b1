// CSV as llmcost writes it (RFC 4180): reports, listings and sweep rows all quote through here.
#pragma once

#include <string>
#include <string_view>

namespace llmcost {

// One CSV field, quoted when it holds a comma, a quote or a line break; quotes doubled.
std::string csv_field(std::string_view text);

}  // namespace llmcost
