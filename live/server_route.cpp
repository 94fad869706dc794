// Path templates for the test server: "{name}" placeholders, matched exactly.
#include "live/server_route.hpp"

#include <stdexcept>

namespace live {

namespace {
constexpr std::string_view kPlaceholder = "{name}";
}

PathTemplate::PathTemplate(std::string_view pattern) : pattern_(pattern) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("URL path template '" + pattern_ +
                                "' must start with '/', e.g. \"/flags/{name}.gif\"");
  }
  std::size_t from = 0;
  for (;;) {
    const std::size_t at = pattern.find(kPlaceholder, from);
    literals_.emplace_back(pattern.substr(from, at == std::string_view::npos ? at : at - from));
    if (at == std::string_view::npos) break;
    from = at + kPlaceholder.size();
  }
  if (literals_.size() < 2) {
    throw std::invalid_argument("URL path template '" + pattern_ +
                                "' has no \"{name}\" placeholder, e.g. \"/flags/{name}.gif\"");
  }
}

std::optional<std::string> PathTemplate::match(std::string_view path) const {
  std::size_t fixed = 0;
  for (const auto& literal : literals_)
    fixed += literal.size();
  const std::size_t slots = literals_.size() - 1;
  if (path.size() <= fixed || (path.size() - fixed) % slots != 0) return std::nullopt;
  const std::size_t length = (path.size() - fixed) / slots;
  const std::string_view name = path.substr(literals_.front().size(), length);
  if (expand(name) != path) return std::nullopt;
  return std::string(name);
}

std::string PathTemplate::expand(std::string_view name) const {
  std::string out = literals_.front();
  for (std::size_t i = 1; i < literals_.size(); ++i) {
    out += name;
    out += literals_[i];
  }
  return out;
}

std::string url_path_part(std::string_view url) {
  std::string_view rest = url;
  if (const auto scheme = rest.find("://"); scheme != std::string_view::npos) {
    rest.remove_prefix(scheme + 3);
    const auto slash = rest.find('/');
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  }
  if (const auto query = rest.find_first_of("?#"); query != std::string_view::npos) {
    rest = rest.substr(0, query);
  }
  return rest.empty() ? std::string("/{name}") : std::string(rest);
}

}  // namespace live
