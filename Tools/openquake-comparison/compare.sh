#!/usr/bin/env bash
# SuginamiKit against OpenQuake 3.26.2 on the same scenario_damage job: same rupture, sites
# (uniform vs30), fragility and number of events; mean damage over events compared within
# Monte Carlo error (3 combined standard errors).
#
#   bash Tools/openquake-comparison/compare.sh [OUTDIR]      from the repository root
#   N=10000 E=1000 VS30=400 PRECISE=20 bash Tools/openquake-comparison/compare.sh
#
# Ours also runs PRECISE × E events with another seed (default 20): its mean is then nearly exact,
# and OpenQuake's mean is compared with it in OpenQuake's standard errors. That is the test of a
# systematic difference: the E-event runs of one seed share their Monte Carlo error.
#
# Needs ../shared/peers/openquake (the peer job; its setup_venv.sh installs OpenQuake from PyPI
# into ~/.cache, about a minute). Writes only into OUTDIR (default: a new temp directory).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PEERS=${PEERS:-$ROOT/../shared/peers/openquake}
N=${N:-10000}
E=${E:-1000}
PRECISE=${PRECISE:-20}
VS30=${VS30:-400}
OUT=${1:-$(mktemp -d)}
HERE=$(dirname "${BASH_SOURCE[0]}")
mkdir -p "$OUT/oqdata" "$OUT/exports"
export OQ_DATADIR="$OUT/oqdata"
PY=$(bash "$PEERS/setup_venv.sh" | tail -n 1)
OQ=$(dirname "$PY")/oq
echo "== OpenQuake: N=$N buildings, E=$E events, vs30=$VS30 (job in $OUT/oq)"
"$PY" "$PEERS/gen_inputs.py" --n "$N" --events "$E" --mode grid --corr on --out "$OUT/oq" >/dev/null
if [ "$VS30" != 400 ]; then sed -i "s/,400\.0\$/,$VS30.0/" "$OUT/oq/site_model.csv"; fi
(cd "$OUT/oq" && /usr/bin/time -f "OpenQuake: %e s wall, %U+%S s CPU, %M KB peak" "$OQ" run job.ini >"$OUT/oq.log" 2>&1) \
    || { tail -n 20 "$OUT/oq.log"; exit 1; }
grep -h "OpenQuake:" "$OUT/oq.log" || true
"$OQ" export risk_by_event -1 -e csv -d "$OUT/exports" >/dev/null
echo "== SuginamiKit on the same inputs"
python3 "$HERE/oq_compare.py" inputs --oq "$OUT/oq" --peers "$PEERS" --vs30 "$VS30" --out "$OUT/ours"
(cd "$ROOT" && swift build -c release --product refd >/dev/null)
REFD=$(cd "$ROOT" && swift build -c release --show-bin-path)/refd
rm -f "$OUT/ours/db.sqlite"*
"$REFD" load --database "$OUT/ours/db.sqlite" --buildings 0 --progress none >/dev/null
"$REFD" import --database "$OUT/ours/db.sqlite" --buildings "$OUT/ours/register.csv" >/dev/null
/usr/bin/time -f "SuginamiKit: %e s wall, %U+%S s CPU, %M KB peak" "$REFD" simulate --database "$OUT/ours/db.sqlite" \
    --scenario synthetic-southern-tokyo-m7.3 --events "$E" --seed 42 --fragility "$OUT/ours/fragility.csv" \
    --site "$OUT/ours/site.csv" --out "$OUT/ours/run" --progress none
"$REFD" simulate --database "$OUT/ours/db.sqlite" --scenario synthetic-southern-tokyo-m7.3 --events $((E * PRECISE)) \
    --seed 7 --fragility "$OUT/ours/fragility.csv" --site "$OUT/ours/site.csv" --out "$OUT/ours/precise" \
    --progress none >/dev/null
echo "== Mean damage over events (buildings)"
python3 "$HERE/oq_compare.py" compare --oq-exports "$OUT/exports" --ours "$OUT/ours/run" --ours-precise "$OUT/ours/precise"
