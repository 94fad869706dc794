#include "sweep/sweep_files.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "model/bad_input.hpp"
#include "plots/axis.hpp"
#include "plots/sweep_chart.hpp"

namespace sweep {
namespace {

using Json = nlohmann::ordered_json;
using Kind = model::ScenarioKey::Kind;

constexpr const char* kFormat = "loiter-sweep/1";

constexpr std::pair<Kind, const char*> kKindNames[] = {
    {Kind::count, "count"},   {Kind::probability, "probability"},
    {Kind::factor, "factor"}, {Kind::duration, "duration"},
    {Kind::size, "size"},     {Kind::rate, "rate"}};

const char* kind_name(Kind k) {
  for (const auto& [kind, name] : kKindNames)
    if (kind == k) return name;
  return "count";
}

// ---------------------------------------------------------------- exact numbers

// Nanoseconds as seconds, exactly: 1160234567 -> "1.160234567", 4000000000 -> "4".
std::string ns_text(std::int64_t ns) {
  const bool negative = ns < 0;
  const std::uint64_t v =
      negative ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
  std::string out = (negative ? "-" : "") + std::to_string(v / 1'000'000'000);
  std::string frac = fmt::format("{:09}", v % 1'000'000'000);
  while (!frac.empty() && frac.back() == '0')
    frac.pop_back();
  return frac.empty() ? out : out + "." + frac;
}

bool parse_ns(std::string_view s, std::int64_t& out) {
  bool negative = false;
  if (!s.empty() && s.front() == '-') {
    negative = true;
    s.remove_prefix(1);
  }
  const auto dot = s.find('.');
  const std::string_view whole = s.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  if (whole.empty() || frac.size() > 9 || (dot != std::string_view::npos && frac.empty()))
    return false;
  std::int64_t w = 0, f = 0;
  auto r1 = std::from_chars(whole.data(), whole.data() + whole.size(), w);
  if (r1.ec != std::errc() || r1.ptr != whole.data() + whole.size() || w > 9'000'000'000)
    return false;
  if (!frac.empty()) {
    auto r2 = std::from_chars(frac.data(), frac.data() + frac.size(), f);
    if (r2.ec != std::errc() || r2.ptr != frac.data() + frac.size()) return false;
    for (std::size_t i = frac.size(); i < 9; ++i)
      f *= 10;
  }
  out = (w * 1'000'000'000 + f) * (negative ? -1 : 1);
  return true;
}

template <typename T>
bool parse_number(std::string_view s, T& out) {
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && ec == std::errc() && ptr == s.data() + s.size();
}

// Shortest text that reads back as the same double.
std::string exact(double v) {
  return fmt::format("{}", v);
}

// ---------------------------------------------------------------- CSV

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Splits CSV text into records of fields (RFC 4180 quoting). Returns false on a bad quote.
bool csv_records(const std::string& text, std::vector<std::vector<std::string>>& records) {
  std::vector<std::string> record;
  std::string field;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"') {
      if (!field.empty() || was_quoted) return false;
      quoted = was_quoted = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '\n') {
      record.push_back(std::move(field));
      records.push_back(std::move(record));
      record.clear();
      field.clear();
      was_quoted = false;
    } else if (c != '\r') {
      field += c;
    }
  }
  if (quoted) return false;
  if (!field.empty() || !record.empty()) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return true;
}

std::vector<std::string> csv_header(const SweepMeta& meta) {
  std::vector<std::string> h = {"point", "replication", "seed"};
  for (const SweepAxis& a : meta.axes)
    h.push_back(a.key);
  for (const char* c : {"strategy", "makespan_s", "throughput_per_s", "p95_s", "lower_bound_s",
                        "downloads", "ok", "command"})
    h.emplace_back(c);
  return h;
}

// ---------------------------------------------------------------- JSON

Json meta_json(const SweepMeta& meta) {
  Json j;
  j["format"] = kFormat;
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
      p["strategies"].push_back(s);
    }
    points.push_back(p);
  }
  j["points"] = points;
  if (!meta.shard.whole()) {
    j["recommendation"] = nullptr;
  } else {
    j["recommendation"] = Json::array();
    for (const Recommendation& r : recs) {
      Json o;
      o["strategy"] = meta.strategies[r.strategy];
      o["setting"] = setting_json(meta, r.chosen->point, false);
      o["labels"] = setting_json(meta, r.chosen->point, true);
      o["makespan_s"] = estimate_json(r.chosen->makespan_s);
      o["best"] = {{"setting", setting_json(meta, r.best->point, false)},
                   {"labels", setting_json(meta, r.best->point, true)},
                   {"makespan_s", estimate_json(r.best->makespan_s)}};
      o["text"] = recommendation_line(meta, r);
      j["recommendation"].push_back(o);
    }
  }
  return j.dump(2) + "\n";
}

// ---------------------------------------------------------------- chart

model::ScenarioKey key_of(const SweepAxis& a) {
  model::ScenarioKey k;
  k.name = a.key;
  k.kind = a.kind;
  return k;
}

std::vector<plots::SweepTick> x_ticks(const SweepAxis& a) {
  std::vector<plots::SweepTick> ticks;
  const model::ScenarioKey k = key_of(a);
  if (a.values.size() <= 16) {
    for (std::size_t i = 0; i < a.values.size(); ++i)
      ticks.push_back({a.values[i], a.labels[i]});
    return ticks;
  }
  const double lo = *std::min_element(a.values.begin(), a.values.end());
  const double hi = *std::max_element(a.values.begin(), a.values.end());
  if (a.geometric) {
    for (int e = static_cast<int>(std::floor(std::log10(lo))); std::pow(10.0, e) <= hi * 1.0001;
         ++e) {
      for (double m : {1.0, 2.0, 5.0}) {
        const double v = m * std::pow(10.0, e);
        if (v >= lo * 0.9999 && v <= hi * 1.0001)
          ticks.push_back({v, model::format_key_value(k, v)});
      }
    }
    return ticks;
  }
  const plots::Ticks t = plots::nice_ticks(hi, 8, a.kind == Kind::count ? 1 : 0);
  for (double v : t.values) {
    ticks.push_back(
        {v, a.kind == Kind::count || a.kind == Kind::probability || a.kind == Kind::factor
                ? plots::tick_label(v, t.decimals)
                : model::format_key_value(k, v)});
  }
  return ticks;
}

std::string sweep_svg(const SweepMeta& meta, const std::vector<PointStats>& stats,
                      const std::vector<Recommendation>& recs) {
  // One series per strategy and combination of the other axes' values.
  const std::size_t others = meta.point_count() / meta.axes.front().values.size();
  auto series_of = [&](const PointStats& ps) { return ps.strategy * others + ps.point % others; };
  std::vector<plots::SweepSeries> series(meta.strategies.size() * others);
  for (std::size_t s = 0; s < meta.strategies.size(); ++s) {
    for (std::size_t o = 0; o < others; ++o) {
      std::string label = meta.strategies[s];
      const auto c = meta.coordinates(o);
      for (std::size_t i = 1; i < meta.axes.size(); ++i)
        label += ", " + meta.axes[i].key + " = " + meta.axes[i].labels[c[i]];
      series[s * others + o].label = label;
      series[s * others + o].color = s;
      series[s * others + o].dash = o;
    }
  }
  auto value = [](const Estimate& e) {
    const double h = e.has_interval() ? e.half_width : 0;
    return plots::SweepValue{e.mean, e.mean - h, e.mean + h};
  };
  for (const PointStats& ps : stats) {
    plots::SweepPoint p;
    p.x = meta.axes.front().values[meta.coordinates(ps.point).front()];
    p.makespan_s = value(ps.makespan_s);
    p.throughput_per_s = value(ps.throughput_per_s);
    p.lower_bound_s = ps.lower_bound_s;
    series[series_of(ps)].points.push_back(p);
  }
  series.erase(std::remove_if(series.begin(), series.end(),
                              [](const plots::SweepSeries& s) { return s.points.empty(); }),
               series.end());

  plots::SweepChartInfo info;
  info.scenario = meta.scenario;
  info.x_label = meta.axes.front().key;
  info.log_x = meta.axes.front().geometric;
  info.x_ticks = x_ticks(meta.axes.front());
  info.subtitle = fmt::format("{} replication{} per point \u00b7 seeds derived from {}",
                              meta.replications, meta.replications == 1 ? "" : "s", meta.seed);
  if (!meta.shard.whole())
    info.subtitle += fmt::format(" \u00b7 shard {}/{} only", meta.shard.index, meta.shard.count);
  for (const Recommendation& r : recs) {
    if (!axis_changes(meta, 0, r.strategy)) continue;  // its setting is not on the x axis
    const std::size_t wanted = series_of(*r.chosen);
    std::size_t index = 0;
    for (std::size_t s = 0, kept = 0; s < meta.strategies.size() * others; ++s) {
      // the series kept after erasing empty ones, in the same order
      const bool has = std::any_of(stats.begin(), stats.end(),
                                   [&](const PointStats& ps) { return series_of(ps) == s; });
      if (s == wanted) index = kept;
      if (has) ++kept;
    }
    const auto c = meta.coordinates(r.chosen->point);
    info.marks.push_back({index, meta.axes.front().values[c.front()],
                          (recs.size() > 1 ? meta.strategies[r.strategy] : "recommended") + ": " +
                              meta.axes.front().labels[c.front()]});
  }
  return plots::sweep_chart_svg(series, info);
}

// ---------------------------------------------------------------- text

std::string text_report(const SweepMeta& meta, const std::vector<PointStats>& stats,
                        const std::vector<Recommendation>& recs) {
  std::vector<std::vector<std::string>> table;
  std::vector<std::string> head;
  for (const SweepAxis& a : meta.axes)
    head.push_back(a.key);
  for (const char* h :
       {"strategy", "makespan (95% CI)", "throughput/s", "p95 latency", "lower bound", "failed"})
    head.emplace_back(h);
  table.push_back(head);
  for (const PointStats& ps : stats) {
    std::vector<std::string> row;
    const auto c = meta.coordinates(ps.point);
    for (std::size_t i = 0; i < meta.axes.size(); ++i)
      row.push_back(meta.axes[i].labels[c[i]]);
    row.push_back(meta.strategies[ps.strategy]);
    row.push_back(seconds_with_interval(ps.makespan_s));
    row.push_back(fmt::format("{:.4g}", ps.throughput_per_s.mean));
    row.push_back(fmt::format("{:.3f} s", ps.p95_s.mean));
    row.push_back(fmt::format("{:.3f} s", ps.lower_bound_s));
    row.push_back(std::to_string(ps.failed));
    table.push_back(row);
  }
  std::vector<std::size_t> width(head.size(), 0);
  auto length = [](const std::string& s) {  // in characters, for the UTF-8 "±"
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
  };
  for (const auto& row : table)
    for (std::size_t i = 0; i < row.size(); ++i)
      width[i] = std::max(width[i], length(row[i]));
  std::string out = fmt::format(
      "sweep of {} ({}): {} point{} x {} replication{}, seeds derived from {}\n", meta.scenario,
      meta.scenario_path, meta.point_count(), meta.point_count() == 1 ? "" : "s", meta.replications,
      meta.replications == 1 ? "" : "s", meta.seed);
  if (!meta.shard.whole())
    out +=
        fmt::format("shard {}/{}: points {}, {}, ... of {}\n", meta.shard.index, meta.shard.count,
                    meta.shard.index, meta.shard.index + meta.shard.count, meta.point_count());
  out += "\n";
  for (const auto& row : table) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - length(row[i]) + 2, ' ');
    }
    out += line + "\n";
  }
  out += "\n";
  if (!meta.shard.whole()) {
    out += fmt::format(
        "shard {}/{} done: combine the {} shard folders with 'loiter merge DIR... --out DIR' for "
        "the recommendation\n",
        meta.shard.index, meta.shard.count, meta.shard.count);
  } else if (recs.empty()) {
    out += "no recommendation: no strategy run depends on the varied keys\n";
  } else {
    for (const Recommendation& r : recs)
      out += recommendation_line(meta, r) + "\n";
  }
  return out;
}

[[noreturn]] void bad(const std::filesystem::path& file, const std::string& what) {
  throw model::BadInput("loiter merge: " + file.string() + ": " + what);
}

}  // namespace

std::string sweep_csv(const SweepMeta& meta, const std::vector<SweepRow>& rows) {
  std::string out;
  const auto header = csv_header(meta);
  for (std::size_t i = 0; i < header.size(); ++i)
    out += (i ? "," : "") + csv_field(header[i]);
  out += "\n";
  for (const SweepRow& r : rows) {
    const auto c = meta.coordinates(r.point);
    const std::string& strategy = meta.strategies[r.strategy];
    out += fmt::format("{},{},{}", r.point, r.replication, r.seed);
    for (std::size_t i = 0; i < meta.axes.size(); ++i)
      out += "," + exact(meta.axes[i].values[c[i]]);
    out += fmt::format(",{},{},{},{},{},{},{},{}\n", csv_field(strategy), ns_text(r.makespan_ns),
                       exact(r.throughput_per_s), ns_text(r.p95_ns), ns_text(r.lower_bound_ns),
                       r.downloads, r.ok,
                       csv_field(rerun_command(meta, r.point, r.replication, strategy)));
  }
  return out;
}

SweepOutputs sweep_outputs(const SweepMeta& meta, const std::vector<SweepRow>& rows) {
  const std::vector<PointStats> stats = point_stats(meta, rows);
  const std::vector<Recommendation> recs =
      meta.shard.whole() ? recommend(meta, stats) : std::vector<Recommendation>{};
  SweepOutputs out;
  out.files = {{"sweep.csv", sweep_csv(meta, rows)},
               {"sweep.json", sweep_json(meta, stats, recs)},
               {"sweep.svg", sweep_svg(meta, stats, recs)}};
  out.report = text_report(meta, stats, recs);
  return out;
}

SweepPart read_sweep_part(const std::filesystem::path& dir) {
  SweepPart part;
  part.dir = dir;
  auto read = [&](const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
      bad(file,
          "cannot read it; expected the --out folder of a 'loiter sweep' (with sweep.json "
          "and sweep.csv)");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  };
  const auto json_file = dir / "sweep.json";
  const auto csv_file = dir / "sweep.csv";
  const std::string json_text = read(json_file);
  try {
    const Json j = Json::parse(json_text);
    if (j.value("format", "") != kFormat)
      bad(json_file,
          std::string("not a loiter sweep file; expected \"format\": \"") + kFormat + "\"");
    part.meta = meta_from_json(j);
  } catch (const Json::exception& e) {
    bad(json_file, std::string("unreadable sweep description: ") + e.what());
  } catch (const std::invalid_argument& e) {
    bad(json_file, std::string("unreadable sweep description: ") + e.what());
  }
  const SweepMeta& meta = part.meta;

  std::vector<std::vector<std::string>> records;
  if (!csv_records(read(csv_file), records)) bad(csv_file, "a quoted field is not closed");
  const auto header = csv_header(meta);
  if (records.empty() || records.front() != header)
    bad(
        csv_file, "the header does not match sweep.json; expected: " + [&] {
          std::string h;
          for (const auto& f : header)
            h += (h.empty() ? "" : ",") + f;
          return h;
        }());
  const std::size_t n_axes = meta.axes.size();
  for (std::size_t line = 1; line < records.size(); ++line) {
    const auto& f = records[line];
    const std::string where = "line " + std::to_string(line + 1) + ": ";
    if (f.size() != header.size())
      bad(csv_file, where + "expected " + std::to_string(header.size()) + " fields, got " +
                        std::to_string(f.size()));
    SweepRow r;
    std::size_t i = 3 + n_axes;
    const auto strategy = std::find(meta.strategies.begin(), meta.strategies.end(), f[i]);
    if (!parse_number(f[0], r.point) || r.point >= meta.point_count() ||
        !parse_number(f[1], r.replication) || r.replication < 0 ||
        r.replication >= meta.replications || !parse_number(f[2], r.seed) ||
        strategy == meta.strategies.end() || !parse_ns(f[i + 1], r.makespan_ns) ||
        !parse_number(f[i + 2], r.throughput_per_s) || !parse_ns(f[i + 3], r.p95_ns) ||
        !parse_ns(f[i + 4], r.lower_bound_ns) || !parse_number(f[i + 5], r.downloads) ||
        !parse_number(f[i + 6], r.ok))
      bad(csv_file, where + "a field is not what sweep.json describes (edited by hand?)");
    r.strategy = static_cast<std::size_t>(strategy - meta.strategies.begin());
    if (r.point % meta.shard.count != meta.shard.index)
      bad(csv_file, where + "point " + std::to_string(r.point) + " is not in shard " +
                        std::to_string(meta.shard.index) + "/" + std::to_string(meta.shard.count));
    part.rows.push_back(r);
  }
  return part;
}

SweepPart merge_sweep_parts(std::vector<SweepPart> parts) {
  if (parts.empty()) throw model::BadInput("loiter merge: no folders; expected the shard folders");
  std::sort(parts.begin(), parts.end(), [](const SweepPart& a, const SweepPart& b) {
    return a.meta.shard.index < b.meta.shard.index;
  });
  Json reference = meta_json(parts.front().meta);
  reference.erase("shard");
  const std::size_t n = parts.front().meta.shard.count;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    Json j = meta_json(parts[i].meta);
    j.erase("shard");
    if (j != reference)
      throw model::BadInput(
          "loiter merge: " + parts[i].dir.string() + " is from another sweep than " +
          parts.front().dir.string() +
          " (scenario, seed, --vary, replications, strategies or --within differ); "
          "expected the shards of one sweep");
    if (parts[i].meta.shard.count != n)
      throw model::BadInput("loiter merge: " + parts[i].dir.string() + " is shard " +
                            std::to_string(parts[i].meta.shard.index) + "/" +
                            std::to_string(parts[i].meta.shard.count) + ", others are of " +
                            std::to_string(n) + " shards");
    if (i > 0 && parts[i].meta.shard.index == parts[i - 1].meta.shard.index)
      throw model::BadInput("loiter merge: " + parts[i - 1].dir.string() + " and " +
                            parts[i].dir.string() + " are both shard " +
                            std::to_string(parts[i].meta.shard.index) + "/" + std::to_string(n));
  }
  if (parts.size() != n) {
    std::string missing;
    for (std::size_t k = 0, i = 0; k < n; ++k) {
      if (i < parts.size() && parts[i].meta.shard.index == k) {
        ++i;
      } else {
        missing += (missing.empty() ? "" : ", ") + std::to_string(k) + "/" + std::to_string(n);
      }
    }
    throw model::BadInput("loiter merge: shard" + std::string(n - parts.size() > 1 ? "s " : " ") +
                          missing + " missing; expected all " + std::to_string(n) + " shards");
  }
  SweepPart whole;
  whole.dir = parts.front().dir;
  whole.meta = parts.front().meta;
  whole.meta.shard = {};
  for (SweepPart& p : parts) {
    const std::size_t expected = p.meta.shard_points().size() *
                                 static_cast<std::size_t>(p.meta.replications) *
                                 p.meta.strategies.size();
    std::sort(p.rows.begin(), p.rows.end(), row_before);
    const bool repeated =
        std::adjacent_find(p.rows.begin(), p.rows.end(), [](const SweepRow& a, const SweepRow& b) {
          return !row_before(a, b) && !row_before(b, a);
        }) != p.rows.end();
    if (p.rows.size() != expected || repeated)
      throw model::BadInput(
          "loiter merge: " + (p.dir / "sweep.csv").string() + " has " +
          std::to_string(p.rows.size()) + " rows" + (repeated ? " with repeats" : "") +
          "; expected " + std::to_string(expected) +
          " (one per point, replication and strategy: was the shard interrupted?)");
    whole.rows.insert(whole.rows.end(), p.rows.begin(), p.rows.end());
  }
  std::sort(whole.rows.begin(), whole.rows.end(), row_before);
  return whole;
}

}  // namespace sweep
