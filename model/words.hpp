// Comparing words for "did you mean" hints.
#pragma once

#include <cstddef>
#include <string_view>

namespace model {

// Levenshtein distance, ignoring ASCII case.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace model
