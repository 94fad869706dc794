// A crawl's report by host: per strategy, what each of the scenario's [[host]] hosts got (its
// downloads, failures, when its last one ended, the wait for a connection to it), in the text
// report (the hosts whose downloads ended last) and in report.json (every host).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/outcome.hpp"

namespace app {

struct HostFigures {
  std::size_t downloads = 0, failed = 0;  // failed: any outcome but ok
  model::Duration last_end{0};            // from the first arrival
  model::Duration pool_wait{0};           // summed over its downloads (phase pool)
  model::Duration median{0};              // per-request time (end - start), nearest rank
};

// Every host's figures in one strategy's run; `hosts` names them (index = Outcome::host).
std::vector<HostFigures> host_figures(const model::StrategyResult& r, std::size_t hosts);

// The text report's table: for each strategy the `shown` hosts whose last download ended
// latest. "" with fewer than two hosts.
std::string host_table(const std::vector<model::StrategyResult>& results,
                       const std::vector<std::string>& hosts, std::size_t name_w,
                       std::size_t shown = 3);

// report.json's "hosts" of one strategy: every host, in the scenario's order.
nlohmann::ordered_json hosts_json(const model::StrategyResult& r,
                                  const std::vector<std::string>& hosts);

}  // namespace app
