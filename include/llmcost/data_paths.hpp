// Where the catalog comes from: the default data folder, then LLMCOST_DATA folders
// (colon-separated), then --data folders; later records override earlier ones by id.
#pragma once

#include <string>
#include <vector>

#include "llmcost/catalog.hpp"

namespace llmcost {

// The installed data folder next to the binary (<bindir>/../share/llmcost/data) when it
// exists, else the source tree's data/ folder the binary was built from.
std::string default_data_dir();

// Default folder, then `env_value` split on ':', then `flag_dirs`, in order.
std::vector<std::string> data_dirs(const char* env_value, const std::vector<std::string>& flag_dirs);

// Loads and validates the catalog from `dirs`.
Catalog load_catalog(const std::vector<std::string>& dirs);

}  // namespace llmcost
