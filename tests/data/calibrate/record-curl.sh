#!/usr/bin/env bash
# Records curl-json.txt and curl-kv.txt: the real curl binary fetching the 20 flags of
# scenarios/flags20-local.toml from `loiter serve` (200 ms service, 16 workers) on loopback.
# Usage: tests/data/calibrate/record-curl.sh BUILD/loiter [PORT]
set -euo pipefail
loiter=$1
port=${2:-18731}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
flags=(CN IN US ID BR PK NG BD RU JP MX PH VN ET EG DE IR TR CD FR)
"$loiter" serve "$root/scenarios/flags20-local.toml" --port "$port" --seconds 60 >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/flags/CN.gif" && break; sleep 0.1; done
# One curl per URL: a new connection each; curl's own JSON object, one a line.
: >"$here/curl-json.txt"
for f in "${flags[@]}"; do
  curl -s -o /dev/null -w '%{json}\n' "http://127.0.0.1:$port/flags/$f.gif" >>"$here/curl-json.txt"
done
# One curl for all 20 URLs: the first opens the connection, the others reuse it.
urls=()
for f in "${flags[@]}"; do urls+=(-o /dev/null "http://127.0.0.1:$port/flags/$f.gif"); done
{
  echo "# curl $(curl --version | head -1 | cut -d' ' -f2), one invocation for 20 URLs against loiter serve scenarios/flags20-local.toml"
  curl -s -w 'url=%{url_effective} time_namelookup=%{time_namelookup} time_connect=%{time_connect} time_appconnect=%{time_appconnect} time_pretransfer=%{time_pretransfer} time_starttransfer=%{time_starttransfer} time_total=%{time_total} size_download=%{size_download} num_connects=%{num_connects} http_code=%{http_code}\n' "${urls[@]}"
} >"$here/curl-kv.txt"
