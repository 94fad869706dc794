// HAR 1.2 (a browser's or a proxy's export): log.entries[].timings in milliseconds, where
// `connect` includes `ssl` and -1 means "not applicable" (e.g. a reused connection).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

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
  try {
    doc = json::parse(text);
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
    const std::string where = fmt::format("{}: log.entries[{}]", path, i);
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
