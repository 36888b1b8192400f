#!/usr/bin/env python3
"""Reference values of OpenQuake's four regional SiMidorikawa1999 variants (north-east trench
and south-west volcanic-front corrections), with the site distances they use.

  ~/.cache/suginami-peers/openquake/bin/python Tools/openquake-comparison/regional_reference.py \
      > Tests/SuginamiGISTests/Reference/gmpe_regional_reference.csv

Columns: gsim, imt, mag, hypo_depth_km, rrup_km, rhypo_km, lon, lat, vs30, x_tr_km (distance to
the subduction trench, |Rx| to NIED table 3.5.2-1), x_vf_km (signed Rx to the volcanic front,
NIED table 3.5.2-2), ln_mean, sigma_total_ln. rhypo differs from rrup on purpose: the trench
correction uses rhypo. OpenQuake 3.26.2 (the peer venv); standard library and OpenQuake only.
"""
import sys

import numpy as np
from openquake.hazardlib import valid
from openquake.hazardlib.contexts import simple_cmaker
from openquake.hazardlib.gsim import si_midorikawa_1999 as sm

GSIMS = (
    "SiMidorikawa1999SInterNorthEastCorrection",
    "SiMidorikawa1999SSlabNorthEastCorrection",
    "SiMidorikawa1999SInterSouthWestCorrection",
    "SiMidorikawa1999SSlabSouthWestCorrection",
)


def sites():
    # A grid over Japan's main islands and the sea around them, finer grids at the lines' ends, and five cities; both
    # sides of both polylines, and beyond their ends.
    lons, lats = [], []
    for lon in np.arange(126.0, 148.01, 2.0):
        for lat in np.arange(26.0, 46.01, 2.0):
            lons.append(lon)
            lats.append(lat)
    # Around the lines' first and last segments, where the half-arcs and their signs count.
    for lon0, lat0 in ((120.0, 22.0), (136.0, 34.0), (142.0, 22.0), (150.0, 42.0)):
        for dlon in range(6):
            for dlat in range(6):
                lons.append(lon0 + dlon)
                lats.append(lat0 + dlat)
    for lon, lat in ((139.6365, 35.6995), (139.75, 35.60), (139.95, 35.76), (135.5, 34.7), (141.3, 43.06)):
        lons.append(lon)
        lats.append(lat)
    return np.array(lons), np.array(lats)


def main():
    w = sys.stdout.write
    w("gsim,imt,mag,hypo_depth_km,rrup_km,rhypo_km,lon,lat,vs30,x_tr_km,x_vf_km,ln_mean,sigma_total_ln\n")
    lons, lats = sites()
    x_tr = sm._get_min_distance_to_sub_trench(lons, lats)
    x_vf = sm._get_min_distance_to_volcanic_front(lons, lats)
    n = len(lons)
    rng = np.random.default_rng(7)
    rrup = rng.uniform(5.0, 250.0, n)
    rhypo = rrup + rng.uniform(0.0, 60.0, n)
    for name in GSIMS:
        gsim = valid.gsim(name)
        for vs30 in (400.0,):
            for mag in (7.3,):
                for depth in (20.0, 80.0):
                    cm = simple_cmaker([gsim], ["PGV", "PGA"])
                    ctx = cm.new_ctx(n)
                    ctx.mag = mag
                    ctx.hypo_depth = depth
                    ctx.rrup = rrup
                    ctx.rhypo = rhypo
                    ctx.lon = lons
                    ctx.lat = lats
                    ctx.vs30 = vs30
                    ctx.sids = np.arange(n)
                    mean, sig, _tau, _phi = cm.get_mean_stds([ctx])[:, 0]
                    for m, imt in enumerate(("PGV", "PGA")):
                        for i in range(n):
                            w(f"{name},{imt},{mag},{depth},{rrup[i]:.10g},{rhypo[i]:.10g},{lons[i]:.10g},"
                              f"{lats[i]:.10g},{vs30},{x_tr[i]:.12g},{x_vf[i]:.12g},{mean[m, i]:.12g},"
                              f"{sig[m, i]:.12g}\n")


if __name__ == "__main__":
    main()
