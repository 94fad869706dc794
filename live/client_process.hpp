// A user's own downloader run as a shell command (`loiter validate --client`): `sh -c COMMAND`
// in its own process group, with extra environment, bounded in time, stoppable.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace live {

class LiveStop;

struct ClientCommand {
  std::string command;                                   // given to `sh -c`
  std::vector<std::pair<std::string, std::string>> env;  // added to (or replacing) ours
  std::chrono::nanoseconds timeout = std::chrono::minutes(10);
  int output_fd = 2;               // the command's stdout and stderr go here; stdin is /dev/null
  const LiveStop* stop = nullptr;  // when it is requested (Ctrl-C), the command is ended
};

struct ClientExit {
  int exit_code = -1;  // the shell's exit status; -1 when ended by a signal
  int signal = 0;      // the signal that ended it, 0 when it exited
  bool timed_out = false;
  bool stopped = false;  // ended because `stop` was requested
  double seconds = 0;    // wall time from start to exit
  bool ok() const { return exit_code == 0 && !timed_out && !stopped; }
  std::string describe() const;  // "exited with status 3", "timed out and was ended", ...
};

// Runs the command and waits for it. On timeout or stop its whole process group gets SIGTERM,
// then SIGKILL a second later; processes it leaves behind in its group when it exits are ended
// the same way, so nothing keeps fetching after this returns. Throws std::runtime_error when
// the shell cannot be started.
ClientExit run_client_command(const ClientCommand& c);

}  // namespace live
