// What every estimator returns: ordered rows of values in base units, each with its formula and
// source, plus the text-valued assumptions it resolved. Renderers turn it into table/JSON/CSV/MD;
// numbers inside words (titles, notes, sources) stay numbers with units until a renderer formats them.
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmcost {

// Base unit of a row's value; renderers pick the human form from it.
enum class Unit {
  none,          // plain number
  nats,          // loss in nats per token, 4 significant digits: "1.975"
  count,         // chips, points: "10,000"
  params,        // parameters: "175B"
  tokens,        // tokens: "300B"
  flop,          // FLOP: "3.15e23 FLOP"
  flop_per_s,    // FLOP/s: "128 TFLOP/s"
  fraction,      // 0.462: "46.2%"
  ratio,         // 1.10: "1.10"
  usd,           // "$1.40M"
  usd_per_hour,  // "$2.03/h"
  usd_per_kwh,   // "$0.0806/kWh"
  seconds,       // "14.8 days"
  hours,         // chip-hours: "689K h"
  years,         // "4 years"
  bytes,         // "3.50 TB"
  bytes_per_s,   // "3.35 TB/s"
  watts,         // "330 W"
  kwh,           // "1.29 GWh"
  kg_co2e,       // "554 tCO2e"
  kg_per_kwh,    // "0.429 kg/kWh"
  flag,          // 1 or 0: "yes" / "no"; JSON true / false
  tokens_per_s,  // "1,234 tokens/s"
  // Plain numbers shown a given way (in words and listings more than in rows):
  number,   // 3 significant digits, zeros kept: "80.0"
  number4,  // 4 significant digits, zeros kept: "463.0"
  exact,    // as given, up to 6 significant digits: "406.4", "24576", "2022", "6.4e+13"
  sci,      // scientific, 3 significant digits: "3.15e23"
  change,   // a signed relative change: "-0.3%", "+1.4%"
};

// Name of the base unit as written in JSON/CSV ("usd", "s", "flop", ...).
std::string_view unit_name(Unit unit);

// A number and how to show it.
struct Quantity {
  double value = 0;
  Unit unit = Unit::none;
};

// Words with numbers in them: a title, a note, a source. The numbers stay Quantities until a
// renderer formats them (render_text in llmcost/render.hpp).
class Text {
 public:
  struct Part {
    std::string words;
    std::optional<Quantity> number;  // set: a number, formatted by the renderer
  };

  Text() = default;
  Text(std::string words);  // NOLINT(google-explicit-constructor): words are text
  Text(const char* words);  // NOLINT(google-explicit-constructor)

  // `pattern` with each "{}" replaced by the next argument: a Quantity, words (a string) or a Text.
  template <class... Args>
  static Text of(std::string_view pattern, const Args&... args) {
    Text t;
    t.build(pattern, {arg(args)...});
    return t;
  }

  Text& operator+=(const Text& more);
  friend Text operator+(Text a, const Text& b) { return a += b; }

  bool empty() const;
  const std::vector<Part>& parts() const { return parts_; }

 private:
  // Appends `pattern` with its "{}" replaced by `args` in order (as many as there are "{}").
  void build(std::string_view pattern, const std::vector<Text>& args);
  static Text arg(const Quantity& q) {
    Text t;
    t.parts_.push_back(Part{{}, q});
    return t;
  }
  static Text arg(const std::string& words) { return Text(words); }
  static Text arg(const char* words) { return Text(words); }
  static Text arg(std::string_view words) { return Text(std::string(words)); }
  static const Text& arg(const Text& text) { return text; }

  std::vector<Part> parts_;
};

struct Row {
  std::string key;    // stable snake_case with unit suffix: cost_usd, wall_time_s
  std::string label;  // "Cost", for people
  double value = 0;   // in base units
  Unit unit = Unit::none;
  std::string formula;  // an expression over other keys in braces: "{chip_hours} × {usd_per_chip_hour}";
                        // tests evaluate it against the value (see docs/formulas.md)
  std::string method;   // how a result without a closed form was found ("golden-section search")
  Text source;          // where an input came from, short: "--mfu", "catalog model gpt3"
  std::string cite;     // the published source behind it (paper, datasheet, price list)
  bool input = false;   // an assumption the estimate rests on, not a result
  // --uncertainty: the central interval, shown beside the value in tables ("$1.40M ($1.10M–$1.90M)");
  // NaN when there is none. Its percentiles are companion rows (<key>_p05, ...).
  double low = std::numeric_limits<double>::quiet_NaN(), high = std::numeric_limits<double>::quiet_NaN();
  bool companion = false;  // a percentile row: in JSON, CSV and --quiet, folded into its row in tables
};

// A text-valued assumption (model id, offer, dtype, rule) with its source.
struct TextAssumption {
  std::string key;
  std::string label;
  std::string value;
  std::string source;
  std::string cite;
  bool result = false;  // a text-valued result ("bound": "memory bandwidth"), not an assumption
};

// A ranged result's Monte Carlo distribution (--uncertainty), for plots: its 101 percentiles and
// the inputs that drive it.
struct Distribution {
  std::string key;                                     // the ranged row
  std::vector<double> percentiles;                     // the 0th, 1st, ..., 100th percentile of the samples
  std::vector<std::pair<std::string, double>> shares;  // inputs by share of the variance, largest first
};

// A curve an estimator traces for plots (serve: latency against throughput as the batch grows),
// in base units; `marked` is the point the estimate chose, or -1.
struct Curve {
  Text title, x_label, y_label;
  Unit x_unit = Unit::none, y_unit = Unit::none;
  std::vector<std::pair<double, double>> points;
  std::vector<double> tags;  // what each point is (a batch size), shown in the legend
  int marked = -1;
};

// Parts of a whole an estimator lays out for plots (plan: where each layout's step time goes).
struct Breakdown {
  Text label;  // "tp=4,pp=4,dp=64,...: step 4.49 s"
  Unit unit = Unit::none;
  std::vector<std::pair<std::string, double>> parts;  // part name, value; in a fixed order
};

struct Report {
  std::string kind;  // "train", "infer", ...
  Text title;        // one line saying what was estimated
  std::vector<TextAssumption> context;
  std::vector<Row> rows;
  std::vector<Distribution> distributions;  // --uncertainty: what --plot draws
  std::vector<Curve> curves;                // what --plot draws for serve
  std::vector<Breakdown> breakdowns;        // what --plot draws for plan
  std::vector<Text> notes;                  // caveats the user should read

  // Appends a result row; returns its value for chaining computations.
  double add(std::string key, std::string label, double value, Unit unit, std::string formula = {});
  // Appends a result row found without a closed form; `method` says how.
  double add_found(std::string key, std::string label, double value, Unit unit, std::string method);
  // Appends an input row (an assumption with its source).
  double add_input(std::string key, std::string label, double value, Unit unit, Text source, std::string cite = {});
  void add_context(std::string key, std::string label, std::string value, std::string source, std::string cite = {});

  // Appends a text-valued result (JSON: a string in "values").
  void add_text_result(std::string key, std::string label, std::string value, std::string formula = {});

  const Row* find(std::string_view key) const;
  // The text result or context value for `key`, or nullptr.
  const TextAssumption* find_text(std::string_view key) const;
  // Value of `key`; throws std::out_of_range for a key the report lacks.
  double value(std::string_view key) const;
};

// Throws InputError when a result of `report` is infinite or NaN: the inputs were out of range
// (1e200 parameters, a zero MFU from a --data override), and a table of inf would be no answer.
void require_finite(const Report& report);

}  // namespace llmcost
