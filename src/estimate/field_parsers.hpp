// Parsers the kinds' field tables share, beyond the quantities of llmcost/units.hpp. Each throws
// InputError "expected ..., got '...'"; the caller prefixes the flag or the scenario place.
#pragma once

#include <string>
#include <string_view>

namespace llmcost {

// "true", "1", "yes" / "false", "0", "no".
bool parse_bool(std::string_view text);

// A catalog id: any non-empty text (the catalog says whether it exists).
std::string parse_id(std::string_view text);

// A file path: any non-empty text (an empty value is a mistake, never "not given").
std::string parse_file(std::string_view text);

// A whole count such as 8, 1,024 or 4K, at most 1e9; `what` names the unit in the error ("chips").
double parse_whole(std::string_view text, std::string_view what);

// A factor >= 1 ("4", "2x").
double parse_factor(std::string_view text);

}  // namespace llmcost
