#!/usr/bin/env python3
"""Learns the relations the bundled stock's assumed attributes use, from the 荒川区 sample
(../shared/data/buildings_arakawa_sample: 2,533 buildings with structure, storeys, era class,
height and footprint; the sample is not shipped). Prints the tables that
Sources/SuginamiKit/Buildings/Priors/BuildingAttributePriors.swift holds, so anyone can
re-derive them: python3 Tools/plateau-buildings/learn_priors.py
"""
import collections
import gzip
import json
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, "..", "..", "..", "shared", "data", "buildings_arakawa_sample", "arakawa_bldg_wgs84.geojson.gz")

HEIGHT_BANDS = [7.0, 10.0, 13.0, 20.0]       # m: <7, 7-10, 10-13, 13-20, >=20
FOOTPRINT_BANDS = [50.0, 100.0, 200.0]       # m2: <50, 50-100, 100-200, >=200
ERA_HEIGHT_BANDS = [7.0, 10.0]               # m: <7, 7-10, >=10 (few tall wooden buildings)
SMOOTHING = 10.0                              # pseudo-buildings pulling a cell to the sample's share


def band(value, limits):
    return sum(value >= limit for limit in limits)


def area(geometry):
    def ring(r):
        k = 111320.0 * math.cos(math.radians(r[0][1]))
        xs = [p[0] * k for p in r]
        ys = [p[1] * 111320.0 for p in r]
        return abs(sum(xs[i] * ys[i + 1] - xs[i + 1] * ys[i] for i in range(len(r) - 1))) / 2
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return sum(ring(p[0]) - sum(ring(h) for h in p[1:]) for p in polygons)


def main():
    rows = []
    for feature in json.load(gzip.open(SAMPLE, "rt"))["features"]:
        p = feature["properties"]
        rows.append((p["structure"], int(p["storeys"]), p["year"], p["height"], area(feature["geometry"])))
    # Storeys from height: floors = max(1, round((height - a) / b)), a and b chosen on a 0.1 m grid
    # to make the most exact matches.
    best = max(((sum(max(1, round((h - a / 10) / (b / 10))) == s for _, s, _, h, _ in rows), a / 10, b / 10)
                for a in range(0, 41) for b in range(25, 41)))
    print(f"floors rule: a = {best[1]} m, b = {best[2]} m, exact for {best[0]} of {len(rows)} "
          f"({best[0] / len(rows):.1%}); within one storey: "
          f"{sum(abs(max(1, round((h - best[1]) / best[2])) - s) <= 1 for _, s, _, h, _ in rows) / len(rows):.1%}")
    # Wooden share by height band x footprint band, smoothed towards the sample's share.
    overall = sum(r[0] == "w" for r in rows) / len(rows)
    print(f"sample wooden share {overall:.3f}")
    cells = collections.defaultdict(lambda: [0, 0])
    for structure, _, _, h, a in rows:
        cell = cells[(band(h, HEIGHT_BANDS), band(a, FOOTPRINT_BANDS))]
        cell[0] += structure == "w"
        cell[1] += 1
    print("wooden share [height band][footprint band] (n):")
    for hb in range(len(HEIGHT_BANDS) + 1):
        shares = []
        for fb in range(len(FOOTPRINT_BANDS) + 1):
            w, n = cells[(hb, fb)]
            shares.append(f"{(w + SMOOTHING * overall) / (n + SMOOTHING):.3f} ({n})")
        print("  ", ", ".join(shares))
    # Wooden era classes by height band, relative to the sample's wooden era mix.
    wooden = [r for r in rows if r[0] == "w"]
    totals = collections.Counter(r[2] for r in wooden)
    print("wooden era-class ratio [height band][class 0..4] (class 0 <=1971, 1 1972-81, 2 1982-90, 3 1991-2000, 4 2001-):")
    for hb in range(len(ERA_HEIGHT_BANDS) + 1):
        subset = [r for r in wooden if band(r[3], ERA_HEIGHT_BANDS) == hb]
        counts = collections.Counter(r[2] for r in subset)
        ratios = [((counts[c] + SMOOTHING * totals[c] / len(wooden)) / (len(subset) + SMOOTHING)) / (totals[c] / len(wooden))
                  for c in range(5)]
        print(f"   n={len(subset)}:", ", ".join(f"{r:.3f}" for r in ratios))


if __name__ == "__main__":
    main()
