#include "app/report.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace app {

namespace {

using model::Status;

double secs(model::Duration d) {
  return sim::to_seconds(d);
}

std::int64_t count(const model::Summary& s, Status st) {
  return s.counts[static_cast<int>(st)];
}

std::string plural(std::int64_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string speedup(const model::StrategyResult& r, const ReportInfo& info) {
  if (!info.sequential_makespan || r.summary.makespan <= model::Duration::zero()) return "-";
  return fmt::format("{:.1f}x", secs(*info.sequential_makespan) / secs(r.summary.makespan));
}

std::string over_bound(const model::StrategyResult& r) {
  if (r.summary.lower_bound <= model::Duration::zero()) return "-";
  return fmt::format("{:+.0f}%",
                     100.0 * (secs(r.summary.makespan) / secs(r.summary.lower_bound) - 1.0));
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string outcome_phrase(const model::Summary& s) {
  std::string out =
      fmt::format("{}, {}, {}, {}", plural(count(s, Status::ok), "downloaded", "downloaded"),
                  plural(count(s, Status::not_found), "not found", "not found"),
                  plural(count(s, Status::error), "error", "errors"),
                  plural(count(s, Status::timeout), "timeout", "timeouts"));
  // Only runs that never finish (stalled) or were stopped (not started) name these.
  if (const auto n = count(s, Status::stalled); n > 0) out += fmt::format(", {} stalled", n);
  if (const auto n = count(s, Status::not_started); n > 0)
    out += fmt::format(", {} not started", n);
  return out;
}

std::string text_report(const std::vector<model::StrategyResult>& results, const ReportInfo& info) {
  std::string out = fmt::format("{}{}: {}\n", info.scenario, info.live ? " (live)" : "",
                                info.description.empty() ? "" : info.description);
  if (!results.empty()) {
    out += fmt::format("seed {}, {} downloads{}\n\n", info.seed, results.front().downloads.size(),
                       info.interrupted ? ", INTERRUPTED: partial results" : "");
  }
  std::size_t name_w = 8, detail_w = 6;
  for (const auto& r : results) {
    name_w = std::max(name_w, r.name.size());
    detail_w = std::max(detail_w, r.kind.size() + 2 + r.detail.size());
  }
  out += fmt::format("{:<{}}  {:<{}}  {:>10}  {:>9}  {:>8}  {:>8}  {:>8}  {:>8}  {:>8}\n",
                     "strategy", name_w, "how", detail_w, "makespan", "per s", "p50", "p95", "p99",
                     "speed-up", "vs bound");
  for (const auto& r : results) {
    const auto& s = r.summary;
    out += fmt::format(
        "{:<{}}  {:<{}}  {:>9.3f}s  {:>9.1f}  {:>7.3f}s  {:>7.3f}s  {:>7.3f}s  {:>8}  {:>8}\n",
        r.name, name_w, r.kind + ": " + r.detail, detail_w, secs(s.makespan), s.throughput_per_s,
        secs(s.p50), secs(s.p95), secs(s.p99), speedup(r, info), over_bound(r));
  }
  out += "\n";
  for (const auto& r : results) {
    out += fmt::format("{:<{}}  {}; lower bound {:.3f} s\n", r.name, name_w,
                       outcome_phrase(r.summary), secs(r.summary.lower_bound));
  }
  return out;
}

std::string json_report(const std::vector<model::StrategyResult>& results, const ReportInfo& info) {
  using nlohmann::ordered_json;
  ordered_json root;
  root["scenario"] = info.scenario;
  root["seed"] = info.seed;
  root["loiter_version"] = LOITER_VERSION;
  root["mode"] = info.live ? "live" : "simulated";
  root["interrupted"] = info.interrupted;
  ordered_json strategies = ordered_json::array();
  for (const auto& r : results) {
    const auto& s = r.summary;
    ordered_json j;
    j["name"] = r.name;
    j["kind"] = r.kind;
    j["detail"] = r.detail;
    j["lanes"] = r.lanes;
    j["makespan_s"] = secs(s.makespan);
    j["throughput_per_s"] = s.throughput_per_s;
    j["latency_s"] = {{"p50", secs(s.p50)}, {"p95", secs(s.p95)}, {"p99", secs(s.p99)}};
    j["outcomes"] = {
        {"ok", count(s, Status::ok)},           {"not_found", count(s, Status::not_found)},
        {"error", count(s, Status::error)},     {"timeout", count(s, Status::timeout)},
        {"stalled", count(s, Status::stalled)}, {"not_started", count(s, Status::not_started)}};
    j["lower_bound_s"] = secs(s.lower_bound);
    j["speedup_vs_sequential"] =
        info.sequential_makespan && s.makespan > model::Duration::zero()
            ? ordered_json(secs(*info.sequential_makespan) / secs(s.makespan))
            : ordered_json(nullptr);
    j["lane_busy"] = s.lane_busy;
    j["events"] = r.events;
    if (info.include_downloads) {
      ordered_json downloads = ordered_json::array();
      for (const auto& o : r.downloads) {
        ordered_json d;
        d["id"] = o.id;
        d["name"] = o.name;
        d["lane"] = o.lane;
        d["status"] = std::string(model::to_string(o.status));
        d["http_status"] = o.http_status;
        d["attempts"] = o.attempts;
        d["bytes"] = o.bytes;
        d["queued_s"] = secs(o.submitted);
        d["start_s"] = secs(o.start);
        d["end_s"] = secs(o.end);
        d["consumed_s"] = secs(o.consumed);
        if (!o.error.empty()) d["error"] = o.error;
        ordered_json phases = ordered_json::object();
        ordered_json spans = ordered_json::array();
        for (std::uint32_t k = 0; k < o.span_count; ++k) {
          const auto& sp = r.spans[o.span_begin + k];
          const std::string name(model::to_string(sp.phase));
          phases[name] = {secs(sp.start), secs(sp.end)};  // the last attempt's
          spans.push_back({{"phase", name},
                           {"attempt", sp.attempt},
                           {"start_s", secs(sp.start)},
                           {"end_s", secs(sp.end)}});
        }
        d["phases"] = std::move(phases);
        d["spans"] = std::move(spans);
        downloads.push_back(std::move(d));
      }
      j["downloads"] = std::move(downloads);
    }
    strategies.push_back(std::move(j));
  }
  root["strategies"] = std::move(strategies);
  return root.dump(2) + "\n";
}

std::string csv_report(const std::vector<model::StrategyResult>& results, const ReportInfo& info) {
  std::string out =
      "scenario,seed,mode,strategy,kind,detail,lanes,downloads,makespan_s,throughput_per_s,p50_s,"
      "p95_s,"
      "p99_s,ok,not_found,error,timeout,stalled,not_started,lower_bound_s,speedup_vs_sequential\n";
  for (const auto& r : results) {
    const auto& s = r.summary;
    const std::string sp =
        info.sequential_makespan && s.makespan > model::Duration::zero()
            ? fmt::format("{:.6f}", secs(*info.sequential_makespan) / secs(s.makespan))
            : "";
    out += fmt::format(
        "{},{},{},{},{},{},{},{},{:.9f},{:.6f},{:.9f},{:.9f},{:.9f},{},{},{},{},{},{},{:.9f},{}\n",
        csv_field(info.scenario), info.seed, info.live ? "live" : "simulated", csv_field(r.name),
        r.kind, csv_field(r.detail), r.lanes, r.downloads.size(), secs(s.makespan),
        s.throughput_per_s, secs(s.p50), secs(s.p95), secs(s.p99), count(s, Status::ok),
        count(s, Status::not_found), count(s, Status::error), count(s, Status::timeout),
        count(s, Status::stalled), count(s, Status::not_started), secs(s.lower_bound), sp);
  }
  return out;
}

}  // namespace app
