#!/usr/bin/env bash
# Rewrites the golden transcripts: for every bundled scenario, its text report (NAME.txt) and
# its event log (`run --log`, NAME.log). Review the diff, then commit it.
# Usage: scripts/update-golden.sh [path/to/loiter] [out-dir (default tests/golden)]
# million.toml is left out: a million downloads make a transcript nobody reads; a log longer
# than 1000 lines (keep-up.toml's 2000 downloads) keeps its first 1000.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
loiter=$(realpath "${1:-$src/build/loiter}")
out=${2:-$src/tests/golden}
mkdir -p "$out"
cd "$src"
export LC_ALL=C TZ=UTC
for path in scenarios/*.toml; do
  name=$(basename "$path" .toml)
  [ "$name" = million ] && continue
  "$loiter" run "$path" >"$out/$name.txt"
  "$loiter" run "$path" --log >"$out/$name.log.full"
  head -n 1000 "$out/$name.log.full" >"$out/$name.log"
  rm "$out/$name.log.full"
done
echo "golden transcripts written to $out" >&2
