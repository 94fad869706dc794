#include "app/command.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "model/memory_estimate.hpp"
#include "model/scenario_load.hpp"
#include "model/scenario_warnings.hpp"
#include "model/simulate.hpp"
#include "model/units.hpp"

namespace app {

CLI::Validator finite_range(double min, double max) {
  const std::string range = fmt::format("a number from {:g} to {:g}", min, max);
  return CLI::Validator(
      [min, max, range](std::string& text) -> std::string {
        double v = 0;
        if (!CLI::detail::lexical_cast(text, v) || !std::isfinite(v))
          return "'" + text + "' is not a finite number; expected " + range;
        if (v < min || v > max) return "'" + text + "' is out of range; expected " + range;
        return {};
      },
      fmt::format("NUMBER in [{:g}, {:g}]", min, max));
}

namespace {

// A /proc/meminfo field ("MemAvailable", "MemTotal") in bytes; 0 when it cannot be read.
std::uint64_t meminfo(const char* field) {
  std::FILE* f = std::fopen("/proc/meminfo", "re");
  if (f == nullptr) return 0;
  char line[256];
  unsigned long long kib = 0;
  const std::string format = std::string(field) + ": %llu kB";
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::sscanf(line, format.c_str(), &kib) == 1) break;
  }
  std::fclose(f);
  return static_cast<std::uint64_t>(kib) * 1024;
}

}  // namespace

void refuse_if_too_large(const model::Scenario& s,
                         const std::vector<const model::Strategy*>& strategies,
                         const std::string& budget, bool all_spans) {
  const std::uint64_t needed = model::estimate_run_bytes(s, strategies, all_spans);
  std::uint64_t limit = 0;
  std::string why;
  if (!budget.empty()) {
    try {
      const double bytes = model::parse_size(budget);
      if (!(bytes >= 1 && bytes <= 1e18)) throw std::invalid_argument("out of range");
      limit = static_cast<std::uint64_t>(bytes);
    } catch (const std::exception&) {
      throw BadInput("--max-memory: '" + budget +
                     "' is not a size; expected e.g. 8 GiB or 512 MiB (1 B to 1 EB)");
    }
    why = "--max-memory";
  } else {
    const std::uint64_t half = meminfo("MemTotal") / 2, available = meminfo("MemAvailable");
    limit = std::min(half == 0 ? available : half, available == 0 ? half : available);
    why = limit == half ? "half the machine's RAM, MemTotal in /proc/meminfo"
                        : "what the machine has available, MemAvailable in /proc/meminfo";
  }
  if (limit == 0 || needed <= limit) return;
  constexpr double kGiB = 1024.0 * 1024 * 1024;
  throw BadInput(fmt::format(
      "{}: this run needs about {:.1f} GiB of memory ({} downloads, {} {}), more than its "
      "budget of {:.1f} GiB ({}). Expected fewer downloads or strategies (--strategy NAME runs "
      "one), or a larger --max-memory",
      s.source_path.empty() ? s.name : s.source_path, static_cast<double>(needed) / kGiB,
      s.workload.kind == model::Workload::Kind::generated
          ? static_cast<std::uint64_t>(s.workload.count)
      : s.workload.kind == model::Workload::Kind::items ? s.workload.items.size()
                                                        : s.workload.sleeps.size(),
      strategies.size(), strategies.size() == 1 ? "strategy" : "strategies",
      static_cast<double>(limit) / kGiB, why));
}

model::Scenario load_scenario_or_bad_input(const std::string& path) {
  try {
    return model::load_scenario(path);
  } catch (const model::ScenarioError& e) {
    throw FileBadInput(e.what());
  }
}

std::vector<const model::Strategy*> strategies_or_bad_input(const model::Scenario& s,
                                                            const std::vector<std::string>& names) {
  try {
    return model::select_strategies(s, names);
  } catch (const std::invalid_argument& e) {
    throw BadInput(e.what());
  }
}

void report_warnings(const model::Scenario& s, bool strict, bool live) {
  std::vector<model::Warning> warnings = model::scenario_warnings(s);
  if (live) std::erase_if(warnings, [](const model::Warning& w) { return w.simulated_only; });
  for (const model::Warning& w : warnings)
    std::fprintf(stderr, "%s\n", w.text().c_str());
  if (strict && !warnings.empty())
    throw BadInput("--strict: " + std::to_string(warnings.size()) +
                   (warnings.size() == 1 ? " warning" : " warnings") +
                   "; expected none (fix them, or run without --strict)");
}

void add_strict_flag(CLI::App& cmd, bool& strict) {
  cmd.add_flag("--strict", strict, "Treat warnings about the scenario as errors (exit code 2)");
}

CLI::Validator seed_range() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::int64_t v = 0;
        const bool whole = CLI::detail::lexical_cast(text, v);
        if (whole && v >= 0) return {};
        return "'" + text + "' is not a seed; expected a whole number from 0 to " +
               std::to_string(std::numeric_limits<std::int64_t>::max());
      },
      "SEED");
}

CLI::Validator realtime_factor() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double v = 0;
        if (CLI::detail::lexical_cast(text, v) && std::isfinite(v) && v >= 1e-3 && v <= 1e3)
          return {};
        return "'" + text +
               "' is not a pace; expected a factor from 0.001 to 1000: wall seconds per "
               "simulated second "
               "(1 = real time, 0.5 = twice as fast; leave --realtime out to run unpaced)";
      },
      "FACTOR");
}

}  // namespace app
