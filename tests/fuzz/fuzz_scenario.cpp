// libFuzzer target for the scenario loader: any text is either refused with a located
// ScenarioError or loads; what loads prints (as `loiter check` does) into text that loads
// again and prints the same.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "model/scenario_load.hpp"
#include "model/scenario_print.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string printed;
  try {
    printed = model::print_scenario(model::parse_scenario(text, "fuzz.toml"));
  } catch (const model::ScenarioError& e) {
    if (e.message().empty() || e.line() < 0 || e.column() < 0) std::abort();
    return 0;
  }
  try {
    const std::string again = model::print_scenario(model::parse_scenario(printed, "fuzz.toml"));
    if (again != printed) {
      std::fprintf(stderr, "round trip changed the text:\n--- first\n%s\n--- second\n%s\n",
                   printed.c_str(), again.c_str());
      std::abort();
    }
  } catch (const model::ScenarioError& e) {
    std::fprintf(stderr, "printed scenario does not load: %s\n--- printed\n%s\n", e.what(),
                 printed.c_str());
    std::abort();
  }
  return 0;
}
