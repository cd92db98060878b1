// Readers of one catalog record each, from its TOML table: every field typed and range-checked
// against the record kind's schema, errors naming file:line:col and the field. The caller calls
// RecordReader::finish() afterwards to reject unknown keys.
#pragma once

#include "catalog/toml_record.hpp"
#include "llmcost/catalog.hpp"

namespace llmcost {

Accelerator read_accelerator(RecordReader& r);
Offer read_offer(RecordReader& r);
Model read_model(RecordReader& r);
Assumption read_assumption(RecordReader& r);
Law read_law(RecordReader& r);

}  // namespace llmcost
