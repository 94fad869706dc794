#include "app/result_files.hpp"

#include <algorithm>
#include <cstdio>

namespace app {

std::string render_report(const std::vector<model::StrategyResult>& results, const ReportInfo& info,
                          const std::string& format) {
  if (format == "json") return json_report(results, info);
  if (format == "csv") return csv_report(results, info);
  return text_report(results, info);
}

plots::OutputFiles result_files(const std::vector<model::StrategyResult>& results,
                                const std::vector<model::StrategyResult>& overlay,
                                const ReportInfo& info, const plots::ChartInfo& chart,
                                const std::string& format, const std::string& report,
                                bool* trace_sampled) {
  plots::OutputFiles files;
  files.emplace_back("report.json", format == "json" ? report : json_report(results, info));
  // Per-download exports grow with the run (10^6 downloads: ~0.8 GB of trace); they follow
  // the report's choice of per-download records.
  if (info.include_downloads) files.emplace_back("downloads.csv", plots::downloads_csv(results));
  files.emplace_back("gantt.svg", plots::gantt_svg(results, chart));
  files.emplace_back("summary.svg", plots::summary_svg(results, chart));
  files.emplace_back("timeline.svg", info.live ? plots::timeline_svg(overlay, results, chart)
                                               : plots::timeline_svg(results, overlay, chart));
  if (info.trace)
    files.emplace_back("trace.json",
                       plots::chrome_trace_json(results, plots::kTraceFullLimit, trace_sampled));
  return files;
}

void report_written(const std::filesystem::path& dir, const plots::OutputFiles& files,
                    bool trace_sampled) {
  std::fprintf(stderr, "wrote");
  for (const auto& [name, contents] : files)
    std::fprintf(stderr, " %s", name.c_str());
  std::fprintf(stderr, " to %s\n", dir.c_str());
  const bool skipped = std::none_of(files.begin(), files.end(),
                                    [](const auto& f) { return f.first == "downloads.csv"; });
  if (skipped) {
    std::fprintf(stderr,
                 "skipped downloads.csv: more than %zu downloads (--downloads yes writes it)\n",
                 kAutoDownloadsLimit);
  }
  if (trace_sampled) {
    std::fprintf(stderr,
                 "trace.json holds a sample: of a strategy with more than %zu downloads, its "
                 "first and last %zu and an \"in flight\" counter over the whole run\n",
                 plots::kTraceFullLimit, plots::kTraceFullLimit / 2);
  }
}

}  // namespace app
