// The client's CPU work per attempt: cpu_before before the request, cpu and cpu_per_byte
// after an answer, drawn from the run seed (declared in strategy_run.hpp).
#include <algorithm>

#include "model/strategy_run.hpp"

namespace model {

namespace {

// Attempt 0 draws from the stream CPU work has always drawn from, per download.
std::uint64_t cpu_stream(std::uint32_t download, int attempt) {
  return download | (static_cast<std::uint64_t>(attempt) << 32);
}

}  // namespace

Duration cpu_work(const Client& c, std::uint64_t seed, std::uint32_t download, int attempt,
                  std::int64_t bytes) {
  Duration work{0};
  if (!c.cpu.is_zero()) {
    Rng rng = Rng::derive(seed ^ 0x9E3779B97F4A7C15ull, cpu_stream(download, attempt));
    work = sim::from_seconds(c.cpu.sample_within(rng, kMaxDrawnSeconds));
  }
  if (c.cpu_per_byte > 0 && bytes > 0)
    work = sim::add_saturating(
        work,
        sim::from_seconds(std::min(c.cpu_per_byte * static_cast<double>(bytes), kMaxDrawnSeconds)));
  return work;
}

Duration cpu_before_work(const Client& c, std::uint64_t seed, std::uint32_t download, int attempt) {
  if (c.cpu_before.is_zero()) return Duration::zero();
  Rng rng = Rng::derive(seed ^ 0xC0DE'BEF0'4E00'0000ull, cpu_stream(download, attempt));
  return sim::from_seconds(c.cpu_before.sample_within(rng, kMaxDrawnSeconds));
}

bool pays_cpu(const Client& c, const AttemptResult& r) {
  if (r.status == Status::ok) return true;
  // A timeout or a connection error has no answer to parse.
  return c.cpu_on == Client::CpuOn::answer && r.http_status > 0;
}

}  // namespace model
