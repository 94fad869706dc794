// Reading the key sources of a parsed TOML scenario document (see key_sources.hpp).
#pragma once

#include <string>

#include <toml++/toml.h>

#include "model/key_sources.hpp"

namespace model {

// Every key of `root` with its region in the file `path`.
KeySources key_sources(const toml::table& root, const std::string& path);

}  // namespace model
