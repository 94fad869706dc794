// `loiter calibrate INPUT... --out scenario.toml`: a commented scenario fitted to what a
// client observed (loiter's downloads.csv, HAR 1.2, curl -w output).
#include <fmt/format.h>
#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "app/command.hpp"
#include "calibrate/calibration.hpp"
#include "calibrate/read_input.hpp"

namespace app {

namespace {

struct CalibrateArgs {
  std::vector<std::string> inputs;
  std::string out;
  std::string strategy;
  std::string name;
};

// Writes `text` to a temporary file beside `path`, then renames it into place: `path` holds
// the whole new scenario or what it held before.
void write_atomically(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path tmp =
      path.parent_path() / fmt::format(".{}.tmp-{}", path.filename().string(), ::getpid());
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << text;
    f.flush();
    if (!f) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      throw std::runtime_error(path.string() + ": cannot write (" + tmp.string() + ")");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw std::runtime_error(path.string() + ": cannot write: " + ec.message());
  }
}

std::string law(const calibrate::Fit& f) {
  switch (f.choice) {
    case calibrate::Fit::Choice::none:
      return "no samples";
    case calibrate::Fit::Choice::constant:
      return "constant";
    case calibrate::Fit::Choice::lognormal:
      if (f.n() < 4)
        return fmt::format("lognormal (mu {:.4g}, sigma {:.4g}; too few to test)", f.mu, f.sigma);
      return fmt::format("lognormal (mu {:.4g}, sigma {:.4g}, KS {:.4f} <= {:.4f})", f.mu, f.sigma,
                         f.ks, f.critical);
    case calibrate::Fit::Choice::empirical:
      return f.lognormal_fitted
                 ? fmt::format("empirical (lognormal KS {:.4f} > {:.4f})", f.ks, f.critical)
                 : "empirical";
  }
  return "";
}

int calibrate_command(const CalibrateArgs& a) {
  std::vector<calibrate::Observed> observed;
  try {
    for (const std::string& in : a.inputs)
      observed.push_back(calibrate::read_input(in));
  } catch (const calibrate::InputError& e) {
    throw FileBadInput(std::string("loiter calibrate: ") + e.what());
  }
  const std::filesystem::path out(a.out);
  calibrate::Options opt;
  opt.strategy = a.strategy;
  opt.name = a.name.empty() ? out.stem().string() : a.name;
  calibrate::Calibration c;
  try {
    c = calibrate::calibrate(observed, opt);
  } catch (const calibrate::InputError& e) {
    throw FileBadInput(std::string("loiter calibrate: ") + e.what());
  }
  write_atomically(out, calibrate::scenario_text(c));
  for (const std::string& in : c.inputs)
    std::printf("read %s\n", in.c_str());
  const std::pair<const char*, const calibrate::Phase*> phases[] = {
      {"dns", &c.dns},
      {"rtt", &c.rtt},
      {"tls round trips", &c.tls_rtts},
      {"server time", &c.server},
      {"size", &c.size},
      {"throughput", &c.throughput}};
  for (const auto& [what, p] : phases)
    std::printf("  %-16s %6zu samples  %s\n", what, p->fit.n(), law(p->fit).c_str());
  std::printf("wrote %s\n", a.out.c_str());
  return kOk;
}

}  // namespace

Command add_calibrate_command(CLI::App& cli) {
  auto args = std::make_shared<CalibrateArgs>();
  auto* cmd = cli.add_subcommand("calibrate",
                                 "Write a commented scenario fitted to what a client observed.");
  cmd->add_option("inputs", args->inputs, "Files of observed requests (formats below)")->required();
  cmd->add_option("--out", args->out, "The scenario file to write (TOML)")->required();
  cmd->add_option("--strategy", args->strategy,
                  "downloads.csv: the strategy to read (default: the first in the file)");
  cmd->add_option("--name", args->name, "The scenario's name (default: --out without .toml)");
  cmd->footer(
      "Inputs, told apart by their content (not their file name):\n"
      "  downloads.csv   loiter's own, from `loiter run` or `loiter live --out DIR`\n"
      "  HAR 1.2         a browser's or a proxy's export (log.entries[].timings)\n"
      "  curl %{json}    one object a line (curl 7.70 or later):\n"
      "                    curl -s -o /dev/null -w '%{json}\\n' URL\n"
      "  curl key=value  one transfer a line, space-separated pairs in any order; other keys are\n"
      "                  ignored, url=, http_code= and num_connects= are optional:\n"
      "                    curl -s -o /dev/null -w 'url=%{url_effective} "
      "time_namelookup=%{time_namelookup}\n"
      "                    time_connect=%{time_connect} time_appconnect=%{time_appconnect}\n"
      "                    time_pretransfer=%{time_pretransfer} "
      "time_starttransfer=%{time_starttransfer}\n"
      "                    time_total=%{time_total} size_download=%{size_download}\n"
      "                    num_connects=%{num_connects} http_code=%{http_code}\\n' URL\n"
      "                  (written on one line; with several URLs, one -o /dev/null before each)\n"
      "  In curl files, blank lines and lines starting with # are skipped, and answers of 400 or\n"
      "  above are left out. `loiter serve --trace` files are not read.\n"
      "Each phase (DNS, RTT from the TCP handshake, TLS round trips, server time = first byte\n"
      "minus its round trip, sizes, throughput) gets a lognormal by maximum likelihood when its\n"
      "Kolmogorov-Smirnov distance is within the 5% critical value for fitted parameters\n"
      "(Lilliefors), else the samples themselves (empirical). Bad input: file:line[:col]: what;\n"
      "expected ..., exit 2, nothing written.");
  return {cmd, [args] { return calibrate_command(*args); }};
}

}  // namespace app
