// `loiter check`: validate a scenario and print it with every default filled in.
#include <cstdio>
#include <memory>
#include <string>

#include "app/command.hpp"
#include "model/scenario_print.hpp"

namespace app {

namespace {

int check_command(const std::string& path, bool strict) {
  const model::Scenario scenario = load_scenario_or_bad_input(path);
  report_warnings(scenario, strict);
  refuse_if_too_large(scenario, strategies_or_bad_input(scenario, {}));
  std::fputs(model::print_scenario(scenario).c_str(), stdout);
  return kOk;
}

}  // namespace

Command add_check_command(CLI::App& cli) {
  auto path = std::make_shared<std::string>();
  auto strict = std::make_shared<bool>(false);
  std::string& check_path = *path;
  auto* check_cmd =
      cli.add_subcommand("check", "Validate a scenario and print it with every default filled in.");
  check_cmd->add_option("scenario", check_path, "Scenario file (TOML)")->required();
  add_strict_flag(*check_cmd, *strict);

  return {check_cmd, [path, strict] { return check_command(*path, *strict); }};
}

}  // namespace app
