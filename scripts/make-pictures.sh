#!/usr/bin/env bash
# Regenerates every picture in docs/pictures with loiter itself: per bundled scenario its Gantt,
# summary and timeline, a sweep of one key and one of two (small multiples), and the live
# validation (a live run against loiter's built-in server; it differs from run to run, so the
# picture test leaves it out).
# Usage: scripts/make-pictures.sh [--simulated-only] [path/to/loiter] [out-dir (docs/pictures)]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
live=yes
if [ "${1:-}" = --simulated-only ]; then
  live=no
  shift
fi
loiter=$(realpath "${1:-$src/build/loiter}")
out=${2:-$src/docs/pictures}
mkdir -p "$out"
out=$(realpath "$out")
cd "$src"
export LC_ALL=C TZ=UTC
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for s in loiter flags20 cpu-bound slow-server; do
  "$loiter" run "scenarios/$s.toml" --out "$tmp/$s" >/dev/null 2>&1
  for picture in gantt summary timeline; do
    cp "$tmp/$s/$picture.svg" "$out/$s-$picture.svg"
  done
done
"$loiter" sweep scenarios/flags20.toml --vary strategy.threads-20.workers=1..64x2 \
  --replications 10 --out "$tmp/sweep" >/dev/null 2>&1
cp "$tmp/sweep/sweep.svg" "$out/flags20-sweep.svg"
# Two keys: a panel per async concurrency; the pool, which that key does not change, drawn once.
"$loiter" sweep scenarios/flags20.toml --vary strategy.threads-20.workers=1..64x2 \
  --vary strategy.async.max_concurrency=1,4,16 --replications 10 --out "$tmp/sweep2" >/dev/null 2>&1
cp "$tmp/sweep2/sweep.svg" "$out/flags20-sweep-panels.svg"

if [ $live = yes ]; then
  # Live: real downloads from the built-in server on 127.0.0.1 (takes a few seconds).
  "$loiter" validate scenarios/flags20-local.toml --out "$tmp/validate" >/dev/null 2>&1
  cp "$tmp/validate/timeline.svg" "$out/flags20-local-validate.svg"
fi
echo "pictures written to $out" >&2
