"""What the operations clients (kill-restart.py, operations-load.py) share: running refd's tools
and a store of the bundled data with a saved network, ready to serve."""
import json
import os
import subprocess
import sys


def run(*arguments):
    """Runs a program; its standard output, or exits saying what failed."""
    done = subprocess.run(arguments, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(arguments)} failed: {done.stderr.strip()}")
    return done.stdout


def prepared_store(refd, work, database=None):
    """`refd load` (300 synthetic buildings) and `refd route --save-network` in WORK: the
    database (a file in WORK, or DATABASE, e.g. a postgres:// URL), the network path, and the
    relief centres' ids."""
    database = database or os.path.join(work, "store.sqlite")
    network = os.path.join(work, "net.sgknet")
    run(refd, "load", "--database", database, "--buildings", "300", "--progress", "none")
    run(refd, "route", "--database", database, "--from", "139.6366,35.6995", "--save-network", network)
    centres = [f["facility"]["id"] for f in json.loads(run(
        refd, "facilities", "--database", database, "--kind", "relief_centre", "--json"))]
    return database, network, centres


def token(refd, database, *arguments):
    """A new token's secret (`refd token issue`)."""
    return run(refd, "token", "issue", "--database", database, *arguments).strip()
