#!/usr/bin/env bash
# Runs scripts/sweep-parallel.sh over ssh, as the README's GNU parallel recipe does: an sshd
# started here on 127.0.0.1 (its own keys, a free port) stands for the remote host, whose
# --workdir is a separate copy of the binary and the scenarios, so the shard folders come back
# only through --return. Checks the merge is byte-identical to the unsharded sweep; stops the
# sshd. Needs root and openssh-server; prints "skipped: ..." and exits 0 otherwise.
# Usage: tests/cluster/parallel-ssh.sh [loiter-binary]; exit 0 pass or skipped, 1 fail.
set -uo pipefail
cd "$(dirname "$0")/../.."
loiter=$(realpath "${1:-./build/loiter}")

skip() { echo "skipped: $*"; exit 0; }
[ "$(id -u)" -eq 0 ] || skip "starting an sshd needs root"
for c in sshd ssh ssh-keygen rsync parallel; do
  command -v "$c" >/dev/null || skip "$c is not installed (apt-get install openssh-server rsync parallel)"
done
state=$(mktemp -d /tmp/loiter-ssh.XXXXXX)
out=out/parallel-ssh-test.$$
sshd_pid=""
cleanup() {
  [ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null
  rm -rf "$state" "$out"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; tail -n 20 "$state/sshd.log" 2>/dev/null; exit 1; }

ssh-keygen -q -t ed25519 -N "" -f "$state/host_key"
ssh-keygen -q -t ed25519 -N "" -f "$state/client_key"
cp "$state/client_key.pub" "$state/authorized_keys"
chmod 700 "$state"
mkdir -p /run/sshd
port=""
for p in $(shuf -i 20000-60000 -n 20); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || skip "no free port found"
/usr/sbin/sshd -D -e -f /dev/null -p "$port" -o ListenAddress=127.0.0.1 -h "$state/host_key" \
  -o AuthorizedKeysFile="$state/authorized_keys" -o PermitRootLogin=prohibit-password \
  -o PasswordAuthentication=no -o StrictModes=no -o PidFile="$state/sshd.pid" \
  -o Subsystem="sftp internal-sftp" 2>"$state/sshd.log" &
sshd_pid=$!
ssh_cmd="ssh -p $port -i $state/client_key -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
up=""
for _ in $(seq 50); do
  $ssh_cmd root@127.0.0.1 true 2>/dev/null && { up=yes; break; }
  sleep 0.1
done
[ -n "$up" ] || skip "the sshd on 127.0.0.1:$port did not accept a login: $(tail -n 2 "$state/sshd.log" | tr '\n' ' ')"

remote=$state/remote
mkdir -p "$remote/build"
cp "$loiter" "$remote/build/loiter"
cp -r scenarios "$remote/scenarios"
args=(scenarios/flags20.toml --vary strategy.threads-20.workers=1..10 -r 4)
LOITER=./build/loiter timeout 300 bash scripts/sweep-parallel.sh -S "1/$ssh_cmd root@127.0.0.1,1/$ssh_cmd root@127.0.0.1" \
  --workdir "$remote" --shards 4 --out "$out" -- "${args[@]}" >"$state/run.log" 2>&1 ||
  { cat "$state/run.log"; fail "scripts/sweep-parallel.sh over ssh failed"; }
[ -f "$remote/$out/shard-0/sweep.csv" ] || fail "the shards did not run in the remote --workdir"
"$loiter" sweep "${args[@]}" --out "$state/whole" >/dev/null 2>&1 || fail "the unsharded sweep failed"
diff -r "$state/whole" "$out/sweep" >/dev/null || fail "the merged sweep differs from the unsharded one"
echo "PASS: 4 shards over ssh (--workdir, --return) merged to the unsharded sweep byte for byte"
