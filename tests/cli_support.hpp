// Runs the built loiter binary for end-to-end tests and captures what it printed.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace cli_test {

struct Result {
  int code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `loiter ARGS` (ARGS already shell-quoted where needed).
inline Result loiter(const std::string& args) {
  static int counter = 0;
  const auto dir =
      std::filesystem::temp_directory_path() / ("loiter-cli-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto out = dir / ("out" + std::to_string(counter));
  const auto err = dir / ("err" + std::to_string(counter++));
  const std::string cmd =
      std::string(LOITER_BINARY) + " " + args + " >" + out.string() + " 2>" + err.string();
  const int status = std::system(cmd.c_str());
  Result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(out);
  r.err = read_file(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

inline std::string source(const std::string& rel) {
  return std::string(LOITER_SOURCE_DIR) + "/" + rel;
}

// `count` lines of a TOML items array: { name = "i0", size = 100 }, ...
inline std::string numbered_items(int count) {
  std::string items;
  for (int i = 0; i < count; ++i)
    items += "  { name = \"i" + std::to_string(i) + "\", size = 100 },\n";
  return items;
}

inline std::filesystem::path fresh_dir(const std::string& name) {
  const auto d =
      std::filesystem::temp_directory_path() / ("loiter-cli-" + std::to_string(::getpid())) / name;
  std::filesystem::remove_all(d);
  return d;
}

// Expands tabs to 8-column stops, as a terminal shows them.
inline std::string expand_tabs(const std::string& s) {
  std::string out;
  std::size_t col = 0;
  for (char c : s) {
    if (c == '\t') {
      do {
        out += ' ';
        ++col;
      } while (col % 8 != 0);
    } else {
      out += c;
      col = c == '\n' ? 0 : col + 1;
    }
  }
  return out;
}

}  // namespace cli_test
