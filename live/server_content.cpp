// Synthetic bodies and content types for the test server.
#include "live/server_content.hpp"

#include <array>
#include <cctype>
#include <utility>

namespace live {

std::uint64_t body_key(std::string_view name) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : name) {
    h ^= static_cast<std::uint8_t>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

void fill_synthetic(std::uint64_t key, std::uint64_t offset, std::span<char> out) {
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = synthetic_byte(key, offset + i);
}

std::string synthetic_body(std::string_view name, std::size_t size) {
  std::string body(size, '\0');
  fill_synthetic(body_key(name), 0, body);
  return body;
}

std::string content_type_for(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kTypes{{
      {".gif", "image/gif"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".svg", "image/svg+xml"},
      {".txt", "text/plain"},
      {".html", "text/html"},
      {".json", "application/json"},
  }};
  const auto dot = path.rfind('.');
  if (dot != std::string_view::npos && path.find('/', dot) == std::string_view::npos) {
    std::string ext(path.substr(dot));
    for (auto& c : ext)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const auto& [suffix, type] : kTypes) {
      if (ext == suffix) return std::string(type);
    }
  }
  return "application/octet-stream";
}

}  // namespace live
