#!/usr/bin/env bash
# The bundled scenarios' reports and logs match the golden transcripts in tests/golden, byte
# for byte. Usage: golden.sh <loiter-binary> <source-dir>; exit 0 pass, 1 fail.
set -u
loiter=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! bash "$src/scripts/update-golden.sh" "$loiter" "$work" 2>"$work/err"; then
  cat "$work/err"
  echo "FAIL: scripts/update-golden.sh failed"
  exit 1
fi
status=0
for f in "$work"/*.txt "$work"/*.log; do
  name=$(basename "$f")
  if [ ! -f "$src/tests/golden/$name" ]; then
    echo "FAIL: tests/golden/$name is missing"
    status=1
  elif ! cmp -s "$f" "$src/tests/golden/$name"; then
    echo "FAIL: tests/golden/$name differs from what loiter prints now:"
    diff -u "$src/tests/golden/$name" "$f" | head -n 40
    status=1
  fi
done
for f in "$src"/tests/golden/*; do
  [ -e "$f" ] || continue
  [ -f "$work/$(basename "$f")" ] || { echo "FAIL: $f has no scenario any more"; status=1; }
done
if [ $status -ne 0 ]; then
  echo "If the change is meant: run scripts/update-golden.sh and commit tests/golden."
fi
exit $status
