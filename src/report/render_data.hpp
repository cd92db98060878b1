// The machine renderers of a Report (render_data.cpp), dispatched by render().
#pragma once

#include <string>

#include "llmcost/report.hpp"

namespace llmcost {

std::string render_json(const Report& r);
std::string render_csv(const Report& r);

}  // namespace llmcost
