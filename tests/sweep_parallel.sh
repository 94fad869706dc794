#!/usr/bin/env bash
# scripts/sweep-parallel.sh (GNU parallel, this machine named as two hosts) gives the same bytes
# as the unsharded sweep, and fails when a shard fails. Usage: sweep_parallel.sh <loiter> <src>.
set -u
loiter=$1
src=$2
command -v parallel >/dev/null || { echo "FAIL: GNU parallel is not installed (scripts/setup.sh installs it)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
args=(scenarios/flags20.toml --vary strategy.threads-20.workers=1..9 --vary network.rtt=50ms,200ms -r 4)
if ! LOITER=$loiter bash "$src/scripts/sweep-parallel.sh" -S 1/:,1/: --shards 4 --out "$work/cluster" \
  -- "${args[@]}" >"$work/log" 2>&1; then
  cat "$work/log"
  echo "FAIL: scripts/sweep-parallel.sh failed"
  exit 1
fi
(cd "$src" && "$loiter" sweep "${args[@]}" --out "$work/whole" >/dev/null 2>&1) || { echo "FAIL: unsharded sweep failed"; exit 1; }
if ! diff -r "$work/whole" "$work/cluster/sweep"; then
  echo "FAIL: the merged shards differ from the unsharded sweep"
  exit 1
fi
for k in 0 1 2 3; do
  [ -f "$work/cluster/shard-$k/sweep.csv" ] || { echo "FAIL: shard $k wrote no sweep.csv"; exit 1; }
done
if LOITER=$loiter bash "$src/scripts/sweep-parallel.sh" -S 1/:,1/: --shards 2 --out "$work/bad" \
  -- scenarios/flags20.toml --vary strategy.no-such.workers=1..4 >"$work/log" 2>&1; then
  echo "FAIL: sweep-parallel.sh succeeded although every shard failed"
  exit 1
fi
[ -e "$work/bad/sweep" ] && { echo "FAIL: a merge ran after failed shards"; exit 1; }
echo "PASS: 4 shards under GNU parallel merged to the unsharded sweep byte for byte"
