#include "app/report.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/report_hosts.hpp"

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

// Speed-ups are against a run the user asked for: the first sequential strategy of the
// report, else its first strategy.
const model::StrategyResult* baseline(const std::vector<model::StrategyResult>& results) {
  for (const auto& r : results) {
    if (r.kind == "sequential") return &r;
  }
  return results.empty() ? nullptr : &results.front();
}

// A run with stalled downloads never finishes: it has no makespan to compare.
bool never_finishes(const model::StrategyResult& r) {
  return r.summary.counts[static_cast<int>(model::Status::stalled)] > 0;
}

std::optional<double> speedup(const model::StrategyResult& r,
                              const std::vector<model::StrategyResult>& results) {
  const model::StrategyResult* base = baseline(results);
  if (base == nullptr || r.summary.makespan <= model::Duration::zero()) return std::nullopt;
  if (never_finishes(r) || never_finishes(*base)) return std::nullopt;
  return secs(base->summary.makespan) / secs(r.summary.makespan);
}

std::string over_bound(const model::StrategyResult& r) {
  if (r.summary.lower_bound <= model::Duration::zero() || never_finishes(r)) return "-";
  return fmt::format("{:+.0f}%",
                     100.0 * (secs(r.summary.makespan) / secs(r.summary.lower_bound) - 1.0));
}

nlohmann::ordered_json percentiles_json(const model::Percentiles& p) {
  return {{"p50", secs(p.p50)}, {"p95", secs(p.p95)}, {"p99", secs(p.p99)}};
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

std::string retries_phrase(const model::StrategyResult& r) {
  std::int64_t retries = 0, timeouts = 0;
  std::map<std::string, std::int64_t> reasons;  // "503", or the error text without a status
  for (const auto& f : r.failed_attempts) {
    if (!f.retried) continue;
    ++retries;
    if (f.status == Status::timeout) {
      ++timeouts;
    } else {
      ++reasons[f.http_status > 0 ? std::to_string(f.http_status) : f.error];
    }
  }
  if (retries == 0) return "";
  std::vector<std::pair<std::string, std::int64_t>> order(reasons.begin(), reasons.end());
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string why;
  for (const auto& [reason, n] : order)
    why += fmt::format("{}{} x {}", why.empty() ? "" : ", ", n, reason);
  if (timeouts > 0)
    why += fmt::format("{}{}", why.empty() ? "" : ", ", plural(timeouts, "timeout", "timeouts"));
  return fmt::format("{}: {}", plural(retries, "retry", "retries"), why);
}

std::string percentile_note(const std::vector<model::StrategyResult>& results) {
  for (const auto& r : results) {
    if (r.summary.percentile_error > 0)
      return fmt::format(
          "percentiles from histograms of the downloads' times (over {} downloads none are kept): "
          "each within {:.2f}% of the exact value",
          model::kExactUpTo, 100 * r.summary.percentile_error);
  }
  return "";
}

std::string most_common_error(const model::StrategyResult& r) {
  const std::map<std::string, std::int64_t>& reasons = r.tally.errors;
  if (reasons.empty()) return "";
  const auto most =
      std::max_element(reasons.begin(), reasons.end(),
                       [](const auto& a, const auto& b) { return a.second < b.second; });
  return most->first;
}

std::string all_failed_reason(const model::StrategyResult& r) {
  if (r.tally.downloads == 0 || count(r.summary, Status::ok) > 0) return "";
  const std::string most = most_common_error(r);
  return fmt::format("every download of '{}' failed: {}{}", r.name, outcome_phrase(r.summary),
                     most.empty() ? "" : "; most often: " + most);
}

// Every constraint of every strategy: its capacity, its use over the makespan, the share of
// the downloads' time spent waiting for it; the binding one marked.
std::string explain_table(const std::vector<model::StrategyResult>& results, std::size_t name_w) {
  std::size_t what_w = 10, cap_w = 8;
  for (const auto& r : results) {
    for (const auto& k : r.explanation.constraints) {
      what_w = std::max(what_w, k.name.size());
      cap_w = std::max(cap_w, k.capacity.size());
    }
  }
  std::string out = fmt::format("\n{:<{}}  {:<{}}  {:<{}}  {:>6}  {:>8}\n", "strategy", name_w,
                                "constraint", what_w, "capacity", cap_w, "busy", "waiting");
  const auto figure = [](double x) {
    return x < 0 ? std::string("-") : fmt::format("{:.1f}%", 100 * x);
  };
  for (const auto& r : results) {
    const auto& e = r.explanation;
    for (std::size_t i = 0; i < e.constraints.size(); ++i) {
      const auto& k = e.constraints[i];
      out += fmt::format("{:<{}}  {:<{}}  {:<{}}  {:>6}  {:>8}{}\n", r.name, name_w, k.name, what_w,
                         k.capacity, cap_w, figure(k.busy), figure(k.waiting),
                         static_cast<int>(i) == e.binding ? "  <- binds" : "");
    }
  }
  out +=
      "busy: its use over the makespan; waiting: the share of the downloads' time (arrival to "
      "end, summed) spent waiting for it\n";
  return out;
}

std::string text_report(const std::vector<model::StrategyResult>& results, const ReportInfo& info) {
  std::string out = fmt::format("{}{}: {}\n", info.scenario, info.live ? " (live)" : "",
                                info.description.empty() ? "" : info.description);
  if (!results.empty()) {
    out += fmt::format("seed {}, {} downloads{}{}\n\n", info.seed, results.front().tally.downloads,
                       info.arrivals.empty() ? "" : ", " + info.arrivals,
                       info.interrupted ? ", INTERRUPTED: partial results" : "");
  }
  std::size_t name_w = 8, detail_w = 6;
  for (const auto& r : results) {
    name_w = std::max(name_w, r.name.size());
    detail_w = std::max(detail_w, r.kind.size() + 2 + r.detail.size());
  }
  const model::StrategyResult* base = baseline(results);
  const std::string speedup_head = base == nullptr ? "speed-up" : "vs " + base->name;
  const std::size_t speedup_w = std::max<std::size_t>(8, speedup_head.size());
  out += fmt::format("{:<{}}  {:<{}}  {:>10}  {:>9}  {:>{}}  {:>8}\n", "strategy", name_w, "how",
                     detail_w, "makespan", "per s", speedup_head, speedup_w, "vs bound");
  for (const auto& r : results) {
    const auto& s = r.summary;
    const auto sp = speedup(r, results);
    const std::string makespan =
        never_finishes(r) ? "never" : fmt::format("{:.3f}s", secs(s.makespan));
    const std::string per_s = never_finishes(r) ? "-" : fmt::format("{:.1f}", s.throughput_per_s);
    out += fmt::format("{:<{}}  {:<{}}  {:>10}  {:>9}  {:>{}}  {:>8}\n", r.name, name_w,
                       r.kind + ": " + r.detail, detail_w, makespan, per_s,
                       sp ? fmt::format("{:.1f}x", *sp) : "-", speedup_w, over_bound(r));
  }
  // Two latencies: from a download's first attempt to its end (what a server sees), and from
  // its submission to the moment the caller consumed it (what the caller waits).
  std::string head = fmt::format("\n{:<{}}  {:>9}  {:^28}  {:^28}", "", name_w, "first",
                                 "per-request time", "time to result");
  head.erase(head.find_last_not_of(' ') + 1);
  out += head + "\n";
  out += fmt::format("{:<{}}  {:>9}  {:>8}  {:>8}  {:>8}  {:>8}  {:>8}  {:>8}\n", "strategy",
                     name_w, "result", "p50", "p95", "p99", "p50", "p95", "p99");
  for (const auto& r : results) {
    const auto& s = r.summary;
    out += fmt::format(
        "{:<{}}  {:>8.3f}s  {:>7.3f}s  {:>7.3f}s  {:>7.3f}s  {:>7.3f}s  {:>7.3f}s  {:>7.3f}s\n",
        r.name, name_w, secs(s.first_result), secs(s.per_request.p50), secs(s.per_request.p95),
        secs(s.per_request.p99), secs(s.time_to_result.p50), secs(s.time_to_result.p95),
        secs(s.time_to_result.p99));
  }
  if (const std::string note = percentile_note(results); !note.empty()) out += note + "\n";
  // With arrivals over time, whether a strategy keeps up: how long downloads wait for a lane
  // after arriving, and how many wait at once at worst.
  if (!info.arrivals.empty()) {
    out += fmt::format("\n{:<{}}  {:^28}  {:>12}\n", "", name_w, "queue time (arrival to start)",
                       "most");
    out += fmt::format("{:<{}}  {:>8}  {:>8}  {:>8}  {:>12}\n", "strategy", name_w, "p50", "p95",
                       "p99", "waiting");
    for (const auto& r : results) {
      const auto& q = r.summary.queue_time;
      out += fmt::format("{:<{}}  {:>7.3f}s  {:>7.3f}s  {:>7.3f}s  {:>12}\n", r.name, name_w,
                         secs(q.p50), secs(q.p95), secs(q.p99), r.summary.max_waiting);
    }
  }
  out += "\n";
  for (const auto& r : results) {
    const std::string retries = retries_phrase(r);
    out += fmt::format("{:<{}}  {}{}; lower bound {:.3f} s\n", r.name, name_w,
                       outcome_phrase(r.summary), retries.empty() ? "" : "; " + retries,
                       secs(r.summary.lower_bound));
    // A live run names what went wrong most often (e.g. "Couldn't connect to server").
    if (const std::string most = most_common_error(r); info.live && !most.empty())
      out += fmt::format("{:<{}}  most common error: {}\n", r.name, name_w, most);
    // The makespan of a run that cannot finish is only when it stopped moving.
    if (const auto n = count(r.summary, Status::stalled); n > 0) {
      out += fmt::format(
          "{:<{}}  never finishes: {} stalled at {:.3f} s, waiting for answers that never come "
          "and no client.timeout to end the wait\n",
          r.name, name_w, plural(n, "download", "downloads"), secs(r.summary.makespan));
    }
  }
  // What bound each run, one line each (model/explain.hpp); --explain adds the figures.
  out += "\n";
  for (const auto& r : results) {
    if (never_finishes(r)) continue;
    out += fmt::format("{:<{}}  {}\n", r.name, name_w, r.explanation.verdict);
  }
  if (info.explain) out += explain_table(results, name_w);
  out += host_table(results, info.hosts, name_w);
  return out;
}

namespace {

// One download's record in the JSON report; `hosts` names a crawl's hosts (none: one host).
nlohmann::ordered_json download_json(const model::StrategyResult& r, const model::Outcome& o,
                                     const std::vector<std::string>& hosts) {
  using nlohmann::ordered_json;
  if (!r.all_spans) throw std::logic_error("a download's record needs every span of the run");
  ordered_json d;
  d["id"] = o.id;
  d["name"] = o.name;
  if (o.host < hosts.size()) d["host"] = hosts[o.host];
  d["lane"] = o.lane;
  d["connection"] = o.connection;
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
  return d;
}

// What json_report writes in place of a strategy's downloads when they are streamed.
constexpr std::string_view kDownloadsMark = "\x01loiter:downloads\x01";

// The JSON report as a tree; with `placeholders`, each strategy's downloads are kDownloadsMark.
nlohmann::ordered_json report_tree(const std::vector<model::StrategyResult>& results,
                                   const ReportInfo& info, bool placeholders) {
  using nlohmann::ordered_json;
  ordered_json root;
  root["scenario"] = info.scenario;
  root["seed"] = info.seed;
  root["loiter_version"] = LOITER_VERSION;
  root["mode"] = info.live ? "live" : "simulated";
  root["interrupted"] = info.interrupted;
  const model::StrategyResult* base = baseline(results);
  root["speedup_baseline"] = base == nullptr ? ordered_json(nullptr) : ordered_json(base->name);
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
    // Completion (end - submitted), the figure older reports called latency.
    j["latency_s"] = {{"p50", secs(s.p50)}, {"p95", secs(s.p95)}, {"p99", secs(s.p99)}};
    j["first_result_s"] = secs(s.first_result);
    j["per_request_s"] = percentiles_json(s.per_request);
    j["time_to_result_s"] = percentiles_json(s.time_to_result);
    j["queue_time_s"] = percentiles_json(s.queue_time);
    j["max_waiting"] = s.max_waiting;
    if (s.percentile_error > 0) j["percentile_error"] = s.percentile_error;
    j["first_arrival_s"] = secs(s.first_arrival);
    j["outcomes"] = {
        {"ok", count(s, Status::ok)},           {"not_found", count(s, Status::not_found)},
        {"error", count(s, Status::error)},     {"timeout", count(s, Status::timeout)},
        {"stalled", count(s, Status::stalled)}, {"not_started", count(s, Status::not_started)}};
    ordered_json retried = ordered_json::object();
    std::int64_t retries = 0;
    for (const auto& f : r.failed_attempts) {
      if (!f.retried) continue;
      ++retries;
      const std::string why = f.status == Status::timeout ? "timeout"
                              : f.http_status > 0         ? "HTTP " + std::to_string(f.http_status)
                                                          : f.error;
      retried[why] = retried.value(why, 0) + 1;
    }
    j["retries"] = {{"count", retries}, {"reasons", std::move(retried)}};
    j["lower_bound_s"] = secs(s.lower_bound);
    const auto sp = speedup(r, results);
    j["speedup_vs_sequential"] =
        sp && base->kind == "sequential" ? ordered_json(*sp) : ordered_json(nullptr);
    j["speedup"] = sp ? ordered_json(*sp) : ordered_json(nullptr);
    j["lane_busy"] = s.lane_busy;
    ordered_json constraints = ordered_json::array();
    for (std::size_t i = 0; i < r.explanation.constraints.size(); ++i) {
      const auto& k = r.explanation.constraints[i];
      constraints.push_back(
          {{"name", k.name},
           {"capacity", k.capacity},
           {"busy", k.busy < 0 ? ordered_json(nullptr) : ordered_json(k.busy)},
           {"waiting", k.waiting < 0 ? ordered_json(nullptr) : ordered_json(k.waiting)},
           {"binds", static_cast<int>(i) == r.explanation.binding}});
    }
    j["explain"] = {{"verdict", r.explanation.verdict}, {"constraints", std::move(constraints)}};
    j["events"] = r.events;
    if (info.hosts.size() > 1) j["hosts"] = hosts_json(r, info.hosts);
    if (info.include_downloads) {
      if (placeholders) {
        j["downloads"] = std::string(kDownloadsMark);
      } else {
        ordered_json downloads = ordered_json::array();
        for (const auto& o : r.downloads)
          downloads.push_back(download_json(r, o, info.hosts));
        j["downloads"] = std::move(downloads);
      }
    }
    strategies.push_back(std::move(j));
  }
  root["strategies"] = std::move(strategies);
  return root;
}

}  // namespace

std::string json_report(const std::vector<model::StrategyResult>& results, const ReportInfo& info) {
  return report_tree(results, info, false).dump(2) + "\n";
}

void write_json_report(const std::vector<model::StrategyResult>& results, const ReportInfo& info,
                       const std::function<void(std::string_view)>& sink) {
  if (!info.include_downloads) return sink(json_report(results, info));
  const std::string text = report_tree(results, info, true).dump(2) + "\n";
  // The marks as dump() writes them; each strategy's is where its downloads array goes.
  const std::string mark = nlohmann::json(std::string(kDownloadsMark)).dump();
  std::vector<std::size_t> at;
  for (std::size_t i = text.find(mark); i != std::string::npos; i = text.find(mark, i + 1))
    at.push_back(i);
  // Names with control characters are refused when read, so no name holds the mark; should
  // one ever, the report is built whole instead.
  if (at.size() != results.size()) return sink(json_report(results, info));
  // Downloads are the elements of an array at depth 4 of the tree (8 spaces, dump(2)).
  const std::string indent(8, ' ');
  std::size_t from = 0;
  for (std::size_t k = 0; k < results.size(); ++k) {
    sink(std::string_view(text).substr(from, at[k] - from));
    const model::StrategyResult& r = results[k];
    if (r.downloads.empty()) {
      sink("[]");
    } else {
      sink("[\n");
      std::string one;
      for (std::size_t i = 0; i < r.downloads.size(); ++i) {
        one = indent;
        for (const char c : download_json(r, r.downloads[i], info.hosts).dump(2)) {
          one += c;
          if (c == '\n') one += indent;
        }
        one += i + 1 < r.downloads.size() ? ",\n" : "\n";
        sink(one);
      }
      sink("      ]");
    }
    from = at[k] + mark.size();
  }
  sink(std::string_view(text).substr(from));
}

std::string csv_report(const std::vector<model::StrategyResult>& results, const ReportInfo& info) {
  const model::StrategyResult* base = baseline(results);
  // The first columns keep their places; later ones are added at the end.
  std::string out =
      "scenario,seed,mode,strategy,kind,detail,lanes,downloads,makespan_s,throughput_per_s,p50_s,"
      "p95_s,p99_s,ok,not_found,error,timeout,lower_bound_s,speedup_vs_sequential,"
      "stalled,not_started,first_result_s,per_request_p50_s,per_request_p95_s,per_request_p99_s,"
      "time_to_result_p50_s,time_to_result_p95_s,time_to_result_p99_s,retries,speedup,"
      "speedup_baseline\n";
  for (const auto& r : results) {
    const auto& s = r.summary;
    const auto speed = speedup(r, results);
    const std::string sp = speed ? fmt::format("{:.6f}", *speed) : "";
    const std::string vs_sequential = base != nullptr && base->kind == "sequential" ? sp : "";
    std::int64_t retries = 0;
    for (const auto& f : r.failed_attempts)
      retries += f.retried ? 1 : 0;
    out += fmt::format(
        "{},{},{},{},{},{},{},{},{:.9f},{:.6f},{:.9f},{:.9f},{:.9f},{},{},{},{},{:.9f},{},",
        csv_field(info.scenario), info.seed, info.live ? "live" : "simulated", csv_field(r.name),
        r.kind, csv_field(r.detail), r.lanes, r.tally.downloads, secs(s.makespan),
        s.throughput_per_s, secs(s.p50), secs(s.p95), secs(s.p99), count(s, Status::ok),
        count(s, Status::not_found), count(s, Status::error), count(s, Status::timeout),
        secs(s.lower_bound), vs_sequential);
    out += fmt::format("{},{},{:.9f},{:.9f},{:.9f},{:.9f},{:.9f},{:.9f},{:.9f},{},{},{}\n",
                       count(s, Status::stalled), count(s, Status::not_started),
                       secs(s.first_result), secs(s.per_request.p50), secs(s.per_request.p95),
                       secs(s.per_request.p99), secs(s.time_to_result.p50),
                       secs(s.time_to_result.p95), secs(s.time_to_result.p99), retries, sp,
                       base == nullptr ? "" : csv_field(base->name));
  }
  return out;
}

}  // namespace app
