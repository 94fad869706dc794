#!/bin/bash
# Renders the loiter demo's Gantt chart in headless chromium and checks the picture is a real
# picture: the expected size, not blank. Usage: render_gantt.sh <loiter-binary> <source-dir>
# Exit 0 pass, 77 skip (no chromium, or the CLI cannot run scenarios yet), anything else fail.
set -u
loiter=$1
src=$2
scenario=$src/scenarios/loiter.toml

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

command -v chromium >/dev/null 2>&1 || skip "chromium is not installed (apt-get install chromium)"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed (needed to read the PNG)"
[ -f "$scenario" ] || skip "$scenario does not exist yet"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! "$loiter" run "$scenario" --out "$work/out" >"$work/run.log" 2>&1; then
  if grep -q "not yet wired" "$work/run.log"; then
    skip "the loiter CLI cannot run scenarios yet: $(head -c 200 "$work/run.log")"
  fi
  cat "$work/run.log"
  fail "'$loiter run $scenario --out DIR' failed"
fi
svg=$work/out/gantt.svg
[ -s "$svg" ] || fail "'loiter run --out DIR' wrote no DIR/gantt.svg"
if command -v xmllint >/dev/null 2>&1; then
  xmllint --noout --nonet "$svg" || fail "gantt.svg is not well-formed XML"
fi

# The picture's own size, from the root element.
root=$(grep -o '<svg[^>]*>' "$svg" | head -1)
width=$(sed -nE 's/.* width="([0-9]+)".*/\1/p' <<<"$root")
height=$(sed -nE 's/.* height="([0-9]+)".*/\1/p' <<<"$root")
[ -n "$width" ] && [ -n "$height" ] || fail "gantt.svg has no integer width/height: $root"

png=$work/gantt.png
timeout 180 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --disable-background-networking --disable-component-update --disable-sync --no-first-run \
  --force-device-scale-factor=1 --user-data-dir="$work/profile" \
  --window-size="$width,$height" --screenshot="$png" "file://$svg" >"$work/chromium.log" 2>&1
[ -s "$png" ] || { cat "$work/chromium.log"; fail "chromium wrote no screenshot"; }

python3 - "$png" "$width" "$height" <<'PY' || fail "the rendered Gantt chart does not look like a picture"
# Decodes an 8-bit RGB/RGBA PNG with zlib alone and checks its size and content.
import struct, sys, zlib

path, want_w, want_h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
data = open(path, "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, w = 8, b"", None
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
if (w, h) != (want_w, want_h):
    sys.exit(f"screenshot is {w}x{h}, expected {want_w}x{want_h}")
if depth != 8 or ctype not in (2, 6):
    sys.exit(f"unsupported PNG: depth {depth}, colour type {ctype}")
bpp = 3 if ctype == 2 else 4
raw, stride = zlib.decompress(idat), w * bpp
rows, prev = [], bytearray(stride)
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(bytes(line))
    prev = line
colours, ink = set(), 0
for line in rows:
    for i in range(0, stride, bpp):
        px = line[i:i + 3]
        colours.add(px)
        ink += px != b"\xff\xff\xff"
share = ink / (w * h)
print(f"screenshot {w}x{h}: {len(colours)} colours, {share:.1%} non-white")
if len(colours) < 4:
    sys.exit("the screenshot is (nearly) one colour")
if share < 0.02:
    sys.exit("the screenshot is almost blank")
PY
echo "PASS: the loiter Gantt renders as a ${width}x${height} picture"
