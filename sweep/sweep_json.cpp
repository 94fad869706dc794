// sweep.json: the sweep's description (read back by merge), per point and strategy the
// estimates, and the recommendation.
#include "sweep/sweep_file_parts.hpp"

#include <stdexcept>

namespace sweep {
namespace {

using Kind = model::ScenarioKey::Kind;

constexpr std::pair<Kind, const char*> kKindNames[] = {
    {Kind::count, "count"},        {Kind::probability, "probability"},
    {Kind::factor, "factor"},      {Kind::duration, "duration"},
    {Kind::size, "size"},          {Kind::rate, "rate"},
    {Kind::frequency, "frequency"}};

const char* kind_name(Kind k) {
  for (const auto& [kind, name] : kKindNames)
    if (kind == k) return name;
  return "count";
}

Json estimate_json(const Estimate& e) {
  Json j;
  j["mean"] = e.mean;
  if (e.has_interval()) {
    j["ci95"] = {e.mean - e.half_width, e.mean + e.half_width};
    j["half_width"] = e.half_width;
  } else {
    j["ci95"] = nullptr;
    j["half_width"] = nullptr;
  }
  j["min"] = e.min;
  j["max"] = e.max;
  return j;
}

Json setting_json(const SweepMeta& meta, std::size_t point, bool labels) {
  Json j = Json::object();
  const auto c = meta.coordinates(point);
  for (std::size_t i = 0; i < meta.axes.size(); ++i) {
    if (labels) {
      j[meta.axes[i].key] = meta.axes[i].labels[c[i]];
    } else {
      j[meta.axes[i].key] = meta.axes[i].values[c[i]];
    }
  }
  return j;
}

}  // namespace

Json meta_json(const SweepMeta& meta) {
  Json j;
  j["format"] = kSweepFormat;
  j["scenario"] = meta.scenario;
  j["scenario_path"] = meta.scenario_path;
  j["seed"] = meta.seed;
  j["replications"] = meta.replications;
  j["within"] = meta.within;
  j["confidence"] = 0.95;
  j["vary"] = Json::array();
  for (const SweepAxis& a : meta.axes) {
    Json ax;
    ax["key"] = a.key;
    ax["kind"] = kind_name(a.kind);
    ax["spec"] = a.spec;
    ax["geometric"] = a.geometric;
    ax["values"] = a.values;
    ax["labels"] = a.labels;
    j["vary"].push_back(ax);
  }
  j["strategies"] = meta.strategies;
  j["varied"] = meta.varied;
  j["shard"] = {{"index", meta.shard.index}, {"count", meta.shard.count}};
  return j;
}

SweepMeta meta_from_json(const Json& j) {
  SweepMeta m;
  m.scenario = j.at("scenario").get<std::string>();
  m.scenario_path = j.at("scenario_path").get<std::string>();
  m.seed = j.at("seed").get<std::uint64_t>();
  m.replications = j.at("replications").get<int>();
  m.within = j.at("within").get<double>();
  for (const Json& ax : j.at("vary")) {
    SweepAxis a;
    a.key = ax.at("key").get<std::string>();
    const std::string kind = ax.at("kind").get<std::string>();
    bool known = false;
    for (const auto& [k, name] : kKindNames) {
      if (kind == name) {
        a.kind = k;
        known = true;
      }
    }
    if (!known) throw std::invalid_argument("unknown kind '" + kind + "' of " + a.key);
    a.spec = ax.at("spec").get<std::string>();
    a.geometric = ax.at("geometric").get<bool>();
    a.values = ax.at("values").get<std::vector<double>>();
    a.labels = ax.at("labels").get<std::vector<std::string>>();
    if (a.values.empty() || a.values.size() != a.labels.size())
      throw std::invalid_argument("values and labels of " + a.key + " do not match");
    a.target.name = a.key;
    a.target.kind = a.kind;
    m.axes.push_back(std::move(a));
  }
  m.strategies = j.at("strategies").get<std::vector<std::string>>();
  m.varied = j.at("varied").get<std::vector<std::string>>();
  m.shard.index = j.at("shard").at("index").get<std::size_t>();
  m.shard.count = j.at("shard").at("count").get<std::size_t>();
  if (m.axes.empty() || m.strategies.empty() || m.replications < 1 || m.shard.count == 0 ||
      m.shard.index >= m.shard.count)
    throw std::invalid_argument("incomplete sweep description");
  return m;
}

std::string sweep_json(const SweepMeta& meta, const std::vector<PointStats>& stats,
                       const std::vector<Recommendation>& recs) {
  Json j = meta_json(meta);
  Json points = Json::array();
  for (std::size_t i = 0; i < stats.size();) {
    const std::size_t point = stats[i].point;
    Json p;
    p["point"] = point;
    p["setting"] = setting_json(meta, point, false);
    p["labels"] = setting_json(meta, point, true);
    p["strategies"] = Json::array();
    for (; i < stats.size() && stats[i].point == point; ++i) {
      const PointStats& ps = stats[i];
      Json s;
      s["name"] = meta.strategies[ps.strategy];
      s["replications"] = ps.makespan_s.n;
      s["makespan_s"] = estimate_json(ps.makespan_s);
      s["throughput_per_s"] = estimate_json(ps.throughput_per_s);
      s["p95_s"] = estimate_json(ps.p95_s);
      s["lower_bound_s"] = ps.lower_bound_s;
      s["failed_downloads"] = ps.failed;
      s["failed_share"] = estimate_json(ps.failed_share);
      p["strategies"].push_back(s);
    }
    points.push_back(p);
  }
  j["points"] = points;
  if (!meta.shard.whole()) {
    j["recommendation"] = nullptr;
  } else {
    j["recommendation"] = Json::array();
    j["what_if"] = Json::array();  // axes of the environment: never recommended
    for (const SweepAxis& a : meta.axes)
      if (what_if_key(a.key)) j["what_if"].push_back(a.key);
    for (const Recommendation& r : recs) {
      Json o;
      o["strategy"] = meta.strategies[r.strategy];
      o["setting"] = setting_json(meta, r.chosen->point, false);
      o["labels"] = setting_json(meta, r.chosen->point, true);
      o["makespan_s"] = estimate_json(r.chosen->makespan_s);
      o["failed_share"] = r.chosen->failed_share.mean;
      o["constraint"] = {{"rule", "failed_share <= fewest_failed.failed_share upper 95% bound"},
                         {"max_failed_share", r.failed_limit},
                         {"fewest_failed", setting_json(meta, r.fewest_failed->point, true)},
                         {"excluded_points", r.excluded}};
      o["best"] = {{"setting", setting_json(meta, r.best->point, false)},
                   {"labels", setting_json(meta, r.best->point, true)},
                   {"makespan_s", estimate_json(r.best->makespan_s)}};
      o["binds"] = r.chosen->binds;
      o["binds_past"] = r.next != nullptr ? Json(r.next->binds) : Json(nullptr);
      o["text"] = recommendation_line(meta, r);
      j["recommendation"].push_back(o);
    }
  }
  return j.dump(2) + "\n";
}

}  // namespace sweep
