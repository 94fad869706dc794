#!/usr/bin/env bash
# scripts/validate-python-client.sh runs end to end on a tiny case (8 items, 1 and 4 threads):
# it calibrates, predicts and prints a row per thread count. Timings are not judged here (a
# shared machine is noisy); the full comparison is the script's own run.
# Usage: validate_python_client.sh <loiter-binary> <source-dir>; exit 77 without python3.
set -u
loiter=$1
src=$2
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
out=$(timeout 120 bash "$src/scripts/validate-python-client.sh" "$loiter" 8 1 4 2>&1)
status=$?
echo "$out"
if [ $status -ne 0 ]; then
  echo "FAIL: the validation script exited with $status"
  exit 1
fi
echo "$out" | grep -q '^client per request (one thread, no delay): [0-9.]* s' ||
  { echo "FAIL: no calibration line"; exit 1; }
for t in 1 4; do
  echo "$out" | grep -Eq "^$t +[0-9]+\.[0-9]{3} +[0-9]+\.[0-9]{3} +[+-][0-9]+\.[0-9]%$" ||
    { echo "FAIL: no row for $t threads"; exit 1; }
done
echo "PASS"
