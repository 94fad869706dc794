#!/usr/bin/env bash
# Checks loiter's prediction against a real Python client (tests/clients/urllib_pool.py: a
# ThreadPoolExecutor of urllib.request.urlopen, a new connection per request). First measures
# the client's cost per request against `loiter serve` with no delay (the slope of elapsed time
# over the item count, one thread); builds a scenario from that measurement alone; then runs
# the client against `loiter serve` with a backlog of 5 and a fixed 200 ms delay at 1, 4, 16
# and 64 threads, and prints each predicted and measured makespan with the error.
# Usage: scripts/validate-python-client.sh [LOITER] [ITEMS] [THREADS...]
#   (defaults: build/loiter, 64 items, threads 1 4 16 64)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
loiter=${1:-$root/build/loiter}
items=${2:-64}
shift $(( $# > 2 ? 2 : $# )) || true
threads=("$@")
[ ${#threads[@]} -gt 0 ] || threads=(1 4 16 64)
client=$root/tests/clients/urllib_pool.py
work=$(mktemp -d "${TMPDIR:-/tmp}/loiter-pyclient.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The served items and the server's knobs; strategies only size the server's thread pool.
server_scenario() {  # $1 = delay
  cat <<TOML
name = "python-client-server"
[workload]
count = $items
size = "1 KiB"
[server]
workers = 0
service = "$1"
[[strategy]]
name = "most"
kind = "pool"
workers = 64
TOML
}

# Starts `loiter serve` on a free loopback port (stops itself after 10 min at most).
start_server() {  # $1 = scenario file, then extra options
  local scenario=$1
  shift
  # The files exist before the server does: the background job opens them itself, maybe only
  # after the first look below on a loaded machine.
  : >"$work/serve.out"
  : >"$work/serve.err"
  "$loiter" serve "$scenario" --port 0 --seconds 600 "$@" >>"$work/serve.out" 2>>"$work/serve.err" &
  server_pid=$!
  for _ in $(seq 400); do  # up to 20 s: a loaded machine starts it slowly
    url=$(sed -n 's/^serving on \(http:[^ ]*\).*/\1/p' "$work/serve.out" || true)
    [ -n "$url" ] && return 0
    sleep 0.05
  done
  echo "validate-python-client: loiter serve did not start" >&2
  cat "$work/serve.err" >&2
  exit 1
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

elapsed() {  # $1 = items, $2 = threads
  python3 "$client" "$url/{name}" "$1" "$2" | python3 -c 'import json,sys; print(json.load(sys.stdin)["elapsed_s"])'
}

# 1. The client's cost per request: one thread, no delay, the slope over the item count
# (best of 3 per count, least squares over the counts).
server_scenario 0s >"$work/fast.toml"
start_server "$work/fast.toml"
calibration=""
for n in $((items / 4)) $((items / 2)) "$items"; do
  best=""
  for _ in 1 2 3; do
    e=$(elapsed "$n" 1)
    best=$(python3 -c "print(min(float('$e'), float('${best:-inf}')))")
  done
  calibration+="$n $best"$'\n'
done
stop_server
read -r per_request intercept < <(printf '%s' "$calibration" | python3 -c '
import sys
pts = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
n = len(pts); mx = sum(p[0] for p in pts) / n; my = sum(p[1] for p in pts) / n
slope = sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)
print(f"{max(slope, 0):.6f} {my - slope * mx:.6f}")')
echo "client per request (one thread, no delay): ${per_request} s (slope of elapsed over ${items}/4, /2, ${items} items; intercept ${intercept} s)"

# 2. The scenario built from that measurement: the client's cost as CPU under the GIL.
{
  echo "name = \"python-client\""
  echo "[workload]"
  echo "count = $items"
  echo "size = \"1 KiB\""
  echo "[server]"
  echo "workers = 0"
  echo "service = \"200ms\""
  echo "backlog = 5"
  echo "[client]"
  echo "cpu_before = \"$(python3 -c "print(round($per_request * 1e6))")us\""
  for t in "${threads[@]}"; do
    printf '[[strategy]]\nname = "threads-%s"\nkind = "pool"\nworkers = %s\nconsume = "in_order"\n' "$t" "$t"
  done
} >"$work/predict.toml"
"$loiter" run "$work/predict.toml" --format json >"$work/predicted.json"

# 3. The real runs: backlog 5, 200 ms per request.
server_scenario 200ms >"$work/slow.toml"
start_server "$work/slow.toml" --backlog 5
printf '%-10s %12s %12s %8s\n' threads predicted_s measured_s error
for t in "${threads[@]}"; do
  measured=$(elapsed "$items" "$t")
  python3 - "$work/predicted.json" "$t" "$measured" <<'PY'
import json, sys
report, threads, measured = json.load(open(sys.argv[1])), sys.argv[2], float(sys.argv[3])
def strategies(node):
    if isinstance(node, dict):
        if node.get("name") == f"threads-{threads}" and "makespan_s" in node:
            yield node
        for v in node.values():
            yield from strategies(v)
    elif isinstance(node, list):
        for v in node:
            yield from strategies(v)
predicted = next(strategies(report))["makespan_s"]
print(f"{threads:<10} {predicted:12.3f} {measured:12.3f} {100 * (predicted - measured) / measured:+7.1f}%")
PY
done
stop_server
