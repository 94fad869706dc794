#include "app/result_files.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace app {

std::string render_report(const std::vector<model::StrategyResult>& results, const ReportInfo& info,
                          const std::string& format) {
  if (format == "json") return json_report(results, info);
  if (format == "csv") return csv_report(results, info);
  return text_report(results, info);
}

ResultFiles result_files(const std::vector<model::StrategyResult>& results,
                         const std::vector<model::StrategyResult>& overlay, const ReportInfo& info,
                         const plots::ChartInfo& chart, const std::string& format,
                         const std::string& report, bool* trace_sampled) {
  for (const model::StrategyResult& r : results)
    if (!r.all_spans) throw std::logic_error("the result files need every span of the run");
  ResultFiles out;
  plots::OutputFiles& files = out.files;
  // Per-download records grow with the run (10^6 downloads: 1.5 GB of report.json, 0.4 GB of
  // CSV): they follow the report's choice, and are written as they are made.
  if (format == "json") {
    files.emplace_back("report.json", report);
  } else if (!info.include_downloads) {
    files.emplace_back("report.json", json_report(results, info));
  } else {
    out.streamed.push_back({"report.json", [&results, info](const plots::Sink& sink) {
                              write_json_report(results, info, sink);
                            }});
  }
  if (info.include_downloads) {
    out.streamed.push_back(
        {"downloads.csv", [&results, hosts = info.hosts](const plots::Sink& sink) {
           plots::write_downloads_csv(results, sink, hosts);
         }});
  }
  files.emplace_back("gantt.svg", plots::gantt_svg(results, chart));
  if (info.hosts.size() > 1) {
    // A crawl: the same runs with each host's connections as lanes.
    std::vector<model::StrategyResult> grouped;
    for (const model::StrategyResult& r : results)
      grouped.push_back(plots::by_host(r, info.hosts));
    files.emplace_back("gantt-hosts.svg", plots::gantt_svg(grouped, chart));
  }
  if (!info.http2.empty()) {
    // HTTP/2: each connection with its streams as lanes, for the strategies that speak it.
    std::vector<model::StrategyResult> grouped;
    for (const model::StrategyResult& r : results)
      if (std::find(info.http2.begin(), info.http2.end(), r.name) != info.http2.end())
        grouped.push_back(plots::by_connection(r, info.hosts));
    files.emplace_back("gantt-connections.svg", plots::gantt_svg(grouped, chart));
  }
  files.emplace_back("summary.svg", plots::summary_svg(results, chart));
  files.emplace_back("timeline.svg", info.live ? plots::timeline_svg(overlay, results, chart)
                                               : plots::timeline_svg(results, overlay, chart));
  if (info.trace)
    files.emplace_back("trace.json",
                       plots::chrome_trace_json(results, plots::kTraceFullLimit, trace_sampled));
  return out;
}

void report_written(const std::filesystem::path& dir, const ResultFiles& files,
                    bool trace_sampled) {
  std::fprintf(stderr, "wrote");
  for (const auto& [name, contents] : files.files)
    std::fprintf(stderr, " %s", name.c_str());
  for (const auto& f : files.streamed)
    std::fprintf(stderr, " %s", f.name.c_str());
  std::fprintf(stderr, " to %s\n", dir.c_str());
  const bool skipped = std::none_of(files.streamed.begin(), files.streamed.end(),
                                    [](const auto& f) { return f.name == "downloads.csv"; });
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
