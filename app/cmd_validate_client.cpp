// `loiter validate --client`: starts the built-in server with its request trace on, writes the
// workload's URLs to a file, runs the user's command on them, and sets what the server saw
// beside the simulation of the strategy named by --as (app/validate_client.hpp).
#include "app/validate_client.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/command.hpp"
#include "live/client_process.hpp"
#include "live/curl_url.hpp"
#include "live/live_run.hpp"
#include "live/test_server.hpp"
#include "live/trace_observed.hpp"
#include "model/simulate.hpp"
#include "model/units.hpp"
#include "plots/output_files.hpp"
#include "plots/plots.hpp"

namespace app {

namespace {

constexpr int kInterrupted = 130;

// A private folder for the URL list, the trace and the client's log; removed with everything
// in it.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "loiter-client-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error(fmt::format("cannot make a folder in {}: {}",
                                           std::filesystem::temp_directory_path().string(),
                                           std::strerror(errno)));
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string read_whole(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string replace_all(std::string text, const std::string& what, const std::string& with) {
  for (std::size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + with.size()))
    text.replace(at, what.size(), with);
  return text;
}

double relative_error(double sim, double observed) {
  if (observed == 0) return sim == 0 ? 0.0 : INFINITY;
  return (sim - observed) / observed;
}

std::string percent(double e) {
  return std::isfinite(e) ? fmt::format("{:+.1f}%", 100 * e) : "inf";
}

// What the simulation of the strategy looks like in the figures the trace gives.
struct SimulatedRun {
  double makespan_s = 0, p50_s = 0, p95_s = 0;
  int max_in_flight = 0;
  std::size_t requests = 0, connections = 0;
  std::size_t ok = 0, not_found = 0, other = 0;
};

SimulatedRun simulated_figures(const model::StrategyResult& r) {
  SimulatedRun s;
  s.makespan_s = sim::to_seconds(r.summary.makespan);
  s.p50_s = sim::to_seconds(r.summary.per_request.p50);
  s.p95_s = sim::to_seconds(r.summary.per_request.p95);
  std::vector<std::pair<model::Time, int>> edges;
  for (const model::Outcome& o : r.downloads) {
    if (o.status == model::Status::not_started) continue;
    s.requests += static_cast<std::size_t>(o.attempts);
    edges.emplace_back(o.start, +1);
    edges.emplace_back(o.end, -1);
    if (o.status == model::Status::ok) {
      ++s.ok;
    } else if (o.status == model::Status::not_found) {
      ++s.not_found;
    } else {
      ++s.other;
    }
  }
  std::sort(edges.begin(), edges.end());  // ends before starts at one instant
  int now = 0;
  for (const auto& [at, step] : edges) {
    now += step;
    s.max_in_flight = std::max(s.max_in_flight, now);
  }
  for (const model::PhaseSpan& span : r.spans)
    if (span.phase == model::Phase::connect) ++s.connections;
  return s;
}

struct ObservedCounts {
  std::size_t ok = 0, not_found = 0, other = 0;
};

ObservedCounts observed_counts(const live::ObservedRun& o) {
  ObservedCounts c;
  for (const auto& [status, n] : o.by_status) {
    if (status >= 200 && status < 300) {
      c.ok += n;
    } else if (status == 404) {
      c.not_found += n;
    } else {
      c.other += n;
    }
  }
  return c;
}

std::string ms_or_s(double s) {
  return s < 1 ? fmt::format("{:.1f}ms", 1000 * s) : fmt::format("{:.3f}s", s);
}

struct Verdict {
  double makespan_error = 0, p50_error = 0, p95_error = 0;
  bool makespan_ok = true;
};

std::string text_table(const model::Scenario& scenario, const std::string& strategy,
                       const std::string& where, double tolerance, const SimulatedRun& s,
                       const live::ObservedRun& o, const Verdict& v) {
  const ObservedCounts oc = observed_counts(o);
  std::string out = fmt::format(
      "{}: simulated '{}' vs your client against the built-in server at {}, makespan "
      "tolerance {:.0f}%\n\n",
      scenario.name, strategy, where, 100 * tolerance);
  const auto row = [&out](const std::string& what, const std::string& sim, const std::string& obs,
                          const std::string& error) {
    std::string line = fmt::format("{:<22}  {:>10}  {:>10}  {:>7}", what, sim, obs, error);
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  };
  row("", "simulated", "observed", "error");
  row("makespan", fmt::format("{:.3f}s", s.makespan_s), fmt::format("{:.3f}s", o.makespan_s),
      percent(v.makespan_error));
  row("per-request p50", fmt::format("{:.3f}s", s.p50_s), fmt::format("{:.3f}s", o.p50_s),
      percent(v.p50_error));
  row("per-request p95", fmt::format("{:.3f}s", s.p95_s), fmt::format("{:.3f}s", o.p95_s),
      percent(v.p95_error));
  row("max in flight", std::to_string(s.max_in_flight), std::to_string(o.max_in_flight), "");
  row("requests", std::to_string(s.requests), std::to_string(o.requests), "");
  row("connections", std::to_string(s.connections), std::to_string(o.connections), "");
  row("requests on reused", std::to_string(s.requests - std::min(s.requests, s.connections)),
      std::to_string(o.reused), "");
  row("ok/404/other", fmt::format("{}/{}/{}", s.ok, s.not_found, s.other),
      fmt::format("{}/{}/{}", oc.ok, oc.not_found, oc.other), "");
  row("gap on a connection", "", o.gap_p50_s ? ms_or_s(*o.gap_p50_s) : "-", "");
  row("spacing at start", "", o.start_spacing_s ? ms_or_s(*o.start_spacing_s) : "-", "");
  out +=
      "\nerror = (simulated - observed) / observed. Observed: the server's trace, each request "
      "from its\nfirst byte to its last answer byte; max in flight: most requests between the two "
      "at once;\ngap: median from an answer's last byte to the next request on its connection; "
      "spacing: mean\nspacing of the requests that arrived before the first answer ended. "
      "Simulated ok/404/other\ncount downloads, observed ones requests.\n";
  std::string statuses;
  for (const auto& [status, n] : o.by_status)
    statuses += fmt::format("{}{} x{}", statuses.empty() ? "" : ", ",
                            status == 0 ? std::string("no answer") : std::to_string(status), n);
  out += fmt::format("\nstatuses seen: {}\n", statuses.empty() ? "none" : statuses);
  if (o.requests == 0) {
    out += "concurrency: the server saw no request\n";
  } else if (s.max_in_flight == o.max_in_flight) {
    out += fmt::format("concurrency: the client had {} requests in flight at most, as '{}' does\n",
                       o.max_in_flight, strategy);
  } else {
    out += fmt::format(
        "concurrency: the client had {} requests in flight at most; '{}' has {}: it is not "
        "the strategy the client runs\n",
        o.max_in_flight, strategy, s.max_in_flight);
  }
  return out;
}

// What the client spends between requests (on a kept connection, or as it starts them), and the
// key that models it.
std::string overhead_hint(const model::Client& c, const std::string& strategy,
                          const live::ObservedRun& o) {
  if (!o.gap_p50_s && !o.start_spacing_s) return "";
  const double gap = o.gap_p50_s ? *o.gap_p50_s : *o.start_spacing_s;
  const double modelled = c.cpu.mean() + c.cpu_before.mean();
  std::string out = fmt::format(
      "overhead: {} {}: the client's own time per request; '{}' spends {} of CPU per request "
      "(cpu + cpu_before)",
      ms_or_s(gap),
      o.gap_p50_s ? "from an answer's last byte to the next request on its connection (median)"
                  : "between the requests it sent before the first answer (mean)",
      strategy, ms_or_s(modelled));
  if (std::abs(gap - modelled) <= std::max(0.1 * gap, 50e-6)) return out + ", as observed\n";
  return out + fmt::format(". To account for it: cpu_before = \"{}\" on its client\n",
                           ms_or_s(std::max(0.0, gap - c.cpu.mean())));
}

std::string json_summary(const model::Scenario& scenario, std::uint64_t seed,
                         const ClientValidateArgs& a, const std::string& url,
                         const live::ClientExit& client, const SimulatedRun& s,
                         const live::ObservedRun& o, const Verdict& v, bool pass) {
  using nlohmann::ordered_json;
  auto num = [](double x) { return std::isfinite(x) ? ordered_json(x) : ordered_json(nullptr); };
  const ObservedCounts oc = observed_counts(o);
  ordered_json root;
  root["scenario"] = scenario.name;
  root["seed"] = seed;
  root["loiter_version"] = LOITER_VERSION;
  root["strategy"] = a.as;
  root["url"] = url;
  root["tolerance"] = a.tolerance;
  root["pass"] = pass;
  root["client"] = {
      {"command", a.command},
      {"exit_code", client.signal == 0 ? ordered_json(client.exit_code) : ordered_json(nullptr)},
      {"signal", client.signal},
      {"timed_out", client.timed_out},
      {"stopped", client.stopped},
      {"seconds", client.seconds}};
  root["makespan_s"] = {
      {"sim", s.makespan_s}, {"observed", o.makespan_s}, {"error", num(v.makespan_error)}};
  root["per_request_p50_s"] = {
      {"sim", s.p50_s}, {"observed", o.p50_s}, {"error", num(v.p50_error)}};
  root["per_request_p95_s"] = {
      {"sim", s.p95_s}, {"observed", o.p95_s}, {"error", num(v.p95_error)}};
  root["max_in_flight"] = {{"sim", s.max_in_flight}, {"observed", o.max_in_flight}};
  root["requests"] = {{"sim", s.requests}, {"observed", o.requests}};
  root["connections"] = {{"sim", s.connections}, {"observed", o.connections}};
  root["reused"] = {{"sim", s.requests - std::min(s.requests, s.connections)},
                    {"observed", o.reused}};
  root["outcomes"] = {
      {"sim", {{"ok", s.ok}, {"not_found", s.not_found}, {"other", s.other}}},
      {"observed", {{"ok", oc.ok}, {"not_found", oc.not_found}, {"other", oc.other}}}};
  ordered_json statuses = ordered_json::object();
  for (const auto& [status, n] : o.by_status)
    statuses[std::to_string(status)] = n;
  root["observed_statuses"] = std::move(statuses);
  root["gap_p50_s"] = o.gap_p50_s ? ordered_json(*o.gap_p50_s) : ordered_json(nullptr);
  root["start_spacing_s"] =
      o.start_spacing_s ? ordered_json(*o.start_spacing_s) : ordered_json(nullptr);
  return root.dump(2) + "\n";
}

std::chrono::nanoseconds client_timeout(const std::string& text) {
  double seconds = 0;
  try {
    seconds = model::parse_duration(text);
  } catch (const std::exception& e) {
    throw BadInput(std::string("--client-timeout: ") + e.what());
  }
  if (!(seconds > 0 && seconds <= 1e8))
    throw BadInput("--client-timeout: expected a duration above 0 s, at most 1e8 s, e.g. 10min");
  return std::chrono::nanoseconds(static_cast<std::int64_t>(seconds * 1e9));
}

}  // namespace

int validate_client_command(const ClientValidateArgs& a) {
  const model::Scenario scenario = load_scenario_or_bad_input(a.scenario);
  report_warnings(scenario, a.strict, true);
  const std::uint64_t seed = a.seed.value_or(scenario.seed);
  const model::Strategy& strategy = *strategies_or_bad_input(scenario, {a.as}).front();
  if (!(std::isfinite(a.tolerance) && a.tolerance >= 0))
    throw BadInput("--tolerance: expected a fraction >= 0, e.g. 0.10 for 10%");
  const std::chrono::nanoseconds timeout = client_timeout(a.timeout);
  if (scenario.workload.kind == model::Workload::Kind::sleeps)
    throw BadInput("--client: scenario '" + scenario.name +
                   "' has sleeps, not downloads; a client needs URLs to fetch");
  const std::vector<model::Job> jobs = model::make_jobs(scenario, seed);

  ScratchDir scratch;
  const auto urls_path = scratch.path() / "urls.txt";
  const auto trace_path = scratch.path() / "trace.csv";
  const auto log_path = scratch.path() / "client.log";

  live::LiveStop stop;
  live::SignalStop signals(stop);  // before the server's threads: they inherit the mask
  live::ServeOptions serve = live::local_serve_options(scenario, jobs);
  serve.trace = trace_path;
  std::optional<live::TestServer> server;
  try {
    server.emplace(std::move(serve));
    server->start();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "loiter validate: cannot start the built-in server: %s\n", e.what());
    return kFailed;
  }
  std::string url_template;
  try {
    url_template = live::live_url_template(scenario.live.url, server->base_url());
  } catch (const std::invalid_argument& e) {
    throw BadInput(std::string("loiter validate: ") + e.what());
  }
  {
    std::ofstream list(urls_path);
    for (const model::Job& job : jobs)
      list << live::url_for(url_template, job.name) << '\n';
    if (!list.flush()) throw std::runtime_error("cannot write " + urls_path.string());
  }

  live::ClientCommand command;
  command.command = replace_all(a.command, "{urls}", urls_path.string());
  command.env = {{"LOITER_URLS", urls_path.string()}, {"LOITER_URL", url_template}};
  command.timeout = timeout;
  command.stop = &stop;
  int log_fd = -1;
  if (!a.out.empty()) {
    log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log_fd < 0) throw std::runtime_error("cannot open " + log_path.string());
    command.output_fd = log_fd;
  }
  std::fprintf(stderr, "running your client on %zu URLs (%s)...\n", jobs.size(), urls_path.c_str());
  const live::ClientExit client = live::run_client_command(command);
  if (log_fd >= 0) ::close(log_fd);
  server->stop();  // every answer is in the trace, and the trace is closed

  std::ifstream trace_in(trace_path);
  const std::vector<live::TraceRecord> rows = live::read_trace(trace_in);
  const live::ObservedRun observed = live::observe(rows);
  const model::StrategyResult simulated =
      model::simulate_strategy(scenario, strategy, jobs, seed, false).result;
  const SimulatedRun sim = simulated_figures(simulated);

  Verdict v;
  v.makespan_error = relative_error(sim.makespan_s, observed.makespan_s);
  v.p50_error = relative_error(sim.p50_s, observed.p50_s);
  v.p95_error = relative_error(sim.p95_s, observed.p95_s);
  v.makespan_ok = observed.answered > 0 && std::abs(v.makespan_error) <= a.tolerance;
  const bool pass = client.ok() && v.makespan_ok;

  const std::string table =
      text_table(scenario, strategy.name, url_template, a.tolerance, sim, observed, v) +
      overhead_hint(scenario.client_of(strategy), strategy.name, observed);
  if (!a.out.empty()) {
    // The client's Gantt as the server saw it (a lane per connection) above the simulation's.
    const plots::ChartInfo chart{
        scenario.name, fmt::format("your client (what the server saw) and '{}', simulated · {} "
                                   "downloads",
                                   strategy.name, jobs.size())};
    plots::write_outputs(
        a.out, {{"validate.json",
                 json_summary(scenario, seed, a, url_template, client, sim, observed, v, pass)},
                {"gantt.svg",
                 plots::gantt_svg({live::observed_result(rows, "your client"), simulated}, chart)},
                {"trace.csv", read_whole(trace_path)},
                {"client.log", read_whole(log_path)}});
  }
  std::fputs(table.c_str(), stdout);
  std::fprintf(stdout, "client: sh -c '%s' %s after %.3f s\n", a.command.c_str(),
               client.describe().c_str(), client.seconds);
  if (!client.ok()) {
    std::fprintf(stderr, "loiter validate: your client %s%s\n", client.describe().c_str(),
                 a.out.empty() ? "" : (" (its output: " + a.out + "/client.log)").c_str());
  }
  if (observed.answered == 0 && !client.stopped) {
    std::fprintf(stderr,
                 "loiter validate: the server answered no request; does the command read its "
                 "URLs from {urls} or $LOITER_URLS?\n");
  } else if (!v.makespan_ok) {
    std::fprintf(stdout, "%s: simulated makespan off by %s (more than %.0f%%)\n",
                 strategy.name.c_str(), percent(v.makespan_error).c_str(), 100 * a.tolerance);
  }
  if (!a.out.empty())
    std::fprintf(stderr, "wrote validate.json trace.csv client.log to %s\n", a.out.c_str());
  if (client.stopped) return kInterrupted;
  return pass ? kOk : kFailed;
}

}  // namespace app
