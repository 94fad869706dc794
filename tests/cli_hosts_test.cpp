// A crawl from the command line: the report by host, report.json's hosts, items whose host is
// the host part of a URL column, and live mode's refusal of several hosts.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"

using namespace cli_test;

TEST_CASE("crawl.toml: the slow hosts end last and the per-host limit binds", "[cli][hosts]") {
  const Result r = loiter("run " + source("scenarios/crawl.toml") + " --format json");
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  for (const auto& st : j["strategies"]) {
    INFO(st["name"]);
    REQUIRE(st["hosts"].size() == 50);
    // The host whose last download ended last is a slow one, at the makespan.
    double latest = 0;
    std::string which;
    std::int64_t downloads = 0;
    for (const auto& h : st["hosts"]) {
      downloads += h["downloads"].get<std::int64_t>();
      if (h["last_end_s"].get<double>() > latest) {
        latest = h["last_end_s"].get<double>();
        which = h["name"].get<std::string>();
      }
    }
    CHECK(downloads == 2000);
    CHECK(which.rfind("slow-", 0) == 0);
    CHECK(latest == Approx(st["makespan_s"].get<double>()).margin(1e-9));
  }
  // Six connections per host end sooner than two, however the two are used.
  const auto& s = j["strategies"];
  CHECK(s[3]["makespan_s"].get<double>() < 0.8 * s[0]["makespan_s"].get<double>());
  CHECK(s[0]["explain"]["verdict"].get<std::string>().find("slow-") != std::string::npos);
  const Result text = loiter("run " + source("scenarios/crawl.toml"));
  CHECK(text.out.find("by host (50 hosts;") != std::string::npos);
}

TEST_CASE("items_csv with a url column: each row's host is the URL's", "[cli][hosts]") {
  const auto dir = fresh_dir("cli_hosts_csv");
  std::filesystem::create_directories(dir);
  {
    std::ofstream csv(dir / "urls.csv");
    csv << "name,size,url\n"
        << "a,1000,https://near.example/a.html\n"
        << "b,1000,https://far.example:8443/b.html\n"
        << "c,1000,https://near.example/c.html\n";
    std::ofstream toml(dir / "c.toml");
    toml << "[workload]\nitems_csv = \"urls.csv\"\n"
         << "[[host]]\nname = \"near.example\"\nrtt = \"10ms\"\n"
         << "[[host]]\nname = \"far.example:8443\"\nrtt = \"300ms\"\n"
         << "[[strategy]]\nname = \"s\"\nkind = \"sequential\"\n";
  }
  const Result r = loiter("run " + (dir / "c.toml").string() + " --format json");
  REQUIRE(r.code == 0);
  const auto hosts = nlohmann::json::parse(r.out)["strategies"][0]["hosts"];
  CHECK(hosts[0]["downloads"] == 2);
  CHECK(hosts[1]["downloads"] == 1);
  {
    std::ofstream csv(dir / "urls.csv", std::ios::app);
    csv << "d,1000,https://elsewhere.example/d\n";
  }
  const Result bad = loiter("run " + (dir / "c.toml").string());
  CHECK(bad.code != 0);
  CHECK(bad.err.find("urls.csv:5:") != std::string::npos);
  CHECK(bad.err.find("the url's host 'elsewhere.example' is not one of the scenario's "
                     "[[host]] tables") != std::string::npos);
  const Result live = loiter("live " + source("scenarios/crawl.toml"));
  CHECK(live.code != 0);
  CHECK(live.err.find("live mode fetches from one host") != std::string::npos);
}

TEST_CASE("a crawl's --out adds the Gantt by host", "[cli][hosts]") {
  const auto dir = fresh_dir("cli_hosts_out");
  const Result r = loiter("run " + source("scenarios/crawl.toml") + " --out " + dir.string());
  REQUIRE(r.code == 0);
  const std::string svg = read_file(dir / "gantt-hosts.svg");
  CHECK(svg.find(">slow-2.example<") != std::string::npos);  // a lane's name
  CHECK(svg.find("lanes: each host") != std::string::npos);
  CHECK(read_file(dir / "downloads.csv").rfind("strategy,id,name,host,lane,", 0) == 0);
}
