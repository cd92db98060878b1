// Test helpers: the default catalog, loaded once.
#pragma once

#include "llmcost/catalog.hpp"

namespace llmcost::test {

// The catalog of data/ as shipped (LLMCOST_DATA_DIR).
inline const Catalog& default_catalog() {
  static const Catalog catalog = [] {
    Catalog c;
    c.load_dir(LLMCOST_DATA_DIR);
    c.validate();
    return c;
  }();
  return catalog;
}

}  // namespace llmcost::test
