#include "cli/common.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>

#include "llmcost/data_paths.hpp"
#include "llmcost/error.hpp"

namespace llmcost::cli {

CommonOptions& common() {
  static CommonOptions options;
  return options;
}

void add_common_options(CLI::App& sub) {
  CommonOptions& c = common();
  sub.add_option("--format", c.format, "output format: table, json, csv, markdown")
      ->type_name("FORMAT")
      ->default_str("table");
  sub.add_flag("--explain", c.explain, "show every formula with its numbers and the source of every assumption");
  sub.add_flag("--quiet,-q", c.quiet, "print the results only (table format)");
  sub.add_option("--data", c.data_dirs, "extra data folder(s) of TOML records; override the catalog by id")
      ->type_name("DIR");
}

Catalog load_catalog_from_options() {
  return load_catalog(data_dirs(std::getenv("LLMCOST_DATA"), common().data_dirs));
}

void print_report(const Report& report) {
  const Format format = parse_format(common().format);
  std::string text;
  if (common().quiet && format == Format::table) {
    for (const auto& row : report.rows) {
      if (!row.input) text += fmt::format("{} {}\n", row.key, format_value(row.value, row.unit));
    }
  } else {
    text = render(report, format, common().explain);
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
}

template <class Inputs>
void apply_fields(Inputs& in, const std::vector<Field<Inputs>>& fields, const FieldOptions<Inputs>& opts) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (opts.options[i]->count() == 0) continue;
    try {
      fields[i].set(in, opts.values[i]);
    } catch (const InputError& e) {
      throw InputError(fmt::format("--{}: {}", fields[i].name, e.what()));
    } catch (const EnvError& e) {
      throw EnvError(fmt::format("--{}: {}", fields[i].name, e.what()));
    }
  }
}

template void apply_fields<TrainInputs>(TrainInputs&, const std::vector<Field<TrainInputs>>&,
                                        const FieldOptions<TrainInputs>&);
template void apply_fields<InferInputs>(InferInputs&, const std::vector<Field<InferInputs>>&,
                                        const FieldOptions<InferInputs>&);
template void apply_fields<SearchInputs>(SearchInputs&, const std::vector<Field<SearchInputs>>&,
                                         const FieldOptions<SearchInputs>&);
template void apply_fields<LossInputs>(LossInputs&, const std::vector<Field<LossInputs>>&,
                                       const FieldOptions<LossInputs>&);
template void apply_fields<OptimalInputs>(OptimalInputs&, const std::vector<Field<OptimalInputs>>&,
                                          const FieldOptions<OptimalInputs>&);
template void apply_fields<ScaleInputs>(ScaleInputs&, const std::vector<Field<ScaleInputs>>&,
                                        const FieldOptions<ScaleInputs>&);
template void apply_fields<TrendInputs>(TrendInputs&, const std::vector<Field<TrendInputs>>&,
                                        const FieldOptions<TrendInputs>&);

}  // namespace llmcost::cli
