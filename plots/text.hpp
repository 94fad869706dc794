// Text helpers for SVG output: XML escaping, number formatting and text width estimates.
#pragma once

#include <string>
#include <string_view>

namespace plots {

// Escapes XML specials; replaces invalid UTF-8 and control characters with U+FFFD / '?'.
std::string xml_escape(std::string_view s);

// A coordinate with at most `decimals` decimals and no trailing zeros ("12.5", "3", "-0.25").
std::string num(double v, int decimals = 2);

// Conservative width in px of `s` in a generic sans-serif font (DejaVu Sans is the widest
// common one) at `font_size` px. Used to decide where labels fit, and by tests to check overlap.
double text_width(std::string_view s, double font_size);

// `s` shortened with an ellipsis so that text_width <= max_width (may return "").
std::string fit_text(std::string_view s, double font_size, double max_width);

}  // namespace plots
