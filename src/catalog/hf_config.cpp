#include "llmcost/hf_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "catalog/hf_families.hpp"
#include "catalog/hf_reader.hpp"
#include "llmcost/error.hpp"
#include "llmcost/files.hpp"

// The importer: the JSON parsed, the family chosen by model_type (its reader computes the shape and
// the parameter count, hf_families.cpp), then the id, name and source of the record.

namespace llmcost {
namespace {

using Json = HfJson;

// Line and column (from 1) of byte `byte` (1-based, as nlohmann's parse_error::byte counts) of `text`.
std::pair<int, int> line_col(std::string_view text, std::size_t byte) {
  const std::size_t at = std::min(byte > 0 ? byte - 1 : 0, text.size());
  const std::size_t line_start = text.substr(0, at).rfind('\n');
  const std::size_t col0 = line_start == std::string_view::npos ? at : at - line_start - 1;
  return {int(std::count(text.begin(), text.begin() + std::ptrdiff_t(at), '\n')) + 1, int(col0) + 1};
}

// A config.json is a flat object of sizes with a few small sub-objects; anything nested deeper is
// not a model config, and values nested tens of thousands deep would overflow the stack of every
// recursive walk (printing, destroying) of the document.
constexpr int kMaxJsonDepth = 64;

struct TooDeep {};

Json parse_json(std::string_view text, const std::string& origin) {
  try {
    return Json::parse(text.begin(), text.end(), [](int depth, Json::parse_event_t, Json&) {
      if (depth > kMaxJsonDepth) throw TooDeep{};
      return true;
    });
  } catch (const TooDeep&) {
    throw InputError(fmt::format("{}: invalid JSON: values nested more than {} levels deep", origin, kMaxJsonDepth));
  } catch (const Json::parse_error& e) {
    // what() is "[json.exception.parse_error.101] parse error at line L, column C: <description>".
    std::string what = e.what();
    const std::size_t head = what.find("parse error");
    const std::size_t colon = head == std::string::npos ? head : what.find(": ", head);
    if (colon != std::string::npos) what = what.substr(colon + 2);
    const auto [line, col] = line_col(text, e.byte);
    throw InputError(fmt::format("{}:{}:{}: invalid JSON: {}", origin, line, col, what));
  } catch (const Json::exception& e) {
    // Other parser failures (a number out of range, found by fuzzing) carry no position.
    std::string what = e.what();
    const std::size_t close = what.find("] ");
    throw InputError(
        fmt::format("{}: invalid JSON: {}", origin, close == std::string::npos ? what : what.substr(close + 2)));
  }
}

// An id from `_name_or_path`: a hub name ("meta-llama/Llama-2-7b-hf") keeps its owner, a local path its
// last component; lower-cased, with every character but [a-z0-9._-] turned into '-'.
std::string id_from_name(std::string name) {
  while (!name.empty() && (name.back() == '/' || name.back() == '\\')) name.pop_back();
  const bool path = std::count(name.begin(), name.end(), '/') > 1 || name.find('\\') != std::string::npos ||
                    name.starts_with('/') || name.starts_with('.') || name.starts_with('~');
  if (path) name = name.substr(name.find_last_of("/\\") + 1);
  for (char& c : name) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) c = '-';
  }
  return name;
}

// Name from `_name_or_path`, else the first of `architectures`, else the model type.
std::string display_name(const Json& json, const std::optional<std::string>& name_or_path, const std::string& type) {
  if (name_or_path && !name_or_path->empty()) return *name_or_path;
  auto it = json.find("architectures");
  if (it != json.end() && it->is_array() && !it->empty() && it->front().is_string()) {
    return it->front().get<std::string>();
  }
  return type;
}

// The reader of `type`; an unknown or missing type lists the supported ones.
const HfFamily& family_of(const std::string& type, const std::string& origin) {
  const std::span<const HfFamily> families = hf_families();
  const auto it = std::find_if(families.begin(), families.end(), [&](const HfFamily& f) { return type == f.type; });
  if (it != families.end()) return *it;
  std::string list;
  for (const HfFamily& f : families) list += (list.empty() ? "" : ", ") + std::string(f.type);
  const std::string got = type.empty() ? "missing" : fmt::format("unsupported '{}'", type);
  throw InputError(fmt::format("{}: field 'model_type': {}; supported: {}", origin, got, list));
}

}  // namespace

Model model_from_hf_config(std::string_view json_text, const std::string& origin) {
  const Json json = parse_json(json_text, origin);
  if (!json.is_object()) throw InputError(fmt::format("{}: expected a JSON object (a config.json)", origin));
  const std::string type = HfReader(json, origin, "").opt_string("model_type").value_or("");
  const HfFamily& family = family_of(type, origin);
  const HfReader r(json, origin, type);
  Model m;
  m.architecture = "decoder-only";
  family.read(r, m);
  const std::optional<std::string> name_or_path = r.opt_string("_name_or_path");
  m.id = name_or_path ? id_from_name(*name_or_path) : "";
  if (m.id.empty()) m.id = id_from_name("hf-" + type);
  m.name = display_name(json, name_or_path, type);
  m.source = fmt::format("Hugging Face config.json: {}", origin);
  m.origin = Origin{origin, 0, 0};
  return m;
}

Model load_hf_config(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::string file = fs::is_directory(path, ec) ? (fs::path(path) / "config.json").string() : path;
  return model_from_hf_config(read_file(file, "Hugging Face config"), file);
}

}  // namespace llmcost
