// Which catalog accelerator a measured device is, from the name its driver reports.
#include <algorithm>
#include <cctype>

#include "llmcost/calibrate.hpp"

namespace llmcost {
namespace {

std::vector<std::string> tokens(std::string_view name) {
  std::vector<std::string> out(1);
  for (char ch : name) {
    if (std::isalnum(static_cast<unsigned char>(ch)))
      out.back() += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    else if (!out.back().empty())
      out.emplace_back();
  }
  if (out.back().empty()) out.pop_back();
  return out;
}

// CUDA device names do not follow the catalog's names ("NVIDIA H100 80GB HBM3" is the SXM part),
// so known parts are recognised by name tokens: all of `need`, none of `avoid`.
struct NameRule {
  std::vector<std::string> need, avoid;
  std::string id;
};
const std::vector<NameRule>& name_rules() {
  static const std::vector<NameRule> rules{
      {{"h100", "pcie"}, {}, "h100-pcie"},
      {{"h100"}, {"nvl"}, "h100-sxm"},
      {{"h200"}, {"nvl"}, "h200"},
      {{"a100", "80gb"}, {"pcie"}, "a100-80gb"},
      {{"a100", "40gb"}, {"pcie"}, "a100-40gb"},
      {{"b200"}, {}, "b200"},
      {{"l4"}, {}, "l4"},
      {{"a10g"}, {}, "a10g"},
      {{"rtx", "a6000"}, {}, "a6000"},
      {{"rtx", "4090"}, {}, "rtx-4090"},
      {{"v100", "16gb"}, {"pcie"}, "v100-16gb"},
      {{"v100", "32gb"}, {"pcie"}, "v100-32gb"},
  };
  return rules;
}

}  // namespace

std::optional<std::string> match_accelerator(std::string_view device_name, const Catalog& catalog) {
  const std::vector<std::string> toks = tokens(device_name);
  auto has = [&](const std::string& t) { return std::find(toks.begin(), toks.end(), t) != toks.end(); };
  auto known = [&](std::string_view id) -> std::optional<std::string> {
    RecordKind kind{};
    const RecordBase* rec = catalog.find_any(id, &kind);
    if (rec && kind == RecordKind::accelerator) return rec->id;
    return std::nullopt;  // a user catalog without this part
  };
  for (const auto& rule : name_rules()) {
    if (std::all_of(rule.need.begin(), rule.need.end(), has) &&
        std::none_of(rule.avoid.begin(), rule.avoid.end(), has)) {
      return known(rule.id);
    }
  }
  // A user's own accelerator record may carry the driver's name as its name or an alias.
  for (const auto& a : catalog.accelerators()) {
    if (tokens(a.name) == toks) return a.id;
    for (const auto& alias : a.aliases) {
      if (tokens(alias) == toks) return a.id;
    }
  }
  return std::nullopt;
}

}  // namespace llmcost
