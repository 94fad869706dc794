// A horizontal, wrapping legend of coloured boxes, hatches, ticks and line samples.
#pragma once

#include <string>
#include <vector>

namespace plots {

struct LegendItem {
  enum class Swatch { box, hatch, tick, line, stack, diamond, outline, area };
  Swatch swatch = Swatch::box;
  std::string color = "#000";
  std::string label;
  std::string dash;  // stroke-dasharray for line swatches ("" = solid)
};

// Height the legend needs when laid out in `width` px.
double legend_height(const std::vector<LegendItem>& items, double width);

// Draws the items in rows starting at top-left (x, y), wrapping within `width` px.
void draw_legend(std::string& out, const std::vector<LegendItem>& items, double x, double y,
                 double width);

// A chart's top: its title, an optional subtitle and the legend, `width` wide from x = 12.
// Returns the y just below the legend.
double draw_chart_header(std::string& out, const std::string& title, const std::string& subtitle,
                         const std::vector<LegendItem>& items, double width);

}  // namespace plots
