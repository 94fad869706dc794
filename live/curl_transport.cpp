#include "live/curl_transport.hpp"

#include <algorithm>
#include <csignal>
#include <optional>
#include <stdexcept>
#include <string_view>

#include <fmt/format.h>

#include "live/curl_client.hpp"
#include "live/curl_save.hpp"
#include "live/curl_url.hpp"
#include "model/units.hpp"

namespace live {

namespace {

using model::Phase;
using model::Status;
using Clock = std::chrono::steady_clock;

constexpr int kMaxPollMs = 1000;  // a poll never sleeps longer (stop requests wake it anyway)

// libcurl's process-wide setup, once, before the first handle; SIGPIPE ignored, since a
// peer closing a socket must be a transfer error, never the end of loiter.
void init_curl_once() {
  static const bool done = [] {
    std::signal(SIGPIPE, SIG_IGN);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("libcurl: global initialisation failed");
    }
    return true;
  }();
  (void)done;
}

std::int64_t info_us(CURL* easy, CURLINFO what) {
  curl_off_t v = 0;
  if (curl_easy_getinfo(easy, what, &v) != CURLE_OK) return 0;
  return static_cast<std::int64_t>(v);
}

CurlTimings timings_of(CURL* easy) {
  CurlTimings t;
  t.connect =
      std::max(info_us(easy, CURLINFO_CONNECT_TIME_T), info_us(easy, CURLINFO_APPCONNECT_TIME_T));
  t.pretransfer = info_us(easy, CURLINFO_PRETRANSFER_TIME_T);
  t.starttransfer = info_us(easy, CURLINFO_STARTTRANSFER_TIME_T);
  t.total = info_us(easy, CURLINFO_TOTAL_TIME_T);
  long connects = 0;
  curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &connects);
  t.new_connection = connects > 0;
  return t;
}

// The HTTP version a client asks for. HTTP/1.1 clients stay on 1.1 (libcurl's default over
// TLS would take 2 where the server offers it). HTTP/2 ones: by ALPN over TLS (1.1 when the
// server does not offer 2); on http:// at once (prior knowledge, as h2c servers such as
// nghttpd --no-tls expect) where libcurl can reuse such a connection (h2c_multiplexes), else
// 1.1; to the built-in server, which speaks 1.1 only, 1.1.
long http_version(const model::Client& c, const CurlOptions& o) {
  if (!c.http2 || o.http1_server) return CURL_HTTP_VERSION_1_1;
  if (o.url_template.starts_with("https://")) return CURL_HTTP_VERSION_2TLS;
  return h2c_multiplexes() ? CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE : CURL_HTTP_VERSION_1_1;
}

}  // namespace

bool h2c_multiplexes() {
  // libcurl 7.88 fails the second request on a prior-knowledge HTTP/2 connection ("Error in
  // the HTTP2 framing layer", curl issue 10634, fixed in 8.0.0).
  return curl_version_info(CURLVERSION_NOW)->version_num >= 0x080000;
}

// One attempt in flight: the easy handle, what its callbacks collected, and the event its
// attempt waits on. Lives in the attempt's coroutine frame; leaving the frame (completion,
// interrupt, teardown) takes the handle out of the multi handle.
struct CurlTransport::Transfer {
  Transfer(CurlTransport& owner, const model::Job& job);
  ~Transfer();
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  static std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user);
  void detach();     // out of the multi handle (idempotent)
  bool open_file();  // --save: the body file, created on the first byte
  long response_code() const;

  CurlTransport* owner;
  const model::Job* job;
  CURL* easy = nullptr;
  sim::Event<> done;
  bool in_multi = false;
  CURLcode code = CURLE_OK;
  bool stopped = false;
  bool status_known = false, keep_body = false;
  std::int64_t bytes = 0;     // of the item's body (a 2xx answer)
  std::int64_t received = 0;  // of any body, for the cap
  bool over_cap = false;
  std::optional<BodyFile> file;
  std::string save_error;
  char errbuf[CURL_ERROR_SIZE] = {};
};

CurlTransport::Transfer::Transfer(CurlTransport& o, const model::Job& j)
    : owner(&o), job(&j), easy(o.take_easy()), done(*o.sim_) {
  const CurlOptions& opt = o.options_;
  const std::string url = url_for(opt.url_template, j.name);
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_PRIVATE, static_cast<void*>(this));
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, opt.follow_redirects ? 1L : 0L);
  curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!opt.ca_file.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, opt.ca_file.c_str());
  // One request per connection at a time, as the model has it (no HTTP/2 multiplexing).
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "loiter/" LOITER_VERSION);
  curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(opt.max_body));
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Transfer::on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, static_cast<void*>(this));
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
  if (!o.client_->keep_alive) {
    curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);
  }
  set_client_limits(easy, *o.client_, http_version(*o.client_, opt));
  if (!o.client_->timeout) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(opt.safety_timeout);
    curl_easy_setopt(
        easy, CURLOPT_TIMEOUT_MS,
        static_cast<long>(std::max<std::int64_t>(1, static_cast<std::int64_t>(ms.count()))));
  }
  if (const CURLMcode rc = curl_multi_add_handle(o.multi_, easy); rc != CURLM_OK) {
    o.give_back(std::exchange(easy, nullptr));
    throw std::runtime_error(std::string("libcurl: cannot start a transfer: ") +
                             curl_multi_strerror(rc));
  }
  in_multi = true;
  o.active_.push_back(this);
  ++o.in_flight_;
  ++o.stats_.transfers;
}

CurlTransport::Transfer::~Transfer() {
  if (owner == nullptr) return;  // the transport went first and cleaned up the handle
  detach();
  owner->give_back(easy);
}

void CurlTransport::Transfer::detach() {
  if (!in_multi) return;
  curl_multi_remove_handle(owner->multi_, easy);
  in_multi = false;
  auto& active = owner->active_;
  if (const auto it = std::find(active.begin(), active.end(), this); it != active.end()) {
    *it = active.back();
    active.pop_back();
  }
  --owner->in_flight_;
}

long CurlTransport::Transfer::response_code() const {
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

bool CurlTransport::Transfer::open_file() {
  if (file || !save_error.empty()) return save_error.empty();
  try {
    file.emplace(owner->options_.save_dir, owner->save_name(*job), job->id);
  } catch (const std::exception& e) {
    save_error = e.what();
    return false;
  }
  return true;
}

std::size_t CurlTransport::Transfer::on_body(char* data, std::size_t size, std::size_t n,
                                             void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t len = size * n;
  if (!t->status_known) {  // bodies of error answers are not the item: read and drop them
    const long status = t->response_code();
    t->status_known = true;
    t->keep_body = status >= 200 && status < 300;
  }
  // The cap holds for every body, an error answer's too.
  if (t->received + static_cast<std::int64_t>(len) > t->owner->options_.max_body) {
    t->over_cap = true;
    return CURL_WRITEFUNC_ERROR;
  }
  t->received += static_cast<std::int64_t>(len);
  if (!t->keep_body) return len;
  t->bytes += static_cast<std::int64_t>(len);
  if (!t->owner->options_.save_dir.empty()) {
    if (!t->open_file() || !t->file->write(data, len)) {
      if (t->file && t->save_error.empty()) t->save_error = t->file->error();
      return CURL_WRITEFUNC_ERROR;
    }
  }
  return len;
}

CurlTransport::CurlTransport(sim::Simulation& sim, WallClock& clock,
                             const model::Scenario& scenario, CurlOptions options)
    : CurlTransport(sim, clock, scenario, scenario.client, std::move(options)) {}

CurlTransport::CurlTransport(sim::Simulation& sim, WallClock& clock,
                             const model::Scenario& scenario, const model::Client& client,
                             CurlOptions options)
    : sim_(&sim),
      clock_(&clock),
      client_(&client),
      options_(std::move(options)),
      client_limit_(client.rate_limit) {
  if (options_.max_body < 0) throw std::invalid_argument("live: the body size cap must be >= 0");
  init_curl_once();
  multi_ = curl_multi_init();
  if (multi_ == nullptr) throw std::runtime_error("libcurl: cannot create a multi handle");
  set_pool_limits(multi_, *client_, scenario.network.per_host_limit);
  clock_->set_outside_work(this);
  if (options_.stop != nullptr) options_.stop->attach(multi_);
}

CurlTransport::~CurlTransport() {
  if (options_.stop != nullptr) options_.stop->attach(nullptr);
  clock_->set_outside_work(nullptr);
  // Attempts still suspended (a run torn down by an error) lose their handles here.
  for (Transfer* t : active_) {
    curl_multi_remove_handle(multi_, t->easy);
    curl_easy_cleanup(t->easy);
    t->in_multi = false;
    t->owner = nullptr;
  }
  for (CURL* easy : idle_easy_)
    curl_easy_cleanup(easy);
  curl_multi_cleanup(multi_);
}

CURL* CurlTransport::take_easy() {
  if (!idle_easy_.empty()) {
    CURL* easy = idle_easy_.back();
    idle_easy_.pop_back();
    return easy;
  }
  CURL* easy = curl_easy_init();
  if (easy == nullptr) throw std::runtime_error("libcurl: cannot create an easy handle");
  return easy;
}

void CurlTransport::give_back(CURL* easy) {
  if (easy == nullptr) return;
  curl_easy_reset(easy);
  idle_easy_.push_back(easy);
}

std::string CurlTransport::save_name(const model::Job& job) {
  return save_file_name(job.name, job.id);
}

void CurlTransport::notice_stop() {
  if (stopping_) return;
  stopping_ = true;
  grace_end_ = Clock::now() + options_.stop_grace;
  if (on_stop_) on_stop_();
}

std::optional<model::AttemptResult> CurlTransport::stopped(const model::PhaseRecorder& rec) {
  if (options_.stop != nullptr && options_.stop->requested()) notice_stop();
  if (!stopping_) return std::nullopt;
  // A download the stop reached before its first attempt never began: not an error.
  if (rec.attempt() == 0) {
    return model::AttemptResult{Status::not_started, 0, 0, "not started: the run was stopped first",
                                std::nullopt};
  }
  return model::AttemptResult{Status::error, 0, 0, "interrupted: the run was stopped",
                              std::nullopt};
}

sim::Process<model::AttemptResult> CurlTransport::attempt(const model::Job& job,
                                                          model::PhaseRecorder& rec) {
  if (auto r = stopped(rec)) co_return *r;
  if (client_limit_.active()) {
    // The token first, as in the model: the wall clock runs the wait, no handle is taken.
    rec.begin(model::Phase::rate_limit);
    const sim::Duration wait =
        client_limit_.wait(sim_->now(), model::host_of(options_.url_template));
    if (wait > sim::Duration::zero()) co_await sim_->timeout(wait);
    rec.end();
    if (auto r = stopped(rec)) co_return *r;
  }
  auto transfer = std::make_unique<Transfer>(*this, job);
  const sim::Time start = sim_->now();
  try {
    co_await transfer->done;
  } catch (const sim::Interrupted&) {
    // The strategy gave up (timeout): draw what libcurl got to; the handle leaves with the frame.
    record_phases(rec, start, timings_of(transfer->easy), sim_->now());
    throw;
  }
  const CurlTimings timings = timings_of(transfer->easy);
  stats_.new_connections += timings.new_connection ? 1 : 0;
  // The connection, known by its local port, numbered in the order the run first saw it.
  long port = 0;
  if (curl_easy_getinfo(transfer->easy, CURLINFO_LOCAL_PORT, &port) == CURLE_OK && port > 0) {
    const auto seen =
        connections_.try_emplace(port, static_cast<std::uint32_t>(connections_.size() + 1));
    rec.on_connection(seen.first->second);
  }
  const sim::Time end = std::min(sim_->now(), start + std::chrono::microseconds(timings.total));
  record_phases(rec, start, timings, end);

  CurlVerdict v;
  v.code = transfer->code;
  v.http_status = transfer->response_code();
  v.body_bytes = transfer->bytes;
  v.over_cap = transfer->over_cap;
  v.max_body = options_.max_body;
  v.stopped = transfer->stopped;
  v.curl_error = transfer->errbuf;
  v.save_error = transfer->save_error;
  v.timeout = options_.safety_timeout;
  v.retry_after = retry_after_of(transfer->easy);
  model::AttemptResult result = classify(v);
  if (result.status == Status::timeout) {
    // libcurl's own limits say which fired: the low-speed check (read_timeout), the connect.
    const std::string_view why = v.curl_error;
    if (client_->read_timeout && why.starts_with("Operation too slow")) {
      result.error = fmt::format("no data for {:.3f} s (read_timeout; libcurl: {})",
                                 sim::to_seconds(*client_->read_timeout), why);
    } else if (client_->connect_timeout && (why.starts_with("Connection timed out") ||
                                            why.starts_with("Resolving timed out"))) {
      result.error = fmt::format("no connection within {:.3f} s (connect_timeout; libcurl: {})",
                                 sim::to_seconds(*client_->connect_timeout), why);
    }
  }
  if (result.status == Status::ok && !options_.save_dir.empty()) {
    if (!transfer->open_file() || !transfer->file->commit()) {
      result.status = Status::error;
      result.error = transfer->save_error.empty() ? transfer->file->error() : transfer->save_error;
    }
  }
  co_return result;
}

bool CurlTransport::drain(sim::Simulation& sim) {
  bool posted = false;
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    const CURLcode code = msg->data.result;
    char* p = nullptr;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &p);
    auto* t = reinterpret_cast<Transfer*>(p);
    t->detach();  // `msg` is gone after this
    t->code = code;
    sim.advance_to(clock_->now());  // the completion happened now, in run time
    t->done.succeed();
    posted = true;
  }
  return posted;
}

void CurlTransport::abort_all(sim::Simulation& sim) {
  sim.advance_to(clock_->now());
  while (!active_.empty()) {
    Transfer* t = active_.back();
    t->detach();
    t->stopped = true;
    t->code = CURLE_ABORTED_BY_CALLBACK;
    ++stats_.aborted;
    t->done.succeed();
  }
}

bool CurlTransport::drive(sim::Simulation& sim, WallTime deadline) {
  if (options_.stop != nullptr && options_.stop->requested()) notice_stop();
  bool posted = false;
  if (stopping_ && Clock::now() >= grace_end_) {
    if (!active_.empty()) {
      abort_all(sim);
      posted = true;
    }
    clock_->fast_forward();  // what is left (backoffs, CPU work) ends at once
  }
  int running = 0;
  curl_multi_perform(multi_, &running);
  posted = drain(sim) || posted;
  if (posted) return true;

  const WallTime until = stopping_ ? std::min(deadline, grace_end_) : deadline;
  int ms = kMaxPollMs;
  if (until != WallTime::max()) {
    const auto left = until - Clock::now();
    const auto ceil_ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
    ms = static_cast<int>(std::clamp<std::int64_t>(ceil_ms, 0, kMaxPollMs));
  }
  curl_multi_poll(multi_, nullptr, 0, ms, nullptr);
  curl_multi_perform(multi_, &running);
  return drain(sim);
}

model::AttemptResult classify(const CurlVerdict& v) {
  model::AttemptResult r;
  r.http_status = static_cast<int>(v.http_status);
  const bool success = v.http_status >= 200 && v.http_status < 300;
  r.bytes = success ? v.body_bytes : 0;
  r.status = Status::error;
  if (v.stopped) {
    r.error = "interrupted: the run was stopped before this transfer finished";
  } else if (v.over_cap || v.code == CURLE_FILESIZE_EXCEEDED) {
    r.error =
        fmt::format("{}body larger than the cap of {} (--max-body)",
                    success || v.http_status == 0 ? std::string()
                                                  : fmt::format("HTTP {} with a ", v.http_status),
                    model::format_size(static_cast<double>(v.max_body)));
  } else if (!v.save_error.empty()) {
    r.error = v.save_error;
  } else if (v.code == CURLE_OPERATION_TIMEDOUT) {
    r.status = Status::timeout;
    r.error =
        fmt::format("no complete answer within {:.3f} s (libcurl: {})", sim::to_seconds(v.timeout),
                    v.curl_error.empty() ? curl_easy_strerror(v.code) : v.curl_error);
  } else if (v.code != CURLE_OK) {
    r.error = v.curl_error.empty()
                  ? std::string(curl_easy_strerror(v.code))
                  : fmt::format("{} ({})", v.curl_error, curl_easy_strerror(v.code));
  } else if (success) {
    r.status = Status::ok;
  } else if (v.http_status == 404) {
    r.status = Status::not_found;
    r.error = "HTTP 404 Not Found";
  } else {
    r.error = fmt::format("HTTP {}", v.http_status);
    r.retry_after = v.retry_after;
  }
  return r;
}

void record_phases(model::PhaseRecorder& rec, sim::Time start, const CurlTimings& t,
                   sim::Time end) {
  // Boundaries in order; a later one reached means every earlier one was (a reused
  // connection reports no connect time).
  const std::int64_t bounds[] = {t.connect, t.pretransfer, t.starttransfer};
  const Phase phases[] = {Phase::connect, Phase::request, Phase::service};
  sim::Time at = start;
  for (int i = 0; i < 3; ++i) {
    std::int64_t reached = 0;
    for (int j = i; j < 3; ++j)
      reached = std::max(reached, bounds[j]);
    if (reached == 0) {  // the attempt ended in this phase
      rec.add(phases[i], at, end);
      return;
    }
    const sim::Time boundary = std::min(end, start + std::chrono::microseconds(bounds[i]));
    const sim::Time next = std::max(at, boundary);
    if (i > 0 || t.new_connection) rec.add(phases[i], at, next);
    at = next;
  }
  rec.add(Phase::transfer, at, end);
}

}  // namespace live
