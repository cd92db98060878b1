// Text helpers every layer shares: trimming, ASCII case folding, joining lists for messages, and
// the "did you mean" suggestion for a mistyped id, flag or field.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace llmcost {

// `s` without leading and trailing spaces and tabs.
std::string_view trim(std::string_view s);

// ASCII lower case; other bytes (UTF-8 included) unchanged.
char ascii_lower(char c);

// Equal ignoring ASCII case.
bool iequals(std::string_view a, std::string_view b);

// `s` ends with `suffix`, ignoring ASCII case.
bool iends_with(std::string_view s, std::string_view suffix);

// The pieces of `text` between the `sep` characters, each trimmed ("a, b," gives a, b and "").
std::vector<std::string> split(std::string_view text, char sep);

// "a, b, c" (with `sep`).
std::string join(const std::vector<std::string>& items, std::string_view sep = ", ");

// "a, b or c", for lists of allowed values in messages.
std::string join_or(const std::vector<std::string>& items);

// `s` as XML character data or an attribute value: & < > " ' escaped, and the control characters
// XML 1.0 forbids even escaped (all below 0x20 but tab and line feed) dropped.
std::string xml_escape(std::string_view s);

// Case-insensitive Levenshtein distance.
size_t edit_distance(std::string_view a, std::string_view b);

// Words longer than this get no suggestion (an edit-distance table of a 5 MB word would take
// seconds per candidate), and messages quote at most kMaxQuotedLength bytes of what was given.
inline constexpr size_t kMaxSuggestLength = 256;
inline constexpr size_t kMaxQuotedLength = 80;

// `text` in single quotes, cut to kMaxQuotedLength bytes with its length said when longer:
// "'aaaa...' (5242880 bytes)".
std::string quoted_excerpt(std::string_view text);

// The candidate closest to `word` within `max_distance` edits (exclusive), or "" when none is.
std::string closest(std::string_view word, const std::vector<std::string>& candidates, size_t max_distance);

// "unknown KIND 'id'; did you mean 'x'?"; when nothing is close: "; see LIST_HINT" if given,
// else the list of candidates.
std::string unknown_id_message(std::string_view kind, std::string_view id, const std::vector<std::string>& candidates,
                               std::string_view list_hint = {});

}  // namespace llmcost
