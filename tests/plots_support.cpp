// Test support for the plots: hand-built strategy results, an SVG element scanner, an XML
// well-formedness check and text-box overlap detection.
#include "plots_support.hpp"

#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "plots/text.hpp"

namespace plots_test {
namespace {

using model::Phase;
using sim::from_seconds;

void add_span(model::StrategyResult& r, std::uint32_t id, Phase phase, double a, double b,
              std::uint16_t attempt = 0) {
  r.spans.push_back({id, attempt, phase, from_seconds(a), from_seconds(b)});
  ++r.downloads[id].span_count;
}

std::string decode_entities(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    const std::size_t semi = s.find(';', i);
    const std::string_view name = s.substr(i + 1, semi - i - 1);
    if (name == "amp") out += '&';
    if (name == "lt") out += '<';
    if (name == "gt") out += '>';
    if (name == "quot") out += '"';
    if (name == "apos") out += '\'';
    i = semi;
  }
  return out;
}

// A small linear congruential generator: deterministic test data without global state.
struct Lcg {
  std::uint64_t state;
  double uniform() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  }
};

}  // namespace

model::StrategyResult loiter_demo() {
  model::StrategyResult r;
  r.name = "pool";
  r.kind = "pool";
  r.detail = "3 threads, in order";
  r.lanes = 3;
  const double start[] = {0, 0, 0, 0, 1};
  const double end[] = {0, 1, 2, 3, 5};
  const int lane[] = {0, 1, 2, 0, 1};
  for (std::uint32_t i = 0; i < 5; ++i) {
    model::Outcome o;
    o.id = i;
    o.name = fmt::format("loiter({})", i);
    o.lane = lane[i];
    o.attempts = 1;
    o.start = from_seconds(start[i]);
    o.end = from_seconds(end[i]);
    o.consumed = o.end;
    o.span_begin = static_cast<std::uint32_t>(r.spans.size());
    r.downloads.push_back(o);
    if (start[i] > 0) add_span(r, i, Phase::queued, 0, start[i]);
    add_span(r, i, Phase::sleep, start[i], end[i]);
  }
  r.summary.makespan = from_seconds(5);
  r.summary.lower_bound = from_seconds(4);
  r.summary.counts[0] = 5;
  return r;
}

model::StrategyResult flags_like(std::size_t n, int lanes, unsigned seed) {
  model::StrategyResult r;
  r.name = lanes == 1 ? "sequential" : fmt::format("{} workers", lanes);
  r.kind = lanes == 1 ? "sequential" : "pool";
  r.detail = lanes == 1 ? "one at a time" : fmt::format("{} threads, as completed", lanes);
  r.lanes = lanes;
  Lcg rng{seed};
  std::vector<double> free_at(static_cast<std::size_t>(lanes), 0.0);
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto lane = static_cast<int>(i % static_cast<std::uint32_t>(lanes));
    double t = free_at[static_cast<std::size_t>(lane)];
    model::Outcome o;
    o.id = i;
    o.name = fmt::format("{}{}.gif", static_cast<char>('a' + i % 26),
                         static_cast<char>('a' + (i / 26) % 26));
    o.lane = lane;
    o.attempts = 1;
    o.start = from_seconds(t);
    o.span_begin = static_cast<std::uint32_t>(r.spans.size());
    o.status = i % 17 == 16 ? model::Status::not_found : model::Status::ok;
    o.http_status = o.status == model::Status::ok ? 200 : 404;
    r.downloads.push_back(o);
    if (t > 0) add_span(r, i, Phase::queued, 0, t);
    const double connect = 0.1 + 0.1 * rng.uniform();
    const double server = 0.1 + 0.3 * rng.uniform();
    const double transfer = rng.uniform() < 0.05 ? 2 + rng.uniform() : 0.3 * rng.uniform();
    add_span(r, i, Phase::connect, t, t + connect);
    add_span(r, i, Phase::service, t + connect, t + connect + server);
    t += connect + server;
    if (o.status == model::Status::ok) {
      add_span(r, i, Phase::transfer, t, t + transfer);
      t += transfer;
      r.downloads[i].bytes = 10000;
    }
    r.downloads[i].end = from_seconds(t);
    r.downloads[i].consumed = from_seconds(t);
    free_at[static_cast<std::size_t>(lane)] = t;
  }
  double last = 0;
  for (double f : free_at)
    last = std::max(last, f);
  r.summary.makespan = from_seconds(last);
  r.summary.lower_bound = from_seconds(last * 0.6);
  return r;
}

model::StrategyResult synthetic(std::size_t n, int lanes) {
  model::StrategyResult r;
  r.name = "async";
  r.kind = "async";
  r.detail = fmt::format("{} slots", lanes);
  r.lanes = lanes;
  r.downloads.reserve(n);
  std::vector<std::int64_t> free_at(static_cast<std::size_t>(lanes), 0);
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto lane = static_cast<std::size_t>(i % static_cast<std::uint32_t>(lanes));
    const std::int64_t t = free_at[lane];
    const std::int64_t connect = 20'000'000 + (i % 7) * 3'000'000;
    const std::int64_t transfer = 50'000'000 + (i % 13) * 11'000'000;
    model::Outcome o;
    o.id = i;
    o.name = fmt::format("f{}", i);
    o.lane = static_cast<int>(lane);
    o.attempts = 1;
    o.http_status = 200;
    o.start = sim::Time{t};
    o.end = sim::Time{t + connect + transfer};
    o.consumed = o.end;
    o.span_begin = static_cast<std::uint32_t>(r.spans.size());
    o.span_count = t > 0 ? 3 : 2;
    if (t > 0) r.spans.push_back({i, 0, Phase::queued, sim::Time{0}, sim::Time{t}});
    r.spans.push_back({i, 0, Phase::connect, sim::Time{t}, sim::Time{t + connect}});
    r.spans.push_back({i, 0, Phase::transfer, sim::Time{t + connect}, o.end});
    free_at[lane] = o.end.count();
    r.downloads.push_back(std::move(o));
  }
  r.summary.lower_bound = sim::Time{*std::max_element(free_at.begin(), free_at.end()) / 2};
  return r;
}

double Element::num(const std::string& name) const {
  const auto it = attrs.find(name);
  if (it == attrs.end()) throw std::runtime_error("<" + tag + "> has no attribute " + name);
  return std::stod(it->second);
}

bool Element::has_class(std::string_view c) const {
  const auto it = attrs.find("class");
  if (it == attrs.end()) return false;
  std::string_view list = it->second;
  while (!list.empty()) {
    const std::size_t space = list.find(' ');
    if (list.substr(0, space) == c) return true;
    if (space == std::string_view::npos) break;
    list.remove_prefix(space + 1);
  }
  return false;
}

std::vector<Element> elements(const std::string& svg, std::string_view tag) {
  std::vector<Element> found;
  const std::string open = "<" + std::string(tag);
  for (std::size_t at = svg.find(open); at != std::string::npos; at = svg.find(open, at + 1)) {
    const char after = svg[at + open.size()];
    if (after != ' ' && after != '>' && after != '/') continue;
    Element e;
    e.tag = tag;
    std::size_t i = at + open.size();
    while (i < svg.size() && svg[i] != '>') {
      if (svg[i] == ' ' || svg[i] == '/' || svg[i] == '\n') {
        ++i;
        continue;
      }
      const std::size_t eq = svg.find('=', i);
      const std::size_t q1 = eq + 1;
      const std::size_t q2 = svg.find(svg[q1], q1 + 1);
      e.attrs[svg.substr(i, eq - i)] = decode_entities(svg.substr(q1 + 1, q2 - q1 - 1));
      i = q2 + 1;
    }
    if (svg[i - 1] != '/') e.text = decode_entities(svg.substr(i + 1, svg.find('<', i) - i - 1));
    found.push_back(std::move(e));
  }
  return found;
}

std::vector<Element> with_class(const std::string& svg, std::string_view tag,
                                std::string_view css_class) {
  std::vector<Element> all = elements(svg, tag);
  std::erase_if(all, [&](const Element& e) { return !e.has_class(css_class); });
  return all;
}

std::string xml_problem(const std::string& xml) {
  // Tag balance: every start tag closed in order.
  std::vector<std::string> open;
  for (std::size_t i = xml.find('<'); i != std::string::npos; i = xml.find('<', i + 1)) {
    const std::size_t end = xml.find('>', i);
    if (end == std::string::npos) return "unterminated tag";
    const std::string_view tag(xml.data() + i + 1, end - i - 1);
    if (tag.starts_with('?') || tag.starts_with('!')) continue;
    const std::string name(tag.substr(
        tag.starts_with('/') ? 1 : 0,
        tag.find_first_of(" /\n", tag.starts_with('/') ? 1 : 0) - (tag.starts_with('/') ? 1 : 0)));
    if (tag.starts_with('/')) {
      if (open.empty() || open.back() != name) return "unbalanced </" + name + ">";
      open.pop_back();
    } else if (!tag.ends_with('/')) {
      open.push_back(name);
    }
  }
  if (!open.empty()) return "unclosed <" + open.back() + ">";
  if (std::system("command -v xmllint >/dev/null 2>&1") != 0) return {};

  char path[] = "/tmp/loiter-plots-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return "cannot create a temporary file";
  close(fd);
  write_file(path, xml);
  const std::string log = std::string(path) + ".log";
  const int rc =
      std::system(fmt::format("xmllint --noout --nonet --huge '{}' 2>'{}'", path, log).c_str());
  std::string problem;
  if (rc != 0) {
    std::ifstream in(log);
    problem = "xmllint: " + std::string(std::istreambuf_iterator<char>(in), {});
  }
  std::filesystem::remove(path);
  std::filesystem::remove(log);
  return problem;
}

std::vector<std::string> overlapping_text(const std::string& svg) {
  struct Box {
    double x0, y0, x1, y1;
    std::string text;
  };
  std::vector<Box> boxes;
  for (const Element& e : elements(svg, "text")) {
    const double size = e.num("font-size");
    const double w = plots::text_width(e.text, size);
    double x0 = e.num("x");
    const std::string anchor = e.attrs.count("text-anchor") ? e.attrs.at("text-anchor") : "start";
    if (anchor == "middle") x0 -= w / 2;
    if (anchor == "end") x0 -= w;
    boxes.push_back({x0, e.num("y") - 0.8 * size, x0 + w, e.num("y") + 0.22 * size, e.text});
  }
  std::vector<std::string> clashes;
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    for (std::size_t j = i + 1; j < boxes.size(); ++j) {
      const Box& a = boxes[i];
      const Box& b = boxes[j];
      if (a.x0 < b.x1 - 0.5 && b.x0 < a.x1 - 0.5 && a.y0 < b.y1 - 0.5 && b.y0 < a.y1 - 0.5) {
        clashes.push_back(fmt::format("'{}' at ({:.1f},{:.1f}) overlaps '{}' at ({:.1f},{:.1f})",
                                      a.text, a.x0, a.y1, b.text, b.x0, b.y1));
      }
    }
  }
  return clashes;
}

void write_file(const std::string& path, const std::string& content) {
  const std::filesystem::path p(path);
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace plots_test
