// Bad scenario files get one clear, located ScenarioError and nothing else: the corpus in
// tests/bad-scenarios/ (first line "# expect: LINE:COLUMN substring"), plus files that are
// not scenarios at all (missing, a directory, binary, huge, a pipe, unreadable).
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "model/distribution.hpp"
#include "model/scenario_load.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Loads `path` and returns the error; fails the test if it loads.
model::ScenarioError load_error(const fs::path& path) {
  try {
    model::load_scenario(path);
  } catch (const model::ScenarioError& e) {
    return e;
  }
  FAIL("expected a ScenarioError for " << path);
  throw std::logic_error("unreachable");
}

// A fresh, empty temporary folder removed at the end of the test.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name)
      : path(fs::temp_directory_path() / ("loiter-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path, ec);
  }
};

const std::string kValid =
    "[workload]\nsleeps = [\"1s\"]\n[[strategy]]\nname = \"s\"\nkind = \"sequential\"\n";

}  // namespace

TEST_CASE("each bad scenario in the corpus is reported where the mistake is", "[bad]") {
  const fs::path dir = fs::path(LOITER_SOURCE_DIR) / "tests" / "bad-scenarios";
  const std::regex expect_re(R"(# expect: (\d+):(\d+) (.+))");
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".toml") continue;
    ++files;
    const std::string text = read_all(entry.path());
    const std::string first_line = text.substr(0, text.find('\n'));
    std::smatch m;
    INFO(entry.path().filename().string() << ": " << first_line);
    REQUIRE(std::regex_match(first_line, m, expect_re));
    const int line = std::stoi(m[1]);
    const int column = std::stoi(m[2]);
    const std::string substring = m[3];

    const model::ScenarioError e = load_error(entry.path());
    INFO("got: " << e.what());
    CHECK(e.path() == entry.path().string());
    CHECK(e.line() == line);
    CHECK(e.column() == column);
    CHECK_THAT(e.message(), Contains(substring));
    CHECK_THAT(std::string(e.what()),
               StartsWith(entry.path().string() + ":" + std::to_string(line) + ":" +
                          std::to_string(column) + ": "));
    // The same text from memory gives the same error.
    try {
      model::parse_scenario(text, entry.path().string());
      FAIL("parse_scenario accepted it");
    } catch (const model::ScenarioError& again) {
      CHECK(std::string(again.what()) == e.what());
    }
  }
  CHECK(files >= 30);
}

TEST_CASE("a missing file is named, with no position", "[bad]") {
  const TempDir dir("missing");
  const auto e = load_error(dir.path / "nope.toml");
  CHECK(e.line() == 0);
  CHECK(e.column() == 0);
  CHECK_THAT(e.message(), Contains("no such file"));
  CHECK(std::string(e.what()) == (dir.path / "nope.toml").string() + ": " + e.message());
}

TEST_CASE("a path through a regular file is reported with the system's reason", "[bad]") {
  const TempDir dir("notdir");
  std::ofstream(dir.path / "file.toml") << kValid;
  const auto e = load_error(dir.path / "file.toml" / "inner.toml");
  CHECK(e.line() == 0);
  CHECK_THAT(e.message(), Contains("cannot open") && Contains("Not a directory"));
}

TEST_CASE("a directory is refused and its scenarios are suggested", "[bad]") {
  const TempDir dir("dir");
  std::ofstream(dir.path / "a.toml") << kValid;
  const auto e = load_error(dir.path);
  CHECK_THAT(e.message(), Contains("is a directory") && Contains("a.toml"));
}

TEST_CASE("binary garbage is refused at its first NUL byte", "[bad]") {
  const TempDir dir("binary");
  const fs::path p = dir.path / "garbage.toml";
  {
    std::ofstream out(p, std::ios::binary);
    out << "name = \"x\"\nab";
    model::Rng rng(99);
    for (int i = 0; i < 4096; ++i)
      out.put(static_cast<char>(rng.next_u64() & 0xff));
    out.put('\0');
  }
  // Find where the first NUL landed, independently.
  const std::string bytes = read_all(p);
  const auto nul = bytes.find('\0');
  const std::string before = bytes.substr(0, nul);
  const int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
  const auto last_nl = before.rfind('\n');
  const auto e = load_error(p);
  CHECK_THAT(e.message(), Contains("binary data"));
  CHECK(e.line() == line);
  CHECK(e.column() == static_cast<int>(nul - last_nl));
}

TEST_CASE("text that is not UTF-8 is reported as such", "[bad]") {
  const TempDir dir("latin1");
  const fs::path p = dir.path / "latin1.toml";
  std::ofstream(p, std::ios::binary) << "name = \"caf\xe9\"\n" << kValid;
  const auto e = load_error(p);
  CHECK(e.line() == 1);
  CHECK_THAT(e.message(), Contains("invalid TOML") && Contains("UTF-8"));
}

TEST_CASE("a huge file is refused before it is read", "[bad]") {
  const TempDir dir("huge");
  const fs::path p = dir.path / "huge.toml";
  std::ofstream(p) << "# a scenario followed by 100 MB of holes\n";
  fs::resize_file(p, 100u << 20);  // sparse: costs no disk
  const auto e = load_error(p);
  CHECK(e.line() == 0);
  CHECK_THAT(e.message(), Contains("too large") && Contains("16 MiB"));
}

TEST_CASE("a pipe is refused instead of waiting for a writer", "[bad]") {
  const TempDir dir("fifo");
  const fs::path p = dir.path / "pipe.toml";
  REQUIRE(::mkfifo(p.c_str(), 0600) == 0);
  const auto e = load_error(p);
  CHECK_THAT(e.message(), Contains("not a regular file"));
}

TEST_CASE("an unreadable file says why", "[bad]") {
  const TempDir dir("unreadable");
  const fs::path p = dir.path / "secret.toml";
  std::ofstream(p) << kValid;
  fs::permissions(p, fs::perms::none);
  if (std::ifstream(p).good()) {
    WARN("running with privileges that read any file (root?): unreadable-file check skipped");
    return;
  }
  const auto e = load_error(p);
  CHECK_THAT(e.message(), Contains("cannot read") && Contains("Permission denied"));
}

TEST_CASE("absurdly deep or long keys are refused without exhausting the stack", "[bad]") {
  std::string deep = "[a";
  for (int i = 0; i < 100000; ++i)
    deep += ".a";
  deep += "]\n";
  try {
    model::parse_scenario(deep, "deep.toml");
    FAIL("a 100000-level key loaded");
  } catch (const model::ScenarioError& e) {
    CHECK(e.line() == 1);
    CHECK_THAT(e.message(), Contains("nested too deeply"));
  }
  // Dots inside strings, comments and numbers are not key levels.
  std::string dots_in_values = "description = \"";
  for (int i = 0; i < 1000; ++i)
    dots_in_values += "a.";
  dots_in_values += "\"  # ";
  for (int i = 0; i < 1000; ++i)
    dots_in_values += "b.";
  dots_in_values += "\n" + kValid + "[server]\nerrors = [";
  for (int i = 0; i < 200; ++i)
    dots_in_values += "{ status = 500, rate = 0.001 }, ";
  dots_in_values += "]\n";
  CHECK(model::parse_scenario(dots_in_values, "dots.toml").server.errors.size() == 200);

  const std::string long_key(100000, 'k');
  try {
    model::parse_scenario(long_key + " = 1\n", "long.toml");
    FAIL("an unknown key loaded");
  } catch (const model::ScenarioError& e) {
    CHECK(e.message().size() < 400);
    CHECK_THAT(e.message(), Contains("unknown key 'kkkk") && Contains("...'"));
  }
}

TEST_CASE("an empty file lacks a workload", "[bad]") {
  try {
    model::parse_scenario("", "empty.toml");
    FAIL("an empty scenario loaded");
  } catch (const model::ScenarioError& e) {
    CHECK(e.line() == 1);
    CHECK(e.column() == 1);
    CHECK_THAT(e.message(), Contains("missing [workload]"));
  }
}

TEST_CASE("a valid scenario cut short or damaged anywhere never crashes", "[bad]") {
  const std::string text = read_all(fs::path(LOITER_SOURCE_DIR) / "scenarios" / "slow-server.toml");
  REQUIRE(text.size() > 1000);
  auto attempt = [](std::string_view t) {
    try {
      (void)model::parse_scenario(t, "cut.toml");
    } catch (const model::ScenarioError& e) {
      REQUIRE(e.line() >= 0);
      REQUIRE_FALSE(e.message().empty());
    }
  };
  for (std::size_t n = 0; n <= text.size(); n += 3)
    attempt(std::string_view(text).substr(0, n));
  model::Rng rng(2024);
  for (int i = 0; i < 500; ++i) {
    std::string damaged = text;
    for (int k = 0; k < 3; ++k) {
      const auto at = static_cast<std::size_t>(rng.uniform01() * static_cast<double>(text.size()));
      damaged[at] = "=[]{}\",.#\n-0x9zé"[rng.next_u64() % 16];
    }
    attempt(damaged);
  }
}
