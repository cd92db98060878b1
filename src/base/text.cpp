#include "llmcost/text.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace llmcost {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

bool iends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t end = std::min(text.find(sep, start), text.size());
    out.emplace_back(trim(text.substr(start, end - start)));
    if (end == text.size()) return out;
    start = end + 1;
  }
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += sep;
    out += items[i];
  }
  return out;
}

std::string join_or(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    out += i == 0 ? "" : (i + 1 == items.size() ? " or " : ", ");
    out += items[i];
  }
  return out;
}

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t') out.push_back(c);
    }
  }
  return out;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t subst = prev[j - 1] + (ascii_lower(a[i - 1]) == ascii_lower(b[j - 1]) ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closest(std::string_view word, const std::vector<std::string>& candidates, size_t max_distance) {
  std::string best;
  if (word.size() > kMaxSuggestLength) return best;  // no id is that long: nothing is close
  size_t best_d = max_distance;
  for (const auto& c : candidates) {
    // The length difference bounds the distance from below: most candidates need no table.
    if ((c.size() > word.size() ? c.size() - word.size() : word.size() - c.size()) >= best_d) continue;
    const size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

std::string quoted_excerpt(std::string_view text) {
  if (text.size() <= kMaxQuotedLength) return fmt::format("'{}'", text);
  size_t cut = kMaxQuotedLength;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
  return fmt::format("'{}...' ({} bytes)", text.substr(0, cut), text.size());
}

std::string unknown_id_message(std::string_view kind, std::string_view id, const std::vector<std::string>& candidates,
                               std::string_view list_hint) {
  const std::string best = closest(id, candidates, std::max<size_t>(3, id.size() / 3 + 1));
  const std::string shown = quoted_excerpt(id);
  if (!best.empty()) return fmt::format("unknown {} {}; did you mean '{}'?", kind, shown, best);
  if (!list_hint.empty()) return fmt::format("unknown {} {}; see {}", kind, shown, list_hint);
  return fmt::format("unknown {} {}; expected one of {}", kind, shown, join(candidates));
}

}  // namespace llmcost
