// Test support for the plots: hand-built strategy results, an SVG element scanner, an XML
// well-formedness check and text-box overlap detection.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/outcome.hpp"

namespace plots_test {

// The book's Executor.map "loiter" demo: 3 workers, jobs sleeping 0..4 s, results in order.
model::StrategyResult loiter_demo();

// `n` flag-like downloads (connect, server, transfer) spread over `lanes` lanes, every 17th
// failing with 404. Deterministic for a given seed.
model::StrategyResult flags_like(std::size_t n, int lanes, unsigned seed = 1);

// `n` downloads on `lanes` lanes, all submitted at 0, each with connect and transfer phases.
model::StrategyResult synthetic(std::size_t n, int lanes);

struct Element {
  std::string tag;
  std::map<std::string, std::string> attrs;
  std::string text;  // character data up to the next tag (for <text>), entities decoded
  double num(const std::string& name) const;  // attribute as a number; throws when absent
  bool has_class(std::string_view c) const;
};

// Every element named `tag` in document order.
std::vector<Element> elements(const std::string& svg, std::string_view tag);

// Elements named `tag` that have class `css_class`.
std::vector<Element> with_class(const std::string& svg, std::string_view tag,
                                std::string_view css_class);

// Empty when `xml` is well formed (checked by a tag-balance scan, and by xmllint when it is
// installed); otherwise what is wrong.
std::string xml_problem(const std::string& xml);

// Descriptions of pairs of <text> elements whose estimated boxes overlap (empty when none).
std::vector<std::string> overlapping_text(const std::string& svg);

// Writes `content` to `path`, creating parent directories.
void write_file(const std::string& path, const std::string& content);

}  // namespace plots_test
