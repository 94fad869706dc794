// The event log of `loiter run --log`, printed the way the book's Executor.map demo prints:
// "[HH:MM:SS] " (run time), then one tab per submitted task before the task's lines
// ('\t' * n, as the demo does), then what happened.
#pragma once

#include <string>
#include <vector>

#include "model/strategy_run.hpp"
#include "model/transport.hpp"

namespace app {

// `jobs` gives the names and sleeps; `sleeps` selects the demo's wording and whole seconds.
std::string event_log(const model::StrategyResult& result, const std::vector<model::LogEvent>& log,
                      const std::vector<model::Job>& jobs);

}  // namespace app
