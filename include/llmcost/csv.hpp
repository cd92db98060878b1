// CSV as llmcost writes it (RFC 4180): reports, listings and sweep rows all quote through here.
#pragma once

#include <string>
#include <string_view>

namespace llmcost {

// One CSV text field, quoted when it holds a comma, a quote or a line break; quotes doubled. Text
// that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return,
// and not a number) gets a leading ' (OWASP's advice); numbers are written as they are.
std::string csv_field(std::string_view text);

}  // namespace llmcost
