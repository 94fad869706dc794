#include "live/curl_url.hpp"

#include <stdexcept>

#include "live/server_route.hpp"

namespace live {

namespace {

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool http_url(std::string_view url) {
  return url.starts_with("http://") || url.starts_with("https://");
}

}  // namespace

std::string url_encode_name(std::string_view name) {
  const bool dots_only = !name.empty() && name.find_first_not_of('.') == std::string_view::npos;
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(name.size());
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (unreserved(c) && !(dots_only && c == '.')) {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0xF];
    }
  }
  return out;
}

std::string url_for(std::string_view url_template, std::string_view name) {
  constexpr std::string_view placeholder = "{name}";
  const std::string encoded = url_encode_name(name);
  std::string out;
  out.reserve(url_template.size() + encoded.size());
  std::size_t from = 0;
  for (;;) {
    const auto at = url_template.find(placeholder, from);
    if (at == std::string_view::npos) break;
    out.append(url_template.substr(from, at - from));
    out += encoded;
    from = at + placeholder.size();
  }
  out.append(url_template.substr(from));
  return out;
}

std::string live_url_template(std::string_view scenario_url, std::string_view base_url) {
  std::string result;
  if (base_url.empty()) {
    if (scenario_url.empty()) {
      throw std::invalid_argument(
          "the scenario has no [live] url: add one (e.g. url = \"http://127.0.0.1:8001/{name}\") "
          "or give --base-url URL");
    }
    result = scenario_url;
  } else if (base_url.find("{name}") != std::string_view::npos) {
    result = base_url;
  } else {
    std::string_view base = base_url;
    while (base.ends_with('/'))
      base.remove_suffix(1);
    result = std::string(base) + url_path_part(scenario_url.empty() ? "/{name}" : scenario_url);
  }
  if (!http_url(result)) {
    throw std::invalid_argument("live URL '" + result +
                                "' is not an http:// or https:// URL (only those are fetched)");
  }
  if (result.find("{name}") == std::string::npos) {
    throw std::invalid_argument("live URL '" + result +
                                "' has no {name} placeholder for the item name");
  }
  return result;
}

}  // namespace live
