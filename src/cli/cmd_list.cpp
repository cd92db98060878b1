// `llmcost list KIND` and `llmcost show ID`: the catalog, with sources.
#include <fmt/format.h>

#include <cstdio>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "llmcost/listing.hpp"

namespace llmcost::cli {
namespace {

std::string& list_kind() {
  static std::string kind;
  return kind;
}
std::string& show_id() {
  static std::string id;
  return id;
}

}  // namespace

void setup_list(CLI::App& sub) {
  sub.add_option("kind", list_kind(), "accelerators, offers, models, assumptions or laws")
      ->required()
      ->type_name("KIND");
}

int run_list() {
  const Format format = parse_format(common().format);
  const Catalog c = load_catalog_from_options();
  print_text(render_listing(list_records(c, list_kind()), format));
  return 0;
}

void setup_show(CLI::App& sub) {
  sub.add_option("id", show_id(), "any catalog id or alias")->required()->type_name("ID");
}

int run_show() {
  const Format format = parse_format(common().format);
  const Catalog c = load_catalog_from_options();
  print_text(render_listing(show_record(c, show_id()), format));
  return 0;
}

}  // namespace llmcost::cli
