// Live URLs and saved file names: what a name in a scenario can and cannot do.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "live/curl_save.hpp"
#include "live/curl_url.hpp"

TEST_CASE("live: item names are percent-encoded into the URL template") {
  CHECK(live::url_encode_name("CN") == "CN");
  CHECK(live::url_encode_name("a b/c?d#e") == "a%20b%2Fc%3Fd%23e");
  CHECK(live::url_encode_name("x.y-z_~") == "x.y-z_~");
  CHECK(live::url_encode_name("..") == "%2E%2E");
  CHECK(live::url_encode_name("../etc") == "..%2Fetc");
  CHECK(live::url_encode_name("\xC3\xA9") == "%C3%A9");
  CHECK(live::url_for("http://h:1/flags/{name}/{name}.gif", "cn") == "http://h:1/flags/cn/cn.gif");
}

TEST_CASE("live: the URL template comes from the scenario or --base-url") {
  const std::string url = "http://127.0.0.1:8001/flags/{name}.gif";
  CHECK(live::live_url_template(url, "") == url);
  CHECK(live::live_url_template(url, "http://127.0.0.1:5555/") ==
        "http://127.0.0.1:5555/flags/{name}.gif");
  CHECK(live::live_url_template("", "http://example.org") == "http://example.org/{name}");
  CHECK(live::live_url_template(url, "https://cdn.example/{name}") == "https://cdn.example/{name}");
  CHECK_THROWS_AS(live::live_url_template("", ""), std::invalid_argument);
  CHECK_THROWS_AS(live::live_url_template("file:///etc/{name}", ""), std::invalid_argument);
  CHECK_THROWS_AS(live::live_url_template(url, "ftp://h/{name}"), std::invalid_argument);
  CHECK(live::live_url_template(url, "http://h/base") == "http://h/base/flags/{name}.gif");
  CHECK_THROWS_AS(live::live_url_template("http://h/fixed", ""), std::invalid_argument);
}

TEST_CASE("live: saved file names cannot leave the folder") {
  CHECK(live::safe_file_name("CN.gif") == "CN.gif");
  CHECK(live::safe_file_name("../../etc/passwd") == "_._.._etc_passwd");
  CHECK(live::safe_file_name("..") == "_.");
  CHECK(live::safe_file_name(".") == "_");
  CHECK(live::safe_file_name("") == "_");
  CHECK(live::safe_file_name("/abs") == "_abs");
  CHECK(live::safe_file_name("a\\b:c\n") == "a_b_c_");
  CHECK(live::safe_file_name(std::string(300, 'x')).size() == 120);
  for (const char* name : {"..", ".", "a/../b", "/", "\0x"}) {
    const auto safe = live::safe_file_name(name);
    CHECK(safe.find('/') == std::string::npos);
    CHECK(safe != ".");
    CHECK(safe != "..");
  }
}
