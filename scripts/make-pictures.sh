#!/usr/bin/env bash
# Regenerates the pictures the README shows, with loiter itself.
# Usage: scripts/make-pictures.sh [path/to/loiter]
set -euo pipefail
cd "$(dirname "$0")/.."
loiter=${1:-build/loiter}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for s in loiter flags20; do
  "$loiter" run "scenarios/$s.toml" --out "$tmp/$s" >/dev/null 2>&1
  cp "$tmp/$s/gantt.svg" "docs/pictures/$s-gantt.svg"
  cp "$tmp/$s/timeline.svg" "docs/pictures/$s-timeline.svg"
done
echo "pictures written to docs/pictures/"
