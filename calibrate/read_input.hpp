// Reading what a client observed: loiter's downloads.csv, HAR 1.2, curl -w output (its
// %{json} lines or the key=value template of `loiter calibrate --help`), and what loiter's
// server saw (`loiter serve --trace`). The format is told by the content, not the file name.
#pragma once

#include <string>
#include <string_view>

#include "calibrate/observation.hpp"
#include "model/bad_input.hpp"

namespace calibrate {

// Bad input, its message starting with where: "path:line[:col]: what; expected ...".
struct InputError : model::BadInput {
  using model::BadInput::BadInput;
};

// Reads the file at `path` (at most 256 MiB, text) and detects its format.
Observed read_input(const std::string& path);
// The same on text already read; `path` names it in messages.
Observed read_text(const std::string& path, std::string_view text);

// The readers, one per format (read_text calls the one the content is in).
Observed read_downloads_csv(const std::string& path, std::string_view text);
Observed read_har(const std::string& path, std::string_view text);
Observed read_curl_json(const std::string& path, std::string_view text);
Observed read_curl_key_value(const std::string& path, std::string_view text);
Observed read_server_trace(const std::string& path, std::string_view text);

// The last path segment of a URL (no query or fragment): "http://h/flags/CN.gif?x" -> "CN.gif".
std::string name_from_url(std::string_view url);

}  // namespace calibrate
