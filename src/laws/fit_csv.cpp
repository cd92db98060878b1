// CSV input of `llmcost fit`: one training run per row (params, tokens or flops, loss).
#include <fmt/format.h>

#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "llmcost/error.hpp"
#include "llmcost/fit.hpp"
#include "llmcost/units.hpp"

namespace llmcost {
namespace {

struct Field {
  std::string text;  // trimmed, unquoted
  int col;           // 1-based column of the field's first non-blank character
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
  return out;
}

// Splits one line at commas; a field may be double-quoted ("1,024", "" inside for a quote).
std::vector<Field> split_line(std::string_view line, const std::string& where_prefix) {
  std::vector<Field> fields;
  size_t i = 0;
  for (;;) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const size_t start = i;
    std::string text;
    if (i < line.size() && line[i] == '"') {
      ++i;
      for (;;) {
        if (i >= line.size()) {
          throw InputError(fmt::format("{}{}: unterminated quoted field", where_prefix, start + 1));
        }
        if (line[i] == '"' && i + 1 < line.size() && line[i + 1] == '"') {
          text += '"';
          i += 2;
        } else if (line[i] == '"') {
          ++i;
          break;
        } else {
          text += line[i++];
        }
      }
      const size_t end = std::min(line.find(',', i), line.size());
      while (i < end && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
      if (i < end) throw InputError(fmt::format("{}{}: unexpected text after a quoted field", where_prefix, i + 1));
      i = end;
      text = std::string(trim(text));
    } else {
      const size_t end = std::min(line.find(',', i), line.size());
      text = std::string(trim(line.substr(start, end - start)));
      i = end;
    }
    fields.push_back({std::move(text), static_cast<int>(start + 1)});
    if (i >= line.size()) break;
    ++i;  // the comma
  }
  return fields;
}

enum Column { kParams, kTokens, kFlops, kLoss, kColumns };
constexpr std::array<std::string_view, kColumns> kNames{"params", "tokens", "flops", "loss"};

// Position of each known column in the header row (nullopt when absent).
using ColumnMap = std::array<std::optional<size_t>, kColumns>;

ColumnMap read_header(const std::vector<Field>& header, const std::string& where_prefix) {
  ColumnMap map;
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string name = lower(header[i].text);
    for (size_t c = 0; c < kColumns; ++c) {
      if (name != kNames[c]) continue;
      if (map[c]) throw InputError(fmt::format("{}{}: duplicate column '{}'", where_prefix, header[i].col, name));
      map[c] = i;
    }
  }
  const char* missing = !map[kParams]                     ? "params"
                        : (!map[kTokens] && !map[kFlops]) ? "tokens' or 'flops"
                        : !map[kLoss]                     ? "loss"
                                                          : nullptr;
  if (missing) {
    throw InputError(
        fmt::format("{}1: header has no '{}' column; expected a header row naming params, tokens "
                    "(or flops) and loss",
                    where_prefix, missing));
  }
  return map;
}

// The value of column `c` in `row`, parsed; errors name the place and the field.
// A row shorter than the header reports the missing field at the end of the line.
struct RowPlace {
  std::string where_prefix;  // "origin:line:"
  int line_length;
  size_t header_fields;
};

double read_value(const std::vector<Field>& row, const ColumnMap& map, Column c, const RowPlace& place) {
  const std::string& where_prefix = place.where_prefix;
  const size_t index = *map[c];
  if (index >= row.size()) {
    throw InputError(fmt::format("{}{}: field '{}': missing (the row has {} fields, the header {})", where_prefix,
                                 place.line_length + 1, kNames[c], row.size(), place.header_fields));
  }
  const Field& f = row[index];
  const std::string prefix = fmt::format("{}{}: field '{}': ", where_prefix, f.col, kNames[c]);
  if (c == kLoss) {
    double v = 0;
    try {
      v = parse_number(f.text);
    } catch (const InputError&) {
      v = 0;
    }
    if (!(v > 0) || !std::isfinite(v))
      throw InputError(fmt::format("{}expected a positive number, got '{}'", prefix, f.text));
    return v;
  }
  try {
    return parse_count(f.text);
  } catch (const InputError& e) {
    throw InputError(prefix + e.what());
  }
}

}  // namespace

FitData read_fit_csv(std::string_view text, const std::string& origin) {
  FitData data;
  data.origin = origin;
  std::optional<ColumnMap> columns;
  size_t header_fields = 0;
  int line_no = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 byte order mark (spreadsheet exports)
  for (size_t pos = 0; pos < text.size();) {
    const size_t end = std::min(text.find('\n', pos), text.size());
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::string_view content = trim(line);
    if (content.empty() || content.front() == '#') continue;
    const std::string where_prefix = fmt::format("{}:{}:", origin, line_no);
    const std::vector<Field> fields = split_line(line, where_prefix);
    if (!columns) {
      columns = read_header(fields, where_prefix);
      header_fields = fields.size();
      continue;
    }
    if (fields.size() > header_fields) {
      throw InputError(fmt::format("{}{}: the row has {} fields, the header {}", where_prefix,
                                   fields[header_fields].col, fields.size(), header_fields));
    }
    const RowPlace place{where_prefix, static_cast<int>(line.size()), header_fields};
    FitPoint p{};
    p.params = read_value(fields, *columns, kParams, place);
    // D = C / (6·N) when only the compute is given (C = 6·N·D, Kaplan et al. 2020 §2.1).
    p.tokens = (*columns)[kTokens] ? read_value(fields, *columns, kTokens, place)
                                   : read_value(fields, *columns, kFlops, place) / (6 * p.params);
    p.loss = read_value(fields, *columns, kLoss, place);
    data.points.push_back(p);
  }
  if (!columns) {
    throw InputError(
        fmt::format("{}: no header row; expected a header row naming params, tokens (or flops) and loss", origin));
  }
  if (data.points.size() < static_cast<size_t>(kMinFitPoints)) {
    throw InputError(fmt::format("{}: needs at least {} data rows, got {}", origin, kMinFitPoints, data.points.size()));
  }
  return data;
}

}  // namespace llmcost
