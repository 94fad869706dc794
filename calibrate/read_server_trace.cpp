// `loiter serve --trace` files: one row per request as the server saw it. The server sees no
// DNS, no handshake round trip and no network: from each answered request it gives the
// server's own time (from the request holding a worker to its first response byte; from its
// arrival when it never waited for one), the response's size (status line and headers
// included), and whether the request came on a new connection. When some requests waited for
// a worker (more than 1 ms from arrival to service start), every worker was busy when each of
// them arrived: the requests in service at those arrivals (service start at or before, response
// start after), their median, is the number of workers.
#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "calibrate/read_input.hpp"
#include "calibrate/text_fields.hpp"

namespace calibrate {

namespace {

constexpr const char* kColumns[] = {"arrival", "service_start", "response_start", "last_byte",
                                    "status",  "bytes",         "reused"};
enum Col { arrival, service_start, response_start, last_byte, status, bytes, reused };
constexpr double kWaited = 1e-3;  // from arrival to service start: waited for a worker

}  // namespace

Observed read_server_trace(const std::string& path, std::string_view text) {
  const std::vector<Line> lines = lines_of(text);
  const auto header = csv_fields(lines.at(0).text);
  const auto col = columns_of(*header, kColumns, [&](const char* name) {
    throw InputError(
        fmt::format("{}:1: missing column '{}'; expected a loiter serve --trace "
                    "header (accepted,arrival,service_start,response_start,...)",
                    path, name));
  });
  Observed out;
  out.format = "loiter serve --trace";
  out.path = path;
  std::size_t unanswered = 0;
  std::vector<double> starts, responses, waited_at;  // service starts, response starts, arrivals
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const Line& l = lines[i];
    if (l.text.empty()) continue;
    const auto f = csv_fields(l.text);
    if (!f || f->size() != header->size())
      throw InputError(fmt::format("{}:{}: {} fields; expected {} as in the header", path, l.number,
                                   f ? f->size() : 0, header->size()));
    // An empty time was not reached (no answer, or the request was cut short).
    if ((*f)[col[response_start]].empty() || (*f)[col[last_byte]].empty()) {
      ++unanswered;
      continue;
    }
    auto num = [&](Col c) {
      const auto v = number((*f)[col[c]]);
      if (!v || *v < 0)
        throw InputError(
            fmt::format("{}:{}: {} '{}' is not a time or count; expected a number "
                        ">= 0",
                        path, l.number, kColumns[c], (*f)[col[c]]));
      return *v;
    };
    const double start = num(response_start), from = num(arrival);
    if (start < from)
      throw InputError(
          fmt::format("{}:{}: response_start {} is before arrival {}; expected "
                      "times in the order the server writes them",
                      path, l.number, start, from));
    double served_from = from;  // when it held a worker; its arrival when it never did
    if (!(*f)[col[service_start]].empty()) {
      served_from = num(service_start);
      if (served_from < from || served_from > start)
        throw InputError(
            fmt::format("{}:{}: service_start {} is not between arrival {} and "
                        "response_start {}; expected times in the order the server "
                        "writes them",
                        path, l.number, served_from, from, start));
      starts.push_back(served_from);
      responses.push_back(start);
      if (served_from - from > kWaited) waited_at.push_back(from);
    }
    if (num(status) != 200) continue;  // the server's time for errors says little
    Observation o;
    o.where = fmt::format("{}:{}", path, l.number);
    o.new_connection = num(reused) == 0;
    o.wait = start - served_from;
    o.wait_rtts = 0;
    o.bytes = num(bytes);
    out.requests.push_back(std::move(o));
  }
  out.waited = waited_at.size();
  if (!waited_at.empty()) {
    std::sort(starts.begin(), starts.end());
    std::sort(responses.begin(), responses.end());
    std::vector<long> busy;
    for (double s : waited_at)
      busy.push_back((std::upper_bound(starts.begin(), starts.end(), s) - starts.begin()) -
                     (std::upper_bound(responses.begin(), responses.end(), s) - responses.begin()));
    std::sort(busy.begin(), busy.end());
    out.server_workers = static_cast<int>(std::max(1L, busy[busy.size() / 2]));
  }
  out.notes.push_back(
      "from the server's side: its time is from a request holding a worker to its first "
      "response byte, sizes include the status line and headers, and the network (DNS, RTT, "
      "throughput) is not seen there: calibrate a client's file with it for those");
  if (unanswered > 0)
    out.notes.push_back(fmt::format("{} requests got no answer and are left out", unanswered));
  return out;
}

}  // namespace calibrate
