// The `loiter` command line: subcommands run, check, sweep, live, validate, serve.
#pragma once

namespace app {

// Runs the command line; returns the process exit code (0 ok, 1 failure, 2 bad input).
int main(int argc, char** argv);

}  // namespace app
