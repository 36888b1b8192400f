#!/usr/bin/env python3
"""Makes Sources/SuginamiKit/BundledData/Resources/plateau_buildings_2020.csv.gz, the ward's real
building footprints in a compact form, from the project's shared PLATEAU extract.

Input: ../shared/data/buildings_plateau_suginami/suginami_13115_bldg_plateau2020.geojson.gz
(124,207 footprints of 杉並区, PLATEAU 2020, CC BY 4.0; see its PROVENANCE.md entry).

Output columns (one row per building, in the source's order):
  building_id    the source's 建物ID (13115-bldg-N)
  town_code      census KEY_CODE of the 町丁目 (bundled towns.geojson) holding the footprint's
                 centroid, or of the nearest town when the centroid lies within 50 m outside
                 every town (the bundled boundaries are simplified)
  height_m       measuredHeight (m), as in the source
  flood_depth_m  the deepest 想定最大規模 flood depth among the source's flood attributes
                 (神田川, 城南地区河川, 石神井川及び白子川 basins); empty when none
  footprint      the outline as Google's encoded polyline at 1e-6 degree precision
                 ("polyline6": latitude first, as the algorithm defines it), rings separated
                 by a space, outer ring first, closing vertex kept. The three footprints the
                 source gives as several polygons keep their largest one (the SDK holds one
                 polygon per building).

Left out: footprints whose centroid lies more than 50 m outside every bundled town. The source
keeps buildings by the 13115 prefix of their 建物ID, which is not a boundary test: some of those
stand kilometres outside the ward, and a building that cannot be placed in a town cannot be
counted by town. The script prints how many.

Rounding to 1e-6 degrees makes a few outlines self-intersect (3 of them); those are repaired
with GDAL's MakeValid (its largest polygon kept) and checked again, so that every bundled
outline is a valid polygon to GDAL.

Nothing is invented: every value is the source's or computed from it as stated above.
Run with Debian's python3 and python3-gdal (`make deps` installs it):
/usr/bin/python3 Tools/plateau-buildings/make_bundle.py
"""
import gzip
import json
import math
import os
import sys

from osgeo import gdal, ogr

gdal.PushErrorHandler("CPLQuietErrorHandler")

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SOURCE = os.path.join(ROOT, "..", "shared", "data", "buildings_plateau_suginami",
                      "suginami_13115_bldg_plateau2020.geojson.gz")
TOWNS = os.path.join(ROOT, "Sources", "SuginamiKit", "BundledData", "Resources", "towns.geojson")
OUT = os.path.join(ROOT, "Sources", "SuginamiKit", "BundledData", "Resources", "plateau_buildings_2020.csv.gz")
FLOOD_SUFFIX = "（想定最大規模）>浸水深"


def encode_number(value):
    value = ~(value << 1) if value < 0 else value << 1
    out = []
    while value >= 0x20:
        out.append(chr((0x20 | (value & 0x1F)) + 63))
        value >>= 5
    out.append(chr(value + 63))
    return "".join(out)


def encode_ring(ring):
    last_lat = last_lon = 0
    parts = []
    for lon, lat in ring:
        ilat, ilon = round(lat * 1e6), round(lon * 1e6)
        parts.append(encode_number(ilat - last_lat) + encode_number(ilon - last_lon))
        last_lat, last_lon = ilat, ilon
    return "".join(parts)


def rounded(polygon):
    return [[(round(x * 1e6) / 1e6, round(y * 1e6) / 1e6) for x, y in ring] for ring in polygon]


def to_ogr(polygon):
    geometry = ogr.Geometry(ogr.wkbPolygon)
    for ring in polygon:
        line = ogr.Geometry(ogr.wkbLinearRing)
        for x, y in ring:
            line.AddPoint_2D(x, y)
        geometry.AddGeometry(line)
    return geometry


def valid_after_rounding(polygon):
    """The polygon as it will be bundled (1e-6 degrees), repaired if rounding broke it."""
    if to_ogr(rounded(polygon)).IsValid():
        return polygon, False
    repaired = to_ogr(rounded(polygon)).MakeValid()
    parts = [repaired.GetGeometryRef(i) for i in range(repaired.GetGeometryCount())] \
        if repaired.GetGeometryName() in ("MULTIPOLYGON", "GEOMETRYCOLLECTION") else [repaired]
    parts = [p for p in parts if p.GetGeometryName() == "POLYGON"]
    largest = max(parts, key=lambda p: p.GetArea())
    fixed = [[(largest.GetGeometryRef(r).GetX(i), largest.GetGeometryRef(r).GetY(i))
              for i in range(largest.GetGeometryRef(r).GetPointCount())]
             for r in range(largest.GetGeometryCount())]
    if not to_ogr(rounded(fixed)).IsValid():
        raise SystemExit("an outline stays invalid after MakeValid")
    return fixed, True


def ring_area_and_centroid(ring):
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if a == 0:
        return 0.0, ring[0]
    return a / 2, (cx / (3 * a), cy / (3 * a))


def centroid(polygons):
    total = sx = sy = 0.0
    for polygon in polygons:
        for index, ring in enumerate(polygon):
            area, (x, y) = ring_area_and_centroid(ring)
            area = abs(area) if index == 0 else -abs(area)
            total += area
            sx += x * area
            sy += y * area
    if total == 0:
        return polygons[0][0][0]
    return sx / total, sy / total


def inside(point, polygon):
    x, y = point
    hit = False
    for ring in polygon:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                hit = not hit
    return hit


EDGE_METRES = 50.0


def nearest_town(point, towns):
    """The town whose boundary is nearest to `point` and the distance in metres (local
    equirectangular metres: enough for tens of metres)."""
    k = math.cos(math.radians(point[1]))
    px, py = point[0] * k, point[1]
    best = (float("inf"), "")
    for code, polygons, _ in towns:
        for polygon in polygons:
            for ring in polygon:
                for (ax, ay), (bx, by) in zip(ring, ring[1:]):
                    ax, bx = ax * k, bx * k
                    dx, dy = bx - ax, by - ay
                    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / ((dx * dx + dy * dy) or 1)))
                    d = math.hypot(px - ax - t * dx, py - ay - t * dy) * 111320.0
                    if d < best[0]:
                        best = (d, code)
    return best


def main():
    towns = []
    for feature in json.load(open(TOWNS, encoding="utf-8"))["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        xs = [p[0] for poly in polygons for p in poly[0]]
        ys = [p[1] for poly in polygons for p in poly[0]]
        towns.append((feature["properties"]["code"], polygons, (min(xs), min(ys), max(xs), max(ys))))
    features = json.load(gzip.open(SOURCE, "rt", encoding="utf-8"))["features"]
    rows, nearest, dropped, repaired = [], 0, 0, 0
    for feature in features:
        properties, geometry = feature["properties"], feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        point = centroid(polygons)
        code = ""
        for town_code, town_polygons, (x0, y0, x1, y1) in towns:
            if x0 <= point[0] <= x1 and y0 <= point[1] <= y1 and any(inside(point, p) for p in town_polygons):
                code = town_code
                break
        if code == "":
            distance, code = nearest_town(point, towns)
            if distance > EDGE_METRES:
                dropped += 1
                continue
            nearest += 1
        depths = [v for k, v in properties.items() if k.endswith(FLOOD_SUFFIX) and v is not None]
        depth = "" if not depths else f"{max(depths):g}"
        largest = max(polygons, key=lambda p: abs(ring_area_and_centroid(p[0])[0]))
        largest, fixed = valid_after_rounding(largest)
        repaired += fixed
        footprint = " ".join(encode_ring(ring) for ring in largest)
        rows.append(f"{properties['建物ID']},{code},{properties['measuredHeight']:g},{depth},{footprint}\n")
    with gzip.open(OUT + ".tmp", "wt", encoding="utf-8", compresslevel=9) as out:
        out.write("building_id,town_code,height_m,flood_depth_m,footprint\n")
        out.writelines(rows)
    os.replace(OUT + ".tmp", OUT)
    print(f"{len(rows)} buildings ({nearest} placed in the nearest town, {dropped} left out, {repaired} "
          "repaired after rounding), "
          f"{os.path.getsize(OUT)} bytes: {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
