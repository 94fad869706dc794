// The error for a mistake in what the user asked for (an option, a value, a file to merge):
// the command line reports it on stderr with exit code 2.
#pragma once

#include <stdexcept>

namespace model {

struct BadInput : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace model
