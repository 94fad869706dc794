// Bounds of the live side: unique save names and their manifest, the body cap on error
// answers, and the built-in server's refusal of request bodies (raw sockets, loopback only).
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "cli_support.hpp"
#include "live/curl_save.hpp"
#include "live/test_server.hpp"

using Catch::Matchers::Contains;

namespace {

// Sends `request` to 127.0.0.1:port, then up to `body_bytes` more filler bytes (stopping
// when the server closes), and returns what the server answered within 5 s.
std::string raw_exchange(int port, const std::string& request, std::size_t body_bytes) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  const std::string filler(64 << 10, 'x');
  for (std::size_t sent = 0; sent < body_bytes; sent += filler.size()) {
    if (::send(fd, filler.data(), filler.size(), MSG_NOSIGNAL) <= 0) break;
  }
  std::string answer;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    answer.append(buf, static_cast<std::size_t>(n));
    if (answer.find("\r\n\r\n") != std::string::npos) break;
  }
  ::close(fd);
  return answer;
}

}  // namespace

TEST_CASE("live: every saved body gets its own file name, within the length limit",
          "[live][save]") {
  std::set<std::string> files;
  const char* names[] = {"a_b-2", "a/b", "a_b", "a_b~1", "a:b"};
  for (std::uint32_t id = 0; id < 5; ++id)
    files.insert(live::save_file_name(names[id], id));
  CHECK(files.size() == 5);
  CHECK(live::save_file_name("a_b", 2) == "a_b");  // a safe name is kept as it is
  CHECK(live::save_file_name("a/b", 1) == "a_b~1");

  // Two long names that differ only past the limit.
  const std::string stem(130, 'n');
  const std::string one = live::save_file_name(stem + "1", 7);
  const std::string two = live::save_file_name(stem + "2", 8);
  CHECK(one != two);
  CHECK(one.size() <= 120);
  CHECK(two.size() <= 120);
  CHECK(live::save_file_name(std::string(300, '/'), 4000000000u).size() <= 120);
}

TEST_CASE("live: saved.csv lists item, file, bytes and SHA-256", "[live][save]") {
  const auto dir = cli_test::fresh_dir("manifest");
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "abc") << "abc";
  std::ofstream(dir / "a_b~1") << "";
  live::write_save_manifest(dir, {{"abc", "abc"}, {"a/b", "a_b~1"}, {"gone", "gone"}});
  CHECK(cli_test::read_file(dir / "saved.csv") ==
        "item,file,bytes,sha256\n"
        "abc,abc,3,ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n"
        "a/b,a_b~1,0,e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n");
}

TEST_CASE("live --save keeps colliding names apart and writes the manifest", "[live][save][cli]") {
  const auto dir = cli_test::fresh_dir("live-save");
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "s.toml") << "name = \"save\"\n[workload]\nitems = [\n"
                                   "  { name = \"a_b-2\", size = 10 },\n"
                                   "  { name = \"a b\", size = 20 },\n"
                                   "  { name = \"a_b\", size = 30 },\n]\n"
                                   "[[strategy]]\nname = \"seq\"\nkind = \"sequential\"\n";
  const auto save = dir / "bodies";
  const auto r =
      cli_test::loiter("live " + (dir / "s.toml").string() + " --serve --save " + save.string());
  INFO(r.err);
  REQUIRE(r.code == 0);
  std::size_t bodies = 0;
  for (const auto& e : std::filesystem::directory_iterator(save))
    bodies += e.path().filename() != "saved.csv";
  CHECK(bodies == 3);
  const std::string csv = cli_test::read_file(save / "saved.csv");
  CHECK_THAT(csv, Contains("a_b-2,a_b-2,10,"));
  CHECK_THAT(csv, Contains("a b,a_b~1,20,"));
  CHECK_THAT(csv, Contains("a_b,a_b,30,"));
}

TEST_CASE("live --max-body caps the body of an error answer too", "[live][cli]") {
  const auto dir = cli_test::fresh_dir("live-error-cap");
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "s.toml")
      << "name = \"cap\"\n[workload]\nitems = [{ name = \"x\", size = 5 }]\n"
         "[server]\nerrors = [{ status = 500, rate = 1 }]\n"
         "[[strategy]]\nname = \"seq\"\nkind = \"sequential\"\n";
  // The server's 500 carries a 19-byte body ("injected error 500\n"); the item has 5 bytes.
  const auto r = cli_test::loiter("live " + (dir / "s.toml").string() +
                                  " --serve --max-body 10B --format json --downloads yes");
  INFO(r.out + r.err);
  CHECK_THAT(r.out, Contains("HTTP 500 with a body larger than the cap"));
}

TEST_CASE("serve: a request body is refused with 413 unread, the connection closed",
          "[live][server]") {
  live::ServeOptions o;
  o.port = 0;
  live::TestServer server(o);
  server.start();
  const auto start = std::chrono::steady_clock::now();
  const std::string big = raw_exchange(
      server.port(), "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 4294967296\r\n\r\n", 8 << 20);
  CHECK_THAT(big, Contains("HTTP/1.1 413"));
  CHECK_THAT(big, Contains("Connection: close"));
  const std::string chunked = raw_exchange(
      server.port(), "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", 1 << 20);
  CHECK_THAT(chunked, Contains("HTTP/1.1 413"));
  const std::string small =
      raw_exchange(server.port(), "PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc", 0);
  CHECK_THAT(small, Contains("HTTP/1.1 405"));
  CHECK_THAT(small, Contains("Connection: close"));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
  server.stop();
}

TEST_CASE("serve: headers past 64 KiB get 431, headers slower than header_time get 408, closed",
          "[live][server]") {
  live::ServeOptions o;
  o.port = 0;
  o.header_time = std::chrono::seconds(2);  // 10 s by default
  live::TestServer server(o);
  server.start();
  std::string flood = "GET /x HTTP/1.1\r\nHost: a\r\n";
  while (flood.size() < (1 << 20))
    flood += "X-Fill: abcdefghijklmnopqrstuvwxyz0123456789\r\n";
  CHECK_THAT(raw_exchange(server.port(), flood, 0), Contains("HTTP/1.1 431"));

  // A client sending a header line every second never finishes: answered at header_time.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  timeval tv{20, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(server.port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // The clock starts before connect(): the server's header timer starts at its accept, which
  // may come before connect() returns here.
  const auto start = std::chrono::steady_clock::now();
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  std::string answer;
  ::send(fd, "GET /x HTTP/1.1\r\n", 17, MSG_NOSIGNAL);
  for (int i = 0; i < 15 && answer.empty(); ++i) {
    ::send(fd, "X: y\r\n", 6, MSG_NOSIGNAL);
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 1000) > 0) {
      char buf[256];
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n > 0) answer.assign(buf, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK_THAT(answer, Contains("HTTP/1.1 408"));
  CHECK(took >= o.header_time);  // not before its time (how much later depends on the load)
  // The server still answers others.
  CHECK_THAT(raw_exchange(server.port(), "GET /x HTTP/1.1\r\nHost: a\r\n\r\n", 0),
             Contains("HTTP/1.1 404"));
  server.stop();
}
