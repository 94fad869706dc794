// loiter's downloads.csv (from `loiter run` or `loiter live --out DIR`): one row per phase
// span of each attempt; the final attempt of each download that succeeded is one request.
#include <fmt/format.h>
#include <map>

#include "calibrate/read_input.hpp"
#include "calibrate/text_fields.hpp"

namespace calibrate {

namespace {

constexpr const char* kColumns[] = {"strategy", "id",    "name",    "status",  "attempts",
                                    "bytes",    "phase", "attempt", "start_s", "end_s"};
enum Col { strategy, id, name, status, attempts, bytes, phase, attempt, start_s, end_s };

struct Attempt {
  std::size_t line = 0;
  std::string strategy, name, status;
  double attempts = 0, attempt = 0, bytes = 0;
  bool has_connect = false;
  double connect = 0, request = 0, service = 0, transfer = 0;
};

}  // namespace

Observed read_downloads_csv(const std::string& path, std::string_view text) {
  const std::vector<Line> lines = lines_of(text);
  const auto header = csv_fields(lines.at(0).text);
  std::string expected;
  for (const char* c : kColumns)
    expected += std::string(expected.empty() ? "" : ",") + c;
  const auto col = columns_of(*header, kColumns, [&](const char* name) {
    throw InputError(
        fmt::format("{}:1: missing column '{}'; expected a loiter downloads.csv "
                    "header with the columns {}",
                    path, name, expected));
  });

  std::vector<Attempt> found;
  std::map<std::string, std::size_t> index;  // strategy, id, attempt -> found[i]
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const Line& l = lines[i];
    if (l.text.empty()) continue;
    const auto f = csv_fields(l.text);
    if (!f)
      throw InputError(
          fmt::format("{}:{}: a quote is not closed; expected CSV fields", path, l.number));
    if (f->size() != header->size())
      throw InputError(fmt::format("{}:{}: {} fields; expected {} as in the header", path, l.number,
                                   f->size(), header->size()));
    auto num = [&](Col c) {
      const std::string& s = (*f)[col[c]];
      const auto v = number(s);
      if (!v || *v < 0)
        throw InputError(fmt::format("{}:{}: {} = '{}'{}; expected a number >= 0", path, l.number,
                                     kColumns[c], s, v ? " is negative" : " is not a number"));
      return *v;
    };
    const std::string& ph = (*f)[col[phase]];
    if (ph.empty()) continue;  // a download with no phase recorded (never started)
    const double start = num(start_s), end = num(end_s);
    if (end < start)
      throw InputError(
          fmt::format("{}:{}: end_s {} is before start_s {}; expected end_s >= "
                      "start_s (a phase cannot take negative time)",
                      path, l.number, (*f)[col[end_s]], (*f)[col[start_s]]));
    const std::string key =
        (*f)[col[strategy]] + '\x1f' + (*f)[col[id]] + '\x1f' + (*f)[col[attempt]];
    auto [it, fresh] = index.emplace(key, found.size());
    if (fresh) {
      Attempt a;
      a.line = l.number;
      a.strategy = (*f)[col[strategy]];
      a.name = (*f)[col[name]];
      a.status = (*f)[col[status]];
      a.attempts = num(attempts);
      a.attempt = num(attempt);
      a.bytes = num(bytes);
      found.push_back(a);
    }
    Attempt& a = found[it->second];
    const double d = end - start;
    if (ph == "connect") {
      a.has_connect = true;
      a.connect += d;
    } else if (ph == "request") {
      a.request += d;
    } else if (ph == "service") {
      a.service += d;
    } else if (ph == "transfer") {
      a.transfer += d;
    }
  }

  Observed out;
  out.format = "loiter downloads.csv";
  out.path = path;
  out.notes = {
      "downloads.csv: RTT = the connect phase (it holds DNS too; a simulated run with TLS also "
      "its handshake); DNS and TLS are not told apart there, so they are not fitted",
      "downloads.csv: server time = request + service - RTT/2 (loiter's model puts half a round "
      "trip in the request and half at the start of the transfer; a live run's service phase "
      "holds the whole round trip, so it keeps RTT/2 too many); the server queue phase is "
      "left out (set [server] workers for it)",
      "downloads.csv: receive = transfer - RTT/2; only the last attempt of downloads that "
      "succeeded (status ok)"};
  for (const Attempt& a : found) {
    if (a.status != "ok" || a.attempt + 1 != a.attempts) continue;
    Observation o;
    o.where = fmt::format("{}:{}", path, a.line);
    o.strategy = a.strategy;
    o.name = a.name;
    o.new_connection = a.has_connect;
    if (a.has_connect) o.tcp = a.connect;
    o.wait = a.request + a.service;
    o.wait_rtts = 0.5;
    o.receive = a.transfer;
    o.receive_rtts = 0.5;
    o.bytes = a.bytes;
    out.requests.push_back(std::move(o));
  }
  return out;
}

}  // namespace calibrate
