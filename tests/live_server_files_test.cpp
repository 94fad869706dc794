// The built-in test server in directory mode, over HTTP: files are served read-only and no
// request reaches a file outside the directory.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "live/test_server.hpp"
#include "live_server_fetch.hpp"

namespace fs = std::filesystem;

TEST_CASE("directory mode serves files and refuses every path out of the directory") {
  const fs::path base = fs::temp_directory_path() / "loiter-live-server-http-files";
  fs::remove_all(base);
  fs::create_directories(base / "root" / "flags");
  std::ofstream(base / "root" / "flags" / "cn.gif") << "GIF89a-cn";
  std::ofstream(base / "secret.txt") << "top secret";
  fs::create_symlink(base / "secret.txt", base / "root" / "link.txt");

  live::ServeOptions options;
  options.directory = base / "root";
  live::TestServer server(options);
  server.start();
  const auto url = server.base_url();

  const auto ok = live_test::fetch(url + "/flags/cn.gif");
  CHECK(ok.status == 200);
  CHECK(ok.body == "GIF89a-cn");
  CHECK(ok.content_type == "image/gif");

  for (const char* attack : {"/../secret.txt", "/flags/../../secret.txt", "/%2e%2e/secret.txt",
                             "/flags/%2e%2e%2f%2e%2e%2fsecret.txt", "/..%2fsecret.txt", "/link.txt",
                             "/flags/cn.gif%00.txt", "//secret.txt", "/%2fetc%2fpasswd",
                             "/flags/..%5c..%5csecret.txt", "/flags", "/"}) {
    INFO(attack);
    const auto got = live_test::fetch(url + attack);
    CHECK((got.status == 400 || got.status == 404));
    CHECK(got.body.find("top secret") == std::string::npos);
  }
  server.stop();
  fs::remove_all(base);
}
