#!/usr/bin/env python3
"""The night of the earthquake on one machine: all 65 relief centres update their status every
few seconds while residents submit 200 damage reports a second, for 60 s, against `refd serve`
on 127.0.0.1; a web map's live stream (`/events`) is open throughout.

Open loop: each sender has a fixed timetable, and a request's latency counts from when it was
due, not from when it went out, so a slow server cannot hide its queue (no coordinated
omission). Reports are spread over 20 public tokens, as from many phones.

    Tests/Clients/operations-load.py [--refd .build/release/refd] [--seconds 60] [--reports 200]
        [--status-interval 3]

Prints acknowledgement latency percentiles per kind, errors, and how far the live stream lagged;
exits 1 on any error, a p99 of 50 ms or more, or a status change the stream did not carry.
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
import time
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
    options = parser.parse_args()
    work = tempfile.mkdtemp(prefix="refd-load-")
    refd = options.refd
    database, network, centres = prepared_store(refd, work)
    issue = lambda *a: token(refd, database, *a)
    staff = {centre: issue("--role", "staff", "--facility", centre, "--label", f"desk {centre}") for centre in centres}
    public = [issue("--role", "public", "--label", f"phone {n}") for n in range(20)]
    server = subprocess.Popen(
        [refd, "serve", "--database", database, "--network", network, "--port", "0", "--log-level", "error",
         "--reports-per-minute", "100000"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = server.stdout.readline()
    port = int(line.strip().rstrip("/").rsplit(":", 1)[1])

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

    def sender(timetable, make):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for due in timetable:
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            kind, path, token, body, note = make()
            try:
                connection.request("POST", path, body=json.dumps(body), headers={
                    "Authorization": f"Bearer {token}", "Content-Type": "application/json",
                    "Idempotency-Key": note})
                response = connection.getresponse()
                answer = response.read()
            except (OSError, http.client.HTTPException) as error:
                with lock:
                    errors.append(f"{kind}: {error}")
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            done = time.monotonic()
            with lock:
                if response.status not in (200, 201):
                    errors.append(f"{kind}: {response.status} {answer[:120]!r}")
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
        threads.append(threading.Thread(target=sender, args=([t for t, _ in timetable], make_status)))
    senders = 20
    interval = senders / options.reports
    for n in range(senders):
        timetable = [start + n * interval / senders + k * interval for k in range(int(options.seconds / interval))]

        def make_report(n=n):
            note = str(uuid.uuid4())
            return ("report", "/reports", public[n], {
                "kind": rng.choice(["fire", "collapse", "road_blocked", "flooding", "injury", "other"]),
                "position": [139.60 + rng.random() * 0.06, 35.68 + rng.random() * 0.04], "text": note}, note)
        threads.append(threading.Thread(target=sender, args=(timetable, make_report)))
    for thread in threads:
        thread.start()
    for thread in threads[1:]:
        thread.join()
    time.sleep(2)  # the stream's last events
    server.terminate()
    server.wait()

    total = sum(len(v) for v in latencies.values())
    problems = list(errors[:10])
    print(f"operations load: {options.seconds:.0f} s, {len(centres)} centres every {options.status_interval:g} s, "
          f"{options.reports:g} reports/s, {total} requests ({total / options.seconds:.0f}/s), {len(errors)} errors")
    for kind, values in latencies.items():
        ms = [v * 1000 for v in values]
        print(f"  {kind}: n={len(ms)} p50={percentile(ms, .5):.1f} ms p90={percentile(ms, .9):.1f} ms "
              f"p99={percentile(ms, .99):.1f} ms max={max(ms):.1f} ms")
        if percentile(ms, .99) >= 50:
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
