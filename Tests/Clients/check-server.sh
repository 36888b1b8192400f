#!/usr/bin/env bash
# Real clients against the daemon: starts `refd serve` (the build `make test` made) on a free
# port of 127.0.0.1 with the bundled data, and runs ../shared/peers/server/check_server.sh
# (GDAL's OAPIF and MVT drivers, ogr2ogr and its GeoPackage validator, owslib, requests, the
# mapbox-vector-tile decoder on the XYZ tiles and TileJSON) on every collection it lists, then browser_check.sh (headless Chromium and Debian's Leaflet, from a
# second origin, so CORS counts) on the relief centres, keeping a screenshot in
# .build/screenshots/. Any FAIL fails this script.
#
#   Tests/Clients/check-server.sh [.build/debug/refd]
#
# The polygon collection (towns) skips the checker's crs-part2 check only: that check reads a
# feature's first coordinate pair as a point, which a polygon's coordinates are not; our own
# tests check CRS on every vertex of the towns (Tests/SuginamiServerTests).
set -euo pipefail
cd "$(dirname "$0")/../.."
refd=${1:-.build/debug/refd}
peers=../shared/peers/server
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$refd" load --database "$work/store.sqlite" --buildings 0 --progress none >/dev/null
"$refd" serve --database "$work/store.sqlite" --port 0 --log-level warning >"$work/stdout" 2>"$work/stderr" &
pid=$!
for _ in $(seq 1 600); do
    grep -q '^serving ' "$work/stdout" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/stderr"; echo "refd serve stopped before serving"; exit 1; }
    sleep 0.2
done
base=$(sed -n 's|^serving \(http://[^ ]*\)/$|\1|p' "$work/stdout")
[ -n "$base" ] || { echo "refd serve printed no URL"; exit 1; }
collections=$(python3 -c 'import json,sys,urllib.request; print(" ".join(c["id"] for c in json.load(urllib.request.urlopen(sys.argv[1] + "/collections"))["collections"]))' "$base")
status=0
for collection in $collections; do
    extra=(--xyz "$base/tiles/$collection/{z}/{x}/{y}.mvt" --tilejson "$base/tiles/$collection.json")
    [ "$collection" = towns ] && extra+=(--skip crs-part2)
    [ "$collection" = relief_centres ] && extra+=(--expect-count 65)
    if bash "$peers/check_server.sh" "$base" --collection "$collection" "${extra[@]}" >"$work/$collection.log" 2>&1; then
        echo "clients: $collection ok ($(grep -c '^PASS' "$work/$collection.log") PASS, $(grep -c '^WARN' "$work/$collection.log") WARN)"
    else
        echo "clients: $collection FAILED"; grep -E '^(FAIL|WARN)' "$work/$collection.log"; status=1
    fi
done
mkdir -p .build/screenshots
if bash "$peers/browser_check.sh" "$base" relief_centres 65 "$PWD/.build/screenshots/relief_centres.png" >"$work/browser.log" 2>&1; then
    echo "clients: browser ok ($(head -1 "$work/browser.log"))"
else
    echo "clients: browser FAILED"; cat "$work/browser.log"; status=1
fi
# Our own page: the web map at / in headless Chromium, routed from a position as a tap does
# (`#route=` runs the tap's code path), with the instructions found in the page.
chromium=(chromium --headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --virtual-time-budget=20000)
page="$base/?lang=en#route=139.6359,35.7048"
timeout 120 "${chromium[@]}" --dump-dom "$page" >"$work/map.html" 2>/dev/null || true
if grep -q 'ROUTED' "$work/map.html" && grep -q '<ol id="instructions"><li>' "$work/map.html" && grep -q 'LOADED\|ROUTED' "$work/map.html"; then
    echo "clients: web map ok ($(grep -o '<li>[^<]*' "$work/map.html" | tail -1 | cut -c5-))"
    timeout 120 "${chromium[@]}" --window-size=1000,750 --screenshot="$PWD/.build/screenshots/map.png" "$page" >/dev/null 2>&1 || true
else
    echo "clients: web map FAILED: $(grep -o '<div id="status"[^<]*' "$work/map.html")"; status=1
fi
exit $status
