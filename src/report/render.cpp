#include "llmcost/render.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "llmcost/error.hpp"
#include "llmcost/format.hpp"

namespace llmcost {
Format parse_format(std::string_view name) {
  if (name == "table") return Format::table;
  if (name == "json") return Format::json;
  if (name == "csv") return Format::csv;
  if (name == "markdown" || name == "md") return Format::markdown;
  throw InputError(fmt::format("--format: expected table, json, csv or markdown, got '{}'", name));
}

std::string format_value(double v, Unit unit) {
  switch (unit) {
    case Unit::none: return format_plain(v);
    case Unit::nats: return format_sig(v, 4);
    case Unit::count: return std::fabs(v) >= 1e9 ? format_scaled(v) : format_count(v);
    case Unit::params: return format_scaled(v);
    case Unit::tokens: return std::fabs(v) >= 1e5 ? format_scaled(v) : format_count(std::round(v));
    case Unit::flop: return format_sci(v) + " FLOP";
    case Unit::flop_per_s: return format_si(v, "FLOP/s");
    case Unit::fraction: return format_percent(v);
    case Unit::ratio: return format_plain(v);
    case Unit::usd: return format_usd(v);
    case Unit::usd_per_hour: return format_usd(v) + "/h";
    case Unit::usd_per_kwh: return fmt::format("${}/kWh", format_sig(v));
    case Unit::seconds: return format_duration(v);
    case Unit::hours: return format_scaled_sig(v) + " chip-h";
    case Unit::years: return format_sig(v) + " years";
    case Unit::bytes: return format_si(v, "B");
    case Unit::bytes_per_s: return format_si(v, "B/s");
    case Unit::watts: return format_si(v, "W");
    case Unit::kwh: return format_si(v * 1000, "Wh");
    case Unit::kg_co2e: return std::fabs(v) >= 1000 ? format_si(v / 1000, "tCO2e") : format_sig(v) + " kgCO2e";
    case Unit::kg_per_kwh: return format_sig(v) + " kg/kWh";
    case Unit::flag: return v != 0 ? "yes" : "no";
    case Unit::tokens_per_s: return format_scaled_sig(v) + " tokens/s";
  }
  return format_sig(v);
}

namespace {

// A row's value for people. Plain numbers that are inputs (law constants, factors) are shown as
// given, up to 6 digits: the reference prints A = 406.4, which 3 digits would round to 406.
std::string row_value(const Row& row) {
  return row.input && row.unit == Unit::none ? format_plain(row.value, 6) : format_value(row.value, row.unit);
}

// Replaces each {key} of `formula` by f(key).
template <class F>
std::string expand(const std::string& formula, F&& f) {
  std::string out;
  size_t i = 0;
  while (i < formula.size()) {
    const size_t open = formula.find('{', i);
    if (open == std::string::npos) break;
    const size_t close = formula.find('}', open);
    if (close == std::string::npos) break;
    out.append(formula, i, open - i);
    out += f(formula.substr(open + 1, close - open - 1));
    i = close + 1;
  }
  out.append(formula, i, std::string::npos);
  return out;
}

std::string symbolic(const std::string& formula) {
  return expand(formula, [](const std::string& key) { return key; });
}

size_t display_width(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;  // count UTF-8 code points
  return n;
}

std::string pad(std::string_view s, size_t width) {
  std::string out(s);
  const size_t w = display_width(s);
  if (w < width) out.append(width - w, ' ');
  return out;
}

std::string render_table(const Report& r, bool explain) {
  size_t label_w = 0, value_w = 0;
  for (const auto& row : r.rows) {
    label_w = std::max(label_w, display_width(row.label));
    value_w = std::max(value_w, display_width(format_value(row.value, row.unit)));
  }
  for (const auto& c : r.context) {
    label_w = std::max(label_w, display_width(c.label));
    value_w = std::max(value_w, display_width(c.value));
  }
  std::string out = r.title + "\n\nResults\n";
  for (const auto& c : r.context) {
    if (!c.result) continue;
    out += fmt::format("  {}  {}\n", pad(c.label, label_w), c.value);
    if (explain && !c.source.empty()) out += fmt::format("      {}: {}\n", c.key, c.source);
  }
  for (const auto& row : r.rows) {
    if (row.input) continue;
    const std::string value = format_value(row.value, row.unit);
    out += fmt::format("  {}  {}\n", pad(row.label, label_w), value);
    if (explain && !row.formula.empty()) {
      out += fmt::format("      {} = {} = {}\n", row.key, symbolic(row.formula), substitute_formula(r, row));
    }
  }
  out += "\nAssumptions\n";
  std::vector<std::string> cited;  // print each reference once
  auto assumption = [&](const std::string& label, const std::string& value, const std::string& source,
                        const std::string& cite) {
    out += fmt::format("  {}  {}  {}\n", pad(label, label_w), pad(value, value_w), source);
    if (explain && !cite.empty() && std::find(cited.begin(), cited.end(), cite) == cited.end()) {
      out += fmt::format("      source: {}\n", cite);
      cited.push_back(cite);
    }
  };
  for (const auto& c : r.context) {
    if (!c.result) assumption(c.label, c.value, c.source, c.cite);
  }
  for (const auto& row : r.rows) {
    if (row.input) assumption(row.label, row_value(row), row.source, row.cite);
  }
  if (!r.notes.empty()) {
    out += "\nNotes\n";
    for (const auto& note : r.notes) out += fmt::format("  - {}\n", note);
  }
  return out;
}

std::string md_cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else out.push_back(c);
  }
  return out;
}

std::string render_markdown(const Report& r, bool explain) {
  std::string out = fmt::format("## {}\n\n", md_cell(r.title));
  out += explain ? "| Result | Value | Key | Formula |\n|---|---|---|---|\n" : "| Result | Value | Key |\n|---|---|---|\n";
  for (const auto& c : r.context) {
    if (c.result) out += fmt::format("| {} | {} | `{}` |{}\n", md_cell(c.label), md_cell(c.value), c.key, explain ? " |" : "");
  }
  for (const auto& row : r.rows) {
    if (row.input) continue;
    out += fmt::format("| {} | {} | `{}` |", md_cell(row.label), md_cell(format_value(row.value, row.unit)), row.key);
    if (explain) {
      out += row.formula.empty() ? " |"
                                 : fmt::format(" {} = {} |", md_cell(symbolic(row.formula)),
                                               md_cell(substitute_formula(r, row)));
    }
    out += "\n";
  }
  out += explain ? "\n| Assumption | Value | Source | Reference |\n|---|---|---|---|\n"
                 : "\n| Assumption | Value | Source |\n|---|---|---|\n";
  auto line = [&](const std::string& label, const std::string& value, const std::string& source,
                  const std::string& cite) {
    out += fmt::format("| {} | {} | {} |", md_cell(label), md_cell(value), md_cell(source));
    if (explain) out += fmt::format(" {} |", md_cell(cite));
    out += "\n";
  };
  for (const auto& c : r.context) {
    if (!c.result) line(c.label, c.value, c.source, c.cite);
  }
  for (const auto& row : r.rows) {
    if (row.input) line(row.label, row_value(row), row.source, row.cite);
  }
  if (!r.notes.empty()) {
    out += "\n";
    for (const auto& note : r.notes) out += fmt::format("- {}\n", md_cell(note));
  }
  return out;
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += "\"\"";
    else out.push_back(c);
  }
  return out + "\"";
}

std::string render_csv(const Report& r) {
  std::string out = "key,label,value,unit,role,formula,source\n";
  for (const auto& row : r.rows) {
    out += fmt::format("{},{},{},{},{},{},{}\n", row.key, csv_field(row.label), row.value, unit_name(row.unit),
                       row.input ? "input" : "result", csv_field(symbolic(row.formula)), csv_field(row.source));
  }
  for (const auto& c : r.context) {
    if (c.result) out += fmt::format("{},{},{},text,result,,{}\n", c.key, csv_field(c.label), csv_field(c.value), csv_field(c.source));
  }
  return out;
}

std::string render_json(const Report& r) {
  using nlohmann::ordered_json;
  ordered_json j;
  j["kind"] = r.kind;
  j["title"] = r.title;
  ordered_json values = ordered_json::object();
  for (const auto& row : r.rows) {
    if (row.unit == Unit::flag) values[row.key] = row.value != 0;
    else values[row.key] = row.value;
  }
  for (const auto& c : r.context) {
    if (c.result) values[c.key] = c.value;
  }
  j["values"] = values;
  ordered_json rows = ordered_json::array();
  for (const auto& row : r.rows) {
    ordered_json o;
    o["key"] = row.key;
    o["label"] = row.label;
    o["value"] = row.value;
    o["unit"] = unit_name(row.unit);
    o["role"] = row.input ? "input" : "result";
    if (!row.formula.empty()) {
      o["formula"] = symbolic(row.formula);
      o["substituted"] = substitute_formula(r, row);
    }
    if (!row.source.empty()) o["source"] = row.source;
    if (!row.cite.empty()) o["reference"] = row.cite;
    rows.push_back(o);
  }
  j["rows"] = rows;
  ordered_json assumptions = ordered_json::array();
  for (const auto& c : r.context) {
    if (c.result) continue;
    assumptions.push_back(ordered_json{{"key", c.key}, {"label", c.label}, {"value", c.value},
                                       {"source", c.source}, {"reference", c.cite}});
  }
  for (const auto& row : r.rows) {
    if (!row.input) continue;
    assumptions.push_back(ordered_json{{"key", row.key}, {"label", row.label}, {"value", row.value},
                                       {"source", row.source}, {"reference", row.cite}});
  }
  j["assumptions"] = assumptions;
  j["notes"] = r.notes;
  return j.dump(2) + "\n";
}

}  // namespace

std::string render_listing(const Listing& l, Format format) {
  std::string out;
  switch (format) {
    case Format::json: {
      if (l.record) {
        nlohmann::ordered_json o = nlohmann::ordered_json::object();
        for (const auto& row : l.rows) {
          if (row.size() < 2) continue;
          if (row[1].number) o[row[0].text] = *row[1].number;
          else o[row[0].text] = row[1].text;
        }
        return o.dump(2) + "\n";
      }
      nlohmann::ordered_json arr = nlohmann::ordered_json::array();
      for (const auto& row : l.rows) {
        nlohmann::ordered_json o;
        for (size_t i = 0; i < l.columns.size() && i < row.size(); ++i) {
          if (row[i].number) o[l.columns[i]] = *row[i].number;
          else o[l.columns[i]] = row[i].text;
        }
        arr.push_back(o);
      }
      return arr.dump(2) + "\n";
    }
    case Format::csv: {
      for (size_t i = 0; i < l.columns.size(); ++i) out += (i ? "," : "") + l.columns[i];
      out += "\n";
      for (const auto& row : l.rows) {
        for (size_t i = 0; i < row.size(); ++i) {
          out += i ? "," : "";
          out += row[i].number ? fmt::format("{}", *row[i].number) : csv_field(row[i].text);
        }
        out += "\n";
      }
      return out;
    }
    case Format::markdown: {
      out = fmt::format("## {}\n\n|", md_cell(l.title));
      for (const auto& c : l.columns) out += fmt::format(" {} |", c);
      out += "\n|";
      for (size_t i = 0; i < l.columns.size(); ++i) out += "---|";
      out += "\n";
      for (const auto& row : l.rows) {
        out += "|";
        for (const auto& cell : row) out += fmt::format(" {} |", md_cell(cell.text));
        out += "\n";
      }
      return out;
    }
    case Format::table: break;
  }
  std::vector<size_t> width(l.columns.size());
  for (size_t i = 0; i < l.columns.size(); ++i) width[i] = display_width(l.columns[i]);
  for (const auto& row : l.rows) {
    for (size_t i = 0; i < row.size() && i < width.size(); ++i) width[i] = std::max(width[i], display_width(row[i].text));
  }
  auto line = [&](auto&& cell_text, size_t n) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s += (i ? "  " : "") + (i + 1 < n ? pad(cell_text(i), width[i]) : cell_text(i));
    return s + "\n";
  };
  out = l.title.empty() ? "" : l.title + "\n\n";
  out += line([&](size_t i) { return l.columns[i]; }, l.columns.size());
  for (const auto& row : l.rows) out += line([&](size_t i) { return row[i].text; }, row.size());
  return out;
}

std::string substitute_formula(const Report& report, const Row& row) {
  return expand(row.formula, [&](const std::string& key) {
    const Row* ref = report.find(key);
    return ref ? row_value(*ref) : "{" + key + "}";
  });
}

std::string render(const Report& report, Format format, bool explain) {
  switch (format) {
    case Format::table: return render_table(report, explain);
    case Format::markdown: return render_markdown(report, explain);
    case Format::csv: return render_csv(report);
    case Format::json: return render_json(report);
  }
  return {};
}

}  // namespace llmcost
