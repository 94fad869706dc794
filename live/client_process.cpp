// Running a user's client command (live/client_process.hpp): posix_spawn of `sh -c`, in a
// process group of its own, polled until it exits, times out or is stopped.
#include "live/client_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "live/curl_stop.hpp"

extern char** environ;

namespace live {

namespace {

using Clock = std::chrono::steady_clock;

// Our environment with `extra` added, a variable of the same name replaced.
std::vector<std::string> environment_with(
    const std::vector<std::pair<std::string, std::string>>& extra) {
  std::vector<std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry(*e);
    bool replaced = false;
    for (const auto& [name, value] : extra)
      replaced = replaced || entry.rfind(name + "=", 0) == 0;
    if (!replaced) out.push_back(entry);
  }
  for (const auto& [name, value] : extra)
    out.push_back(name + "=" + value);
  return out;
}

// Waits for the child to end without reaping it (its pid, and so its group id, stay taken
// until it is reaped). True when it has ended.
bool ended(pid_t pid) {
  siginfo_t info{};
  info.si_pid = 0;
  while (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
    if (errno != EINTR) return true;  // no such child: nothing left to wait for
  }
  return info.si_pid != 0;
}

// Ends the group: SIGTERM, then SIGKILL when the shell has not gone within a second.
void end_group(pid_t pid) {
  ::kill(-pid, SIGTERM);
  const auto deadline = Clock::now() + std::chrono::seconds(1);
  while (!ended(pid) && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (!ended(pid)) ::kill(-pid, SIGKILL);
}

}  // namespace

std::string ClientExit::describe() const {
  if (timed_out) return "timed out and was ended";
  if (stopped) return "was ended: loiter was interrupted";
  if (signal != 0) return fmt::format("was ended by signal {} ({})", signal, strsignal(signal));
  return fmt::format("exited with status {}", exit_code);
}

ClientExit run_client_command(const ClientCommand& c) {
  posix_spawn_file_actions_t files;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&files);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&files, c.output_fd, 1);
  posix_spawn_file_actions_adddup2(&files, c.output_fd, 2);
  // Its own group (so a timeout ends all it started), default signals and none blocked (we
  // block SIGINT and SIGTERM for the signal watcher; the child must not inherit that).
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE})
    sigaddset(&defaults, s);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> env = environment_with(c.env);
  std::vector<char*> envp;
  for (std::string& e : env)
    envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string sh = "/bin/sh", dash_c = "-c", command = c.command;
  char* argv[] = {sh.data(), dash_c.data(), command.data(), nullptr};

  const auto started = Clock::now();
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, "/bin/sh", &files, &attr, argv, envp.data());
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) throw std::runtime_error(fmt::format("cannot start /bin/sh: {}", strerror(rc)));

  ClientExit result;
  const auto deadline = started + c.timeout;
  while (!ended(pid)) {
    if (Clock::now() >= deadline) {
      result.timed_out = true;
      break;
    }
    if (c.stop != nullptr && c.stop->requested()) {
      result.stopped = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (result.timed_out || result.stopped) {
    end_group(pid);
  } else {
    ::kill(-pid, SIGTERM);  // whatever it left running in its group (its pid is still held)
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

}  // namespace live
