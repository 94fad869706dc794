// curl -w output, one line per transfer: curl's own `%{json}` object, or the key=value
// template of `loiter calibrate --help`. curl's times are cumulative from the start of the
// transfer, so each phase is a difference of two of them.
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "calibrate/read_input.hpp"
#include "calibrate/text_fields.hpp"

namespace calibrate {

namespace {

constexpr const char* kTimes[] = {"time_namelookup",  "time_connect",       "time_appconnect",
                                  "time_pretransfer", "time_starttransfer", "time_total",
                                  "size_download"};

// One transfer's values by name (numbers as curl writes them), and its URL.
struct Values {
  std::map<std::string, double> num;
  std::string url;
};

// An answer of 400 or above is not a download of the item (http_code, or response_code).
bool failed(const Values& v) {
  for (const char* key : {"http_code", "response_code"}) {
    const auto it = v.num.find(key);
    if (it != v.num.end()) return it->second >= 400;
  }
  return false;
}

Observation observe(const Values& v, const std::string& where) {
  double t[std::size(kTimes)];
  for (std::size_t k = 0; k < std::size(kTimes); ++k) {
    const auto it = v.num.find(kTimes[k]);
    if (it == v.num.end())
      throw InputError(
          fmt::format("{}: no {}; expected time_namelookup, time_connect, "
                      "time_appconnect, time_pretransfer, time_starttransfer, "
                      "time_total and size_download on every line",
                      where, kTimes[k]));
    if (it->second < 0)
      throw InputError(fmt::format("{}: {} = {} is negative; expected a time >= 0 (seconds)", where,
                                   kTimes[k], it->second));
    t[k] = it->second;
  }
  const double lookup = t[0], connect = t[1], appconnect = t[2], pre = t[3], first = t[4],
               total = t[5];
  // time_appconnect is 0 without TLS and time_connect 0 on a reused connection (curl 7.88);
  // every other time is at least the one before it.
  std::vector<std::pair<const char*, double>> order = {{"time_namelookup", lookup}};
  if (connect > 0) order.emplace_back("time_connect", connect);
  if (appconnect > 0) order.emplace_back("time_appconnect", appconnect);
  order.insert(order.end(),
               {{"time_pretransfer", pre}, {"time_starttransfer", first}, {"time_total", total}});
  for (std::size_t k = 1; k < order.size(); ++k) {
    if (order[k].second < order[k - 1].second)
      throw InputError(fmt::format(
          "{}: {} = {} is less than {} = {}; expected cumulative times, "
          "each at least the one before",
          where, order[k].first, order[k].second, order[k - 1].first, order[k - 1].second));
  }
  Observation o;
  o.where = where;
  o.url = v.url;
  o.name = name_from_url(v.url);
  // A reused connection reports num_connects = 0 (curl 7.12.3+); without it, a connect time
  // past the lookup means a handshake happened.
  const auto nc = v.num.find("num_connects");
  o.new_connection = nc != v.num.end() ? nc->second > 0 : connect > lookup;
  if (o.new_connection) {
    o.dns = lookup;
    if (connect >= lookup) o.tcp = connect - lookup;
    if (appconnect > 0) o.tls = appconnect - connect;
  }
  o.wait = first - pre;
  o.receive = total - first;
  o.bytes = t[6];
  return o;
}

Observed make(const std::string& path, const char* format) {
  Observed out;
  out.format = format;
  out.path = path;
  out.notes = {
      "curl: DNS = time_namelookup, RTT = time_connect - time_namelookup, TLS = "
      "time_appconnect - time_connect, server time = time_starttransfer - time_pretransfer - "
      "RTT, receive = time_total - time_starttransfer, size = size_download; DNS, RTT and TLS "
      "only on lines that opened a connection (num_connects > 0); answers of 400 or above "
      "(http_code) are left out"};
  return out;
}

}  // namespace

Observed read_curl_json(const std::string& path, std::string_view text) {
  Observed out = make(path, "curl -w %{json}");
  for (const Line& l : lines_of(text)) {
    const std::size_t start = l.text.find_first_not_of(" \t");
    if (start == std::string_view::npos || l.text[start] == '#') continue;
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(l.text);
    } catch (const nlohmann::json::parse_error& e) {
      std::string what = e.what();
      const std::size_t at = what.find(": ");
      throw InputError(fmt::format("{}:{}:{}: {}; expected one curl -w '%{{json}}' object a line",
                                   path, l.number, e.byte,
                                   at == std::string::npos ? what : what.substr(at + 2)));
    }
    const std::string where = fmt::format("{}:{}", path, l.number);
    if (!j.is_object())
      throw InputError(where + ": not a JSON object; expected one curl -w '%{json}' object a line");
    Values v;
    for (const auto& [key, value] : j.items()) {
      if (value.is_number()) v.num[key] = value.get<double>();
    }
    for (const char* key : {"url_effective", "url"}) {
      if (v.url.empty() && j.contains(key) && j[key].is_string()) v.url = j[key].get<std::string>();
    }
    if (!failed(v)) out.requests.push_back(observe(v, where));
  }
  return out;
}

Observed read_curl_key_value(const std::string& path, std::string_view text) {
  Observed out = make(path, "curl -w key=value");
  for (const Line& l : lines_of(text)) {
    const std::string where = fmt::format("{}:{}", path, l.number);
    Values v;
    std::size_t at = 0;
    bool any = false;
    while (at < l.text.size()) {
      while (at < l.text.size() && (l.text[at] == ' ' || l.text[at] == '\t'))
        ++at;
      if (at == l.text.size()) break;
      if (!any && l.text[at] == '#') break;
      std::size_t end = l.text.find_first_of(" \t", at);
      if (end == std::string_view::npos) end = l.text.size();
      const std::string_view token = l.text.substr(at, end - at);
      const std::size_t eq = token.find('=');
      if (eq == std::string_view::npos || eq == 0)
        throw InputError(
            fmt::format("{}:{}: '{}' is not key=value; expected key=value pairs "
                        "separated by spaces",
                        where, at + 1, token));
      const std::string key(token.substr(0, eq));
      const std::string_view value = token.substr(eq + 1);
      if (key == "url" || key == "url_effective") {
        v.url = std::string(value);
      } else if (const auto x = number(value)) {
        v.num[key] = *x;
      } else if (key.starts_with("time_") || key == "size_download" || key == "num_connects") {
        throw InputError(
            fmt::format("{}:{}: {} = '{}' is not a number; expected a number "
                        "(seconds for time_*, bytes for size_download)",
                        where, at + 1 + eq + 1, key, value));
      }
      any = true;
      at = end;
    }
    if (any && !failed(v)) out.requests.push_back(observe(v, where));
  }
  return out;
}

}  // namespace calibrate
