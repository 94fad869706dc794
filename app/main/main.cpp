// The `loiter` executable: hands the command line to the app.
#include "app/cli.hpp"

int main(int argc, char** argv) {
  return app::main(argc, argv);
}
