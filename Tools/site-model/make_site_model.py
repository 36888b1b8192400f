#!/usr/bin/env python3
"""Makes Sources/SuginamiGIS/Resources/site-suginami-derived.csv, the bundled DERIVED site model:
a PGV amplification factor (from the Vs 600 m/s layer of Si & Midorikawa 1999) per 250 m cell
(JIS X 0410 quarter mesh) of the ward.

No surveyed per-cell ground data for Suginami is bundled (J-SHIS files load with --site). What
the ward's own data show is where its valleys are: PLATEAU's 想定最大規模 flood depths mark
the valley floors of 善福寺川, 神田川 and 妙正寺川 (buildings with a depth of 0.5 m or more).
The rule, every step stated:

1. valley share v of a cell = share of its bundled buildings (plateau_buildings_2020.csv.gz)
   whose flood depth is 0.5 m or more;
2. relative factor = 1 + v (1.8 / 1.6 - 1): the valley floor amplifies as Tokyo's ground
   class 谷底低地2 (1.8), the terrace as 台地1 (1.6) (TMG 地域危険度 第8回 ground classes,
   SECONDARY, shared/data/quake/site_amplification_tmg_ground_classes.csv);
3. factor = c x relative factor, with the one constant c calibrated so that, under the
   bundled 多摩東部直下 scenario (its geometry ASSUMED), the share of cells whose median JMA
   intensity reaches 6.0 (震度6強) is the ward's published 46 % (the rest 6弱, 54 %).

c is found by bisection over runs of the real engine (refd simulate, 200 events, seed 42).
Usage: python3 Tools/site-model/make_site_model.py .build/release/refd suginami.sqlite
(the database from `refd load`; the script needs jismesh, which `make deps` installs).
"""
import csv
import gzip
import os
import subprocess
import sys
import tempfile

import jismesh.utils as ju

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
BUNDLE = os.path.join(ROOT, "Sources", "SuginamiKit", "BundledData", "Resources", "plateau_buildings_2020.csv.gz")
OUT = os.path.join(ROOT, "Sources", "SuginamiGIS", "Resources", "site-suginami-derived.csv")
VALLEY_DEPTH = 0.5
TERRACE, VALLEY = 1.6, 1.8
TARGET = 0.46


def first_vertex(encoded):
    values, index = [], 0
    while index < len(encoded) and len(values) < 2:
        result = shift = 0
        while True:
            chunk = ord(encoded[index]) - 63
            index += 1
            result |= (chunk & 0x1F) << shift
            shift += 5
            if chunk < 0x20:
                break
        values.append(~(result >> 1) if result & 1 else result >> 1)
    return values[0] / 1e6, values[1] / 1e6


def valley_shares():
    counts = {}
    with gzip.open(BUNDLE, "rt", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            lat, lon = first_vertex(row["footprint"])
            mesh = str(ju.to_meshcode(lat, lon, 5))
            total, valley = counts.get(mesh, (0, 0))
            depth = float(row["flood_depth_m"]) if row["flood_depth_m"] else 0.0
            counts[mesh] = (total + 1, valley + (depth >= VALLEY_DEPTH))
    return {mesh: valley / total for mesh, (total, valley) in counts.items()}


def write(path, shares, c):
    with open(path, "w", encoding="utf-8") as f:
        f.write("mesh_code,amplification\n")
        for mesh in sorted(shares):
            f.write(f"{mesh},{c * (1 + shares[mesh] * (VALLEY / TERRACE - 1)):.4f}\n")


def upper_share(refd, database, site):
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([refd, "simulate", "--database", database, "--scenario", "tama-tobu-chokka-m7.3",
                        "--events", "200", "--seed", "42", "--site", site, "--out", out + "/run",
                        "--progress", "none"], check=True, stdout=subprocess.DEVNULL)
        with open(out + "/run/cells.csv", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    return sum(float(r["median_intensity"]) >= 6.0 for r in rows) / len(rows)


def main():
    refd, database = sys.argv[1], sys.argv[2]
    shares = valley_shares()
    print(f"{len(shares)} cells, {sum(v >= 0.5 for v in shares.values())} mostly valley floor", file=sys.stderr)
    low, high = 1.0, 4.0
    with tempfile.TemporaryDirectory() as scratch:
        site = scratch + "/site.csv"
        for _ in range(14):
            c = (low + high) / 2
            write(site, shares, c)
            share = upper_share(refd, database, site)
            print(f"c = {c:.4f}: {share:.1%} of cells at 6強", file=sys.stderr)
            if share < TARGET:
                low = c
            else:
                high = c
    c = round((low + high) / 2, 3)
    write(OUT + ".tmp", shares, c)
    os.replace(OUT + ".tmp", OUT)
    print(f"c = {c}; wrote {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
