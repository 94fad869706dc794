#include "app/cli.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "app/command.hpp"
#include "sim/errors.hpp"

namespace app {

namespace {

// Every byte printed on stdout must have arrived: a failed write (a full disk, /dev/full, a
// closed pipe) is exit code 1 with the reason, whatever the command said.
int finish_stdout(int code) {
  errno = 0;
  if (std::fflush(stdout) == 0 && std::ferror(stdout) == 0) return code;
  const int err = errno;
  std::fprintf(stderr, "loiter: cannot write to stdout: %s\n",
               err != 0 ? std::strerror(err) : "write error");
  return code == kOk ? kFailed : code;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{
      "loiter: simulate, draw and verify download concurrency (sequential, worker pools, async)."};
  cli.require_subcommand(1);
  cli.footer(
      "Exit codes: 0 success, 1 the run failed (I/O, internal error), 2 bad input (command line or "
      "scenario).\n"
      "Run 'loiter COMMAND --help' for the options of a command.");

  const std::vector<Command> commands = {
      add_run_command(cli),      add_check_command(cli), add_serve_command(cli),
      add_sweep_command(cli),    add_merge_command(cli), add_live_command(cli),
      add_validate_command(cli),
  };

  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr,
                 "loiter: %s\nRun 'loiter --help' (or 'loiter COMMAND --help') for usage.\n",
                 e.what());
    return kBadInput;
  }

  try {
    for (const Command& c : commands) {
      if (c.node->parsed()) return finish_stdout(c.run());
    }
  } catch (const BadInput& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kBadInput;
  } catch (const sim::ProcessError& e) {
    std::fprintf(stderr, "loiter: internal error: %s\n", e.what());
    return kFailed;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "loiter: %s\n", e.what());
    return kFailed;
  }
  return kFailed;
}

}  // namespace app
