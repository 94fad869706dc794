// A short immutable string in 16 bytes, for the names and error texts kept per download: up to
// 15 characters are held in place ("item-1234567", "HTTP 503"), a longer text once for the whole
// process (a run has few distinct long ones: error messages repeat, and listed names are
// each kept once as before). A std::string is 32 bytes, and 10^7 downloads kept two of them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <ostream>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json_fwd.hpp>

namespace model {

class Text {
 public:
  Text() = default;
  Text(std::string_view s);  // NOLINT(google-explicit-constructor): a string where one was
  Text(const std::string& s) : Text(std::string_view(s)) {}  // NOLINT
  Text(const char* s) : Text(std::string_view(s)) {}         // NOLINT

  std::string_view view() const {
    if (bytes_[kTag] == kLong) {
      const std::string* s = nullptr;
      std::memcpy(&s, bytes_, sizeof s);
      return *s;
    }
    return {bytes_, static_cast<std::size_t>(bytes_[kTag])};
  }
  std::string str() const { return std::string(view()); }
  operator std::string_view() const { return view(); }  // NOLINT
  operator std::string() const { return str(); }        // NOLINT
  bool empty() const { return bytes_[kTag] == 0; }
  std::size_t size() const { return view().size(); }

  friend bool operator==(const Text& a, const Text& b) { return a.view() == b.view(); }
  friend std::ostream& operator<<(std::ostream& out, const Text& t) { return out << t.view(); }

 private:
  static constexpr std::size_t kTag = 15;  // the length in place, or kLong
  static constexpr char kLong = static_cast<char>(0x7f);
  char bytes_[16] = {};
};
static_assert(sizeof(Text) == 16);

inline std::string operator+(const std::string& a, const Text& b) {
  return a + std::string(b.view());
}
inline std::string operator+(const Text& a, const std::string& b) {
  return std::string(a.view()) + b;
}
inline std::string operator+(const char* a, const Text& b) {
  return a + std::string(b.view());
}
inline std::string operator+(const Text& a, const char* b) {
  return std::string(a.view()) + b;
}

void to_json(nlohmann::json& j, const Text& t);
void to_json(nlohmann::ordered_json& j, const Text& t);

}  // namespace model

template <>
struct fmt::formatter<model::Text> : fmt::formatter<std::string_view> {
  template <class Context>
  auto format(const model::Text& t, Context& ctx) const {
    return fmt::formatter<std::string_view>::format(t.view(), ctx);
  }
};
