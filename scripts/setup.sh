#!/usr/bin/env bash
# Sets up loiter on a Debian (bookworm) machine: installs the Debian packages it
# needs (only those missing), configures and builds into build/. Idempotent.
# Usage: scripts/setup.sh [BUILD_DIR] [extra cmake args...]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
shift || true

packages=(g++ cmake make pkg-config libfmt-dev catch2 libboost-dev libcurl4-openssl-dev libssl-dev
  libtomlplusplus-dev libcli11-dev nlohmann-json3-dev libcpp-httplib-dev libbenchmark-dev
  libxml2-utils curl clang-format git parallel python3 nghttp2-server openssl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-Release}" "$@" >/dev/null
if ! cmake --build "$build_dir" -j "$jobs" >"$build_dir/build.log" 2>&1; then
  tail -n 100 "$build_dir/build.log" >&2
  echo "setup: build failed; full log in $build_dir/build.log" >&2
  exit 1
fi
echo "setup: built $build_dir/loiter" >&2
