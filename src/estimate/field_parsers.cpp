#include "estimate/field_parsers.hpp"

#include <fmt/format.h>

#include <cmath>

#include "llmcost/error.hpp"
#include "llmcost/units.hpp"

namespace llmcost {

bool parse_bool(std::string_view text) {
  if (text == "true" || text == "1" || text == "yes") return true;
  if (text == "false" || text == "0" || text == "no") return false;
  throw InputError(fmt::format("expected true or false, got '{}'", text));
}

std::string parse_id(std::string_view text) {
  if (text.empty()) throw InputError("expected an id, got ''");
  return std::string(text);
}

std::string parse_file(std::string_view text) {
  if (text.empty()) throw InputError("expected a file, got ''");
  return std::string(text);
}

double parse_whole(std::string_view text, std::string_view what) {
  const double v = parse_count(text);
  if (v != std::floor(v) || v > 1e9)
    throw InputError(fmt::format("expected a whole number of {}, got '{}'", what, text));
  return v;
}

double parse_factor(std::string_view text) {
  const double v = parse_positive(text, "x");
  if (v < 1) throw InputError(fmt::format("expected a factor >= 1, got '{}'", text));
  return v;
}

}  // namespace llmcost
