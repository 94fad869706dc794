// Writing the calibrated scenario: every value with the law chosen, the samples behind it and
// the empirical quantiles as comments.
#include <fmt/format.h>
#include <algorithm>
#include <cmath>

#include "calibrate/calibration.hpp"

namespace calibrate {

namespace {

constexpr std::size_t kMaxWrittenSamples = 1000;

std::string toml_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

using Format = std::string (*)(double);

// `text` as comment lines of at most 100 columns: "# " on the first, `more` on the others.
std::string commented(const std::string& text, const char* more = "#   ") {
  std::string out, line = "#";
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find(' ', at);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(at, end - at);
    if (line.size() + 1 + word.size() > 100 && line.size() > std::string(more).size()) {
      out += line + "\n";
      line = std::string(more).substr(0, std::string(more).size() - 1);
    }
    line += " " + word;
    at = end + 1;
  }
  return out + line + "\n";
}

// "# RTT: 20 TCP handshakes ...; <why>" + quantiles + lognormal parameters.
std::string comment(const char* what, const Phase& p, Format text) {
  const Fit& f = p.fit;
  std::string out = commented(fmt::format("{}: {} samples ({}); {}", what, f.n(), p.from, f.why));
  if (f.n() == 0) return out;
  out +=
      commented(fmt::format("  empirical: min {}, p10 {}, p50 {}, p90 {}, p99 {}, max {}",
                            text(f.sorted.front()), text(f.quantile(0.1)), text(f.quantile(0.5)),
                            text(f.quantile(0.9)), text(f.quantile(0.99)), text(f.sorted.back())),
                "#     ");
  if (f.lognormal_fitted)
    out += commented(
        fmt::format("  lognormal (maximum likelihood): mu = {:.6g}, sigma = {:.6g} (of the log), "
                    "median {}; KS distance {:.4f}{}",
                    f.mu, f.sigma, text(f.median()), f.ks,
                    f.n() < 4 ? " (too few samples for a critical value)"
                              : fmt::format(" (5% critical value {:.4f})", f.critical)),
        "#     ");
  return out;
}

// The distribution as the scenario writes it.
std::string distribution(const Fit& f, Format text) {
  switch (f.choice) {
    case Fit::Choice::none:
      return "\"" + text(0) + "\"";
    case Fit::Choice::constant:
      return "\"" + text(f.sorted.front()) + "\"";
    case Fit::Choice::lognormal:
      if (f.sigma <= 5)
        return fmt::format("{{ dist = \"lognormal\", median = \"{}\", sigma = {:.6g} }}",
                           text(f.median()), f.sigma);
      break;
    case Fit::Choice::empirical:
      break;
  }
  // The samples, or as many evenly spaced quantiles as fit in a readable file.
  const std::size_t k = std::min(f.n(), kMaxWrittenSamples);
  std::string out = "{ dist = \"empirical\", samples = [";
  for (std::size_t i = 0; i < k; ++i) {
    const double v = k == f.n()
                         ? f.sorted[i]
                         : f.quantile((static_cast<double>(i) + 0.5) / static_cast<double>(k));
    out += fmt::format("{}\"{}\",", i % 6 == 0 ? "\n  " : " ", text(v));
  }
  return out + "\n] }";
}

std::string sized(double b) {
  return size_text(b);
}
std::string timed(double s) {
  return duration_text(s);
}
std::string rated(double r) {
  return rate_text(r);
}

}  // namespace

std::string duration_text(double s) {
  const double ns = std::round(s * 1e9);
  if (ns <= 0) return "0s";
  if (s >= 1e6) return fmt::format("{:.0f}s", s);
  if (s >= 1) return fmt::format("{:.6g}s", s);
  if (s >= 1e-3) return fmt::format("{:.6g}ms", s * 1e3);
  if (s >= 1e-6) return fmt::format("{:.6g}us", s * 1e6);
  return fmt::format("{:.0f}ns", ns);
}

std::string size_text(double b) {
  return fmt::format("{:.0f} B", std::max(0.0, std::round(b)));
}

std::string rate_text(double r) {
  return fmt::format("{:.0f} B/s", std::max(1.0, std::round(r)));
}

std::string scenario_text(const Calibration& c) {
  std::string o = "# Calibrated by `loiter calibrate` from what a client observed:\n";
  for (const std::string& in : c.inputs)
    o += commented("  " + in);
  for (const std::string& note : c.notes)
    o += commented(note);
  o += commented(
      "Each law: a lognormal fitted by maximum likelihood when its Kolmogorov-Smirnov distance "
      "to the samples is at most the 5% critical value for parameters fitted from them "
      "(Lilliefors), else the samples themselves (empirical; their KS distance to themselves is "
      "0 by construction, not a test); all equal samples give a constant.");
  o += fmt::format("name = {}\n", toml_string(c.name));
  o += fmt::format("description = {}\n",
                   toml_string(fmt::format("Calibrated from {} observed requests", c.requests)));
  o += "seed = 1\n\n[workload]\n";
  if (!c.items.empty()) {
    o += fmt::format("# {} items: the names and sizes observed\n", c.items.size());
    o += comment("sizes", c.size, sized);
    o += "items = [\n";
    for (const auto& [name, bytes] : c.items)
      o += fmt::format("  {{ name = {}, size = {:.0f} }},\n", toml_string(name), bytes);
    o += "]\n";
  } else {
    o += comment("size", c.size, sized);
    o += fmt::format("count = {}  # one per observed request\n", c.requests);
    o += "size = " + distribution(c.size.fit, sized) + "\n";
  }

  o += "\n[network]\n";
  o += comment("RTT", c.rtt, timed);
  o += "rtt = " + distribution(c.rtt.fit, timed) + "\n";
  if (c.dns.fit.n() > 0) {
    o += comment("DNS", c.dns, timed);
    o += "dns = " + distribution(c.dns.fit, timed) + "\n";
  }
  if (c.tls_rtts.fit.n() > 0) {
    const double ratio = c.tls_rtts.fit.quantile(0.5);
    const int rounds = std::clamp(static_cast<int>(std::lround(ratio)), 1, 10);
    o += comment("TLS round trips", c.tls_rtts, [](double x) { return fmt::format("{:.3g}", x); });
    o += fmt::format(
        "tls = true\ntls_rtts = {}  # the median ratio {:.3g}, rounded (at least 1: "
        "a handshake was seen; at most 10)\n",
        rounds, ratio);
  }
  if (c.throughput.fit.n() > 0) {
    o += comment("throughput", c.throughput, rated);
    o += "# per_connection is the median: measured on short transfers it includes their ramp-up,\n"
         "# so it is a lower bound of the connection's real cap\n";
    o += "per_connection = \"" + rate_text(c.throughput.fit.quantile(0.5)) + "\"\n";
  } else {
    o += "# per_connection: no transfer with a measurable receive time; left unlimited\n";
  }

  o += "\n[server]\n";
  o += comment("server time", c.server, timed);
  if (c.server_clamped > 0)
    o += fmt::format(
        "# {} server times came out below 0 (a round trip longer than the wait) and "
        "count as 0\n",
        c.server_clamped);
  if (c.server_workers > 0)
    o += fmt::format(
        "workers = {}  # requests in service at once in the server's trace when each of the {} "
        "that waited for a worker arrived (median)\n",
        c.server_workers, c.waited);
  else
    o += "# workers: not inferred (the server's queue is in the server time for a live client)\n";
  o += "service = " + distribution(c.server.fit, timed) + "\n";

  o += "\n[client]\n";
  o +=
      fmt::format("keep_alive = {}  # {} of {} requests opened a new connection\n",
                  c.new_connections < c.requests ? "true" : "false", c.new_connections, c.requests);

  o += "\n# Add the strategies to compare (see scenarios/README.md).\n";
  o += "[[strategy]]\nname = \"sequential\"\nkind = \"sequential\"\n";
  if (!c.url_template.empty())
    o += "\n[live]\nurl = " + toml_string(c.url_template) + "  # the observed URLs\n";
  return o;
}

}  // namespace calibrate
