#include "llmcost/fields.hpp"
#include "llmcost/hf_config.hpp"

namespace llmcost {

Model load_model_config(std::string_view path) { return load_hf_config(std::string(path)); }

}  // namespace llmcost
