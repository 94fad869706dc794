// HAR 1.2 (a browser's or a proxy's export): log.entries[].timings in milliseconds, where
// `connect` includes `ssl` and -1 means "not applicable" (e.g. a reused connection).
#include <fmt/format.h>
#include <iterator>
#include <nlohmann/json.hpp>
#include <vector>

#include "calibrate/read_input.hpp"

namespace calibrate {

namespace {

using nlohmann::json;

// "line:col" of a byte offset (1-based, as nlohmann counts parse_error::byte).
std::string line_col(std::string_view text, std::size_t byte) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return fmt::format("{}:{}", line, col);
}

// A character iterator that remembers how far the parser has read, so the parser's callback
// knows where in the text each entry starts (nlohmann's values carry no position).
struct CountingIterator {
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;
  const char* at = nullptr;
  std::size_t* read = nullptr;  // characters consumed so far
  reference operator*() const { return *at; }
  CountingIterator& operator++() {
    ++at;
    ++*read;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator old = *this;
    ++*this;
    return old;
  }
  bool operator==(const CountingIterator& o) const { return at == o.at; }
};

// Parses `text`; `entry_lines[i]` is the line where log.entries[i] starts.
json parse_with_entry_lines(std::string_view text, std::vector<std::size_t>& entry_lines) {
  std::size_t read = 0, line = 1, counted = 0;
  struct Open {
    bool array;
    std::string key;
  };
  std::vector<Open> stack;
  std::string key;
  const auto line_now = [&] {
    // The lexer has read the '{' and at most one character past it.
    const std::size_t upto = read == 0 ? 0 : read - 1;
    for (; counted < upto && counted < text.size(); ++counted)
      if (text[counted] == '\n') ++line;
    return line;
  };
  const json::parser_callback_t cb = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::key:  // `parsed` is the key
        if (parsed.is_string()) key = parsed.get<std::string>();
        break;
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start: {
        const bool array = event == json::parse_event_t::array_start;
        if (!array && stack.size() == 3 && stack[2].array && stack[2].key == "entries" &&
            stack[1].key == "log")
          entry_lines.push_back(line_now());
        stack.push_back({array, stack.empty() || stack.back().array ? "" : key});
        break;
      }
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!stack.empty()) stack.pop_back();
        break;
      case json::parse_event_t::value:
        break;
    }
    return true;
  };
  const CountingIterator first{text.data(), &read}, last{text.data() + text.size(), &read};
  return json::parse(first, last, cb);
}

// nlohmann's message without its "[json.exception...] parse error at line L, column C: ".
std::string json_reason(const json::parse_error& e) {
  std::string what = e.what();
  const std::size_t at = what.find(": ");
  return at == std::string::npos ? what : what.substr(at + 2);
}

const json& member(const json& obj, const char* key, const std::string& where, const char* what) {
  if (!obj.is_object() || !obj.contains(key))
    throw InputError(fmt::format("{}: no '{}'; expected {} (HAR 1.2)", where, key, what));
  return obj.at(key);
}

// A timing in ms: >= 0, or -1 where HAR allows "not applicable".
double timing(const json& timings, const char* key, bool optional, const std::string& where) {
  if (!timings.contains(key)) {
    if (optional) return -1;
    throw InputError(
        fmt::format("{}.timings: no '{}'; expected send, wait and receive in every "
                    "entry (HAR 1.2)",
                    where, key));
  }
  const json& v = timings.at(key);
  if (!v.is_number())
    throw InputError(fmt::format("{}.timings.{}: {} is not a number; expected milliseconds", where,
                                 key, v.dump()));
  const double ms = v.get<double>();
  if (ms < 0 && !(optional && ms == -1))
    throw InputError(fmt::format("{}.timings.{}: {} is negative; expected milliseconds >= 0{}",
                                 where, key, v.dump(), optional ? " or -1 (not applicable)" : ""));
  return ms < 0 ? -1 : ms / 1000;
}

}  // namespace

Observed read_har(const std::string& path, std::string_view text) {
  json doc;
  std::vector<std::size_t> entry_lines;
  try {
    doc = parse_with_entry_lines(text, entry_lines);
  } catch (const json::parse_error& e) {
    throw InputError(fmt::format("{}:{}: {}; expected a HAR 1.2 file (JSON)", path,
                                 line_col(text, e.byte), json_reason(e)));
  }
  const json& log = member(doc, "log", path, "a top-level object with \"log\"");
  const json& entries = member(log, "entries", path + ": log", "an array of entries");
  if (!entries.is_array())
    throw InputError(path + ": log.entries is not an array; expected an array of entries");

  Observed out;
  out.format = "HAR 1.2";
  out.path = path;
  out.notes = {
      "HAR: DNS = timings.dns, RTT = timings.connect - timings.ssl (the TCP handshake), TLS = "
      "timings.ssl, server time = timings.wait - RTT, receive = timings.receive; sizes from "
      "response.bodySize (content.size when bodySize is -1); -1 (not applicable) is left out"};
  std::size_t skipped = 0, failed = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string where = i < entry_lines.size()
                                  ? fmt::format("{}:{}: log.entries[{}]", path, entry_lines[i], i)
                                  : fmt::format("{}: log.entries[{}]", path, i);
    const json& e = entries[i];
    const json& timings = member(e, "timings", where, "a timings object");
    const json& request = member(e, "request", where, "a request object");
    const json& response = member(e, "response", where, "a response object");
    const json& url = member(request, "url", where + ".request", "the URL");
    if (!url.is_string()) throw InputError(where + ".request.url: not a string; expected the URL");
    const json& status = member(response, "status", where + ".response", "the HTTP status");
    if (!status.is_number())
      throw InputError(where + ".response.status: not a number; expected the HTTP status");
    if (status.get<double>() <= 0) {  // no answer (blocked, aborted): nothing was timed
      ++skipped;
      continue;
    }
    if (status.get<double>() >= 400) {  // an error answer is not a download of the item
      ++failed;
      continue;
    }
    Observation o;
    o.where = where;
    o.url = url.get<std::string>();
    o.name = name_from_url(o.url);
    o.dns = timing(timings, "dns", true, where);
    const double connect = timing(timings, "connect", true, where);
    const double ssl = timing(timings, "ssl", true, where);
    o.wait = timing(timings, "wait", false, where);
    o.receive = timing(timings, "receive", false, where);
    timing(timings, "send", false, where);
    if (connect >= 0) {
      if (ssl > connect)
        throw InputError(
            fmt::format("{}.timings: ssl {} ms is more than connect {} ms; expected "
                        "connect to include ssl (HAR 1.2)",
                        where, ssl * 1000, connect * 1000));
      o.new_connection = true;
      o.tcp = connect - (ssl > 0 ? ssl : 0);
      o.tls = ssl;
    }
    if (response.contains("bodySize") && response["bodySize"].is_number() &&
        response["bodySize"].get<double>() >= 0)
      o.bytes = response["bodySize"].get<double>();
    if (o.bytes < 0 && response.contains("content") && response["content"].is_object()) {
      const json& c = response["content"];
      if (c.contains("size") && c["size"].is_number() && c["size"].get<double>() >= 0)
        o.bytes = c["size"].get<double>();
    }
    out.requests.push_back(std::move(o));
  }
  if (skipped > 0)
    out.notes.push_back(
        fmt::format("HAR: {} entries with no response (status 0) left out", skipped));
  return out;
}

}  // namespace calibrate
