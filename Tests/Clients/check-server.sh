#!/usr/bin/env bash
# Real clients against the daemon: starts `refd serve` (the build `make test` made) on a free
# port of 127.0.0.1 with the bundled data, and runs ../shared/peers/server/check_server.sh
# (GDAL's OAPIF and MVT drivers, ogr2ogr and its GeoPackage validator, owslib, requests, the
# mapbox-vector-tile decoder on the XYZ tiles and TileJSON) on every collection it lists, then browser_check.sh (headless Chromium and Debian's Leaflet, from a
# second origin, so CORS counts) on the relief centres, keeping a screenshot in
# .build/screenshots/; then our web map in Chromium (a route by `#route=`, and by a real mouse
# click, the keyboard and the accessibility tree: click-map.py), and the same for the offline
# copy `refd export-site` writes, opened from file:// and from a static web server; then the
# kill-and-restart trials of the operations API (Tests/Clients/kill-restart.py), on SQLite and on
# PostgreSQL. Any FAIL fails this script.
#
#   Tests/Clients/check-server.sh [.build/debug/refd]
#
# Polygon collections (towns, the damage layers) skip the checker's crs-part2 check only: that check reads a
# feature's first coordinate pair as a point, which a polygon's coordinates are not; our own
# tests check CRS on every vertex of the towns (Tests/SuginamiServerTests).
set -euo pipefail
cd "$(dirname "$0")/../.."
refd=${1:-.build/debug/refd}
peers=../shared/peers/server
work=$(mktemp -d)
pid=""
# A server stopped here may exit with its signal's status (143): that is not a failure of the checks.
cleanup() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT

# A small simulation, so that the hazard layers (damage_cells, damage_towns) are served too.
"$refd" load --database "$work/store.sqlite" --buildings 3000 --progress none >/dev/null
"$refd" simulate --database "$work/store.sqlite" --scenario toshin-nanbu-chokka-m7.3 --events 20 --fire \
    --fire-classes wooden=fire_preventive,non_wooden=fire_resistant --out "$work/run" --report "$work/report" \
    --progress none >/dev/null
layers=(--simulation "$work/run" --report "$work/report")
"$refd" serve --database "$work/store.sqlite" "${layers[@]}" --port 0 --log-level warning >"$work/stdout" 2>"$work/stderr" &
pid=$!
for _ in $(seq 1 600); do
    grep -q '^serving ' "$work/stdout" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/stderr"; echo "refd serve stopped before serving"; exit 1; }
    sleep 0.2
done
base=$(sed -n 's|^serving \(http://[^ ]*\)/$|\1|p' "$work/stdout")
[ -n "$base" ] || { echo "refd serve printed no URL"; exit 1; }
# A report headquarters publishes through the operations API (a token from `refd token issue`),
# so that the clients read damage_reports with a feature in it.
hq=$("$refd" token issue --database "$work/store.sqlite" --role headquarters --label check-server 2>/dev/null)
python3 - "$base" "$hq" <<'PY' || { echo "operations: publishing a report FAILED"; exit 1; }
import json, sys, urllib.request
request = urllib.request.Request(sys.argv[1] + "/reports", method="POST", headers={
    "Authorization": "Bearer " + sys.argv[2], "Content-Type": "application/json"},
    data=json.dumps({"kind": "collapse", "position": [139.6452, 35.6950], "text": "家屋倒壊 (check-server)",
                     "publish": True}).encode())
answer = json.load(urllib.request.urlopen(request))
assert answer["properties"]["state"] == "published", answer
print("operations: a report published by headquarters", answer["id"])
PY
collections=$(python3 -c 'import json,sys,urllib.request; print(" ".join(c["id"] for c in json.load(urllib.request.urlopen(sys.argv[1] + "/collections"))["collections"]))' "$base")
status=0
for collection in $collections; do
    extra=(--xyz "$base/tiles/$collection/{z}/{x}/{y}.mvt" --tilejson "$base/tiles/$collection.json")
    geometry=$(python3 -c 'import json,sys,urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1]))["features"][0]["geometry"]["type"])' "$base/collections/$collection/items?limit=1")
    [ "$geometry" != Point ] && extra+=(--skip crs-part2)
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
routed_page() { # URL NAME: the page routes from Asagaya; keeps a screenshot
    timeout 120 "${chromium[@]}" --allow-file-access-from-files --dump-dom "$1" >"$work/$2.html" 2>/dev/null || true
    if grep -q 'ROUTED' "$work/$2.html" && grep -q '<ol id="instructions"><li>' "$work/$2.html"; then
        echo "clients: $2 ok ($(grep -o '<li>[^<]*' "$work/$2.html" | tail -1 | cut -c5-))"
        timeout 120 "${chromium[@]}" --window-size=1000,750 --screenshot="$PWD/.build/screenshots/$2.png" "$1" >/dev/null 2>&1 || true
    else
        echo "clients: $2 FAILED: $(grep -o '<div id="status"[^<]*' "$work/$2.html")"; status=1
    fi
}
routed_page "$base/?lang=en&live=0#route=139.6359,35.7048" web-map
# A resident's mouse, keyboard and screen reader on the same page (Selenium + chromedriver).
clicked() { # URL NAME [HEADQUARTERS_TOKEN: also the live updates]
    if /usr/bin/python3 Tests/Clients/click-map.py "$1" "$PWD/.build/screenshots/$2" ${3:+"$3"} >"$work/$2-click.log" 2>&1; then
        echo "clients: $2 by mouse, keyboard and screen reader ok ($(grep -c '^PASS' "$work/$2-click.log") PASS)"
    else
        echo "clients: $2 by mouse, keyboard and screen reader FAILED"; grep -v '^PASS' "$work/$2-click.log"; status=1
    fi
}
clicked "$base/?lang=en" web-map "$hq"

# The offline copy (`refd export-site`): opened from file:// as from a USB stick, and from a plain
# static web server, with no daemon running.
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; pid=""
"$refd" export-site --database "$work/store.sqlite" "${layers[@]}" --zooms 11-14 --progress none "$work/site" >/dev/null
routed_page "file://$work/site/index.html?lang=en#route=139.6359,35.7048" site-file
clicked "file://$work/site/index.html?lang=ja" site-file
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server -b 127.0.0.1 -d "$work/site" "$port" >/dev/null 2>&1 &
pid=$!
sleep 0.5
routed_page "http://127.0.0.1:$port/index.html?lang=ko#route=139.6359,35.7048" site-static-server

# Acknowledged means durable: refd serve killed with SIGKILL KILL_TRIALS times under writes, on
# an SQLite file and on a database of a throw-away PostgreSQL cluster (removed after the trials).
python3 Tests/Clients/kill-restart.py --refd "$refd" --trials "${KILL_TRIALS:-100}" || status=1
Tools/postgres/throwaway-cluster.sh run -- sh -c \
    'python3 Tests/Clients/kill-restart.py --refd "$1" --trials "$2" --postgres "$SUGINAMI_TEST_POSTGRES"' \
    kill-restart "$refd" "${KILL_TRIALS:-100}" || status=1
exit $status
