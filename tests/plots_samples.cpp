// Writes sample pictures for people to look at (hidden: run `test_plots [.samples]`); the
// directory is $LOITER_PLOTS_OUT or /tmp/loiter-plots.
#include <catch2/catch.hpp>
#include <cstdlib>

#include "plots/plots.hpp"
#include "plots_support.hpp"

using namespace plots_test;

TEST_CASE("write sample pictures", "[.samples]") {
  const char* env = std::getenv("LOITER_PLOTS_OUT");
  const std::string dir = env != nullptr ? env : "/tmp/loiter-plots";
  const model::StrategyResult loiter = loiter_demo();
  write_file(dir + "/loiter-gantt.svg",
             plots::gantt_svg({loiter}, {"loiter", "Executor.map demo: 3 workers, in order"}));
  write_file(dir + "/loiter-timeline.svg", plots::timeline_svg({loiter}, {}, {"loiter"}));
  write_file(dir + "/flags20-gantt.svg",
             plots::gantt_svg({flags_like(20, 20)}, {"flags20", "20 flags, 20 workers"}));
  const std::vector<model::StrategyResult> stack = {flags_like(20, 1), flags_like(20, 4),
                                                    flags_like(20, 20)};
  write_file(dir + "/stack-gantt.svg", plots::gantt_svg(stack, {"flags20", "three strategies"}));
  model::StrategyResult live = flags_like(20, 4, 7);
  live.live = true;
  write_file(dir + "/stack-timeline.svg", plots::timeline_svg(stack, {live}, {"flags20"}));
  write_file(dir + "/flags2000-gantt.svg", plots::gantt_svg({flags_like(2000, 20)}, {"flags2000"}));
  write_file(dir + "/large-gantt.svg",
             plots::gantt_svg({synthetic(1'000'000, 1000), flags_like(2000, 20)}, {"large"}));
  write_file(dir + "/trace.json", plots::chrome_trace_json(stack));
  write_file(dir + "/downloads.csv", plots::downloads_csv(stack));
  SUCCEED("wrote samples to " << dir);
}
