// What the test server sends: deterministic synthetic bodies derived from an item's name, and
// the Content-Type for a name. Clients may use synthetic_byte to check what they received.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace live {

// A 64-bit key for a name (FNV-1a); the synthetic body of that name depends only on it.
std::uint64_t body_key(std::string_view name);

// Byte `offset` of the synthetic body of the item whose key is `key`.
constexpr char synthetic_byte(std::uint64_t key, std::uint64_t offset) {
  const auto lane = static_cast<unsigned>(offset & 7U) * 8U;
  return static_cast<char>(static_cast<std::uint8_t>((key >> lane) ^ (offset >> 3)));
}

// Fills `out` with the synthetic body bytes starting at `offset`.
void fill_synthetic(std::uint64_t key, std::uint64_t offset, std::span<char> out);
// The whole synthetic body of `name` (for tests and small bodies).
std::string synthetic_body(std::string_view name, std::size_t size);

// "image/gif" for names ending in .gif, a few other common types, else application/octet-stream.
std::string content_type_for(std::string_view path);

}  // namespace live
