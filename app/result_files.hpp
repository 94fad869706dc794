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

// Above this many downloads, per-download records (JSON downloads, downloads.csv,
// trace.json) are left out unless asked for with --downloads yes.
inline constexpr std::size_t kAutoDownloadsLimit = 100'000;

// The report on stdout in `format` (text, json or csv).
std::string render_report(const std::vector<model::StrategyResult>& results, const ReportInfo& info,
                          const std::string& format);

// report.json, downloads.csv, gantt.svg, summary.svg, timeline.svg and trace.json for `results`
// (the per-download files only when info.include_downloads); when `overlay` is given, the timeline
// also draws it (simulated dashed, live solid). `report` is reused as report.json when `format` is
// json.
plots::OutputFiles result_files(const std::vector<model::StrategyResult>& results,
                                const std::vector<model::StrategyResult>& overlay,
                                const ReportInfo& info, const plots::ChartInfo& chart,
                                const std::string& format, const std::string& report);

// "wrote a b c to DIR" on stderr.
void report_written(const std::filesystem::path& dir, const plots::OutputFiles& files);

}  // namespace app
