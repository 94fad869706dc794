// Text helpers for SVG output: XML escaping, number formatting and text width estimates.
#include "plots/text.hpp"

#include <fmt/format.h>
#include <cstdint>
#include <vector>

namespace plots {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes one UTF-8 code point at s[i]; advances i. Invalid sequences yield U+FFFD.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int len = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
  } else {
    ++i;
    return kReplacement;
  }
  if (i + static_cast<std::size_t>(len) > s.size()) {
    ++i;
    return kReplacement;
  }
  for (int k = 1; k < len; ++k) {
    const unsigned char b = byte(i + static_cast<std::size_t>(k));
    if ((b & 0xC0) != 0x80) {
      ++i;
      return kReplacement;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  i += static_cast<std::size_t>(len);
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE ||
      cp == 0xFFFF) {
    return kReplacement;
  }
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Advance width in em, rounded up from DejaVu Sans metrics.
double char_em(char32_t c) {
  if (c == ' ') return 0.33;
  if (c >= 0x80) return 1.0;  // non-Latin: assume a full em
  switch (c) {
    case 'i':
    case 'l':
    case 'j':
    case '.':
    case ',':
    case ':':
    case ';':
    case '|':
    case '!':
    case '\'':
      return 0.30;
    case 'f':
    case 't':
    case 'r':
    case 'I':
    case '(':
    case ')':
    case '[':
    case ']':
    case '-':
      return 0.42;
    case 'm':
    case 'w':
    case 'M':
    case 'W':
    case '@':
    case '%':
      return 1.0;
    default:
      break;
  }
  if (c >= 'A' && c <= 'Z') return 0.78;
  if (c >= '0' && c <= '9') return 0.64;
  return 0.63;
}

std::vector<char32_t> code_points(std::string_view s) {
  std::vector<char32_t> cps;
  for (std::size_t i = 0; i < s.size();)
    cps.push_back(next_code_point(s, i));
  return cps;
}

}  // namespace

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const char32_t c = next_code_point(s, i);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += '?';
        } else {
          append_utf8(out, c);
        }
    }
  }
  return out;
}

std::string num(double v, int decimals) {
  std::string s = fmt::format("{:.{}f}", v, decimals);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0')
      s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

double text_width(std::string_view s, double font_size) {
  double em = 0;
  for (std::size_t i = 0; i < s.size();)
    em += char_em(next_code_point(s, i));
  return em * font_size;
}

std::string fit_text(std::string_view s, double font_size, double max_width) {
  if (text_width(s, font_size) <= max_width) return std::string(s);
  const std::string ellipsis = "\u2026";
  std::vector<char32_t> cps = code_points(s);
  const double ell = char_em(0x2026) * font_size;
  double width = text_width(s, font_size);
  while (!cps.empty() && width + ell > max_width) {
    width -= char_em(cps.back()) * font_size;
    cps.pop_back();
  }
  if (cps.empty()) return {};
  std::string out;
  for (char32_t c : cps)
    append_utf8(out, c);
  return out + ellipsis;
}

}  // namespace plots
