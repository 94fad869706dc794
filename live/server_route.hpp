// The URL path shape of the test server, e.g. "/flags/{name}/{name}.gif": checks a template
// and extracts the item name from a request path (every "{name}" must stand for the same text).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace live {

class PathTemplate {
 public:
  // Throws std::invalid_argument unless the template starts with '/' and holds "{name}".
  explicit PathTemplate(std::string_view pattern);

  // The name when `path` has this shape, with a non-empty name; nullopt otherwise.
  std::optional<std::string> match(std::string_view path) const;
  // The path for `name` (the inverse of match).
  std::string expand(std::string_view name) const;
  const std::string& pattern() const { return pattern_; }

 private:
  std::string pattern_;
  std::vector<std::string> literals_;  // text around the placeholders: placeholders + 1 pieces
};

// The path part of a URL template: "http://host:8000/a/{name}.gif?x=1" -> "/a/{name}.gif";
// "/{name}" when the URL has no path.
std::string url_path_part(std::string_view url);

}  // namespace live
