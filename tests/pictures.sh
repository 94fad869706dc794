#!/usr/bin/env bash
# The simulated pictures in docs/pictures are what loiter draws now, byte for byte (the live
# validation picture differs from run to run and is left out).
# Usage: pictures.sh <loiter-binary> <source-dir>; exit 0 pass, 1 fail.
set -u
loiter=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! bash "$src/scripts/make-pictures.sh" --simulated-only "$loiter" "$work" 2>"$work/err"; then
  cat "$work/err"
  echo "FAIL: scripts/make-pictures.sh failed"
  exit 1
fi
status=0
for f in "$work"/*.svg; do
  name=$(basename "$f")
  if [ ! -f "$src/docs/pictures/$name" ]; then
    echo "FAIL: docs/pictures/$name is missing"
    status=1
  elif ! cmp -s "$f" "$src/docs/pictures/$name"; then
    echo "FAIL: docs/pictures/$name is not what loiter draws now"
    status=1
  fi
done
for f in "$src"/docs/pictures/*.svg; do
  name=$(basename "$f")
  [ "$name" = flags20-local-validate.svg ] && continue
  [ -f "$work/$name" ] || { echo "FAIL: docs/pictures/$name is made by nothing"; status=1; }
done
[ $status -eq 0 ] || echo "The pictures are stale: run scripts/make-pictures.sh and commit docs/pictures."
exit $status
