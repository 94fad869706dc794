// A progress bar on stderr for long runs: shown only when stderr is a terminal and the run
// has taken more than about a second; erased when done.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "model/strategy_run.hpp"

namespace app {

class ProgressBar : public model::Progress {
 public:
  // `label` names what runs (e.g. the strategy); `enabled` false makes it silent.
  ProgressBar(std::string label, bool enabled);
  ~ProgressBar() override;
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void downloads_done(std::size_t done, std::size_t total) override;

  // True when stderr is a terminal.
  static bool stderr_is_terminal();

 private:
  using Clock = std::chrono::steady_clock;
  std::string label_;
  bool enabled_;
  bool shown_ = false;
  Clock::time_point started_ = Clock::now();
  Clock::time_point last_draw_{};
};

}  // namespace app
