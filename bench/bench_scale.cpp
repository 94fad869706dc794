// Scale benchmark: the whole command, as a user runs it. Runs
//   loiter run scenarios/million.toml --set workload.count=N --format json --downloads no
// for N = 10^5, 10^6, 10^7 (and 10^8 with --1e8) as child processes, and prints one line each
// with wall time, CPU time, the child's peak RSS (wait4), engine events and events per CPU
// second, then the growth ratios of wall and CPU time between successive sizes:
//   case=scale downloads=... wall_s=... cpu_s=... peak_rss_mb=... events=... events_per_cpu_s=...
//   case=growth from=... to=... wall_ratio=... cpu_ratio=...   (linear growth would be 10x)
// Targets: 10^7 under 10 s wall and 2 GiB peak RSS; growth 10^6 -> 10^7 at most 11x; 10^8
// under 4 GiB. A size the command refuses (its memory estimate) prints case=refused.
// Usage: bench_scale [--loiter PATH] [--scenario PATH] [--max N] [--1e8]
//   defaults: loiter next to this binary, scenarios/million.toml from the current folder.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/memory_estimate.hpp"
#include "model/scenario_load.hpp"

namespace {

struct Run {
  int exit_code = -1;
  double wall_s = 0, cpu_s = 0, peak_rss_mb = 0;
  std::string out, err;
};

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

// Runs argv with stdout and stderr to files; measures the child alone (wait4's rusage).
Run run_child(const std::vector<std::string>& argv, const std::string& tmp) {
  Run r;
  const std::string out_path = tmp + "/stdout", err_path = tmp + "/stderr";
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) return r;
  if (pid == 0) {
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) _exit(127);
    std::vector<char*> args;
    for (const std::string& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  rusage u{};
  if (wait4(pid, &status, 0, &u) < 0) return r;
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto secs = [](timeval t) {
    return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec);
  };
  r.cpu_s = secs(u.ru_utime) + secs(u.ru_stime);
  r.peak_rss_mb = static_cast<double>(u.ru_maxrss) / 1024.0;  // KiB on Linux
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out_path);
  r.err = slurp(err_path);
  return r;
}

std::uint64_t events_of(const std::string& json_text) {
  const auto j = nlohmann::json::parse(json_text, nullptr, false);
  std::uint64_t events = 0;
  if (j.is_object() && j.contains("strategies"))
    for (const auto& s : j["strategies"])
      if (s.contains("events")) events += s["events"].get<std::uint64_t>();
  return events;
}

}  // namespace

int main(int argc, char** argv) {
  std::string loiter = (std::filesystem::canonical("/proc/self/exe").parent_path() / "loiter");
  std::string scenario = "scenarios/million.toml";
  std::int64_t max = 10'000'000;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--loiter" && i + 1 < argc) {
      loiter = argv[++i];
    } else if (a == "--scenario" && i + 1 < argc) {
      scenario = argv[++i];
    } else if (a == "--max" && i + 1 < argc) {
      max = std::atoll(argv[++i]);
    } else if (a == "--1e8") {
      max = 100'000'000;
    } else {
      std::fprintf(stderr,
                   "usage: bench_scale [--loiter PATH] [--scenario PATH] [--max N] [--1e8]\n");
      return 2;
    }
  }
  if (!std::filesystem::exists(scenario)) {
    std::fprintf(
        stderr, "bench_scale: %s not found (run from loiter's source folder, or give --scenario)\n",
        scenario.c_str());
    return 2;
  }
  char tmpl[] = "/tmp/bench_scale.XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return 1;
  const std::string tmp = tmpl;

  struct Point {
    std::int64_t n;
    Run run;
  };
  std::vector<Point> points;
  for (std::int64_t n = 100'000; n <= max; n *= 10) {
    // Measured, not refused: the run's own estimate is printed beside what it used.
    Run r = run_child({loiter, "run", scenario, "--set", "workload.count=" + std::to_string(n),
                       "--format", "json", "--downloads", "no", "--max-memory", "1 TiB"},
                      tmp);
    model::Scenario s = model::load_scenario(scenario);
    s.workload.count = n;
    std::vector<const model::Strategy*> all;
    for (const model::Strategy& st : s.strategies)
      all.push_back(&st);
    const double estimate_mb =
        static_cast<double>(model::estimate_run_bytes(s, all, false)) / (1024.0 * 1024.0);
    if (r.exit_code != 0) {
      std::string first_line = r.err.substr(0, r.err.find('\n'));
      std::printf("case=refused downloads=%lld exit=%d reason=\"%s\"\n", static_cast<long long>(n),
                  r.exit_code, first_line.c_str());
      std::fflush(stdout);
      break;
    }
    const std::uint64_t events = events_of(r.out);
    std::printf(
        "case=scale downloads=%lld wall_s=%.3f cpu_s=%.3f peak_rss_mb=%.0f estimate_mb=%.0f "
        "events=%llu events_per_cpu_s=%.0f\n",
        static_cast<long long>(n), r.wall_s, r.cpu_s, r.peak_rss_mb, estimate_mb,
        static_cast<unsigned long long>(events),
        r.cpu_s > 0 ? static_cast<double>(events) / r.cpu_s : 0.0);
    std::fflush(stdout);
    points.push_back({n, std::move(r)});
  }
  for (std::size_t i = 1; i < points.size(); ++i)
    std::printf("case=growth from=%lld to=%lld wall_ratio=%.2f cpu_ratio=%.2f\n",
                static_cast<long long>(points[i - 1].n), static_cast<long long>(points[i].n),
                points[i].run.wall_s / points[i - 1].run.wall_s,
                points[i].run.cpu_s / points[i - 1].run.cpu_s);
  std::filesystem::remove_all(tmp);
  return points.empty() ? 1 : 0;
}
