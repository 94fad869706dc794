// Comparing words for "did you mean" hints.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace model {

// Levenshtein distance, ignoring ASCII case.
std::size_t edit_distance(std::string_view a, std::string_view b);

// How much of a value from a file a message echoes.
inline constexpr std::size_t kShownChars = 60;

// A value from a file as a message shows it, between `quote` characters: at most
// kShownChars characters (cut at a UTF-8 boundary, then "..." and the full length, e.g.
// 'kkkk...' (100000 bytes)), control characters written as \n, \r, \t or \xNN so a
// message is one line of plain text whatever the file holds.
std::string quoted_excerpt(std::string_view text, char quote = '\'');

}  // namespace model
