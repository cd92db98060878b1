#include "llmcost/catalog.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "catalog/records.hpp"
#include "catalog/toml_record.hpp"
#include "llmcost/files.hpp"

// Loading catalog files: every record of a file read (records.cpp) and checked first, then merged
// into the catalog by id, so a bad file leaves the catalog as it was.

namespace llmcost {
namespace {

// The records of one file, before they are merged.
struct FileRecords {
  std::vector<Accelerator> accelerators;
  std::vector<Offer> offers;
  std::vector<Model> models;
  std::vector<Assumption> assumptions;
  std::vector<Law> laws;
  std::set<std::string> ids;  // "kind/id": an id twice in one file is an error

  void add(Accelerator a) { accelerators.push_back(std::move(a)); }
  void add(Offer o) { offers.push_back(std::move(o)); }
  void add(Model m) { models.push_back(std::move(m)); }
  void add(Assumption a) { assumptions.push_back(std::move(a)); }
  void add(Law l) { laws.push_back(std::move(l)); }
};

// Reads the array of tables `node` ([[kind]]), one record per table with `read`.
template <class Read>
void read_array(const toml::node& node, std::string_view kind, const std::string& origin, Read read, FileRecords& out) {
  const toml::array* arr = node.as_array();
  if (!arr || !arr->is_array_of_tables()) {
    field_error(node, origin, kind, fmt::format("expected an array of tables, written [[{}]]", kind));
  }
  for (const toml::node& item : *arr) {
    RecordReader r(*item.as_table(), origin);
    auto rec = read(r);
    r.finish();
    if (!out.ids.insert(fmt::format("{}/{}", kind, rec.id)).second) {
      field_error(*item.as_table()->get("id"), origin, "id", fmt::format("duplicate {} id '{}'", kind, rec.id));
    }
    out.add(std::move(rec));
  }
}

FileRecords read_records(const toml::table& doc, const std::string& origin) {
  FileRecords out;
  for (const auto& [key, node] : doc) {
    const std::string k(key.str());
    if (k == "accelerator") {
      read_array(node, k, origin, read_accelerator, out);
    } else if (k == "offer") {
      read_array(node, k, origin, read_offer, out);
    } else if (k == "model") {
      read_array(node, k, origin, read_model, out);
    } else if (k == "assumption") {
      read_array(node, k, origin, read_assumption, out);
    } else if (k == "law") {
      read_array(node, k, origin, read_law, out);
    } else {
      const auto& begin = key.source().begin;
      throw InputError(
          fmt::format("{}:{}:{}: unknown record kind '{}'; expected [[accelerator]], [[offer]], [[model]], "
                      "[[assumption]] or [[law]]",
                      origin, begin.line, begin.column, k));
    }
  }
  return out;
}

// Adds `more` to `records`, each replacing the record of the same id where there is one.
template <class T>
void upsert(std::vector<T>& records, std::vector<T>& more) {
  for (T& rec : more) {
    auto same = std::find_if(records.begin(), records.end(), [&](const T& r) { return r.id == rec.id; });
    if (same != records.end()) {
      *same = std::move(rec);
    } else {
      records.push_back(std::move(rec));
    }
  }
}

}  // namespace

// True when the document holds at least one array of records ([[accelerator]] ...): a catalog
// file. Another TOML file in a data folder (a calibration file, whose `accelerator` is a string; a
// scenario) holds none and is skipped with a note, not misread.
bool has_records(const toml::table& doc) {
  for (const char* kind : {"accelerator", "offer", "model", "assumption", "law"}) {
    if (const toml::node* n = doc.get(kind); n && n->is_array()) return true;
  }
  return false;
}

// The *.toml files of `dir`, sorted; entries that cannot be examined (a link loop) are reported in
// `skipped` rather than failing the whole folder.
std::vector<std::filesystem::path> toml_files(const std::string& dir, std::vector<std::string>& skipped) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw EnvError(fmt::format("data folder '{}' is not a readable directory", dir));
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() != ".toml") continue;
    std::error_code entry_ec;
    const bool regular = it->is_regular_file(entry_ec);
    if (entry_ec) {
      skipped.push_back(fmt::format("{}: {}", it->path().string(), entry_ec.message()));
    } else if (regular) {
      files.push_back(it->path());
    }
  }
  if (ec) throw EnvError(fmt::format("cannot list data folder '{}': {}", dir, ec.message()));
  std::sort(files.begin(), files.end());
  return files;
}

template <class Table>
void Catalog::load_table(const Table& doc, const std::string& origin) {
  FileRecords file = read_records(doc, origin);
  upsert(accelerators_, file.accelerators);
  upsert(offers_, file.offers);
  upsert(models_, file.models);
  upsert(assumptions_, file.assumptions);
  upsert(laws_, file.laws);
}

void Catalog::load_text(std::string_view text, const std::string& origin) {
  load_table(parse_toml(text, origin), origin);
}

void Catalog::load_dir(const std::string& dir) {
  for (const auto& path : toml_files(dir, skipped_)) {
    const std::string file = path.string();
    const toml::table doc = parse_toml(read_file(file, "data file"), file);
    if (has_records(doc)) {
      load_table(doc, file);
    } else {
      skipped_.push_back(
          fmt::format("{}: not a catalog file (no [[accelerator]], [[offer]], [[model]], "
                      "[[assumption]] or [[law]] table)",
                      file));
    }
  }
}

}  // namespace llmcost
