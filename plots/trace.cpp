// Chrome Trace Event Format export: a process per strategy, a thread per lane, a complete
// ("X") event per phase span; queued spans overlap on no lane, so they are async ("b"/"e").
#include <fmt/format.h>
#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "plots/labels.hpp"
#include "plots/plots.hpp"

namespace plots {
namespace {

using nlohmann::json;

// Trace timestamps are microseconds; nanoseconds keep three decimals.
double micros(sim::Duration d) {
  return static_cast<double>(d.count()) / 1000.0;
}

void emit(std::string& out, const json& event, bool& first) {
  out += first ? "\n" : ",\n";
  first = false;
  out += event.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Downloads between their start and end at 2,000 instants over the run, as a counter track.
void in_flight_counter(std::string& out, const model::StrategyResult& r, int pid, bool& first) {
  std::vector<sim::Time> starts, ends;
  starts.reserve(r.downloads.size());
  ends.reserve(r.downloads.size());
  sim::Time last{0};
  for (const auto& d : r.downloads) {
    if (d.lane < 0) continue;  // never started
    starts.push_back(d.start);
    ends.push_back(d.end);
    last = std::max(last, d.end);
  }
  std::sort(starts.begin(), starts.end());
  std::sort(ends.begin(), ends.end());
  constexpr int kInstants = 2000;
  for (int k = 0; k <= kInstants; ++k) {
    const sim::Time t{last.count() / kInstants * k};
    const auto started = std::upper_bound(starts.begin(), starts.end(), t) - starts.begin();
    const auto ended = std::upper_bound(ends.begin(), ends.end(), t) - ends.begin();
    emit(out,
         {{"ph", "C"},
          {"name", "in flight"},
          {"pid", pid},
          {"ts", micros(t)},
          {"args", {{"downloads", started - ended}}}},
         first);
  }
}

}  // namespace

std::string chrome_trace_json(const std::vector<model::StrategyResult>& results,
                              std::size_t full_limit, bool* sampled) {
  std::string out = "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[";
  bool first = true;
  if (sampled != nullptr) *sampled = false;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const model::StrategyResult& r = results[i];
    const int pid = static_cast<int>(i) + 1;
    emit(out,
         {{"ph", "M"},
          {"name", "process_name"},
          {"pid", pid},
          {"tid", 0},
          {"args", {{"name", strategy_title(r)}}}},
         first);
    emit(out,
         {{"ph", "M"},
          {"name", "process_sort_index"},
          {"pid", pid},
          {"tid", 0},
          {"args", {{"sort_index", pid}}}},
         first);
    std::set<int> lanes;
    for (int lane = 0; lane < std::max(1, r.lanes); ++lane)
      lanes.insert(lane);
    for (const auto& d : r.downloads)
      lanes.insert(d.lane);
    for (int lane : lanes) {
      emit(out,
           {{"ph", "M"},
            {"name", "thread_name"},
            {"pid", pid},
            {"tid", lane},
            {"args", {{"name", lane_name(r, lane)}}}},
           first);
      emit(out,
           {{"ph", "M"},
            {"name", "thread_sort_index"},
            {"pid", pid},
            {"tid", lane},
            {"args", {{"sort_index", lane}}}},
           first);
    }
    const bool sample = r.downloads.size() > full_limit;
    if (sample) {
      if (sampled != nullptr) *sampled = true;
      in_flight_counter(out, r, pid, first);
    }
    const std::size_t keep = full_limit / 2;
    for (const auto& d : r.downloads) {
      if (sample && d.id >= keep && d.id < r.downloads.size() - keep) continue;
      const std::size_t begin = std::min<std::size_t>(d.span_begin, r.spans.size());
      const std::size_t end = std::min<std::size_t>(begin + d.span_count, r.spans.size());
      for (std::size_t k = begin; k < end; ++k) {
        const model::PhaseSpan& s = r.spans[k];
        const json args = {{"item", d.name},
                           {"id", d.id},
                           {"status", model::to_string(d.status)},
                           {"http_status", d.http_status},
                           {"attempt", s.attempt}};
        const std::string phase(model::to_string(s.phase));
        if (s.phase == model::Phase::queued) {
          // Async ids are global in the format: offset them per strategy.
          const std::uint64_t id = (static_cast<std::uint64_t>(i) << 32) | d.id;
          emit(out,
               {{"ph", "b"},
                {"name", phase},
                {"cat", phase},
                {"id", id},
                {"pid", pid},
                {"tid", d.lane},
                {"ts", micros(s.start)},
                {"args", args}},
               first);
          emit(out,
               {{"ph", "e"},
                {"name", phase},
                {"cat", phase},
                {"id", id},
                {"pid", pid},
                {"tid", d.lane},
                {"ts", micros(s.end)}},
               first);
          continue;
        }
        emit(out,
             {{"ph", "X"},
              {"name", phase},
              {"cat", "download"},
              {"pid", pid},
              {"tid", d.lane},
              {"ts", micros(s.start)},
              {"dur", micros(s.end - s.start)},
              {"args", args}},
             first);
      }
    }
  }
  out += "\n]}\n";
  return out;
}

}  // namespace plots
