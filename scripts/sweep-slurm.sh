#!/usr/bin/env bash
# Submits a loiter sweep to Slurm as a job array of N shards (scripts/sweep.sbatch) and a merge
# job that starts when every shard has succeeded (--dependency=afterok), from this checkout.
#
# Usage: scripts/sweep-slurm.sh [--shards N] [--cpus C] [--wait] --out OUT -- SWEEP_ARGS...
#   --shards N  array tasks (default 4); --cpus C  CPUs per task, given to --jobs (default 1)
#   --wait      return when the merge job has ended (its exit status is the script's)
#   OUT         must be on a file system every node sees; OUT/shard-K, then OUT/sweep
# Example:
#   scripts/sweep-slurm.sh --shards 16 --cpus 8 --out out/big -- scenarios/flags20.toml \
#       --vary strategy.threads-20.workers=1..1024 -r 1000
set -euo pipefail
cd "$(dirname "$0")/.."
shards=4
cpus=1
wait=()
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --shards) shards=$2; shift 2 ;;
    --cpus) cpus=$2; shift 2 ;;
    --wait) wait=(--wait); shift ;;
    --out) out=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "sweep-slurm: unknown option '$1' (see the usage at the top of $0)" >&2; exit 2 ;;
  esac
done
if [ -z "$out" ] || [ $# -eq 0 ]; then
  echo "sweep-slurm: needs --out OUT and, after --, the sweep's arguments" >&2
  exit 2
fi
for v in "$shards" "$cpus"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || { echo "sweep-slurm: --shards and --cpus take whole numbers >= 1, got '$v'" >&2; exit 2; }
done
command -v sbatch >/dev/null || { echo "sweep-slurm: sbatch not found (Debian: slurm-client)" >&2; exit 1; }
loiter=${LOITER:-./build/loiter}
mkdir -p "$out"
rm -rf "$out"/shard-* "$out/sweep"
array=$(sbatch --parsable --array="0-$((shards - 1))" --cpus-per-task="$cpus" \
  --output="$out/slurm-%A_%a.out" scripts/sweep.sbatch "$out" "$@")
array=${array%%;*}
dirs=""
for ((k = 0; k < shards; k++)); do dirs+=" $(printf %q "$out/shard-$k")"; done
merge=$(sbatch --parsable "${wait[@]}" --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --job-name=loiter-merge --output="$out/slurm-merge-%j.out" \
  --wrap="$(printf %q "$loiter") merge$dirs --out $(printf %q "$out/sweep")")
echo "sweep-slurm: array job $array ($shards shards), merge job ${merge%%;*} into $out/sweep" >&2
# sbatch --wait reports 0 for a merge job cancelled because a shard failed: look at the result.
if [ ${#wait[@]} -gt 0 ] && [ ! -f "$out/sweep/sweep.json" ]; then
  echo "sweep-slurm: the merge did not run; the shards' logs:" >&2
  tail -n 5 "$out"/slurm-*.out >&2 2>/dev/null
  exit 1
fi
