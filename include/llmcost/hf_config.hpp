// Importer for Hugging Face `config.json` files: the architecture fields of a checkpoint and the
// parameter count computed from them, as a catalog Model record.
#pragma once

#include <string>
#include <string_view>

#include "llmcost/catalog.hpp"

namespace llmcost {

// Reads a Hugging Face config.json (text) into a Model: architecture fields and the parameter count
// computed from them (total, and active per token for MoE). `origin` names the file in errors.
// Throws InputError "ORIGIN: field 'num_hidden_layers': ..." for missing or invalid fields (an
// unknown model_type lists the supported ones) and "ORIGIN:LINE:COL: ..." for JSON syntax errors.
Model model_from_hf_config(std::string_view json_text, const std::string& origin);

// Reads the file at `path` (its config.json when `path` is a folder) and calls model_from_hf_config.
// Throws EnvError if the file cannot be read.
Model load_hf_config(const std::string& path);

}  // namespace llmcost
