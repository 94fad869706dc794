#include "app/cli.hpp"

#include <cstdio>
#include <vector>

#include "app/command.hpp"
#include "sim/errors.hpp"

namespace app {

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
      if (c.node->parsed()) return c.run();
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
