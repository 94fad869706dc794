// The scenario loader: reads the file defensively, parses it with toml++, then walks the
// tables and turns each value into the model's types, reporting the first mistake found
// at the exact key or value that caused it.
#include "model/scenario_load.hpp"

#include <toml++/toml.h>
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <vector>

#include "model/units.hpp"
#include "model/words.hpp"

namespace model {
namespace fs = std::filesystem;

namespace {

std::string located(const std::string& path, int line, int column, const std::string& message) {
  if (line <= 0) return path + ": " + message;
  return path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

}  // namespace

ScenarioError::ScenarioError(std::string path, int line, int column, std::string message)
    : std::runtime_error(located(path, line, column, message)),
      path_(std::move(path)),
      line_(line),
      column_(column),
      message_(std::move(message)) {}

namespace {

// ---------------------------------------------------------------- reading files

std::string human_bytes(std::uintmax_t n) {
  return format_size(static_cast<double>(n), 3);
}

// Reads a whole text file of at most `limit` bytes, refusing directories, devices, pipes
// and oversized files before reading anything.
std::string read_file(const fs::path& path, std::uintmax_t limit, std::string_view what) {
  const std::string name = path.string();
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory)
    throw ScenarioError(name, 0, 0, "cannot open: " + ec.message());
  if (!fs::exists(st)) {
    std::string msg = "no such file; expected a path to a " + std::string(what);
    if (path.is_relative()) {
      std::error_code cwd_ec;
      const fs::path cwd = fs::current_path(cwd_ec);
      if (!cwd_ec) msg += " (relative to the working directory " + cwd.string() + ")";
    }
    throw ScenarioError(name, 0, 0, msg);
  }
  if (fs::is_directory(st)) {
    std::vector<std::string> tomls;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      if (entry.path().extension() == ".toml") tomls.push_back(entry.path().filename().string());
    }
    std::sort(tomls.begin(), tomls.end());
    std::string msg = "is a directory; expected a " + std::string(what);
    if (!tomls.empty()) {
      msg += ", e.g. one of:";
      for (std::size_t i = 0; i < tomls.size() && i < 5; ++i)
        msg += " " + tomls[i];
      if (tomls.size() > 5) msg += " ...";
    }
    throw ScenarioError(name, 0, 0, msg);
  }
  if (!fs::is_regular_file(st))
    throw ScenarioError(
        name, 0, 0,
        "is not a regular file (a device, pipe or socket); expected a " + std::string(what));
  const std::uintmax_t size = fs::file_size(path, ec);
  const std::string too_big = "is too large; expected a " + std::string(what) + " of at most " +
                              human_bytes(limit) + " (is this the right file?)";
  if (!ec && size > limit)
    throw ScenarioError(name, 0, 0,
                        "is " + human_bytes(size) + ", too large; expected a " + std::string(what) +
                            " of at most " + human_bytes(limit) + " (is this the right file?)");
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    throw ScenarioError(name, 0, 0,
                        std::string("cannot read: ") + (err ? std::strerror(err) : "open failed"));
  }
  std::string text;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (text.size() > limit) throw ScenarioError(name, 0, 0, too_big);
  }
  if (in.bad()) throw ScenarioError(name, 0, 0, "cannot read: I/O error");
  return text;
}

// Binary data is refused with the position of its first NUL byte.
void refuse_binary(std::string_view text, const std::string& path, std::string_view what) {
  const auto nul = text.find('\0');
  if (nul == std::string_view::npos) return;
  const std::string_view before = text.substr(0, nul);
  const int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
  const auto line_start = before.rfind('\n');
  const int column =
      1 + static_cast<int>(line_start == std::string_view::npos ? nul : nul - line_start - 1);
  throw ScenarioError(
      path, line, column,
      "binary data (a NUL byte); expected a " + std::string(what) + " (UTF-8 text)");
}

// toml++ recurses once per level of a dotted key ("a.a.a...") and overflows the stack at
// ~100000 levels. Keys in a scenario are a few levels deep, so a line whose keys have more
// than this many dots (outside strings, comments and numbers) is refused before parsing.
constexpr int kMaxKeyDots = 128;

bool digit(char c) {
  return c >= '0' && c <= '9';
}

void refuse_deep_keys(std::string_view text, const std::string& path) {
  enum class In { normal, basic, literal, ml_basic, ml_literal, comment };
  constexpr std::string_view kMlBasic = "\"\"\"", kMlLiteral = "'''";
  In in = In::normal;
  int line = 1, column = 0, dots = 0, token_dots = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    ++column;
    if (c == '\n') {
      ++line;
      column = 0;
      dots = token_dots = 0;
      if (in == In::basic || in == In::literal || in == In::comment) in = In::normal;
      continue;
    }
    const std::string_view rest = text.substr(i);
    auto skip = [&](std::size_t n) {
      i += n;
      column += static_cast<int>(n);
    };
    switch (in) {
      case In::comment:
        continue;
      case In::basic:
        if (c == '\\') {
          if (i + 1 < text.size() && text[i + 1] != '\n') skip(1);
        } else if (c == '"') {
          in = In::normal;
        }
        continue;
      case In::literal:
        if (c == '\'') in = In::normal;
        continue;
      case In::ml_basic:
        if (c == '\\') {
          if (i + 1 < text.size() && text[i + 1] != '\n') skip(1);
        } else if (rest.starts_with(kMlBasic)) {
          in = In::normal;
          skip(2);
        }
        continue;
      case In::ml_literal:
        if (rest.starts_with(kMlLiteral)) {
          in = In::normal;
          skip(2);
        }
        continue;
      case In::normal:
        break;
    }
    if (c == '#') {
      in = In::comment;
    } else if (rest.starts_with(kMlBasic)) {
      in = In::ml_basic;
      skip(2);
    } else if (rest.starts_with(kMlLiteral)) {
      in = In::ml_literal;
      skip(2);
    } else if (c == '"') {
      in = In::basic;
    } else if (c == '\'') {
      in = In::literal;
    } else if (c == '.') {
      // A dot between digits belongs to a number (1.5, 00:32:00.999) unless its token has
      // several (1.2.3 is a dotted key of bare digits).
      const bool numeric = i > 0 && digit(text[i - 1]) && i + 1 < text.size() && digit(text[i + 1]);
      if (!numeric || ++token_dots > 1) ++dots;
      if (dots > kMaxKeyDots)
        throw ScenarioError(path, line, column,
                            "key nested too deeply (more than " + std::to_string(kMaxKeyDots) +
                                " dotted levels on one line); expected a few levels like "
                                "network.rtt");
    } else if (!digit(c) && c != '_' && c != ':' && c != '-' && c != '+' && c != 'e' && c != 'E' &&
               c != 'T' && c != 'Z') {
      token_dots = 0;
    }
  }
}

// ---------------------------------------------------------------- words

// "did you mean 'x'? " for a near miss: at most 2 edits (not a rewrite of a short word), or
// 3 after a shared start of 5 letters (plurals: "strategies" for "strategy").
std::string near_miss(std::string_view word, std::initializer_list<std::string_view> known) {
  std::string_view best;
  std::size_t best_d = 4;
  if (word.size() > 64) return {};
  for (std::string_view k : known) {
    const std::size_t d = edit_distance(word, k);
    std::size_t common = 0;
    while (common < word.size() && common < k.size() && word[common] == k[common])
      ++common;
    const bool near = d <= 2 ? d < std::max<std::size_t>(k.size(), 2) : (d == 3 && common >= 5);
    if (near && d < best_d) {
      best = k;
      best_d = d;
    }
  }
  return best.empty() ? std::string() : "did you mean '" + std::string(best) + "'? ";
}

// A word from the file, cut short if someone pasted a novel into it.
std::string shown(std::string_view word) {
  constexpr std::size_t kMax = 60;
  return word.size() <= kMax ? std::string(word) : std::string(word.substr(0, kMax)) + "...";
}

std::string join(std::initializer_list<std::string_view> words) {
  std::string out;
  for (std::string_view w : words) {
    if (!out.empty()) out += ", ";
    out += w;
  }
  return out;
}

std::string type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a floating-point number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

std::string quote(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

enum class Quantity { duration, size };

// The parameters each distribution takes, for messages.
std::string signature(std::string_view dist) {
  if (dist == "constant") return "value = ...";
  if (dist == "uniform") return "low = ..., high = ...";
  if (dist == "exponential") return "mean = ...";
  if (dist == "normal") return "mean = ..., stddev = ...";
  if (dist == "lognormal") return "median = ..., sigma = 0.3";
  return "samples = [...]";
}

// ---------------------------------------------------------------- the reader

class Reader {
 public:
  Reader(std::string path, fs::path base_dir)
      : path_(std::move(path)), base_dir_(std::move(base_dir)) {}

  Scenario scenario(const toml::table& root);

 private:
  [[noreturn]] void fail(const toml::source_region& at, const std::string& message) const {
    throw ScenarioError(path_, static_cast<int>(at.begin.line), static_cast<int>(at.begin.column),
                        message);
  }
  [[noreturn]] void fail(const toml::node& at, const std::string& message) const {
    fail(at.source(), message);
  }

  // Unknown keys: the first one in the file is reported, with a near miss if any.
  void check_keys(const toml::table& t, std::string_view where,
                  std::initializer_list<std::string_view> allowed) const;
  const toml::table& table(const toml::node& n, const std::string& where,
                           std::string_view example) const;
  const toml::array& array(const toml::node& n, const std::string& where,
                           std::string_view example) const;
  std::string string(const toml::node& n, const std::string& where) const;
  bool boolean(const toml::node& n, const std::string& where) const;
  std::int64_t integer(const toml::node& n, const std::string& where, std::int64_t min,
                       std::int64_t max) const;
  double number(const toml::node& n, const std::string& where) const;
  double probability(const toml::node& n, const std::string& where) const;
  double duration(const toml::node& n, const std::string& where) const;
  Duration duration_ns(const toml::node& n, const std::string& where) const {
    return sim::from_seconds(duration(n, where));
  }
  double size(const toml::node& n, const std::string& where) const;
  double rate(const toml::node& n, const std::string& where) const;  // 0 = unlimited
  double quantity(const toml::node& n, const std::string& where, Quantity q) const {
    return q == Quantity::duration ? duration(n, where) : size(n, where);
  }
  Distribution distribution(const toml::node& n, const std::string& where, Quantity q) const;
  Distribution distribution_table(const toml::table& t, const std::string& where, Quantity q) const;
  const toml::node& required(const toml::table& t, std::string_view key, const std::string& where,
                             std::string_view example) const;

  Workload workload(const toml::table& t) const;
  std::vector<Item> items(const toml::array& a) const;
  std::vector<Item> items_csv(const toml::node& n) const;
  Network network(const toml::table& t) const;
  Server server(const toml::table& t, const Workload& w) const;
  Client client(const toml::table& t) const;
  std::vector<Strategy> strategies(const toml::node& n) const;
  Strategy strategy(const toml::table& t, int index) const;
  Live live(const toml::table& t) const;

  std::string path_;
  fs::path base_dir_;
};

void Reader::check_keys(const toml::table& t, std::string_view where,
                        std::initializer_list<std::string_view> allowed) const {
  const toml::key* first = nullptr;
  for (auto&& [k, v] : t) {
    (void)v;
    if (std::find(allowed.begin(), allowed.end(), k.str()) != allowed.end()) continue;
    const auto& b = k.source().begin;
    if (!first || b.line < first->source().begin.line ||
        (b.line == first->source().begin.line && b.column < first->source().begin.column))
      first = &k;
  }
  if (!first) return;
  fail(first->source(), "unknown key '" + shown(first->str()) + "' in " + std::string(where) +
                            "; " + near_miss(first->str(), allowed) +
                            "expected one of: " + join(allowed));
}

const toml::table& Reader::table(const toml::node& n, const std::string& where,
                                 std::string_view example) const {
  if (const auto* t = n.as_table()) return *t;
  fail(n,
       where + " must be a table, got " + type_name(n) + "; expected e.g. " + std::string(example));
}

const toml::array& Reader::array(const toml::node& n, const std::string& where,
                                 std::string_view example) const {
  if (const auto* a = n.as_array()) return *a;
  fail(n, where + " must be an array, got " + type_name(n) + "; expected e.g. " +
              std::string(example));
}

std::string Reader::string(const toml::node& n, const std::string& where) const {
  if (const auto* s = n.as_string()) return s->get();
  fail(n, where + " must be a string, got " + type_name(n) + "; expected text in quotes");
}

bool Reader::boolean(const toml::node& n, const std::string& where) const {
  if (const auto* b = n.as_boolean()) return b->get();
  std::string hint;
  if (const auto* s = n.as_string(); s && (s->get() == "true" || s->get() == "false"))
    hint = " (write " + s->get() + " without quotes)";
  fail(n, where + " must be true or false, got " + type_name(n) + hint);
}

std::int64_t Reader::integer(const toml::node& n, const std::string& where, std::int64_t min,
                             std::int64_t max) const {
  const auto* i = n.as_integer();
  if (!i) {
    std::string hint;
    if (n.is_string()) hint = "; write the number without quotes";
    if (n.is_floating_point()) hint = "; expected a whole number";
    fail(n, where + " must be an integer, got " + type_name(n) + hint);
  }
  const std::int64_t v = i->get();
  if (v < min) {
    fail(n,
         where + " must be " +
             (min == 1 ? std::string("positive (at least 1)") : "at least " + std::to_string(min)) +
             ", got " + std::to_string(v));
  }
  if (v > max)
    fail(n, where + " must be at most " + std::to_string(max) + ", got " + std::to_string(v));
  return v;
}

double Reader::number(const toml::node& n, const std::string& where) const {
  double v = 0;
  if (const auto* i = n.as_integer()) {
    v = static_cast<double>(i->get());
  } else if (const auto* f = n.as_floating_point()) {
    v = f->get();
  } else {
    std::string hint = n.is_string() ? "; write the number without quotes" : "";
    fail(n, where + " must be a number, got " + type_name(n) + hint);
  }
  if (!std::isfinite(v))
    fail(n, where + " must be a finite number, got " + (std::isnan(v) ? "nan" : "inf"));
  return v;
}

double Reader::probability(const toml::node& n, const std::string& where) const {
  const double p = number(n, where);
  if (p < 0 || p > 1)
    fail(n, where + " is a probability; expected a number from 0 to 1 (0.05 = 5%), got " + num(p));
  return p;
}

double Reader::duration(const toml::node& n, const std::string& where) const {
  if (const auto* s = n.as_string()) {
    try {
      return parse_duration(s->get());
    } catch (const UnitError& e) {
      fail(n, where + ": " + e.what());
    }
  }
  if (n.is_integer() || n.is_floating_point()) {
    const double v = number(n, where);
    if (v == 0) return 0;
    fail(n, where + ": a duration needs a unit; write it as a string, e.g. \"" + num(v) +
                "s\" or \"" + num(v) + "ms\"");
  }
  fail(n, where + " must be a duration, got " + type_name(n) + "; expected e.g. \"250ms\"");
}

double Reader::size(const toml::node& n, const std::string& where) const {
  double bytes = 0;
  if (const auto* s = n.as_string()) {
    try {
      bytes = parse_size(s->get());
    } catch (const UnitError& e) {
      fail(n, where + ": " + e.what());
    }
  } else if (n.is_integer() || n.is_floating_point()) {
    bytes = number(n, where);
    if (bytes < 0) fail(n, where + " is negative; expected a size >= 0");
  } else {
    fail(n, where + " must be a size, got " + type_name(n) +
                "; expected e.g. \"2.5 KiB\" or a number of bytes");
  }
  if (bytes > kMaxItemBytes)
    fail(n, where + " is " + format_size(bytes, 3) + ", absurdly large; expected at most 1 TiB");
  return bytes;
}

double Reader::rate(const toml::node& n, const std::string& where) const {
  if (const auto* s = n.as_string()) {
    if (s->get() == "unlimited") return 0;
    try {
      return parse_rate(s->get());
    } catch (const UnitError& e) {
      fail(n, where + ": " + e.what());
    }
  }
  if (n.is_integer() || n.is_floating_point()) {
    const double v = number(n, where);
    if (v == 0) return 0;
    fail(n, where + ": a rate needs a unit; write it as a string, e.g. \"" + num(v) +
                " Mbit/s\" or \"" + num(v) + " MB/s\"");
  }
  fail(n, where + " must be a rate, got " + type_name(n) + "; expected e.g. \"20 Mbit/s\"");
}

const toml::node& Reader::required(const toml::table& t, std::string_view key,
                                   const std::string& where, std::string_view example) const {
  if (const toml::node* n = t.get(key)) return *n;
  fail(t, "missing required key '" + std::string(key) + "' in " + where + "; expected e.g. " +
              std::string(example));
}

Distribution Reader::distribution(const toml::node& n, const std::string& where, Quantity q) const {
  if (const auto* t = n.as_table()) return distribution_table(*t, where, q);
  if (n.is_string() || n.is_integer() || n.is_floating_point())
    return Distribution::constant(quantity(n, where, q));
  fail(n, where + " must be a value or a distribution, got " + type_name(n) +
              (q == Quantity::duration
                   ? "; expected e.g. \"200ms\" or { dist = \"uniform\", low = \"100ms\", "
                     "high = \"300ms\" }"
                   : "; expected e.g. \"2.5 KiB\" or { dist = \"lognormal\", median = "
                     "\"2.3 KiB\", sigma = 0.3 }"));
}

Distribution Reader::distribution_table(const toml::table& t, const std::string& where,
                                        Quantity q) const {
  const std::initializer_list<std::string_view> kDists = {"constant", "uniform",   "exponential",
                                                          "normal",   "lognormal", "empirical"};
  const toml::node* dist_node = t.get("dist");
  if (!dist_node)
    fail(t, where +
                ": a distribution table needs 'dist'; expected e.g. { dist = \"lognormal\", "
                "median = ..., sigma = 0.3 } (dists: " +
                join(kDists) + ")");
  const std::string dist = string(*dist_node, where + ".dist");
  auto param = [&](std::string_view key) -> const toml::node& {
    if (const toml::node* p = t.get(key)) return *p;
    fail(t, where + ": " + dist + " needs '" + std::string(key) + "'; expected { dist = \"" + dist +
                "\", " + signature(dist) + " }");
  };
  auto value = [&](std::string_view key) {
    return quantity(param(key), where + "." + std::string(key), q);
  };
  auto positive = [&](std::string_view key) {
    const double v = value(key);
    if (v <= 0) fail(param(key), where + "." + std::string(key) + " must be positive, got 0");
    return v;
  };
  if (dist == "constant") {
    check_keys(t, where, {"dist", "value"});
    return Distribution::constant(value("value"));
  }
  if (dist == "uniform") {
    check_keys(t, where, {"dist", "low", "high"});
    const double low = value("low"), high = value("high");
    if (high < low) fail(param("high"), where + ".high must be at least low; expected low <= high");
    return Distribution::uniform(low, high);
  }
  if (dist == "exponential") {
    check_keys(t, where, {"dist", "mean"});
    return Distribution::exponential(positive("mean"));
  }
  if (dist == "normal") {
    check_keys(t, where, {"dist", "mean", "stddev"});
    return Distribution::normal(value("mean"), value("stddev"));
  }
  if (dist == "lognormal") {
    check_keys(t, where, {"dist", "median", "sigma"});
    const double median = positive("median");
    const std::string sigma_where = where + ".sigma";
    const double sigma = number(param("sigma"), sigma_where);
    if (sigma < 0 || sigma > 5)
      fail(param("sigma"), sigma_where +
                               " must be from 0 to 5 (a plain number: the standard "
                               "deviation of the log), got " +
                               num(sigma));
    return Distribution::lognormal(median, sigma);
  }
  if (dist == "empirical") {
    check_keys(t, where, {"dist", "samples"});
    const auto& a = array(param("samples"), where + ".samples", "[\"1ms\", \"3ms\", \"2ms\"]");
    if (a.empty()) fail(a, where + ".samples is empty; expected at least one value");
    std::vector<double> samples;
    samples.reserve(a.size());
    for (std::size_t i = 0; i < a.size(); ++i)
      samples.push_back(quantity(a[i], where + ".samples[" + std::to_string(i) + "]", q));
    return Distribution::empirical(std::move(samples));
  }
  fail(*dist_node, where + ": unknown distribution '" + dist + "'; " + near_miss(dist, kDists) +
                       "expected one of: " + join(kDists));
}

// ---------------------------------------------------------------- sections

Workload Reader::workload(const toml::table& t) const {
  check_keys(t, "[workload]", {"items", "items_csv", "count", "size", "sleeps"});
  const toml::node* given = nullptr;
  std::string given_key;
  for (std::string_view key : {"items", "items_csv", "count", "sleeps"}) {
    const toml::node* n = t.get(key);
    if (!n) continue;
    if (given)
      fail(*n, "[workload] has both '" + given_key + "' (line " +
                   std::to_string(given->source().begin.line) + ") and '" + std::string(key) +
                   "'; expected exactly one of items, items_csv, count, sleeps");
    given = n;
    given_key = key;
  }
  if (!given)
    fail(t,
         "the workload is empty; expected one of items = [{ name = \"a\", size = \"2 KiB\" }], "
         "items_csv = \"file.csv\", count = N with size = ..., or sleeps = [\"1s\", ...]");
  if (const toml::node* s = t.get("size"); s && given_key != "count")
    fail(*s, "[workload] size goes with count (generated items); items give their own sizes");

  Workload w;
  if (given_key == "items") {
    w.kind = Workload::Kind::items;
    w.items = items(array(*given, "workload.items", "[{ name = \"CN\", size = \"11 KiB\" }]"));
  } else if (given_key == "items_csv") {
    w.kind = Workload::Kind::items;
    w.items = items_csv(*given);
  } else if (given_key == "count") {
    w.kind = Workload::Kind::generated;
    w.count = integer(*given, "workload.count", 1, kMaxItems);
    const toml::node& s = required(t, "size", "[workload] (count needs a size)",
                                   "size = { dist = \"lognormal\", median = \"2.3 KiB\", sigma = "
                                   "0.3 }");
    w.size = distribution(s, "workload.size", Quantity::size);
  } else {
    w.kind = Workload::Kind::sleeps;
    const auto& a = array(*given, "workload.sleeps", "[\"0s\", \"1s\", \"2s\"]");
    if (a.empty()) fail(a, "workload.sleeps is empty; expected at least one duration");
    for (std::size_t i = 0; i < a.size(); ++i)
      w.sleeps.push_back(duration_ns(a[i], "workload.sleeps[" + std::to_string(i) + "]"));
  }
  return w;
}

std::vector<Item> Reader::items(const toml::array& a) const {
  if (a.empty()) fail(a, "workload.items is empty; expected at least one { name, size }");
  std::vector<Item> out;
  std::map<std::string, int> first_line;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string where = "workload.items[" + std::to_string(i) + "]";
    const auto& t = table(a[i], where, "{ name = \"CN\", size = \"11 KiB\" }");
    check_keys(t, where, {"name", "size"});
    const toml::node& name_node = required(t, "name", where, "name = \"CN\"");
    Item item;
    item.name = string(name_node, where + ".name");
    if (item.name.empty()) fail(name_node, where + ".name is empty; expected a non-empty name");
    const auto line = static_cast<int>(name_node.source().begin.line);
    if (auto [it, fresh] = first_line.emplace(item.name, line); !fresh)
      fail(name_node, "duplicate item name '" + item.name + "' (first at line " +
                          std::to_string(it->second) + "); expected unique names");
    item.bytes =
        std::llround(size(required(t, "size", where, "size = \"11 KiB\""), where + ".size"));
    out.push_back(std::move(item));
  }
  return out;
}

// A simple CSV: a header row naming the columns, then one item per line, fields separated by
// commas (no quoting). Errors point into the CSV file.
std::vector<Item> Reader::items_csv(const toml::node& n) const {
  std::string file, name_col = "name", size_col = "size";
  if (const auto* t = n.as_table()) {
    check_keys(*t, "workload.items_csv", {"path", "name", "size"});
    file = string(required(*t, "path", "workload.items_csv", "path = \"sizes.csv\""),
                  "workload.items_csv.path");
    if (const auto* c = t->get("name")) name_col = string(*c, "workload.items_csv.name");
    if (const auto* c = t->get("size")) size_col = string(*c, "workload.items_csv.size");
  } else if (n.is_string()) {
    file = string(n, "workload.items_csv");
  } else {
    fail(n, "workload.items_csv must be a path or a table, got " + type_name(n) +
                "; expected e.g. \"sizes.csv\" or { path = \"sizes.csv\", name = \"cc\", "
                "size = \"gif_bytes\" }");
  }
  if (file.empty()) fail(n, "workload.items_csv: empty path; expected a CSV file name");
  fs::path p(file);
  if (p.is_relative()) p = base_dir_ / p;
  const std::string csv_name = p.string();
  std::string text;
  try {
    text = read_file(p, kMaxCsvFileBytes, "CSV file (header, then name,size rows)");
  } catch (const ScenarioError& e) {
    fail(n, "workload.items_csv: " + std::string(e.what()));
  }
  refuse_binary(text, csv_name, "CSV file");

  auto split = [](std::string_view line) {
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    for (;;) {
      const auto comma = line.find(',', start);
      fields.push_back(line.substr(start, comma - start));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    for (auto& f : fields) {
      while (!f.empty() && (f.front() == ' ' || f.front() == '\t'))
        f.remove_prefix(1);
      while (!f.empty() && (f.back() == ' ' || f.back() == '\t'))
        f.remove_suffix(1);
    }
    return fields;
  };
  auto column_of = [](std::string_view line, std::string_view field) {
    return 1 + static_cast<int>(field.data() - line.data());
  };

  std::vector<Item> out;
  std::map<std::string, int, std::less<>> first_line;
  std::size_t name_i = 0, size_i = 0, width = 0;
  bool header = true;
  int line_no = 0;
  std::string_view rest = text;
  while (!rest.empty()) {
    const auto eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (line.find('"') != std::string_view::npos)
      throw ScenarioError(csv_name, line_no, 1 + static_cast<int>(line.find('"')),
                          "quoted CSV fields are not supported; expected plain name,size fields");
    const auto fields = split(line);
    if (header) {
      header = false;
      width = fields.size();
      const auto name_it = std::find(fields.begin(), fields.end(), name_col);
      const auto size_it = std::find(fields.begin(), fields.end(), size_col);
      if (name_it == fields.end() || size_it == fields.end())
        throw ScenarioError(csv_name, line_no, 1,
                            "the header row needs columns '" + name_col + "' and '" + size_col +
                                "'; found: " + std::string(line) +
                                " (choose columns with items_csv = { path = ..., name = ..., "
                                "size = ... })");
      name_i = static_cast<std::size_t>(name_it - fields.begin());
      size_i = static_cast<std::size_t>(size_it - fields.begin());
      continue;
    }
    if (fields.size() != width)
      throw ScenarioError(csv_name, line_no, 1,
                          "expected " + std::to_string(width) + " fields like the header, got " +
                              std::to_string(fields.size()));
    Item item;
    item.name = std::string(fields[name_i]);
    if (item.name.empty())
      throw ScenarioError(csv_name, line_no, column_of(line, fields[name_i]),
                          "empty name; expected a non-empty item name");
    double bytes = 0;
    try {
      bytes = parse_size(fields[size_i]);
    } catch (const UnitError& e) {
      throw ScenarioError(csv_name, line_no, column_of(line, fields[size_i]), e.what());
    }
    if (bytes > kMaxItemBytes)
      throw ScenarioError(
          csv_name, line_no, column_of(line, fields[size_i]),
          "size " + format_size(bytes, 3) + " is absurdly large; expected at most 1 TiB");
    item.bytes = std::llround(bytes);
    if (auto [it, fresh] = first_line.emplace(item.name, line_no); !fresh)
      throw ScenarioError(csv_name, line_no, column_of(line, fields[name_i]),
                          "duplicate item name '" + item.name + "' (first at line " +
                              std::to_string(it->second) + "); expected unique names");
    if (static_cast<std::int64_t>(out.size()) >= kMaxItems)
      throw ScenarioError(csv_name, line_no, 1, "more than 10^8 items; expected fewer");
    out.push_back(std::move(item));
  }
  if (out.empty())
    fail(n, "workload.items_csv: " + csv_name +
                " has no items; expected a header row and at least one item row");
  return out;
}

Network Reader::network(const toml::table& t) const {
  check_keys(t, "[network]",
             {"rtt", "bandwidth", "per_connection", "keep_alive", "tls", "tls_rtts", "dns",
              "per_host_limit"});
  Network n;
  if (const auto* v = t.get("rtt")) n.rtt = distribution(*v, "network.rtt", Quantity::duration);
  if (const auto* v = t.get("bandwidth")) n.bandwidth = rate(*v, "network.bandwidth");
  if (const auto* v = t.get("per_connection"))
    n.per_connection = rate(*v, "network.per_connection");
  if (const auto* v = t.get("keep_alive")) n.keep_alive = boolean(*v, "network.keep_alive");
  if (const auto* v = t.get("tls")) n.tls = boolean(*v, "network.tls");
  if (const auto* v = t.get("tls_rtts"))
    n.tls_rtts = static_cast<int>(integer(*v, "network.tls_rtts", 0, 10));
  if (const auto* v = t.get("dns")) n.dns = distribution(*v, "network.dns", Quantity::duration);
  if (const auto* v = t.get("per_host_limit"))
    n.per_host_limit = static_cast<int>(integer(*v, "network.per_host_limit", 0, 1'000'000));
  return n;
}

Server Reader::server(const toml::table& t, const Workload& w) const {
  check_keys(t, "[server]", {"workers", "service", "errors", "missing", "stall_rate"});
  Server s;
  if (const auto* v = t.get("workers"))
    s.workers = static_cast<int>(integer(*v, "server.workers", 0, 1'000'000));
  if (const auto* v = t.get("service"))
    s.service = distribution(*v, "server.service", Quantity::duration);
  if (const auto* v = t.get("errors")) {
    const auto& a = array(*v, "server.errors", "[{ status = 500, rate = 0.1 }]");
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string where = "server.errors[" + std::to_string(i) + "]";
      const auto& e = table(a[i], where, "{ status = 503, rate = 0.05 }");
      check_keys(e, where, {"status", "rate"});
      ErrorRule rule;
      rule.status = static_cast<int>(
          integer(required(e, "status", where, "status = 500"), where + ".status", 400, 599));
      rule.rate = probability(required(e, "rate", where, "rate = 0.1"), where + ".rate");
      s.errors.push_back(rule);
    }
  }
  if (const auto* v = t.get("missing")) {
    const auto& a = array(*v, "server.missing", "[\"XX\", \"YY\"]");
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string where = "server.missing[" + std::to_string(i) + "]";
      std::string name = string(a[i], where);
      if (w.kind == Workload::Kind::items &&
          std::none_of(w.items.begin(), w.items.end(),
                       [&](const Item& it) { return it.name == name; }))
        fail(a[i], where + ": '" + name +
                       "' is not an item of the workload; expected one of "
                       "the item names");
      s.missing.push_back(std::move(name));
    }
  }
  if (const auto* v = t.get("stall_rate")) s.stall_rate = probability(*v, "server.stall_rate");
  return s;
}

Client Reader::client(const toml::table& t) const {
  check_keys(t, "[client]",
             {"timeout", "retries", "backoff", "backoff_max", "cpu", "cores", "thread_start",
              "process_start"});
  Client c;
  if (const auto* v = t.get("timeout")) {
    if (const auto* s = v->as_string(); s && s->get() == "none") {
      c.timeout.reset();
    } else {
      const Duration d = duration_ns(*v, "client.timeout");
      if (d <= Duration::zero())
        fail(*v,
             "client.timeout must be positive; expected e.g. \"10s\" (or \"none\" to wait "
             "forever)");
      c.timeout = d;
    }
  }
  if (const auto* v = t.get("retries"))
    c.retries = static_cast<int>(integer(*v, "client.retries", 0, 100));
  if (const auto* v = t.get("backoff")) c.backoff = duration_ns(*v, "client.backoff");
  if (const auto* v = t.get("backoff_max")) c.backoff_max = duration_ns(*v, "client.backoff_max");
  if (c.backoff_max < c.backoff) {
    const toml::node* at = t.get("backoff_max") ? t.get("backoff_max") : t.get("backoff");
    fail(*at, "client.backoff_max (" + format_duration(c.backoff_max) +
                  ") is below client.backoff (" + format_duration(c.backoff) +
                  "); expected backoff_max >= backoff");
  }
  if (const auto* v = t.get("cpu")) c.cpu = distribution(*v, "client.cpu", Quantity::duration);
  if (const auto* v = t.get("cores"))
    c.cores = static_cast<int>(integer(*v, "client.cores", 1, 4096));
  if (const auto* v = t.get("thread_start"))
    c.thread_start = duration_ns(*v, "client.thread_start");
  if (const auto* v = t.get("process_start"))
    c.process_start = duration_ns(*v, "client.process_start");
  return c;
}

Strategy Reader::strategy(const toml::table& t, int index) const {
  const std::initializer_list<std::string_view> kKinds = {"sequential", "pool", "async"};
  const std::string where = "[[strategy]] #" + std::to_string(index);
  check_keys(t, where, {"name", "kind", "workers", "pool", "consume", "max_concurrency"});
  Strategy s;
  const toml::node& name_node = required(t, "name", where, "name = \"threads-20\"");
  s.name = string(name_node, where + " name");
  if (s.name.empty()) fail(name_node, where + " name is empty; expected a non-empty name");
  const std::string w = "strategy '" + s.name + "'";
  const toml::node& kind_node =
      required(t, "kind", w, "kind = \"sequential\" (or \"pool\", \"async\")");
  const std::string kind = string(kind_node, w + " kind");
  if (kind == "sequential") {
    s.kind = Strategy::Kind::sequential;
  } else if (kind == "pool") {
    s.kind = Strategy::Kind::pool;
  } else if (kind == "async") {
    s.kind = Strategy::Kind::async;
  } else {
    std::string hint = near_miss(kind, kKinds);
    if (kind == "thread" || kind == "threads" || kind == "process" || kind == "processes")
      hint = "for a " + kind + " pool write kind = \"pool\" with pool = \"" +
             (kind[0] == 't' ? "thread" : "process") + "\"; ";
    if (kind == "asyncio" || kind == "coroutines") hint = "did you mean 'async'? ";
    fail(kind_node, w + ": unknown strategy kind '" + kind + "'; " + hint +
                        "expected one of: " + join(kKinds));
  }
  auto not_for = [&](std::string_view key, std::string_view applies_to) {
    if (const toml::node* n = t.get(key))
      fail(*n, w + ": '" + std::string(key) + "' applies to " + std::string(applies_to) +
                   " strategies only; this one is kind = \"" + kind + "\"");
  };
  if (s.kind != Strategy::Kind::pool) {
    not_for("workers", "pool");
    not_for("pool", "pool");
    not_for("consume", "pool");
  }
  if (s.kind != Strategy::Kind::async) not_for("max_concurrency", "async");
  if (s.kind == Strategy::Kind::pool) {
    s.workers = static_cast<int>(
        integer(required(t, "workers", w, "workers = 8"), w + " workers", 1, 100'000));
    if (const toml::node* n = t.get("pool")) {
      const std::string v = string(*n, w + " pool");
      if (v == "thread") {
        s.pool_kind = Strategy::PoolKind::thread;
      } else if (v == "process") {
        s.pool_kind = Strategy::PoolKind::process;
      } else {
        fail(*n, w + ": unknown pool '" + v + "'; " + near_miss(v, {"thread", "process"}) +
                     "expected one of: thread, process");
      }
    }
    if (const toml::node* n = t.get("consume")) {
      const std::string v = string(*n, w + " consume");
      if (v == "in_order") {
        s.consume = Strategy::Consume::in_order;
      } else if (v == "as_completed") {
        s.consume = Strategy::Consume::as_completed;
      } else {
        fail(*n, w + ": unknown consume '" + v + "'; " +
                     near_miss(v, {"in_order", "as_completed"}) +
                     "expected one of: in_order (like Executor.map), as_completed");
      }
    }
  }
  if (s.kind == Strategy::Kind::async) {
    if (const toml::node* n = t.get("max_concurrency"))
      s.max_concurrency = static_cast<int>(integer(*n, w + " max_concurrency", 0, kMaxItems));
  }
  return s;
}

std::vector<Strategy> Reader::strategies(const toml::node& n) const {
  if (n.is_table())
    fail(n,
         "'strategy' must be an array of tables; write [[strategy]] (double brackets), one "
         "per strategy to compare");
  const auto& a = array(n, "strategy", "[[strategy]] tables");
  if (a.empty()) fail(a, "no strategies; expected at least one [[strategy]] table");
  std::vector<Strategy> out;
  std::map<std::string, int> first_line;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    const auto& t = table(a[i], "[[strategy]] #" + std::to_string(index),
                          "[[strategy]] with name = ..., kind = ...");
    Strategy s = strategy(t, index);
    const toml::node& name_node = *t.get("name");
    const auto line = static_cast<int>(name_node.source().begin.line);
    if (auto [it, fresh] = first_line.emplace(s.name, line); !fresh)
      fail(name_node, "duplicate strategy name '" + s.name + "' (first used at line " +
                          std::to_string(it->second) +
                          "); expected each strategy to have a "
                          "unique name");
    out.push_back(std::move(s));
  }
  return out;
}

Live Reader::live(const toml::table& t) const {
  check_keys(t, "[live]", {"url"});
  Live l;
  if (const auto* v = t.get("url")) {
    l.url = string(*v, "live.url");
    if (l.url.empty()) return l;  // no live target
    if (!l.url.starts_with("http://") && !l.url.starts_with("https://"))
      fail(*v, "live.url must start with http:// or https://; got " + quote(l.url));
    if (l.url.find("{name}") == std::string::npos)
      fail(*v,
           "live.url has no {name} placeholder; expected e.g. "
           "\"http://127.0.0.1:8001/flags/{name}.gif\"");
  }
  return l;
}

Scenario Reader::scenario(const toml::table& root) {
  check_keys(root, "the scenario",
             {"name", "description", "seed", "workload", "network", "server", "client", "strategy",
              "live"});
  Scenario s;
  s.source_path = path_;
  if (const auto* v = root.get("name")) {
    s.name = string(*v, "name");
  } else {
    s.name = fs::path(path_).stem().string();
  }
  if (s.name.empty()) s.name = "scenario";
  if (const auto* v = root.get("description")) s.description = string(*v, "description");
  if (const auto* v = root.get("seed"))
    s.seed = static_cast<std::uint64_t>(
        integer(*v, "seed", 0, std::numeric_limits<std::int64_t>::max()));
  auto section = [&](std::string_view key, std::string_view example) -> const toml::table* {
    const toml::node* n = root.get(key);
    if (!n) return nullptr;
    return &table(*n, std::string(key), example);
  };
  const toml::table* w = section("workload", "[workload] with items = [...]");
  if (!w)
    fail(root,
         "missing [workload]; expected a [workload] table with items, items_csv, count "
         "(with size) or sleeps");
  s.workload = workload(*w);
  if (const auto* t = section("network", "[network] with rtt = \"50ms\"")) s.network = network(*t);
  if (const auto* t = section("server", "[server] with workers = 4"))
    s.server = server(*t, s.workload);
  if (const auto* t = section("client", "[client] with timeout = \"10s\"")) s.client = client(*t);
  const toml::node* strat = root.get("strategy");
  if (!strat)
    fail(root,
         "no strategies; expected at least one [[strategy]] table with name and kind "
         "(sequential, pool or async)");
  s.strategies = strategies(*strat);
  if (const auto* t = section("live", "[live] with url = \"http://...\"")) s.live = live(*t);
  return s;
}

std::string syntax_message(std::string_view description) {
  std::string d(description);
  constexpr std::string_view kPrefix = "Error while parsing ";
  std::string msg;
  if (d.starts_with(kPrefix)) {
    const auto colon = d.find(": ");
    if (colon != std::string::npos) {
      msg = "invalid TOML (in " + d.substr(kPrefix.size(), colon - kPrefix.size()) +
            "): " + d.substr(colon + 2);
    }
  }
  if (msg.empty()) msg = "invalid TOML: " + d;
  if (d.find("unescaped control characters") != std::string::npos)
    msg += " (is a closing quote missing?)";
  if (d.find("utf-8") != std::string::npos || d.find("UTF-8") != std::string::npos)
    msg += "; expected a UTF-8 text file";
  return msg;
}

}  // namespace

Scenario parse_scenario(std::string_view toml_text, std::string_view path_for_messages) {
  const std::string path(path_for_messages);
  refuse_binary(toml_text, path, "TOML scenario file");
  if (toml_text.size() > kMaxScenarioFileBytes)
    throw ScenarioError(
        path, 0, 0,
        "is too large; expected a scenario of at most " + human_bytes(kMaxScenarioFileBytes));
  refuse_deep_keys(toml_text, path);
  toml::table root;
  try {
    root = toml::parse(toml_text, path_for_messages);
  } catch (const toml::parse_error& e) {
    throw ScenarioError(path, static_cast<int>(e.source().begin.line),
                        static_cast<int>(e.source().begin.column), syntax_message(e.description()));
  }
  Reader reader(path, fs::path(path).parent_path());
  return reader.scenario(root);
}

Scenario load_scenario(const fs::path& path) {
  const std::string text = read_file(path, kMaxScenarioFileBytes, "TOML scenario file");
  return parse_scenario(text, path.string());
}

}  // namespace model
