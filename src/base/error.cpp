#include "llmcost/error.hpp"

#include <fmt/format.h>

namespace llmcost {

std::string Origin::str() const {
  if (line <= 0) return file;
  return fmt::format("{}:{}:{}", file, line, col);
}

}  // namespace llmcost
