#!/usr/bin/env bash
# Checks loiter's shared-link model against real kernel TCP on a real bottleneck: two network
# namespaces joined by a veth pair, the server's side shaped by a tbf qdisc (10 Mbit/s), loiter
# serve in one namespace, loiter validate (live vs simulated, same scenario) in the other.
# Addresses are from 192.0.2.0/24 (TEST-NET-1, never routed): traffic stays inside the two
# namespaces. Cleans up its namespaces and processes whatever happens.
# Usage: tests/netns/link.sh [loiter-binary] [tolerance, default 0.10]
# Prints per case the simulated and live makespans and errors (and the median completion's), the
# packets the link's queue dropped and the segments TCP sent again.
# The model has no packet loss, so the checked cases run on a queue that holds every byte in
# flight (tbf latency 5 s: 6 MB at 10 Mbit/s); a case that drops a packet there fails. One more
# case, 100 x 50 KB on a 400 ms queue (500 KB, less than 100 initial windows of 14.5 KB), drops
# thousands of packets: it is printed, marked "lossy, not checked", and never fails the run (its
# live makespan varies from run to run with the retransmission timeouts it meets).
# Exit 0 when every checked case is within the tolerance (or skipped: needs root and
# namespaces), 1 not.
set -uo pipefail
cd "$(dirname "$0")/../.."
loiter=$(realpath "${1:-./build/loiter}")
tolerance=${2:-0.10}
rate=${LINK_RATE:-10mbit}

skip() { echo "skipped: $*"; exit 0; }
[ "$(id -u)" -eq 0 ] || skip "needs root and network namespaces"
command -v ip >/dev/null && command -v tc >/dev/null || skip "needs ip and tc (Debian iproute2)"
srv=loiter-srv-$$
cli=loiter-cli-$$
work=$(mktemp -d /tmp/loiter-netns.XXXXXX)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  ip netns pids "$srv" 2>/dev/null | xargs -r kill -9 2>/dev/null
  ip netns pids "$cli" 2>/dev/null | xargs -r kill -9 2>/dev/null
  ip netns del "$srv" 2>/dev/null
  ip netns del "$cli" 2>/dev/null
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
ip netns add "$srv" 2>/dev/null || skip "needs root and network namespaces (ip netns add failed)"
ip netns add "$cli" || skip "needs root and network namespaces"
ip link add "vs$$" type veth peer name "vc$$" || skip "cannot create a veth pair"
ip link set "vs$$" netns "$srv" && ip link set "vc$$" netns "$cli" || exit 1
ip -n "$srv" addr add 192.0.2.1/24 dev "vs$$" && ip -n "$cli" addr add 192.0.2.2/24 dev "vc$$" || exit 1
for ns in "$srv" "$cli"; do ip -n "$ns" link set lo up; done
ip -n "$srv" link set "vs$$" up && ip -n "$cli" link set "vc$$" up || exit 1
# The download direction (server to client) is the bottleneck; each case sets its queue depth.
queue() { ip netns exec "$srv" tc qdisc replace dev "vs$$" root tbf rate "$rate" burst 32kbit latency "$1"; }
queue 5s || skip "cannot add a tbf qdisc"

# name, workload lines, strategy lines
case_toml() {
  cat <<TOML
name = "$1"
description = "$2 over a $rate tbf link between two network namespaces"
seed = 1
[workload]
$3
[network]
rtt = "100us"
bandwidth = "${rate%mbit} Mbit/s"
[server]
workers = 256
service = "0ms"
[client]
keep_alive = false
timeout = "120s"
[[strategy]]
$4
[live]
url = "http://192.0.2.1:8080/{name}"
TOML
}
case_toml one-5MB "1 x 5 MB" 'count = 1
size = "5 MB"' 'name = "sequential"
kind = "sequential"' >"$work/one-5MB.toml"
case_toml ten-1MB "10 x 1 MB at once" 'count = 10
size = "1 MB"' 'name = "async-10"
kind = "async"
max_concurrency = 10' >"$work/ten-1MB.toml"
case_toml hundred-50KB "100 x 50 KB at once" 'count = 100
size = "50 KB"' 'name = "async-100"
kind = "async"
max_concurrency = 100' >"$work/hundred-50KB.toml"
case_toml twenty-200KB "20 x 200 KB through 4 workers" 'count = 20
size = "200 KB"' 'name = "threads-4"
kind = "pool"
workers = 4' >"$work/twenty-200KB.toml"
cp "$work/hundred-50KB.toml" "$work/hundred-50KB-lossy.toml"

counter() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }

status=0
printf '%-19s %10s %10s %8s %10s %8s %8s\n' case simulated live error "p50 error" dropped resent
for name in one-5MB ten-1MB hundred-50KB twenty-200KB hundred-50KB-lossy; do
  toml=$work/$name.toml
  checked=yes
  case $name in *-lossy) checked=""; queue 400ms ;; *) queue 5s ;; esac || exit 1
  ip netns exec "$srv" nstat -n >/dev/null 2>&1 # the retransmission counters from here on
  ip netns exec "$srv" "$loiter" serve "$toml" --host 192.0.2.1 --port 8080 --seconds 300 \
    >"$work/$name.serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 50); do
    ip netns exec "$cli" bash -c 'exec 3<>/dev/tcp/192.0.2.1/8080' 2>/dev/null && break
    sleep 0.1
  done
  ip netns exec "$cli" timeout 300 "$loiter" validate "$toml" --base-url http://192.0.2.1:8080 \
    --tolerance "$tolerance" --out "$work/$name" >"$work/$name.log" 2>&1
  rc=$?
  kill "$server_pid" 2>/dev/null
  wait "$server_pid" 2>/dev/null
  server_pid=""
  dropped=$(ip netns exec "$srv" tc -s qdisc show dev "vs$$" | grep -o 'dropped [0-9]*' | head -1 | cut -d' ' -f2)
  ip netns exec "$srv" nstat -a TcpRetransSegs >"$work/$name.nstat" 2>&1
  resent=$(counter TcpRetransSegs "$work/$name.nstat")
  if [ ! -f "$work/$name/validate.json" ]; then
    echo "FAIL: $name: validate wrote no result (exit $rc):"
    cat "$work/$name.log"
    status=1
    continue
  fi
  python3 - "$work/$name/validate.json" "$name" "${dropped:-?}" "${resent:-0}" "$checked" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
name, dropped, resent, checked = sys.argv[2:6]
for c in v["strategies"]:
    m, p = c["makespan_s"], c["p50_s"]
    note = "" if checked else "  (lossy, not checked)"
    print(f'{name:<19} {m["sim"]:9.3f}s {m["live"]:9.3f}s {100*m["error"]:+7.1f}% {100*p["error"]:+9.1f}%'
          f' {dropped:>8} {resent:>8}{note}')
PY
  [ -n "$checked" ] || continue
  [ $rc -eq 0 ] || { echo "FAIL: $name: the simulated makespan is off by more than $tolerance (exit $rc)"; status=1; }
  [ "${dropped:-0}" = 0 ] || { echo "FAIL: $name: the queue dropped $dropped packets (the checked cases must not lose any)"; status=1; }
done
[ $status -eq 0 ] && echo "PASS: the shared-link model within $tolerance of kernel TCP on a $rate link"
exit $status
