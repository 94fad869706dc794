#include "app/event_log.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace app {

namespace {

std::string stamp(model::Time t, bool whole_seconds) {
  const std::int64_t ms = t.count() / 1'000'000;
  const std::int64_t s = ms / 1000;
  const std::string hms = fmt::format("{:02}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
  return whole_seconds ? "[" + hms + "]" : fmt::format("[{}.{:03}]", hms, ms % 1000);
}

}  // namespace

std::string event_log(const model::StrategyResult& result, const std::vector<model::LogEvent>& log,
                      const std::vector<model::Job>& jobs) {
  const bool sleeps = !jobs.empty() && jobs.front().sleep.has_value();
  std::string out;
  for (const model::LogEvent& e : log) {
    const model::Job& job = jobs[e.id];
    const model::Outcome& o = result.downloads[e.id];
    // The demo indents each task by its index; past 8 levels lines would only drift right.
    const std::string indent(std::min<std::size_t>(e.id, 8), '\t');
    std::string what;
    switch (e.kind) {
      case model::LogEvent::Kind::start:
        what = sleeps ? fmt::format("{}{}: doing nothing for {}s...", indent, job.name,
                                    sim::to_seconds(*job.sleep))
                      : fmt::format("{}{}: downloading on lane {}...", indent, job.name, e.lane);
        break;
      case model::LogEvent::Kind::done:
        what = sleeps ? fmt::format("{}{}: done.", indent, job.name)
                      : fmt::format("{}{}: {} ({} bytes, {} attempt{}).", indent, job.name,
                                    model::to_string(o.status), o.bytes, o.attempts,
                                    o.attempts == 1 ? "" : "s");
        break;
      case model::LogEvent::Kind::failed: {
        const model::FailedAttempt& f = result.failed_attempts[e.failure];
        what = fmt::format(
            "{}{}: attempt {} failed: {}; {}", indent, job.name, f.attempt + 1,
            f.error.empty() ? std::string(model::to_string(f.status)) : f.error,
            f.retried ? fmt::format("retrying after a {:.3f} s backoff", sim::to_seconds(f.backoff))
                      : std::string("no retries left"));
        break;
      }
      case model::LogEvent::Kind::retry:
        what = fmt::format("{}{}: retrying (attempt {})...", indent, job.name,
                           result.failed_attempts[e.failure].attempt + 2);
        break;
      case model::LogEvent::Kind::consumed:
        what = sleeps ? fmt::format("result {}: {}", e.id, e.id * 10)
                      : fmt::format("result {}: {}", e.id, job.name);
        break;
    }
    out += stamp(e.at, sleeps) + " " + what + "\n";
  }
  return out;
}

}  // namespace app
