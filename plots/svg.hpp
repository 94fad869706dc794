// Small writers for the SVG documents: header with shared definitions, text, footer.
#pragma once

#include <string>
#include <string_view>

namespace plots {

// Maps a data interval [d0, d1] linearly onto pixels [r0, r1].
struct LinearScale {
  double d0 = 0, d1 = 1, r0 = 0, r1 = 1;
  double operator()(double v) const { return r0 + (v - d0) * (r1 - r0) / (d1 - d0); }
  double per_unit() const { return (r1 - r0) / (d1 - d0); }
};

// XML declaration, <svg> root of the given size with a generic font, white background and the
// hatch pattern (id "hatch") used to mark failures.
void svg_open(std::string& out, double width, double height);
void svg_close(std::string& out);
// A whole document: the opening tag, `body`, the closing tag.
std::string svg_document(double width, double height, const std::string& body);

struct TextStyle {
  double size = 12;
  std::string_view anchor = "start";  // start | middle | end
  std::string_view fill = "#222";
  bool bold = false;
  std::string_view css_class = "";  // optional class attribute
};

// One <text> element (escaped) with explicit font-size and text-anchor, so that tests can
// estimate its box.
void svg_text(std::string& out, double x, double y, std::string_view text, const TextStyle& style);

}  // namespace plots
