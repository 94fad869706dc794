// Reports of a run: the text table a person reads, the JSON report (a stable interface,
// documented in docs/report-json.md) and a CSV summary, one row per strategy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/outcome.hpp"

namespace app {

struct ReportInfo {
  std::string scenario;
  std::string description;
  std::uint64_t seed = 0;
  bool live = false;
  bool interrupted = false;
  // Makespan of the sequential strategy, for speed-ups (from the run, or simulated aside).
  std::optional<model::Duration> sequential_makespan;
  bool include_downloads = true;  // per-download records in the JSON report
};

// "20 downloaded, 1 not found, 2 errors, 0 timeouts", as flags2 prints its Counter.
std::string outcome_phrase(const model::Summary& s);

std::string text_report(const std::vector<model::StrategyResult>& results, const ReportInfo& info);
std::string json_report(const std::vector<model::StrategyResult>& results, const ReportInfo& info);
std::string csv_report(const std::vector<model::StrategyResult>& results, const ReportInfo& info);

}  // namespace app
