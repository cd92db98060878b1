// The model families the Hugging Face importer knows: one reader per transformers `model_type`,
// filling a Model's shape and its parameter count from the config (hf_families.cpp).
#pragma once

#include <span>

#include "catalog/hf_reader.hpp"
#include "llmcost/catalog.hpp"

namespace llmcost {

struct HfFamily {
  const char* type;  // model_type, as config.json spells it
  void (*read)(const HfReader&, Model&);
};

// Every supported family, by model_type (sorted, as listed in errors).
std::span<const HfFamily> hf_families();

}  // namespace llmcost
