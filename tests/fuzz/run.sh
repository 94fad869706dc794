#!/usr/bin/env bash
# Runs the libFuzzer targets of a -DLOITER_FUZZ=ON build, each for SECONDS (default 60),
# seeded from scenarios/, tests/bad-scenarios/ and tests/fuzz/*-seeds/; prints each run's
# final statistics. Exit 1 if a target found a crash (the input is kept in BUILD_DIR/fuzz/).
# Usage: tests/fuzz/run.sh BUILD_DIR [SECONDS]
set -euo pipefail
build=$(cd "${1:?usage: tests/fuzz/run.sh BUILD_DIR [SECONDS]}" && pwd)
seconds=${2:-60}
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$build/fuzz
mkdir -p "$work/scenario-seeds" "$work/scenario-corpus" "$work/csv-corpus" "$work/cwd"
cp "$src"/scenarios/*.toml "$src"/tests/bad-scenarios/*.toml "$src"/tests/fuzz/toml-seeds/*.toml \
  "$work/scenario-seeds/"
# Relative items_csv paths resolve against the working directory: it holds the CSV seeds.
cp "$src"/tests/fuzz/csv-seeds/*.csv "$work/cwd/"

status=0
run() {
  local target=$1 corpus=$2 seeds=$3
  echo "== $target for ${seconds}s"
  if (cd "$work/cwd" && "$build/$target" -max_total_time="$seconds" -timeout=10 -max_len=16384 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/$target-" \
    "$corpus" "$seeds") >"$work/$target.log" 2>&1; then
    grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^Done [0-9]+ runs|stat::number_of_executed_units|stat::peak_rss_mb' \
      "$work/$target.log" || tail -5 "$work/$target.log"
  else
    tail -60 "$work/$target.log"
    echo "$target failed; log in $work/$target.log" >&2
    status=1
  fi
}
run fuzz_scenario "$work/scenario-corpus" "$work/scenario-seeds"
run fuzz_items_csv "$work/csv-corpus" "$src/tests/fuzz/csv-seeds"
exit $status
