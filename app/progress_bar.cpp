#include "app/progress_bar.hpp"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace app {

ProgressBar::ProgressBar(std::string label, bool enabled)
    : label_(std::move(label)), enabled_(enabled) {}

ProgressBar::~ProgressBar() {
  if (shown_) std::fputs("\r\x1b[K", stderr);
}

bool ProgressBar::stderr_is_terminal() {
  return ::isatty(STDERR_FILENO) == 1;
}

void ProgressBar::downloads_done(std::size_t done, std::size_t total) {
  if (!enabled_ || (done % 256 != 0 && done != total)) return;  // look at the clock rarely
  const auto now = Clock::now();
  const double elapsed = std::chrono::duration<double>(now - started_).count();
  if (elapsed < 1.0 || now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  shown_ = true;
  const double share = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(share * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '=');
  bar.resize(kWidth, ' ');
  const double eta = share > 0 ? elapsed * (1.0 - share) / share : 0;
  std::fprintf(stderr, "\r%s [%s] %3.0f%% %zu/%zu ETA %.0fs\x1b[K", label_.c_str(), bar.c_str(),
               100 * share, done, total, eta);
  std::fflush(stderr);
}

}  // namespace app
