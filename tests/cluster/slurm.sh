#!/usr/bin/env bash
# Runs a 4-shard sweep through a real one-node Slurm (slurmctld, slurmd and munged from Debian's
# slurm-wlm and munge, started here on this machine with their own state folder) via
# scripts/sweep-slurm.sh, and checks the merged folder is byte-identical to the unsharded sweep.
# Stops every daemon it started. Needs root; prints "skipped: ..." and exits 0 when it cannot
# start the daemons. Usage: tests/cluster/slurm.sh [loiter-binary]; exit 0 pass or skipped, 1 fail.
set -uo pipefail
cd "$(dirname "$0")/../.."
loiter=${1:-./build/loiter}

skip() { echo "skipped: $*"; exit 0; }
[ "$(id -u)" -eq 0 ] || skip "starting slurmctld, slurmd and munged needs root"
for p in slurm-wlm munge; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    skip "Debian package $p is not installed (apt-get install slurm-wlm munge)"
done
for d in slurmctld slurmd munged; do
  pgrep -x "$d" >/dev/null && skip "a $d is already running here; not starting a second one"
done

state=$(mktemp -d /tmp/loiter-slurm.XXXXXX)
chmod 755 "$state"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  done
  rm -rf "$state"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; for f in "$state"/*.log; do echo "--- $f"; tail -n 20 "$f"; done; exit 1; }

host=$(hostname -s)
cpus=$(nproc)
mkdir -p "$state/ctld" "$state/spool" "$state/munge"
cp /etc/munge/munge.key "$state/munge/munge.key"
chmod 600 "$state/munge/munge.key"
munged --force --foreground --socket="$state/munge/sock" --key-file="$state/munge/munge.key" \
  --pid-file="$state/munge/pid" --seed-file="$state/munge/seed" \
  --log-file="$state/munged.log" 2>>"$state/munged.log" &
pids+=($!)
cat >"$state/slurm.conf" <<CONF
ClusterName=loiter-test
SlurmctldHost=$host
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$state/munge/sock
CredType=cred/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=10 State=UP
CONF
export SLURM_CONF=$state/slurm.conf
for _ in $(seq 50); do [ -S "$state/munge/sock" ] && break; sleep 0.1; done
[ -S "$state/munge/sock" ] || skip "munged did not start (see $state/munged.log)"
slurmctld -D -i -f "$SLURM_CONF" >>"$state/slurmctld.log" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >>"$state/slurmd.log" 2>&1 &
pids+=($!)
ready=""
for _ in $(seq 100); do
  if sinfo -h -o %T 2>/dev/null | grep -qx idle; then ready=yes; break; fi
  sleep 0.2
done
[ -n "$ready" ] || skip "the one-node Slurm did not come up within 20 s: $(tail -n 3 "$state"/slurm*.log | tr '\n' ' ')"
echo "slurm: one node ($host, $cpus CPUs) up"

out=$state/work
args=(scenarios/flags20.toml --vary strategy.threads-20.workers=1..12 -r 8)
LOITER=$loiter timeout 300 bash scripts/sweep-slurm.sh --shards 4 --wait --out "$out/cluster" -- "${args[@]}" ||
  fail "scripts/sweep-slurm.sh failed"
"$loiter" sweep "${args[@]}" --out "$out/whole" >/dev/null 2>&1 || fail "the unsharded sweep failed"
diff -r "$out/whole" "$out/cluster/sweep" >/dev/null ||
  fail "the merged Slurm sweep differs from the unsharded one: $(diff -r "$out/whole" "$out/cluster/sweep" | head -5)"
# A shard that fails must cancel the merge and fail the script.
if LOITER=$loiter timeout 120 bash scripts/sweep-slurm.sh --shards 2 --wait --out "$out/bad" -- \
  scenarios/flags20.toml --vary strategy.no-such.workers=1..4 >/dev/null 2>&1; then
  fail "scripts/sweep-slurm.sh succeeded although every shard failed"
fi
[ -e "$out/bad/sweep" ] && fail "a merge ran after failed shards"
echo "PASS: 4 Slurm array tasks and a dependent merge gave the unsharded sweep byte for byte; a failed shard cancels the merge"
