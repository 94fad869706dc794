// Where a live download goes: the scenario's [live] url template (or --base-url) with
// "{name}" replaced by the percent-encoded item name.
#pragma once

#include <string>
#include <string_view>

namespace live {

// Percent-encodes everything but RFC 3986's unreserved characters; a name made of dots
// only ("." or "..") has its dots encoded too, so it cannot become a path segment.
std::string url_encode_name(std::string_view name);

// `url_template` with every "{name}" replaced by url_encode_name(name).
std::string url_for(std::string_view url_template, std::string_view name);

// The URL template of a live run. With no `base_url`, the scenario's own `scenario_url`.
// A `base_url` holding "{name}" is the whole template; otherwise it replaces the scheme,
// host and port of the scenario's URL and keeps its path ("/{name}" when there is none).
// Throws std::invalid_argument when the result is not an http:// or https:// URL with
// "{name}" in it (the message says what to pass instead).
std::string live_url_template(std::string_view scenario_url, std::string_view base_url);

}  // namespace live
