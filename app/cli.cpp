// The `loiter` command line: parses the subcommand, runs it, and reports its errors in one
// style ("loiter COMMAND: ...", or "path:line:col: ..." for a mistake inside a file).
#include "app/cli.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "app/command.hpp"
#include "model/words.hpp"
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

// The subcommand the command line names (its first word that is one), "" if none.
std::string command_named(int argc, char** argv, const std::vector<Command>& commands) {
  for (int i = 1; i < argc; ++i) {
    for (const Command& c : commands) {
      if (c.node->get_name() == argv[i]) return c.node->get_name();
    }
  }
  return {};
}

// "loiter: unknown command 'rnu'; did you mean 'run'? ..." when the first word is no command.
std::string unknown_command(std::string_view word, const std::vector<Command>& commands) {
  std::string best, names;
  std::size_t best_d = 3;
  for (const Command& c : commands) {
    const std::string& name = c.node->get_name();
    names += (names.empty() ? "" : ", ") + name;
    const std::size_t d = model::edit_distance(word, name);
    if (d < best_d && d < name.size()) {
      best = name;
      best_d = d;
    }
  }
  return "unknown command '" + std::string(word.substr(0, 40)) + "'; " +
         (best.empty() ? "" : "did you mean '" + best + "'? ") + "expected one of: " + names;
}

// Every message of a command starts with "loiter COMMAND: "; one that points into a file
// starts with the file's location, as compilers write it.
std::string prefixed(const std::string& command, const std::string& message) {
  const std::string prefix = command.empty() ? "loiter: " : "loiter " + command + ": ";
  if (message.starts_with("loiter ") || message.starts_with("loiter:")) return message;
  return prefix + message;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{
      "loiter: simulate, draw and verify download concurrency (sequential, worker pools, async)."};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", std::string("loiter ") + LOITER_VERSION);
  cli.footer(
      "Exit codes: 0 success, 1 the run failed (I/O, internal error), 2 bad input (command line or "
      "scenario).\n"
      "Run 'loiter COMMAND --help' for the options of a command.");

  const std::vector<Command> commands = {
      add_run_command(cli),      add_check_command(cli),     add_serve_command(cli),
      add_sweep_command(cli),    add_merge_command(cli),     add_live_command(cli),
      add_validate_command(cli), add_calibrate_command(cli),
  };
  const std::string command = command_named(argc, argv, commands);

  if (argc > 1 && command.empty() && argv[1][0] != '-') {
    std::fprintf(stderr, "loiter: %s\n", unknown_command(argv[1], commands).c_str());
    return kBadInput;
  }
  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "%s\nRun 'loiter %s--help' for usage.\n",
                 prefixed(command, e.what()).c_str(),
                 command.empty() ? "" : (command + " ").c_str());
    return kBadInput;
  }

  try {
    for (const Command& c : commands) {
      if (c.node->parsed()) return finish_stdout(c.run());
    }
  } catch (const FileBadInput& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kBadInput;
  } catch (const BadInput& e) {
    std::fprintf(stderr, "%s\n", prefixed(command, e.what()).c_str());
    return kBadInput;
  } catch (const sim::ProcessError& e) {
    std::fprintf(stderr, "%s\n",
                 prefixed(command, std::string("internal error: ") + e.what()).c_str());
    return kFailed;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", prefixed(command, e.what()).c_str());
    return kFailed;
  }
  return kFailed;
}

}  // namespace app
