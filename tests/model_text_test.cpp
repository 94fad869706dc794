#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "model/text.hpp"

using model::Text;

TEST_CASE("a Text reads back what it was given, short or long", "[model][text]") {
  for (const std::string& s :
       {std::string(), std::string("a"), std::string("item-1234567"), std::string(15, 'x'),
        std::string(16, 'y'), std::string("no complete answer within 30.000 s"),
        std::string("with\0nul", 8)}) {
    INFO(s.size());
    const Text t(s);
    CHECK(t.view() == s);
    CHECK(t.str() == s);
    CHECK(t.size() == s.size());
    CHECK(t.empty() == s.empty());
    CHECK(t == Text(s));
    const Text copy = t;  // a copy is the same text
    CHECK(copy.view() == s);
  }
  CHECK(Text("abc") != Text("abd"));
  CHECK(Text(std::string(20, 'a')) != Text(std::string(21, 'a')));
  CHECK(fmt::format("[{:>6}]", Text("ab")) == "[    ab]");
  CHECK(nlohmann::json(Text("HTTP 503")).dump() == "\"HTTP 503\"");
  CHECK(std::string("x: ") + Text("y") == "x: y");
}

TEST_CASE("long Texts made on several threads at once read back", "[model][text]") {
  std::vector<std::thread> threads;
  std::vector<int> bad(4, 0);
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([k, &bad] {
      for (int i = 0; i < 2000; ++i) {
        const std::string s = fmt::format("an error text long enough {} {}", i % 50, k % 2);
        if (Text(s).view() != s) ++bad[static_cast<std::size_t>(k)];
      }
    });
  }
  for (std::thread& t : threads)
    t.join();
  CHECK(bad == std::vector<int>(4, 0));
}
