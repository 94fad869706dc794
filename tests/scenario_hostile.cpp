// Hostile and careless input to the loader: big name lists, kernel files, long values,
// control characters, -0, byte order marks, exact sizes at the limit, URLs libcurl refuses.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "model/scenario_load.hpp"
#include "model/scenario_print.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;

namespace {

struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name)
      : path(fs::temp_directory_path() /
             ("loiter-hostile-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

const std::string kStrategy = "[[strategy]]\nname = \"s\"\nkind = \"sequential\"\n";

model::ScenarioError parse_error(const std::string& text, const std::string& path = "x.toml") {
  try {
    model::parse_scenario(text, path);
  } catch (const model::ScenarioError& e) {
    return e;
  }
  FAIL("expected a ScenarioError for:\n" << text.substr(0, 300));
  throw std::logic_error("unreachable");
}

model::ScenarioError load_error(const fs::path& path) {
  try {
    model::load_scenario(path);
  } catch (const model::ScenarioError& e) {
    return e;
  }
  FAIL("expected a ScenarioError for " << path);
  throw std::logic_error("unreachable");
}

std::string csv_scenario(const std::string& csv) {
  return "[workload]\nitems_csv = \"" + csv + "\"\n" + kStrategy;
}

}  // namespace

TEST_CASE("10^5 missing names among 10^5 items are checked, each against every item", "[hostile]") {
  const TempDir dir("missing");
  constexpr int kN = 100'000;
  {
    std::ofstream csv(dir.path / "items.csv");
    csv << "name,size\n";
    for (int i = 0; i < kN; ++i)
      csv << "item-" << i << ",1 KiB\n";
  }
  std::string missing = "[server]\nmissing = [";
  for (int i = kN - 1; i >= 0; --i)
    missing += "\"item-" + std::to_string(i) + "\",";
  const std::string head = csv_scenario("items.csv") + missing;
  std::ofstream(dir.path / "ok.toml") << head << "]\n";
  const model::Scenario s = model::load_scenario(dir.path / "ok.toml");
  REQUIRE(s.server.missing.size() == static_cast<std::size_t>(kN));
  CHECK(s.server.missing.front() == "item-" + std::to_string(kN - 1));
  CHECK(s.server.missing.back() == "item-0");

  // One name that is no item, at the end of the long list, is still found and located.
  std::ofstream(dir.path / "bad.toml") << head << "\n\"item-" << kN << "\"]\n";
  const auto e = load_error(dir.path / "bad.toml");
  CHECK(e.line() == 8);
  CHECK(e.column() == 1);
  CHECK_THAT(e.message(), Contains("server.missing[" + std::to_string(kN) + "]") &&
                              Contains("'item-" + std::to_string(kN) + "' is not an item"));
}

TEST_CASE("kernel files (size 0 or 4096 whatever they hold) are refused without reading",
          "[hostile]") {
  // /proc/kmsg blocks a plain read until the kernel logs something; it is refused unread.
  for (const char* f :
       {"/proc/kmsg", "/proc/self/status", "/sys/kernel/mm/transparent_hugepage/enabled"}) {
    if (!fs::exists(f)) continue;
    INFO(f);
    const auto e = load_error(f);
    CHECK(e.line() == 0);
    CHECK_THAT(e.message(), Contains("kernel file") && Contains("saved on disk"));
  }
  const TempDir dir("kmsg");
  for (const char* f : {"/proc/kmsg", "/proc/self/status"}) {
    if (!fs::exists(f)) continue;
    INFO(f);
    std::ofstream(dir.path / "s.toml") << csv_scenario(f);
    const auto e = load_error(dir.path / "s.toml");
    CHECK(e.line() == 2);
    CHECK_THAT(e.message(), Contains("workload.items_csv") && Contains("kernel file"));
  }
}

TEST_CASE("an empty file on disk is still read as empty", "[hostile]") {
  const TempDir dir("empty");
  std::ofstream(dir.path / "empty.toml").flush();
  const auto e = load_error(dir.path / "empty.toml");
  CHECK_THAT(e.message(), Contains("missing [workload]"));
}

TEST_CASE("values echoed in messages are cut at 60 characters with their full length",
          "[hostile]") {
  const std::string kind(20'000, 'k');
  const auto e = parse_error(
      "[workload]\nsleeps = [\"1s\"]\n[[strategy]]\nname = \"s\"\nkind = \"" + kind + "\"\n");
  CHECK(e.message().size() < 400);
  CHECK_THAT(e.message(), Contains("'" + std::string(60, 'k') + "...' (20000 bytes)"));

  // A size from a CSV row, and a duplicate name.
  const TempDir dir("echo");
  const std::string big(5'000, '9');
  std::ofstream(dir.path / "sizes.csv") << "name,size\na," << big << "x\n";
  std::ofstream(dir.path / "s.toml") << csv_scenario("sizes.csv");
  const auto size_e = load_error(dir.path / "s.toml");
  CHECK(size_e.message().size() < 400);
  CHECK_THAT(size_e.message(), Contains("(5001 bytes)"));
  const std::string name(3'000, 'n');
  std::ofstream(dir.path / "dup.csv") << "name,size\n" << name << ",1\n" << name << ",2\n";
  std::ofstream(dir.path / "d.toml") << csv_scenario("dup.csv");
  const auto dup_e = load_error(dir.path / "d.toml");
  CHECK(dup_e.line() == 3);
  CHECK(dup_e.message().size() < 400);
  CHECK_THAT(dup_e.message(), Contains("duplicate item name") && Contains("(3000 bytes)"));
}

TEST_CASE("a file that is not a CSV of items has nothing of it echoed", "[hostile]") {
  const TempDir dir("shadow");
  const std::string secret = "root:$y$j9T$SECRETHASHSECRETHASH:19700:0:99999:7:::";
  std::ofstream(dir.path / "shadow") << secret << "\ndaemon:*:19700:0:99999:7:::\n";
  std::ofstream(dir.path / "s.toml") << csv_scenario("shadow");
  const auto e = load_error(dir.path / "s.toml");
  CHECK(e.line() == 1);
  CHECK_THAT(e.message(),
             Contains("header row needs columns 'name' and 'size'") && Contains("1 column"));
  CHECK_THAT(std::string(e.what()), !Contains("SECRET") && !Contains("root"));

  // A 20 MB header line gives a short message.
  std::ofstream(dir.path / "wide.csv") << std::string(20u << 20, 'h') << "\na,1\n";
  std::ofstream(dir.path / "w.toml") << csv_scenario("wide.csv");
  const auto wide = load_error(dir.path / "w.toml");
  CHECK(std::string(wide.what()).size() < 400);
  CHECK_THAT(std::string(wide.what()), !Contains("hhhh"));

  // A near miss of a wanted column is named.
  std::ofstream(dir.path / "typo.csv") << "nme,size\na,1\n";
  std::ofstream(dir.path / "t.toml") << csv_scenario("typo.csv");
  CHECK_THAT(load_error(dir.path / "t.toml").message(), Contains("did you mean 'nme'?"));
}

TEST_CASE("control characters in names are refused where they are", "[hostile]") {
  // In a CSV file, at the exact column of the character.
  const TempDir dir("control");
  std::ofstream(dir.path / "items.csv", std::ios::binary) << "name,size\nab\x01"
                                                             "c,1\n";
  std::ofstream(dir.path / "s.toml") << csv_scenario("items.csv");
  const auto e = load_error(dir.path / "s.toml");
  CHECK(e.path() == (dir.path / "items.csv").string());
  CHECK(e.line() == 2);
  CHECK(e.column() == 3);
  CHECK_THAT(e.message(), Contains("control character (byte 0x01)"));

  // The scenario's own name, and its message shows the character escaped, never raw.
  const auto n =
      parse_error("name = \"run\\r\\nfake\"\n[workload]\nsleeps = [\"1s\"]\n" + kStrategy);
  CHECK(n.line() == 1);
  CHECK(n.column() == 8);
  CHECK_THAT(n.message(), Contains("\"run\\r\\nfake\"") && Contains("byte 0x0d"));
  CHECK(std::string(n.what()).find_first_of("\r\n") == std::string::npos);
  // Printable text, UTF-8 included, is a fine name.
  CHECK(model::parse_scenario(
            "name = \"caf\u00e9 \u0436\"\n[workload]\nsleeps = [\"1s\"]\n" + kStrategy, "x.toml")
            .name == "caf\u00e9 \u0436");
}

TEST_CASE("a probability of -0.0 reads as 0, prints as 0 and check's round trip is stable",
          "[hostile]") {
  const std::string text =
      "[workload]\nsleeps = [\"1s\"]\n[server]\nstall_rate = -0.0\n"
      "errors = [{ status = 500, rate = -0.0 }]\n" +
      kStrategy;
  const model::Scenario s = model::parse_scenario(text, "zero.toml");
  CHECK_FALSE(std::signbit(s.server.stall_rate));
  CHECK_FALSE(std::signbit(s.server.errors.at(0).rate));
  const std::string printed = model::print_scenario(s);
  CHECK_THAT(printed, Contains("stall_rate = 0\n") && !Contains("-0"));
  CHECK(model::print_scenario(model::parse_scenario(printed, "zero.toml")) == printed);
}

TEST_CASE("a leading byte order mark is skipped in CSV and TOML", "[hostile]") {
  const TempDir dir("bom");
  std::ofstream(dir.path / "items.csv", std::ios::binary) << "\xEF\xBB\xBFname,size\na,1 KiB\n";
  std::ofstream(dir.path / "s.toml", std::ios::binary)
      << "\xEF\xBB\xBF" << csv_scenario("items.csv");
  const model::Scenario s = model::load_scenario(dir.path / "s.toml");
  REQUIRE(s.workload.items.size() == 1);
  CHECK(s.workload.items[0].name == "a");
  CHECK(s.workload.items[0].bytes == 1024);
  // Only at the start: a BOM inside the text is still a mistake.
  const auto e = parse_error("[workload]\n\xEF\xBB\xBFsleeps = [\"1s\"]\n" + kStrategy);
  CHECK(e.line() == 2);
  CHECK(e.column() == 1);
}

TEST_CASE("a size just past the limit is printed exactly", "[hostile]") {
  const TempDir dir("exact");
  const fs::path p = dir.path / "big.toml";
  std::ofstream(p) << "# padding\n";
  fs::resize_file(p, model::kMaxScenarioFileBytes + 2);  // sparse
  const auto e = load_error(p);
  CHECK_THAT(e.message(), Contains("is 16 MiB + 2 B, too large") && Contains("at most 16 MiB"));
  // Far past the limit, rounding is fine.
  fs::resize_file(p, 100u << 20);
  CHECK_THAT(load_error(p).message(), Contains("is 100 MiB, too large"));
  // From memory too.
  const std::string text(model::kMaxScenarioFileBytes + 5, '#');
  CHECK_THAT(parse_error(text).message(), Contains("16 MiB + 5 B"));
}

TEST_CASE("live URLs that libcurl can parse load, and a refusal never echoes CR or LF",
          "[hostile]") {
  auto with_url = [](const std::string& url) {
    return "[workload]\nsleeps = [\"1s\"]\n" + kStrategy + "[live]\nurl = \"" + url + "\"\n";
  };
  for (const char* ok : {"http://127.0.0.1:8001/flags/{name}.gif", "https://example.org/{name}",
                         "http://[::1]:65535/a/{name}?x=1", "http://localhost/{name}"}) {
    INFO(ok);
    CHECK(model::parse_scenario(with_url(ok), "u.toml").live.url == ok);
  }
  for (const char* bad : {"http://h:99999/{name}", "http://h:0/{name}", "http://h/a b/{name}",
                          "http://h/{name}\\r\\nHost: evil", "http:///{name}", "http://:80/{name}",
                          "http://h:{name}/"}) {
    INFO(bad);
    const auto e = parse_error(with_url(bad));
    CHECK(e.line() == 7);
    CHECK(e.column() == 7);
    CHECK_THAT(e.message(), Contains("is not a URL live mode can fetch"));
    CHECK(std::string(e.what()).find_first_of("\r\n") == std::string::npos);
  }
}
