// Exceptions the engine raises: a process's unhandled failure, an interrupt, the horizon.
#pragma once

#include <stdexcept>
#include <string>

namespace sim {

// Thrown into a waiting process by Simulation::interrupt(); `cause` says why.
class Interrupted : public std::runtime_error {
 public:
  explicit Interrupted(std::string cause = "interrupted")
      : std::runtime_error(cause), cause_(std::move(cause)) {}
  const std::string& cause() const { return cause_; }

 private:
  std::string cause_;
};

// A wake-up was asked for at or past the engine's horizon (sim::kTimeMax, ~292 years):
// the run cannot go on with exact times. Not wrapped in ProcessError: the message is the
// user's to read (what asked for it, and when).
class HorizonError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Ends run() when a process that nobody joins fails: names the process and the error.
class ProcessError : public std::runtime_error {
 public:
  ProcessError(std::string process, const std::string& what)
      : std::runtime_error("process '" + process + "' failed: " + what),
        process_(std::move(process)) {}
  const std::string& process() const { return process_; }

 private:
  std::string process_;
};

}  // namespace sim
