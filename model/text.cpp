#include "model/text.hpp"

#include <mutex>
#include <unordered_set>

#include <nlohmann/json.hpp>

namespace model {

namespace {

// The long texts, each once, for the process's lifetime (a node's string never moves).
const std::string* interned(std::string_view s) {
  static std::mutex lock;
  static std::unordered_set<std::string>* texts = new std::unordered_set<std::string>();
  const std::lock_guard<std::mutex> hold(lock);
  return &*texts->emplace(s).first;
}

}  // namespace

Text::Text(std::string_view s) {
  if (s.size() <= kTag) {
    std::memcpy(bytes_, s.data(), s.size());
    bytes_[kTag] = static_cast<char>(s.size());
    return;
  }
  const std::string* p = interned(s);
  std::memcpy(bytes_, &p, sizeof p);
  bytes_[kTag] = kLong;
}

void to_json(nlohmann::json& j, const Text& t) {
  j = std::string(t.view());
}
void to_json(nlohmann::ordered_json& j, const Text& t) {
  j = std::string(t.view());
}

}  // namespace model
