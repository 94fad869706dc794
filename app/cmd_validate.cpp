// `loiter validate`: simulate each strategy and run it live against the built-in server
// (started with the scenario's server knobs on a free loopback port) or --base-url, and say
// how far the simulation was: makespan, latency percentiles, completion times, outcomes.
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/command.hpp"
#include "app/live_target.hpp"
#include "app/result_files.hpp"
#include "app/validate_client.hpp"
#include "live/live_run.hpp"
#include "live/test_server.hpp"
#include "model/simulate.hpp"
#include "model/units.hpp"
#include "plots/output_files.hpp"
#include "plots/plots.hpp"

namespace app {

namespace {

constexpr int kInterrupted = 130;

struct ValidateArgs {
  std::string scenario;
  std::string base_url;
  double tolerance = 0.10;
  std::vector<std::string> strategies;
  std::optional<std::uint64_t> seed;
  std::string out;
  bool strict = false;
  std::string client;  // --client COMMAND (with --as): the user's own downloader instead
  std::string as;
  std::optional<std::string> client_timeout;
};

// --client and --as go together, and not with what only validates loiter's own strategies.
int validate_client(const ValidateArgs& a) {
  if (a.as.empty()) throw BadInput("--client needs --as STRATEGY: the strategy to compare it with");
  if (a.client.empty())
    throw BadInput("--as needs --client COMMAND: the client to compare with it");
  if (!a.base_url.empty())
    throw BadInput(
        "--client runs against the built-in server, whose trace it reads; "
        "--base-url cannot be used with it");
  if (!a.strategies.empty())
    throw BadInput("--strategy cannot be used with --client; name the one strategy with --as");
  ClientValidateArgs c;
  c.scenario = a.scenario;
  c.command = a.client;
  c.as = a.as;
  if (a.client_timeout) c.timeout = *a.client_timeout;
  c.tolerance = a.tolerance;
  c.seed = a.seed;
  c.out = a.out;
  c.strict = a.strict;
  return validate_client_command(c);
}

double secs(model::Duration d) {
  return sim::to_seconds(d);
}

// (sim - live) / live; 0 when both are 0.
double relative_error(double sim, double live) {
  if (live == 0) return sim == 0 ? 0.0 : INFINITY;
  return (sim - live) / live;
}

struct Comparison {
  const model::StrategyResult* sim = nullptr;
  const model::StrategyResult* live = nullptr;
  double makespan_error = 0, p50_error = 0, p95_error = 0;
  double completion_mae_s = 0;  // mean |sim end - live end| over downloads
  bool pass = true;
};

Comparison compare(const model::StrategyResult& s, const model::StrategyResult& l,
                   double tolerance) {
  Comparison c;
  c.sim = &s;
  c.live = &l;
  c.makespan_error = relative_error(secs(s.summary.makespan), secs(l.summary.makespan));
  c.p50_error = relative_error(secs(s.summary.p50), secs(l.summary.p50));
  c.p95_error = relative_error(secs(s.summary.p95), secs(l.summary.p95));
  double sum = 0;
  const std::size_t n = std::min(s.downloads.size(), l.downloads.size());
  for (std::size_t i = 0; i < n; ++i)
    sum += std::abs(secs(s.downloads[i].end) - secs(l.downloads[i].end));
  c.completion_mae_s = n == 0 ? 0 : sum / static_cast<double>(n);
  c.pass = std::abs(c.makespan_error) <= tolerance;
  return c;
}

std::string percent(double e) {
  return std::isfinite(e) ? fmt::format("{:+.1f}%", 100 * e) : "inf";
}

std::string counts(const model::Summary& s) {
  return fmt::format("{}/{}/{}/{}", s.counts[0], s.counts[1], s.counts[2], s.counts[3]);
}

std::string text_table(const model::Scenario& scenario, const std::string& where,
                       const std::vector<Comparison>& rows, double tolerance, bool interrupted) {
  std::string out =
      fmt::format("{}: simulation vs live ({}), makespan tolerance {:.0f}%{}\n\n", scenario.name,
                  where, 100 * tolerance, interrupted ? ", INTERRUPTED: partial results" : "");
  std::size_t w = 8;
  for (const auto& r : rows)
    w = std::max(w, r.sim->name.size());
  out += fmt::format("{:<{}}  {:>9}  {:>9}  {:>7}  {:>8}  {:>8}  {:>9}  {:>19}  {}\n", "strategy",
                     w, "sim", "live", "error", "p50 err", "p95 err", "end MAE",
                     "ok/404/err/timeout", "");
  for (const auto& r : rows) {
    out += fmt::format(
        "{:<{}}  {:>8.3f}s  {:>8.3f}s  {:>7}  {:>8}  {:>8}  {:>8.1f}ms  {:>19}  {}\n", r.sim->name,
        w, secs(r.sim->summary.makespan), secs(r.live->summary.makespan), percent(r.makespan_error),
        percent(r.p50_error), percent(r.p95_error), 1000 * r.completion_mae_s,
        counts(r.sim->summary) + " | " + counts(r.live->summary), r.pass ? "ok" : "OFF");
  }
  out +=
      "\nerror = (simulated - live) / live; end MAE = mean |simulated - live| completion time "
      "per download;\noutcomes: simulated | live.\n";
  return out;
}

std::string json_summary(const model::Scenario& scenario, std::uint64_t seed,
                         const std::string& url, double tolerance,
                         const std::vector<Comparison>& rows, bool pass, bool interrupted) {
  using nlohmann::ordered_json;
  auto outcomes = [](const model::Summary& s) {
    return ordered_json{{"ok", s.counts[0]},
                        {"not_found", s.counts[1]},
                        {"error", s.counts[2]},
                        {"timeout", s.counts[3]}};
  };
  auto num = [](double v) { return std::isfinite(v) ? ordered_json(v) : ordered_json(nullptr); };
  ordered_json root;
  root["scenario"] = scenario.name;
  root["seed"] = seed;
  root["loiter_version"] = LOITER_VERSION;
  root["url"] = url;
  root["tolerance"] = tolerance;
  root["pass"] = pass;
  root["interrupted"] = interrupted;
  ordered_json list = ordered_json::array();
  for (const auto& r : rows) {
    ordered_json j;
    j["name"] = r.sim->name;
    j["kind"] = r.sim->kind;
    j["detail"] = r.sim->detail;
    j["makespan_s"] = {{"sim", secs(r.sim->summary.makespan)},
                       {"live", secs(r.live->summary.makespan)},
                       {"error", num(r.makespan_error)}};
    j["p50_s"] = {{"sim", secs(r.sim->summary.p50)},
                  {"live", secs(r.live->summary.p50)},
                  {"error", num(r.p50_error)}};
    j["p95_s"] = {{"sim", secs(r.sim->summary.p95)},
                  {"live", secs(r.live->summary.p95)},
                  {"error", num(r.p95_error)}};
    j["completion_mae_s"] = r.completion_mae_s;
    j["outcomes"] = {{"sim", outcomes(r.sim->summary)}, {"live", outcomes(r.live->summary)}};
    j["pass"] = r.pass;
    list.push_back(std::move(j));
  }
  root["strategies"] = std::move(list);
  return root.dump(2) + "\n";
}

int validate_command(const ValidateArgs& a) {
  if (!a.client.empty() || !a.as.empty()) return validate_client(a);
  if (a.client_timeout) throw BadInput("--client-timeout needs --client COMMAND and --as STRATEGY");
  const model::Scenario scenario = load_scenario_or_bad_input(a.scenario);
  report_warnings(scenario, a.strict);
  const std::uint64_t seed = a.seed.value_or(scenario.seed);
  const std::vector<const model::Strategy*> chosen =
      strategies_or_bad_input(scenario, a.strategies);
  if (!(std::isfinite(a.tolerance) && a.tolerance >= 0)) {
    throw BadInput("--tolerance: expected a fraction >= 0, e.g. 0.10 for 10%");
  }
  const std::vector<model::Job> jobs = model::make_jobs(scenario, seed);

  live::LiveStop stop;
  live::SignalStop signals(stop);  // before the server's threads: they inherit the mask
  live::LiveRunOptions options;
  options.curl.stop = &stop;
  LiveTarget target;
  std::string where = "no network";
  if (scenario.workload.kind != model::Workload::Kind::sleeps) {
    if (!open_live_target(target, "loiter validate", scenario, jobs, a.base_url,
                          a.base_url.empty())) {
      return kFailed;
    }
    options.curl.url_template = target.url_template;
    options.curl.http1_server = target.server.has_value();
    where = target.server ? "built-in server at " + target.url_template : target.url_template;
  }

  std::vector<model::StrategyResult> sims, lives;
  bool interrupted = false;
  for (const model::Strategy* st : chosen) {
    std::fprintf(stderr, "validating %s...\n", st->name.c_str());
    sims.push_back(model::simulate_strategy(scenario, *st, jobs, seed, false).result);
    lives.push_back(live::run_live_strategy(scenario, *st, jobs, seed, options).result);
    if (stop.requested()) {
      interrupted = true;
      break;
    }
  }
  if (target.server) target.server->stop();

  std::vector<Comparison> rows;
  bool pass = !interrupted;
  for (std::size_t i = 0; i < sims.size(); ++i) {
    rows.push_back(compare(sims[i], lives[i], a.tolerance));
    pass = pass && rows.back().pass;
  }
  const std::string table = text_table(scenario, where, rows, a.tolerance, interrupted);
  if (!a.out.empty()) {
    const plots::ChartInfo chart{
        scenario.name,
        fmt::format("simulated (dashed) vs live (solid) · {} downloads", jobs.size())};
    plots::write_outputs(a.out,
                         {{"timeline.svg", plots::timeline_svg(sims, lives, chart)},
                          {"validate.json", json_summary(scenario, seed, options.curl.url_template,
                                                         a.tolerance, rows, pass, interrupted)}});
  }
  std::fputs(table.c_str(), stdout);
  for (const auto& r : rows) {
    if (!r.pass) {
      std::fprintf(stdout, "%s: simulated makespan off by %s (more than %.0f%%)\n",
                   r.sim->name.c_str(), percent(r.makespan_error).c_str(), 100 * a.tolerance);
    }
  }
  if (!a.out.empty())
    std::fprintf(stderr, "wrote timeline.svg validate.json to %s\n", a.out.c_str());
  if (interrupted) return kInterrupted;
  return pass ? kOk : kFailed;
}

}  // namespace

Command add_validate_command(CLI::App& cli) {
  auto args = std::make_shared<ValidateArgs>();
  ValidateArgs& v = *args;
  auto* cmd = cli.add_subcommand(
      "validate",
      "Simulate each strategy and run it live against the built-in server (the scenario's "
      "server knobs, a free loopback port) or --base-url; compare them side by side. Exit "
      "status 1 when a strategy's simulated makespan is off by more than --tolerance.");
  cmd->add_option("scenario", v.scenario, "Scenario file (TOML)")->required();
  cmd->add_option("--base-url", v.base_url,
                  "Fetch from this server instead of starting the built-in one: "
                  "scheme://host:port (the scenario url's path is kept) or a template with {name}");
  cmd->add_option("--tolerance", v.tolerance,
                  "Largest accepted relative makespan error (default 0.10 = 10%, 0 to 100)")
      ->check(finite_range(0, 100));
  cmd->add_option("--strategy", v.strategies, "Validate only these strategies (repeatable)");
  cmd->add_option("--seed", v.seed, "Seed (default: the scenario's)")->check(seed_range());
  add_strict_flag(*cmd, v.strict);
  cmd->add_option("--client", v.client,
                  "Run this command (sh -c; {urls} is a file of the workload's URLs, also "
                  "$LOITER_URLS; $LOITER_URL is the template with {name}) against the built-in "
                  "server and compare what the server saw with the strategy named by --as");
  cmd->add_option("--as", v.as,
                  "With --client: the scenario's strategy the client is compared with");
  cmd->add_option("--client-timeout", v.client_timeout,
                  "With --client: end the command (its whole process group) after this long "
                  "(default 10min)");
  cmd->add_option("--out", v.out,
                  "Write timeline.svg (simulated dashed, live solid) and "
                  "validate.json to this folder (with --client: validate.json, the server's "
                  "trace.csv and the command's output, client.log)");
  return {cmd, [args] { return validate_command(*args); }};
}

}  // namespace app
