#!/usr/bin/env python3
"""SciPy reference for the REAL OSM sample of Nerima (練馬区), made exactly as the peer script
(../shared/peers/routing_peers.py) makes Shibuya's: its junction graph of walkable ways, 65
random shelter nodes and 5 % of the edges closed with the script's seed, and csgraph.dijkstra's
nearest-shelter distances before and after the closures. The peer script offers no Nerima
network, so this imports its functions rather than copying them.

Run from the repository root with the peers' venv (PY=$(bash ../shared/peers/setup_venv.sh)):
  $PY Tests/SuginamiGISTests/Reference/routing/make_nerima_reference.py
It writes nerima_real_osm_{nodes,edges,shelters,blocked_edges,dist,dist_blocked}.csv.gz here.
Data: OpenStreetMap contributors, ODbL (shared/data/roads/real_osm/nerima_cgimap_2011.osm).
"""
import gzip
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
PEERS = HERE.parents[3].parent / "shared" / "peers"
sys.path.insert(0, str(PEERS))
import routing_peers as peers  # noqa: E402

net = peers.load_osm_real(peers.ROADS / "real_osm" / "nerima_cgimap_2011.osm", "nerima_real_osm")
rng = np.random.default_rng(peers.SEED)
shelters, description = peers.shelters_for(net, rng)
blocked_edge = np.zeros(net.m, bool)
blocked_edge[rng.choice(net.m, int(round(peers.BLOCK_FRACTION * net.m)), replace=False)] = True
reference, reference_blocked = peers.scipy_reference(net, shelters, np.concatenate([blocked_edge, blocked_edge]))
with tempfile.TemporaryDirectory() as scratch:
    peers.write_dist_csv(Path(scratch), net, shelters, blocked_edge, reference, reference_blocked)
    for path in sorted(Path(scratch).glob("*.csv")):
        with open(path, "rb") as source, gzip.GzipFile(HERE / (path.name + ".gz"), "wb", mtime=0) as target:
            shutil.copyfileobj(source, target)
print(f"nerima_real_osm: {net.n} nodes, {net.m} edges, shelters: {description}, "
      f"{int(blocked_edge.sum())} edges closed")
