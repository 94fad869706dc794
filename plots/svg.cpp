// Small writers for the SVG documents: header with shared definitions, text, footer.
#include "plots/svg.hpp"

#include <fmt/format.h>
#include <iterator>

#include "plots/text.hpp"

namespace plots {

void svg_open(std::string& out, double width, double height) {
  const std::string w = num(width, 0);
  const std::string h = num(height, 0);
  fmt::format_to(std::back_inserter(out),
                 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
                 "viewBox=\"0 0 {0} {1}\" font-family=\"sans-serif\">\n"
                 "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" "
                 "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
                 "<rect width=\"6\" height=\"6\" fill=\"#fff\" fill-opacity=\"0.35\"/>"
                 "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#333\" stroke-width=\"1.2\"/>"
                 "</pattern></defs>\n"
                 "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n",
                 w, h);
}

void svg_close(std::string& out) {
  out += "</svg>\n";
}

std::string svg_document(double width, double height, const std::string& body) {
  std::string out;
  out.reserve(body.size() + 1024);
  svg_open(out, width, height);
  out += body;
  svg_close(out);
  return out;
}

void svg_text(std::string& out, double x, double y, std::string_view text, const TextStyle& style) {
  out += "<text";
  if (!style.css_class.empty())
    fmt::format_to(std::back_inserter(out), " class=\"{}\"", style.css_class);
  fmt::format_to(std::back_inserter(out),
                 " x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{}\" fill=\"{}\"{}>{}</text>\n",
                 num(x), num(y), num(style.size, 1), style.anchor, style.fill,
                 style.bold ? " font-weight=\"bold\"" : "", xml_escape(text));
}

}  // namespace plots
