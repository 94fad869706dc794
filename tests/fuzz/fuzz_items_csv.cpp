// libFuzzer target for the CSV item reader: any text is refused with a located
// ScenarioError or gives items with unique, printable, non-empty names and sizes within
// 1 TiB, which written back as CSV read into the same items.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "model/scenario_read.hpp"

namespace {

std::vector<model::Item> read(std::string_view text) {
  return model::parse_items_csv(text, "fuzz.csv", model::CsvColumns{});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<model::Item> items;
  try {
    items = read(text);
  } catch (const model::ScenarioError& e) {
    if (e.message().empty() || e.line() < 0 || e.column() < 0) std::abort();
    if (e.message().size() > 2000) std::abort();  // echoed values are cut
    return 0;
  }
  std::unordered_set<std::string_view> names;
  std::string back = "name,size\n";
  for (const model::Item& it : items) {
    if (it.name.empty() || !names.insert(it.name).second) std::abort();
    for (const char ch : it.name) {
      const auto c = static_cast<unsigned char>(ch);
      if (c < 0x20 || c == 0x7f || c == ',' || c == '"') std::abort();
    }
    if (it.bytes < 0 || static_cast<double>(it.bytes) > model::kMaxItemBytes) std::abort();
    back += it.name + "," + std::to_string(it.bytes) + "\n";
  }
  try {
    const std::vector<model::Item> again = read(back);
    if (again.size() != items.size()) std::abort();
    for (std::size_t i = 0; i < items.size(); ++i)
      if (again[i].name != items[i].name || again[i].bytes != items[i].bytes) std::abort();
  } catch (const model::ScenarioError&) {
    std::abort();
  }
  return 0;
}
