// Chrome Trace Event Format export: a process per strategy, a thread per lane, a complete
// ("X") event per phase span; queued spans overlap on no lane, so they are async ("b"/"e").
#include <fmt/format.h>
#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

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

}  // namespace

std::string chrome_trace_json(const std::vector<model::StrategyResult>& results) {
  std::string out = "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[";
  bool first = true;
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
    for (const auto& d : r.downloads) {
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
