#!/usr/bin/env python3
"""Feed OpenQuake's peer job to SuginamiKit and compare the damage (used by compare.sh).

  oq_compare.py inputs  --oq RUNDIR --peers PEERSDIR --vs30 V --out DIR
      writes DIR/register.csv (the exposure as a building register), DIR/fragility.csv (the
      peer job's placeholder functions in SuginamiKit's format) and DIR/site.csv (OpenQuake's
      site factor for V on every 250 m cell of the exposure)
  oq_compare.py compare --oq-exports DIR --ours RUNDIR [--ours-precise RUNDIR]
      prints both engines' mean damage over events with standard errors, and exits 1 when
      they differ by more than 3 combined standard errors; with --ours-precise (a run of ours
      with many more events, so its mean is nearly exact) also OpenQuake's distance from that
      mean in OpenQuake's own standard errors: the test of a systematic difference, since runs
      that share a seed share their Monte Carlo error

Standard library only.
"""
import argparse
import csv
import glob
import importlib.util
import math
import os
import sys

# OpenQuake taxonomy of the peer job -> (structure, a construction year in the TMG class).
TAXONOMY = {
    "W_PRE1962": ("wooden", 1955, "wooden_-1962"),
    "W_1963_1971": ("wooden", 1967, "wooden_1963-1971"),
    "W_1972_1980": ("wooden", 1976, "wooden_1972-1980"),
    "W_1981_1990": ("wooden", 1985, "wooden_1981-1990"),
    "W_1991_2000": ("wooden", 1995, "wooden_1991-2000"),
    "W_2001": ("wooden", 2010, "wooden_2001-"),
    "NW_PRE1971": ("non_wooden", 1965, "non_wooden_-1971"),
    "NW_1972_1980": ("non_wooden", 1976, "non_wooden_1972-1980"),
    "NW_1981": ("non_wooden", 1995, "non_wooden_1981-"),
}
SITE_FACTOR = {400: 1.41, 600: 1.0, 800: 1 / 1.25}  # OpenQuake's SiMidorikawa1999 site term


def inputs(args):
    spec = importlib.util.spec_from_file_location("gen_inputs", os.path.join(args.peers, "gen_inputs.py"))
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    os.makedirs(args.out, exist_ok=True)
    meshes = set()
    with open(os.path.join(args.oq, "exposure.csv")) as f, open(os.path.join(args.out, "register.csv"), "w") as out:
        out.write("id,latitude,longitude,structure,construction_year,synthetic\n")
        for row in csv.DictReader(f):
            structure, year, _ = TAXONOMY[row["taxonomy"]]
            out.write(f"{row['id']},{row['lat']},{row['lon']},{structure},{year},1\n")
            meshes.add(row["mesh250"])
    with open(os.path.join(args.out, "fragility.csv"), "w") as out:
        out.write("# The OpenQuake peer job's PLACEHOLDER functions (gen_inputs.py CLASSES): half = mu - 0.5\n")
        out.write("era,ground,damage_state,form,mu,sigma,points,status,source\n")
        for tax, _share, mu, sig in gen.CLASSES:
            era = TAXONOMY[tax][2]
            out.write(f"{era},any,half,normal,{mu - 0.5},{sig},,placeholder,gen_inputs.py CLASSES {tax}\n")
            out.write(f"{era},any,collapse,normal,{mu},{sig},,placeholder,gen_inputs.py CLASSES {tax}\n")
    with open(os.path.join(args.out, "site.csv"), "w") as out:
        out.write("mesh_code,amplification\n")
        for mesh in sorted(meshes):
            out.write(f"{mesh},{SITE_FACTOR[args.vs30]}\n")


def mean_and_error(values):
    n = len(values)
    mean = sum(values) / n
    variance = sum((v - mean) ** 2 for v in values) / (n - 1)
    return mean, math.sqrt(variance / n)


def compare(args):
    by_event = glob.glob(os.path.join(args.oq_exports, "risk_by_event_*.csv"))[0]
    oq_half, oq_collapse = [], []
    with open(by_event) as f:
        next(f)
        for row in csv.DictReader(f):
            oq_half.append(float(row["half"]) + float(row["collapse"]))  # half or worse
            oq_collapse.append(float(row["collapse"]))
    ours_half, ours_collapse = [], []
    with open(os.path.join(args.ours, "events.csv")) as f:
        for row in csv.DictReader(f):
            ours_half.append(float(row["half_buildings"]))
            ours_collapse.append(float(row["collapse_buildings"]))
    ok = True
    print(f"{'state':<22}{'OpenQuake':>22}{'SuginamiKit':>22}{'difference':>14}{'3 SE':>10}")
    for name, a, b in (("half-collapse or worse", oq_half, ours_half), ("collapse", oq_collapse, ours_collapse)):
        (ma, sa), (mb, sb) = mean_and_error(a), mean_and_error(b)
        limit = 3 * math.hypot(sa, sb)
        agree = abs(ma - mb) <= limit
        ok &= agree
        print(f"{name:<22}{ma:>14.1f} ± {sa:<6.1f}{mb:>14.1f} ± {sb:<6.1f}{mb - ma:>14.1f}{limit:>10.1f}  "
              f"{'agree' if agree else 'DIFFER'}")
    print(f"events: OpenQuake {len(oq_half)}, SuginamiKit {len(ours_half)}")
    if args.ours_precise:
        precise_half, precise_collapse = [], []
        with open(os.path.join(args.ours_precise, "events.csv")) as f:
            for row in csv.DictReader(f):
                precise_half.append(float(row["half_buildings"]))
                precise_collapse.append(float(row["collapse_buildings"]))
        print(f"SuginamiKit with {len(precise_half)} events (another seed) against OpenQuake's mean:")
        for name, a, b in (("half-collapse or worse", oq_half, precise_half), ("collapse", oq_collapse, precise_collapse)):
            (ma, sa), (mb, sb) = mean_and_error(a), mean_and_error(b)
            z = (ma - mb) / math.hypot(sa, sb)
            agree = abs(z) <= 3
            ok &= agree
            print(f"{name:<22}{ma:>14.1f} ± {sa:<6.1f}{mb:>14.1f} ± {sb:<6.1f}  OpenQuake − ours = {z:+.2f} SE  "
                  f"{'agree' if agree else 'DIFFER'}")
    sys.exit(0 if ok else 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    a = sub.add_parser("inputs")
    a.add_argument("--oq", required=True)
    a.add_argument("--peers", required=True)
    a.add_argument("--vs30", type=int, choices=[400, 600, 800], required=True)
    a.add_argument("--out", required=True)
    b = sub.add_parser("compare")
    b.add_argument("--oq-exports", required=True)
    b.add_argument("--ours", required=True)
    b.add_argument("--ours-precise")
    args = parser.parse_args()
    inputs(args) if args.command == "inputs" else compare(args)


if __name__ == "__main__":
    main()
