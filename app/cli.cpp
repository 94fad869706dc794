#include "app/cli.hpp"

#include <cstdio>

namespace app {

int main(int argc, char** argv) {
  (void)argc;
  (void)argv;
  std::fputs("loiter: not yet wired\n", stderr);
  return 1;
}

}  // namespace app
