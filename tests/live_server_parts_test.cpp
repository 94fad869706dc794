// The test server's parts without a network: path templates, synthetic bodies, safe files.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <variant>

#include "live/server_content.hpp"
#include "live/server_files.hpp"
#include "live/server_route.hpp"

using live::FileRoot;
using live::PathTemplate;
namespace fs = std::filesystem;

TEST_CASE("a path template extracts the name, every placeholder alike") {
  const PathTemplate flags("/flags/{name}/{name}.gif");
  CHECK(flags.match("/flags/cn/cn.gif") == "cn");
  CHECK(flags.match("/flags/cn/br.gif") == std::nullopt);
  CHECK(flags.match("/flags//.gif") == std::nullopt);
  CHECK(flags.match("/flags/cn/cn.png") == std::nullopt);
  CHECK(flags.expand("br") == "/flags/br/br.gif");
  const PathTemplate plain("/{name}");
  CHECK(plain.match("/item-7") == "item-7");
  CHECK(plain.match("/") == std::nullopt);
  CHECK_THROWS_AS(PathTemplate("flags/{name}"), std::invalid_argument);
  CHECK_THROWS_AS(PathTemplate("/flags/cn.gif"), std::invalid_argument);
}

TEST_CASE("the path part of a URL template") {
  CHECK(live::url_path_part("http://127.0.0.1:8000/flags/{name}.gif") == "/flags/{name}.gif");
  CHECK(live::url_path_part("https://example.org/a/{name}?x=1") == "/a/{name}");
  CHECK(live::url_path_part("http://localhost:8000") == "/{name}");
  CHECK(live::url_path_part("/b/{name}") == "/b/{name}");
}

TEST_CASE("synthetic bodies depend only on the name and the offset") {
  const auto body = live::synthetic_body("cn", 100);
  CHECK(body == live::synthetic_body("cn", 100));
  CHECK(body != live::synthetic_body("br", 100));
  CHECK(live::synthetic_body("cn", 1000).substr(0, 100) == body);
  std::string middle(10, '\0');
  live::fill_synthetic(live::body_key("cn"), 50, middle);
  CHECK(middle == body.substr(50, 10));
}

TEST_CASE("content types follow the extension") {
  CHECK(live::content_type_for("/flags/cn.gif") == "image/gif");
  CHECK(live::content_type_for("/flags/CN.GIF") == "image/gif");
  CHECK(live::content_type_for("/item-1") == "application/octet-stream");
  CHECK(live::content_type_for("/a.b/c") == "application/octet-stream");
}

TEST_CASE("a file root serves files inside it and refuses every way out") {
  const fs::path base = fs::temp_directory_path() / "loiter-live-server-files";
  fs::remove_all(base);
  fs::create_directories(base / "root" / "sub");
  std::ofstream(base / "root" / "sub" / "a.txt") << "hello";
  std::ofstream(base / "secret.txt") << "secret";
  fs::create_symlink(base / "secret.txt", base / "root" / "link.txt");
  fs::create_directory_symlink(base, base / "root" / "up");
  const FileRoot root(base / "root");

  const auto ok = root.resolve("/sub/a.txt");
  REQUIRE(std::holds_alternative<FileRoot::File>(ok));
  CHECK(std::get<FileRoot::File>(ok).size == 5);

  using R = FileRoot::Refusal;
  const auto refused = [&](std::string_view path) {
    const auto r = root.resolve(path);
    return std::holds_alternative<R>(r) ? std::get<R>(r) : throw std::logic_error("served");
  };
  CHECK(refused("/../secret.txt") == R::bad_path);
  CHECK(refused("/sub/../../secret.txt") == R::bad_path);
  CHECK(refused("/./sub/a.txt") == R::bad_path);
  CHECK(refused("//etc/passwd") == R::bad_path);
  CHECK(refused(std::string_view("/sub/a.txt\0x", 12)) == R::bad_path);
  CHECK(refused("/sub\\..\\..\\secret.txt") == R::bad_path);
  CHECK(refused("relative.txt") == R::bad_path);
  CHECK(refused("/link.txt") == R::not_found);
  CHECK(refused("/up/secret.txt") == R::not_found);
  CHECK(refused("/sub") == R::not_found);
  CHECK(refused("/nope.txt") == R::not_found);
  fs::remove_all(base);
}
