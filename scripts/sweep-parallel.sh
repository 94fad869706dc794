#!/usr/bin/env bash
# Runs one `loiter sweep` as N shards under GNU parallel, over the hosts given (ssh logins, or
# ":" for this machine), copies each shard's folder back, then merges them into OUT/sweep.
#
# Usage: scripts/sweep-parallel.sh [-S HOSTS] [--workdir DIR] [--shards N] --out OUT -- SWEEP_ARGS...
#   -S HOSTS       GNU parallel's --sshlogin list, e.g. "host1,host2" or "2/host1,4/host2"
#                  (default ":", this machine). Every host needs loiter built in DIR.
#   --workdir DIR  where loiter's checkout is on the hosts (default: this checkout's path); the
#                  shard folders are written under DIR/OUT there and returned to OUT here.
#   --shards N     how many shards (default 4)
#   --out OUT      output folder (relative: to the checkout): OUT/shard-K and the merged OUT/sweep
#   SWEEP_ARGS     the arguments of `loiter sweep` (scenario, --vary, -r, ...), the same for every
#                  shard; paths in them are relative to the checkout on every host.
#   LOITER         environment: the loiter binary (default ./build/loiter, on every host)
# Example (this machine as two hosts, as CI runs it):
#   scripts/sweep-parallel.sh -S 1/:,1/: --shards 4 --out out/cluster -- \
#       scenarios/flags20.toml --vary strategy.threads-20.workers=1..8 -r 5
set -euo pipefail
cd "$(dirname "$0")/.."
checkout=$PWD

loiter=${LOITER:-./build/loiter}
hosts=":"
workdir=$checkout
shards=4
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    -S) hosts=$2; shift 2 ;;
    --workdir) workdir=$2; shift 2 ;;
    --shards) shards=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "sweep-parallel: unknown option '$1' (see the usage at the top of $0)" >&2; exit 2 ;;
  esac
done
if [ -z "$out" ] || [ $# -eq 0 ]; then
  echo "sweep-parallel: needs --out OUT and, after --, the sweep's arguments" >&2
  exit 2
fi
if ! [[ "$shards" =~ ^[1-9][0-9]*$ ]]; then
  echo "sweep-parallel: --shards must be a positive whole number, got '$shards'" >&2
  exit 2
fi
if ! command -v parallel >/dev/null; then
  echo "sweep-parallel: GNU parallel is not installed (apt-get install parallel)" >&2
  exit 1
fi

mkdir -p "$out"
rm -rf "$out"/shard-* "$out/sweep"
# -q quotes the command, so arguments with spaces reach loiter whole; {} is the shard index.
# --return copies DIR/OUT/shard-K back from a remote host (a no-op on this machine).
# --halt now,fail=1: the first failing shard stops the others and fails the script.
seq 0 $((shards - 1)) |
  parallel --will-cite --halt now,fail=1 -S "$hosts" --workdir "$workdir" \
    --return "$out/shard-{}" -q \
    "$loiter" sweep "$@" --shard "{}/$shards" --out "$out/shard-{}"

shard_dirs=()
for ((k = 0; k < shards; k++)); do shard_dirs+=("$out/shard-$k"); done
"$loiter" merge "${shard_dirs[@]}" --out "$out/sweep"
echo "sweep-parallel: $shards shards over '$hosts' merged into $out/sweep" >&2
