// Reading a scenario's files: the checks before reading, the TOML document, CSV items.
#include "model/scenario_read.hpp"

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
#include <unordered_map>
#include <vector>

#include "model/client_rate_limit.hpp"
#include "model/scenario_fields.hpp"
#include "model/units.hpp"
#include "model/words.hpp"

namespace model {
namespace fs = std::filesystem;

namespace {

std::string located(const std::string& path, int line, int column, const std::string& message) {
  if (line <= 0) return path + ": " + message;
  return path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

constexpr std::string_view kBom = "\xEF\xBB\xBF";

}  // namespace

ScenarioError::ScenarioError(std::string path, int line, int column, std::string message)
    : std::runtime_error(located(path, line, column, message)),
      path_(std::move(path)),
      line_(line),
      column_(column),
      message_(std::move(message)) {}

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

namespace {

// toml++ recurses once per level of a dotted key ("a.a.a...") and overflows the stack at
// ~100000 levels. Keys in a scenario are a few levels deep, so a line whose keys have more
// than this many dots (outside strings, comments and numbers) is refused before parsing.
constexpr int kMaxKeyDots = 128;

// toml++ 3.3.0 reaches __builtin_unreachable on some non-ASCII characters outside strings
// (`é = 1`, a Cyrillic letter in a bare key; toml++ issues #190 and #295). TOML allows
// them nowhere but in strings and comments, so they are refused before parsing.

bool digit(char c) {
  return c >= '0' && c <= '9';
}

// Columns count characters, not bytes (a UTF-8 continuation byte is not a column).
void refuse_before_parsing(std::string_view text, const std::string& path) {
  enum class In { normal, basic, literal, ml_basic, ml_literal, comment };
  constexpr std::string_view kMlBasic = "\"\"\"", kMlLiteral = "'''";
  In in = In::normal;
  int line = 1, column = 0, dots = 0, token_dots = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++column;
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
    if (static_cast<unsigned char>(c) >= 0x80) {
      throw ScenarioError(path, line, column,
                          "a non-ASCII character outside a string or comment; expected keys of "
                          "ASCII letters, digits, _ and - (quote other keys: \"é\" = 1) and "
                          "text values in quotes");
    } else if (c == '#') {
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

toml::table parse_toml(std::string_view toml_text, const std::string& path) {
  refuse_binary(toml_text, path, "TOML scenario file");
  if (toml_text.size() > kMaxScenarioFileBytes)
    throw ScenarioError(path, 0, 0,
                        "is " + size_beside_limit(toml_text.size(), kMaxScenarioFileBytes) +
                            ", too large; expected a scenario of at most " +
                            format_size(static_cast<double>(kMaxScenarioFileBytes), 3));
  // A byte order mark (editors on Windows write one) is not part of the text.
  if (toml_text.starts_with(kBom)) toml_text.remove_prefix(kBom.size());
  refuse_before_parsing(toml_text, path);
  try {
    return toml::parse(toml_text, std::string_view(path));
  } catch (const toml::parse_error& e) {
    throw ScenarioError(path, static_cast<int>(e.source().begin.line),
                        static_cast<int>(e.source().begin.column), syntax_message(e.description()));
  }
}

std::vector<Item> parse_items_csv(std::string_view text, const std::string& csv_name,
                                  const CsvColumns& columns) {
  const std::string& name_col = columns.name;
  const std::string& size_col = columns.size;
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
  std::optional<std::size_t> at_i, host_i, url_i;
  std::unordered_map<std::string_view, std::uint32_t> host_index;
  for (std::size_t h = 0; h < columns.hosts.size(); ++h)
    host_index.emplace(columns.hosts[h], static_cast<std::uint32_t>(h));
  bool header = true;
  int line_no = 0;
  std::string_view rest = text;
  // Spreadsheets export CSV with a byte order mark; it is not part of the header's first name.
  if (rest.starts_with(kBom)) rest.remove_prefix(kBom.size());
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
      // The header is not echoed: the file may not be a CSV file at all (items_csv =
      // "/etc/shadow"), and nothing of a file that is not what it should be is shown. A
      // near miss of a wanted column is (at most a few letters away from a known word).
      if (name_it == fields.end() || size_it == fields.end()) {
        const std::string& wanted = name_it == fields.end() ? name_col : size_col;
        std::string hint;
        for (std::string_view f : fields)
          if (f.size() <= 64 && hint.empty()) hint = near_miss(wanted, {f});
        throw ScenarioError(
            csv_name, line_no, 1,
            "the header row needs columns " + quoted_excerpt(name_col) + " and " +
                quoted_excerpt(size_col) + "; it has " + std::to_string(fields.size()) +
                (fields.size() == 1 ? " column" : " columns") + " without " +
                quoted_excerpt(wanted) + "; " + hint +
                "expected a header row like name,size (choose columns with items_csv = { path "
                "= ..., name = ..., size = ... })");
      }
      name_i = static_cast<std::size_t>(name_it - fields.begin());
      size_i = static_cast<std::size_t>(size_it - fields.begin());
      if (const auto at_it = std::find(fields.begin(), fields.end(), columns.at);
          at_it != fields.end()) {
        at_i = static_cast<std::size_t>(at_it - fields.begin());
      } else if (columns.at_required) {
        throw ScenarioError(csv_name, line_no, 1,
                            "the header row has no column " + quoted_excerpt(columns.at) +
                                " (items_csv's at); expected the column of arrival times");
      }
      if (!columns.hosts.empty()) {
        if (const auto it = std::find(fields.begin(), fields.end(), "host"); it != fields.end())
          host_i = static_cast<std::size_t>(it - fields.begin());
        else if (const auto u = std::find(fields.begin(), fields.end(), "url"); u != fields.end())
          url_i = static_cast<std::size_t>(u - fields.begin());
        else
          throw ScenarioError(csv_name, line_no, 1,
                              "the header row has neither a 'host' nor a 'url' column, and the "
                              "scenario has [[host]] tables; expected a column naming each "
                              "item's host");
      }
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
    for (std::size_t k = 0; k < item.name.size(); ++k) {
      const auto c = static_cast<unsigned char>(item.name[k]);
      if (c >= 0x20 && c != 0x7f) continue;
      char code[8];
      std::snprintf(code, sizeof code, "0x%02x", c);
      throw ScenarioError(csv_name, line_no, column_of(line, fields[name_i]) + static_cast<int>(k),
                          "a control character (byte " + std::string(code) +
                              ") in an item name; expected printable text (names appear in "
                              "reports, logs and file names)");
    }
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
    if (at_i) {
      const std::string_view field = fields[*at_i];
      const int column = column_of(line, field);
      double at = 0;
      try {
        at = parse_duration(field);
      } catch (const UnitError& e) {
        throw ScenarioError(csv_name, line_no, column, std::string("arrival time: ") + e.what());
      }
      item.at = sim::from_seconds(at);
      if (!out.empty() && *item.at < *out.back().at)
        throw ScenarioError(csv_name, line_no, column,
                            "arrival time " + format_duration(*item.at) +
                                " is before the previous row's " + format_duration(*out.back().at) +
                                "; expected rows in the order they arrive (at never decreasing)");
    }
    if (host_i || url_i) {
      const std::string_view field = fields[host_i ? *host_i : *url_i];
      const std::string_view host = host_i ? field : host_of(field);
      const auto it = host_index.find(host);
      if (it == host_index.end()) {
        std::string known;
        for (std::size_t h = 0; h < columns.hosts.size() && h < 3; ++h)
          known += (h ? ", " : "") + quoted_excerpt(columns.hosts[h]);
        throw ScenarioError(csv_name, line_no, column_of(line, field),
                            (host_i ? "host " : "the url's host ") + quoted_excerpt(host) +
                                " is not one of the scenario's [[host]] tables; expected one "
                                "of " +
                                known + (columns.hosts.size() > 3 ? ", ..." : ""));
      }
      item.host = it->second;
    }
    if (auto [it, fresh] = first_line.emplace(item.name, line_no); !fresh)
      throw ScenarioError(csv_name, line_no, column_of(line, fields[name_i]),
                          "duplicate item name " + quoted_excerpt(item.name) + " (first at line " +
                              std::to_string(it->second) + "); expected unique names");
    if (static_cast<std::int64_t>(out.size()) >= kMaxItems)
      throw ScenarioError(csv_name, line_no, 1, "more than 10^8 items; expected fewer");
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace model
