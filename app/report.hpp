// Reports of a run: the text table a person reads, the JSON report (a stable interface,
// documented in docs/report-json.md) and a CSV summary, one row per strategy.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/outcome.hpp"

namespace app {

struct ReportInfo {
  std::string scenario;
  std::string description;
  std::uint64_t seed = 0;
  bool live = false;
  bool interrupted = false;
  bool include_downloads = true;   // per-download records in the JSON report
  bool trace = true;               // trace.json (a sample when large); false for --downloads no
  std::string arrivals;            // model::arrivals_phrase ("" when all arrive at t = 0)
  bool explain = false;            // the text report adds each strategy's constraints table
  std::vector<std::string> hosts;  // a crawl's [[host]] names (Outcome::host); none: one host
  std::vector<std::string> http2;  // the strategies whose client speaks HTTP/2
};

// "20 downloaded, 1 not found, 2 errors, 0 timeouts", as flags2 prints its Counter.
std::string outcome_phrase(const model::Summary& s);

// How many retries a run made and why: "12 retries: 9 x 503, 3 timeouts" ("" for none).
std::string retries_phrase(const model::StrategyResult& r);

// The error text most failed downloads ended with ("" when none failed).
// "" when every percentile is exact; else what they come from and how close they are.
std::string percentile_note(const std::vector<model::StrategyResult>& results);
std::string most_common_error(const model::StrategyResult& r);

// Why a strategy's run got nothing at all, in one line ("every download of 'async' failed: 5
// errors; most often: Couldn't connect to server"), or "" when some download succeeded.
std::string all_failed_reason(const model::StrategyResult& r);

std::string text_report(const std::vector<model::StrategyResult>& results, const ReportInfo& info);
std::string json_report(const std::vector<model::StrategyResult>& results, const ReportInfo& info);
// The same text, a download at a time: report.json of a large run is never held whole.
void write_json_report(const std::vector<model::StrategyResult>& results, const ReportInfo& info,
                       const std::function<void(std::string_view)>& sink);
std::string csv_report(const std::vector<model::StrategyResult>& results, const ReportInfo& info);

}  // namespace app
