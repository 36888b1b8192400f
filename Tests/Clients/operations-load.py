#!/usr/bin/env python3
"""The night of the earthquake on one machine: all 65 relief centres update their status every
few seconds while residents submit 200 damage reports a second, for 60 s, against `refd serve`
on 127.0.0.1; a web map's live stream (`/events`) is open throughout.

Open loop: each sender has a fixed timetable, and a request's latency counts from when it was
due, not from when it went out, so a slow server cannot hide its queue (no coordinated
omission). Reports are spread over 20 public tokens, as from many phones.

    Tests/Clients/operations-load.py [--refd .build/release/refd] [--seconds 60] [--reports 200]
        [--status-interval 3] [--postgres URL --instances 2 [--kill-one-at 30]]

Prints acknowledgement latency percentiles per kind, errors, and how far the live stream lagged;
exits 1 on any error, a p99 of 50 ms or more, or a status change the stream did not carry.

With --postgres (a PostgreSQL cluster's URL; a new database is made in it) it runs --instances
daemons on that one database, the senders spread over them as a load balancer would, and the
live stream read from the last one (so status changes cross between daemons). With
--kill-one-at S the first daemon is SIGKILLed S seconds in; its senders then go to the others
(a balancer's failover). Requests the killed daemon never answered are not errors; every change
any daemon acknowledged must then be in the database (read back with psql), none lost.
"""
import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import signal
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from refdclient import prepared_store, run, token  # noqa: E402


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--refd", default=".build/release/refd")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--reports", type=float, default=200, help="public reports a second")
    parser.add_argument("--status-interval", type=float, default=3, help="seconds between a centre's updates")
    parser.add_argument("--postgres", help="a PostgreSQL cluster's URL: the daemons share a new database in it")
    parser.add_argument("--instances", type=int, default=1, help="daemons on the one database")
    parser.add_argument("--kill-one-at", type=float, help="SIGKILL the first daemon this many seconds in")
    options = parser.parse_args()
    if options.instances > 1 and not options.postgres:
        sys.exit("--instances above 1 needs --postgres: daemons share a PostgreSQL database")
    if options.kill_one_at is not None and options.instances < 2:
        sys.exit("--kill-one-at needs at least 2 --instances")
    work = tempfile.mkdtemp(prefix="refd-load-")
    refd = options.refd
    database = None
    if options.postgres:
        name = "load_" + uuid.uuid4().hex[:12]
        run("psql", options.postgres, "-qAtc", f"CREATE DATABASE {name}")
        database = urllib.parse.urlunsplit(urllib.parse.urlsplit(options.postgres)._replace(path="/" + name))
    database, network, centres = prepared_store(refd, work, database)
    issue = lambda *a: token(refd, database, *a)
    staff = {centre: issue("--role", "staff", "--facility", centre, "--label", f"desk {centre}") for centre in centres}
    public = [issue("--role", "public", "--label", f"phone {n}") for n in range(20)]
    servers, ports = [], []
    for _ in range(options.instances):
        server = subprocess.Popen(
            [refd, "serve", "--database", database, "--network", network, "--port", "0", "--log-level", "error",
             "--reports-per-minute", "100000"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = server.stdout.readline()
        servers.append(server)
        ports.append(int(line.strip().rstrip("/").rsplit(":", 1)[1]))
    port = ports[-1]  # the live stream's
    killed = {"at": None}

    lock = threading.Lock()
    latencies = {"status": [], "report": []}
    errors = []
    acked_status = {}  # note → acknowledgement time
    streamed = {}  # note → time the live stream carried it
    start = time.monotonic() + 1.0
    end = start + options.seconds

    def stream():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=options.seconds + 30)
        connection.request("GET", "/events")
        response = connection.getresponse()
        for raw in response:
            if time.monotonic() > end + 5:
                break
            line = raw.decode()
            if line.startswith("data: ") and '"facilityID"' in line:
                note = json.loads(line[6:]).get("note")
                with lock:
                    streamed[note] = time.monotonic()

    acked_notes = {"status": set(), "report": set()}
    unanswered = []  # requests the killed daemon took and never answered

    def sender(timetable, make, instance=0):
        target = ports[instance % len(ports)]
        connection = http.client.HTTPConnection("127.0.0.1", target, timeout=10)
        for due in timetable:
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if killed["at"] is not None and target == ports[0]:
                # The balancer takes the dead daemon out: this sender goes to the next one.
                target = ports[1]
                connection = http.client.HTTPConnection("127.0.0.1", target, timeout=10)
            kind, path, token, body, note = make()
            try:
                connection.request("POST", path, body=json.dumps(body), headers={
                    "Authorization": f"Bearer {token}", "Content-Type": "application/json",
                    "Idempotency-Key": note})
                response = connection.getresponse()
                answer = response.read()
            except (OSError, http.client.HTTPException) as error:
                with lock:
                    if killed["at"] is not None and target == ports[0]:
                        unanswered.append(note)
                    else:
                        errors.append(f"{kind}: {error}")
                connection = http.client.HTTPConnection("127.0.0.1", target, timeout=10)
                continue
            done = time.monotonic()
            with lock:
                if response.status not in (200, 201):
                    errors.append(f"{kind}: {response.status} {answer[:120]!r}")
                else:
                    acked_notes[kind].add(note)
                latencies[kind].append(done - due)
                if kind == "status":
                    acked_status[note] = done

    threads = [threading.Thread(target=stream, daemon=True)]
    # Each centre on its own timetable, phase-shifted so that updates are spread evenly.
    rng = random.Random(1)
    centre_groups = [centres[i::5] for i in range(5)]
    for group in centre_groups:
        timetable, makers = [], []
        for index, centre in enumerate(group):
            phase = (index * 5 + centre_groups.index(group)) / len(centres) * options.status_interval
            t = start + phase
            while t < end:
                timetable.append((t, centre))
                t += options.status_interval
        timetable.sort()
        queue = iter(timetable)

        def make_status(queue=queue):
            _, centre = next(queue)
            note = str(uuid.uuid4())
            return ("status", f"/centres/{centre}/status", staff[centre],
                    {"state": rng.choice(["open", "open", "full"]), "occupancy": rng.randrange(0, 1500),
                     "needs": {"water": rng.random() < 0.3}, "note": note}, note)
        threads.append(threading.Thread(
            target=sender, args=([t for t, _ in timetable], make_status, centre_groups.index(group))))
    senders = 20
    interval = senders / options.reports
    for n in range(senders):
        timetable = [start + n * interval / senders + k * interval for k in range(int(options.seconds / interval))]

        def make_report(n=n):
            note = str(uuid.uuid4())
            return ("report", "/reports", public[n], {
                "kind": rng.choice(["fire", "collapse", "road_blocked", "flooding", "injury", "other"]),
                "position": [139.60 + rng.random() * 0.06, 35.68 + rng.random() * 0.04], "text": note}, note)
        threads.append(threading.Thread(target=sender, args=(timetable, make_report, n)))
    if options.kill_one_at is not None:
        def kill():
            time.sleep(max(0, start + options.kill_one_at - time.monotonic()))
            killed["at"] = time.monotonic()
            servers[0].send_signal(signal.SIGKILL)
        threads.append(threading.Thread(target=kill, daemon=True))
    for thread in threads:
        thread.start()
    for thread in threads[1:]:
        thread.join()
    time.sleep(2)  # the stream's last events
    for server in servers:
        server.terminate()
        server.wait()

    total = sum(len(v) for v in latencies.values())
    problems = list(errors[:10])
    where = f"{options.instances} daemon(s) on PostgreSQL" if options.postgres else "1 daemon on SQLite"
    print(f"operations load: {where}, {options.seconds:.0f} s, {len(centres)} centres every "
          f"{options.status_interval:g} s, {options.reports:g} reports/s, {total} requests "
          f"({total / options.seconds:.0f}/s), {len(errors)} errors")
    if options.kill_one_at is not None:
        # Every acknowledged change, read back from the database.
        stored_reports = run("psql", database, "-qAtc", "SELECT document FROM damage_report")
        stored_status = run("psql", database, "-qAtc", "SELECT document FROM shelter_status")
        lost = [n for n in acked_notes["report"] if n not in stored_reports]
        lost += [n for n in acked_notes["status"] if n not in stored_status]
        acked = len(acked_notes["report"]) + len(acked_notes["status"])
        print(f"  killed the first daemon {options.kill_one_at:g} s in: {acked} changes acknowledged, "
              f"{len(lost)} lost; {len(unanswered)} requests it took were never answered (not acknowledged)")
        if lost:
            problems.append(f"{len(lost)} acknowledged changes lost")
    for kind, values in latencies.items():
        ms = [v * 1000 for v in values]
        print(f"  {kind}: n={len(ms)} p50={percentile(ms, .5):.1f} ms p90={percentile(ms, .9):.1f} ms "
              f"p99={percentile(ms, .99):.1f} ms max={max(ms):.1f} ms")
        # A kill run is held to losing nothing: its survivor takes twice the load from then on.
        if percentile(ms, .99) >= 50 and options.kill_one_at is None:
            problems.append(f"{kind} p99 {percentile(ms, .99):.1f} ms ≥ 50 ms")
    carried = [streamed[note] - acked for note, acked in acked_status.items() if note in streamed]
    missing = len(acked_status) - len(carried)
    lag = [x * 1000 for x in carried]
    print(f"  live stream: {len(carried)} of {len(acked_status)} status changes carried, lag after the "
          f"acknowledgement p50={percentile(lag, .5):.1f} ms p99={percentile(lag, .99):.1f} ms")
    if missing:
        problems.append(f"the live stream missed {missing} status changes")
    for problem in problems:
        print("FAIL", problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
