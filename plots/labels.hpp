// Human names for strategies, lanes and failures, shared by the pictures and the trace.
#pragma once

#include <cstddef>
#include <string>

#include "model/outcome.hpp"

namespace plots {

// "pool (thread, 3 workers, in order)"; " · live" appended for live runs.
std::string strategy_title(const model::StrategyResult& r);

// "worker 2" (pool), "slot 2" (async), "main" (sequential), "lane 2" otherwise.
std::string lane_name(const model::StrategyResult& r, int lane);

// What a failed download shows: its HTTP status when it has one ("404"), else the status
// ("timeout"). Empty for successful downloads.
std::string failure_label(const model::Outcome& o);

// A count with thousands separators ("1,000,000").
std::string count_label(std::size_t n);

// Seconds with a precision suited to `s` ("5.00 s", "0.123 s", "1234 s").
std::string seconds_label(double s);

}  // namespace plots
