// Telling the input's format from its first meaningful line, and reading the file.
#include "calibrate/read_input.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace calibrate {

namespace {

constexpr std::uintmax_t kMaxInputBytes = 256u << 20;

std::string_view first_line(std::string_view text) {
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t' || line.front() == '\r'))
      line.remove_prefix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
      line.remove_suffix(1);
    if (!line.empty() && line.front() != '#') return line;
    at = end + 1;
  }
  return {};
}

}  // namespace

std::string name_from_url(std::string_view url) {
  const std::size_t cut = url.find_first_of("?#");
  if (cut != std::string_view::npos) url = url.substr(0, cut);
  const std::size_t scheme = url.find("://");
  if (scheme != std::string_view::npos) {
    url.remove_prefix(scheme + 3);
    const std::size_t path = url.find('/');
    url = path == std::string_view::npos ? std::string_view() : url.substr(path);
  }
  const std::size_t slash = url.rfind('/');
  return std::string(slash == std::string_view::npos ? url : url.substr(slash + 1));
}

Observed read_text(const std::string& path, std::string_view text) {
  if (text.find('\0') != std::string_view::npos)
    throw InputError(path + ": binary data (a NUL byte); expected a text file");
  std::string_view line = first_line(text);
  if (line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
  if (line.starts_with("strategy,")) return read_downloads_csv(path, text);
  if (line.starts_with("accepted,arrival,")) return read_server_trace(path, text);
  if (line.starts_with("{")) {
    // One whole JSON object on the first line with curl's timing names: curl's %{json}
    // lines; anything else that starts with '{' is read as one HAR document.
    const nlohmann::json first = nlohmann::json::parse(line, nullptr, false);
    if (first.is_object() && first.contains("time_total")) return read_curl_json(path, text);
    return read_har(path, text);
  }
  for (const char* key :
       {"time_namelookup=", "time_connect=", "time_starttransfer=", "time_total="})
    if (line.find(key) != std::string_view::npos) return read_curl_key_value(path, text);
  throw InputError(
      path +
      ":1: not a format loiter calibrate reads; expected loiter's downloads.csv (a "
      "header starting strategy,id,name), a loiter serve --trace file (accepted,arrival,...), "
      "a HAR 1.2 file (JSON with log.entries), curl "
      "-w '%{json}' lines or curl -w key=value lines with time_total= and the other times (see "
      "loiter "
      "calibrate --help)");
}

Observed read_input(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status))
    throw InputError(path + ": no such file; expected a downloads.csv, HAR or curl -w file");
  if (std::filesystem::is_directory(status))
    throw InputError(path + ": is a directory; expected a file (e.g. " + path + "/downloads.csv)");
  if (!std::filesystem::is_regular_file(status))
    throw InputError(path + ": is not a regular file; expected a file");
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxInputBytes)
    throw InputError(path + ": is " + std::to_string(size >> 20) +
                     " MiB, too large; expected at most 256 MiB");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot be read; expected a readable file");
  std::ostringstream buf;
  buf << in.rdbuf();
  return read_text(path, buf.str());
}

}  // namespace calibrate
