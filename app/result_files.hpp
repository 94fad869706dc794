// The files and report of a run (simulated, live, or both), shared by run, live and validate.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "app/report.hpp"
#include "model/outcome.hpp"
#include "plots/output_files.hpp"
#include "plots/plots.hpp"

namespace app {

// Above this many downloads, per-download records (JSON downloads, downloads.csv) are left out
// unless asked for with --downloads yes. trace.json is written unless --downloads no, as a
// sample of a strategy's downloads above plots::kTraceFullLimit.
inline constexpr std::size_t kAutoDownloadsLimit = 100'000;

// The report on stdout in `format` (text, json or csv).
std::string render_report(const std::vector<model::StrategyResult>& results, const ReportInfo& info,
                          const std::string& format);

// A run's files: those made whole, and those written as they are made.
struct ResultFiles {
  plots::OutputFiles files;
  std::vector<plots::StreamedFile> streamed;
  bool empty() const { return files.empty() && streamed.empty(); }
};

// report.json, downloads.csv, gantt.svg, summary.svg, timeline.svg and trace.json for `results`
// (downloads.csv only when info.include_downloads); when `overlay` is given, the timeline also
// draws it (simulated dashed, live solid). `report` is reused as report.json when `format` is
// json (an empty `format`: no report was built, report.json is made here). `trace_sampled` is set
// when trace.json holds a sample. downloads.csv and a report.json with per-download records are
// streamed: they refer to `results`, which must outlive them.
ResultFiles result_files(const std::vector<model::StrategyResult>& results,
                         const std::vector<model::StrategyResult>& overlay, const ReportInfo& info,
                         const plots::ChartInfo& chart, const std::string& format,
                         const std::string& report, bool* trace_sampled = nullptr);

// "wrote a b c to DIR" on stderr, and what was left out or sampled.
void report_written(const std::filesystem::path& dir, const ResultFiles& files,
                    bool trace_sampled = false);

}  // namespace app
