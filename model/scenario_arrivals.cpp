// Reading [workload] arrivals and the items' own arrival times (`at`).
#include "model/scenario_arrivals.hpp"

#include <toml++/toml.h>

#include "model/units.hpp"

namespace model {

namespace {

constexpr std::string_view kExpected =
    "expected \"at_once\", a rate such as \"100/s\" (Poisson arrivals), or { rate = \"100/s\", "
    "process = \"constant\" }";

}  // namespace

Arrivals ArrivalsReader::arrivals(const toml::node& n) const {
  Arrivals a;
  const toml::node* rate_node = &n;
  if (const auto* t = n.as_table()) {
    check_keys(*t, "workload.arrivals", {"rate", "process"});
    rate_node = &required(*t, "rate", "workload.arrivals", "rate = \"100/s\"");
    a.kind = Arrivals::Kind::poisson;
    if (const auto* p = t->get("process")) {
      const std::string process = string(*p, "workload.arrivals.process");
      if (process == "constant") {
        a.kind = Arrivals::Kind::constant;
      } else if (process != "poisson") {
        fail(*p, "workload.arrivals.process " + quote(process) + " is not known; " +
                     near_miss(process, {"poisson", "constant"}) +
                     "expected \"poisson\" (exponential gaps) or \"constant\" (even gaps)");
      }
    }
  } else if (const auto* s = n.as_string(); s && s->get() == "at_once") {
    return a;
  } else if (!n.is_string()) {
    fail(n, "workload.arrivals must be a string or a table, got " + type_name(n) + "; " +
                std::string(kExpected));
  } else {
    a.kind = Arrivals::Kind::poisson;
  }
  const std::string where = n.is_table() ? "workload.arrivals.rate" : "workload.arrivals";
  const auto* text = rate_node->as_string();
  if (text == nullptr)
    fail(*rate_node, where + " must be a string such as \"100/s\", got " + type_name(*rate_node));
  try {
    a.rate = parse_frequency(text->get());
  } catch (const UnitError& e) {
    const std::string hint = text->get().find('/') == std::string::npos && !n.is_table()
                                 ? near_miss(text->get(), {"at_once"})
                                 : std::string();
    fail(*rate_node, where + ": " + e.what() + "; " + hint + std::string(kExpected));
  }
  if (a.rate <= 0 || a.rate > kMaxArrivalRate)
    fail(*rate_node, where + ": " + quote(text->get()) +
                         " is out of range; expected above 0 and at most 1e9/s (for all at "
                         "t = 0 write \"at_once\")");
  return a;
}

Duration ArrivalsReader::item_at(const toml::node& n, const std::string& where,
                                 std::optional<Duration> previous) const {
  const Duration at = duration_ns(n, where);
  if (previous && at < *previous)
    fail(n, where + " " + format_duration(at) + " is before the previous item's " +
                format_duration(*previous) +
                "; expected items in the order they arrive (at never decreasing)");
  return at;
}

std::string arrivals_phrase(const Arrivals& a) {
  switch (a.kind) {
    case Arrivals::Kind::at_once:
      return "";
    case Arrivals::Kind::poisson:
      return "Poisson arrivals at " + format_frequency(a.rate);
    case Arrivals::Kind::constant:
      return "one arrival every " + format_duration(sim::from_seconds(1.0 / a.rate)) + " (" +
             format_frequency(a.rate) + ")";
    case Arrivals::Kind::listed:
      return "arrivals at the items' own times";
  }
  return "";
}

}  // namespace model
