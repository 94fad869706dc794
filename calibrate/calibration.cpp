// Turning observations into per-phase samples: round trip per request, server time as the
// wait minus its round trips, throughput as bytes over the receive time.
#include "calibrate/calibration.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "calibrate/read_input.hpp"

namespace calibrate {

namespace {

// The inputs' resolution is 1 ns at best (downloads.csv); differences are rounded to it so
// that float noise never makes a phase negative.
double to_ns(double seconds) {
  return std::round(seconds * 1e9) / 1e9;
}

bool plain_name(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-' || c == '~';
  });
}

std::vector<const Observation*> chosen(const std::vector<Observed>& inputs, const Options& opt,
                                       std::vector<std::string>& notes) {
  std::vector<const Observation*> out;
  for (const Observed& in : inputs) {
    std::vector<std::string> strategies;
    for (const Observation& o : in.requests)
      if (!o.strategy.empty() &&
          std::find(strategies.begin(), strategies.end(), o.strategy) == strategies.end())
        strategies.push_back(o.strategy);
    std::string pick = opt.strategy;
    if (!strategies.empty()) {
      if (pick.empty()) pick = strategies.front();
      if (std::find(strategies.begin(), strategies.end(), pick) == strategies.end()) {
        std::string list;
        for (const auto& s : strategies)
          list += (list.empty() ? "" : ", ") + s;
        throw InputError(
            fmt::format("{}: no strategy '{}'; expected one of: {}", in.path, pick, list));
      }
      if (strategies.size() > 1)
        notes.push_back(fmt::format(
            "{} holds {} strategies; calibrated from '{}' only (a simulated run draws the same "
            "numbers for each; --strategy NAME picks another)",
            in.path, strategies.size(), pick));
    }
    for (const Observation& o : in.requests)
      if (o.strategy.empty() || o.strategy == pick) out.push_back(&o);
  }
  return out;
}

}  // namespace

Calibration calibrate(const std::vector<Observed>& inputs, const Options& opt) {
  Calibration c;
  c.name = opt.name;
  const std::vector<const Observation*> obs = chosen(inputs, opt, c.notes);
  for (const Observed& in : inputs) {
    std::size_t n = 0;
    for (const Observation* o : obs)
      n += o->where.starts_with(in.path) ? 1 : 0;
    c.inputs.push_back(fmt::format("{}: {}, {} requests", in.path, in.format, n));
    for (const std::string& note : in.notes)
      if (std::find(c.notes.begin(), c.notes.end(), note) == c.notes.end()) c.notes.push_back(note);
    c.server_workers = std::max(c.server_workers, in.server_workers);
    c.waited += in.waited;
  }
  if (obs.empty()) {
    std::string paths;
    for (const Observed& in : inputs)
      paths += (paths.empty() ? "" : ", ") + in.path;
    throw InputError(paths + ": no completed request to calibrate from; expected at least one");
  }
  c.requests = obs.size();

  std::vector<double> dns, rtt, tls_rtts, server, size, throughput;
  for (const Observation* o : obs) {
    if (o->new_connection) ++c.new_connections;
    if (o->dns >= 0) dns.push_back(o->dns);
    if (o->tcp >= 0) rtt.push_back(o->tcp);
  }
  const double median_rtt = rtt.empty() ? 0 : fit(rtt).quantile(0.5);
  for (const Observation* o : obs) {
    const double r = o->tcp >= 0 ? o->tcp : median_rtt;
    if (o->tls > 0 && r > 0) tls_rtts.push_back(o->tls / r);
    if (o->wait >= 0) {
      const double s = to_ns(o->wait - o->wait_rtts * r);
      if (s < 0) ++c.server_clamped;
      server.push_back(std::max(0.0, s));
    }
    if (o->bytes >= 0) size.push_back(o->bytes);
    const double receive = to_ns(o->receive - o->receive_rtts * r);
    if (o->bytes > 0 && receive > 0) throughput.push_back(o->bytes / receive);
  }
  const std::string rtt_from =
      rtt.empty() ? "no RTT measured (0)"
      : c.new_connections == obs.size()
          ? "the request's own RTT"
          : "the request's own RTT, or the median RTT on a reused connection";
  c.dns = {fit(dns), "name lookups of new connections"};
  c.rtt = {fit(rtt), "TCP handshakes of new connections, one round trip each"};
  c.tls_rtts = {fit(tls_rtts), "TLS handshake time / the request's RTT"};
  c.server = {fit(server), "first byte minus the round trips before it, with " + rtt_from};
  c.size = {fit(size), "body bytes"};
  c.throughput = {fit(throughput), "body bytes / receive time, per request"};

  // Items: the observed names and sizes when every request has both.
  const bool named = std::all_of(obs.begin(), obs.end(), [](const Observation* o) {
    return plain_name(o->name) && o->bytes >= 0;
  });
  if (named) {
    std::set<std::string> seen;
    for (const Observation* o : obs)
      if (seen.insert(o->name).second) c.items.emplace_back(o->name, std::round(o->bytes));
    if (c.items.size() < obs.size())
      c.notes.push_back(
          fmt::format("{} requests for {} distinct names: one item per name, with "
                      "the size first seen",
                      obs.size(), c.items.size()));
  } else {
    c.notes.push_back(
        "some requests have no plain name (letters, digits, . _ - ~) or no size: "
        "the workload is generated (count and size)");
  }
  // [live] url: every URL is one prefix followed by the item's name.
  if (named && !obs.front()->url.empty()) {
    const std::string& u = obs.front()->url;
    const std::string prefix = u.substr(0, u.size() - obs.front()->name.size());
    const bool same = (prefix.starts_with("http://") || prefix.starts_with("https://")) &&
                      std::all_of(obs.begin(), obs.end(),
                                  [&](const Observation* o) { return o->url == prefix + o->name; });
    if (same) c.url_template = prefix + "{name}";
  }
  return c;
}

}  // namespace calibrate
