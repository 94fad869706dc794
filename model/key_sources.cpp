// Recording the source region of every key of a scenario's TOML document (see key_sources.hpp).
#include "model/key_sources_toml.hpp"

#include <sstream>

namespace model {
namespace {

std::string region(const std::string& path, const toml::source_region& r) {
  return path + ":" + std::to_string(r.begin.line) + ":" + std::to_string(r.begin.column);
}

std::string text_of(const toml::node& n) {
  if (const auto* s = n.as_string()) return s->get();
  std::ostringstream out;
  n.visit([&](const auto& v) { out << toml::toml_formatter(v); });
  return out.str();
}

void record(KeySources& out, const std::string& path, const std::string& name,
            const toml::node& n) {
  out[name] = KeySource{region(path, n.source()), text_of(n)};
}

void record_table(KeySources& out, const std::string& path, const std::string& prefix,
                  const toml::table& t) {
  for (const auto& [key, node] : t) {
    const std::string name = prefix + std::string(key.str());
    record(out, path, name, node);
    if (const auto* a = node.as_array(); a && name != "workload.items") {
      for (std::size_t i = 0; i < a->size(); ++i) {
        const std::string item = name + "[" + std::to_string(i) + "]";
        record(out, path, item, (*a)[i]);
        if (const auto* it = (*a)[i].as_table()) record_table(out, path, item + ".", *it);
      }
    } else if (const auto* sub = node.as_table()) {
      record_table(out, path, name + ".", *sub);
    }
  }
}

}  // namespace

KeySources key_sources(const toml::table& root, const std::string& path) {
  KeySources out;
  out[""] = KeySource{path + ":1:1", ""};
  for (const auto& [key, node] : root) {
    const std::string name(key.str());
    if (name == "strategy" && node.is_array()) {
      for (const toml::node& s : *node.as_array()) {
        const auto* t = s.as_table();
        const auto* n = t ? t->get_as<std::string>("name") : nullptr;
        if (!n) continue;
        const std::string prefix = "strategy." + n->get();
        record(out, path, prefix, s);
        record_table(out, path, prefix + ".", *t);
      }
      continue;
    }
    record(out, path, name, node);
    if (const auto* t = node.as_table()) record_table(out, path, name + ".", *t);
  }
  return out;
}

}  // namespace model
