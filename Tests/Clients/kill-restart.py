#!/usr/bin/env python3
"""Acknowledged means durable: kill `refd serve` with SIGKILL at random moments, many times.

Each trial starts the daemon on the same store, checks that every change it acknowledged in
earlier trials is there (and that retrying it with its Idempotency-Key replays the same
answer), then lets four clients send status updates and damage reports as fast as it answers
them, and kills it with SIGKILL at a random moment between 50 and 600 ms after the first
acknowledgement. At the end the daemon is started once more and everything is checked again,
together with the audit log: intact, and exactly one entry per stored change (nothing half
applied: a change and its entry are one transaction).

    Tests/Clients/kill-restart.py [--refd .build/debug/refd] [--trials 100] [--seed 1] [--postgres URL]

On an SQLite file by default; with --postgres (a PostgreSQL cluster's URL) on a new database
made in that cluster, which the daemon then commits to over the network: what it acknowledged
must have been committed there before the answer left.

Prints one line per 10 trials and a summary; exits 1 on any lost or half-applied change.
Talks to 127.0.0.1 only.
"""
import argparse
import atexit
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from refdclient import prepared_store, run, token as token_of  # noqa: E402


class Daemon:
    def __init__(self, refd, database, network):
        self.process = subprocess.Popen(
            [refd, "serve", "--database", database, "--network", network, "--port", "0",
             "--log-level", "error", "--reports-per-minute", "1000000"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("serving http://127.0.0.1:"):
            self.process.kill()
            sys.exit(f"refd serve did not start: {line!r}")
        self.port = int(line.strip().rstrip("/").rsplit(":", 1)[1])

    def kill(self):
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()


def call(port, method, path, token, body=None, key=None, timeout=10):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Authorization": f"Bearer {token}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    if key is not None:
        headers["Idempotency-Key"] = key
    try:
        connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--refd", default=".build/debug/refd")
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres", help="a PostgreSQL cluster's URL: the trials run on a new database in it")
    options = parser.parse_args()
    rng = random.Random(options.seed)
    work = tempfile.mkdtemp(prefix="refd-kill-")
    atexit.register(shutil.rmtree, work, True)
    refd = options.refd
    database = None
    if options.postgres:
        name = "kill_" + uuid.uuid4().hex[:12]
        run("psql", options.postgres, "-qAtc", f"CREATE DATABASE {name}")
        database = urllib.parse.urlunsplit(urllib.parse.urlsplit(options.postgres)._replace(path="/" + name))
    where = "PostgreSQL" if options.postgres else "SQLite"
    database, network, centres = prepared_store(refd, work, database)
    centres = centres[:8]
    token = lambda *a: token_of(refd, database, *a)
    staff = {centre: token("--role", "staff", "--facility", centre, "--label", f"desk {centre}") for centre in centres}
    headquarters = token("--role", "headquarters", "--label", "HQ")
    public = token("--role", "public", "--label", "resident app")
    tokens_issued = len(staff) + 2

    acknowledged = []  # (kind, path, token, body, key, response body)
    lock = threading.Lock()
    refused = []  # answers other than 2xx: none is expected
    first_ack = threading.Event()  # set by a writer's first acknowledgement in a trial
    last_trial_keys = set()  # the keys acknowledged in the trial before

    def check(port, items, replay_sample):
        lost = []
        for kind, path, secret, body, key, answer in items:
            answer_json = json.loads(answer)
            if kind == "report":
                status, _, got = call(port, "GET", f"/reports/{answer_json['id']}", headquarters)
                if status != 200 or json.loads(got)["properties"]["text"] != body["text"]:
                    lost.append((kind, key, status))
            else:
                status, _, got = call(port, "GET", path, headquarters)
                history = json.loads(got) if status == 200 else []
                if not any(entry["note"] == body["note"] and entry["occupancy"] == body["occupancy"]
                           and entry["reported_at"] == answer_json["reported_at"] for entry in history):
                    lost.append((kind, key, status))
        for kind, path, secret, body, key, answer in rng.sample(items, min(replay_sample, len(items))):
            status, headers, got = call(port, "POST", path, secret, body, key)
            if status not in (200, 201) or headers.get("Idempotent-Replayed") != "true" or got != answer:
                lost.append(("replay " + kind, key, status))
        return lost

    def writer(port, stop, number):
        local = random.Random(options.seed * 1000 + number + len(acknowledged))
        while not stop.is_set():
            key = str(uuid.uuid4())
            if local.random() < 0.5:
                centre = local.choice(centres)
                path = f"/centres/{centre}/status"
                body = {"state": local.choice(["open", "full"]), "occupancy": local.randrange(0, 2000), "note": key}
                secret = staff[centre]
                kind = "status"
            else:
                path = "/reports"
                body = {"kind": local.choice(["fire", "collapse", "road_blocked", "flooding"]),
                        "position": [139.62 + local.random() * 0.04, 35.69 + local.random() * 0.02], "text": key}
                secret = public
                kind = "report"
            try:
                status, _, answer = call(port, "POST", path, secret, body, key, timeout=5)
            except (OSError, http.client.HTTPException):
                return  # the daemon was killed (before or while answering): never acknowledged
            if status in (200, 201):
                with lock:
                    acknowledged.append((kind, path, secret, body, key, answer))
                    first_ack.set()
            else:
                refused.append((status, answer[:200]))
                return

    started = time.time()
    failures = []
    for trial in range(1, options.trials + 1):
        daemon = Daemon(refd, database, network)
        with lock:
            earlier = list(acknowledged)
        # Everything acknowledged before the last kill, checked in full; a sample replayed.
        recent = [item for item in earlier if item[4] in last_trial_keys]
        lost = check(daemon.port, recent, 10)
        if lost:
            failures.append((trial, lost))
        stop = threading.Event()
        first_ack.clear()
        before = len(acknowledged)
        writers = [threading.Thread(target=writer, args=(daemon.port, stop, n)) for n in range(4)]
        for thread in writers:
            thread.start()
        first_ack.wait(10)
        time.sleep(rng.uniform(0.05, 0.6))
        daemon.kill()
        stop.set()
        for thread in writers:
            thread.join()
        with lock:
            last_trial_keys = {item[4] for item in acknowledged[before:]}
        if trial % 10 == 0 or trial == options.trials:
            print(f"kill-restart ({where}): {trial} trials, {len(acknowledged)} acknowledged changes, "
                  f"{sum(len(f[1]) for f in failures)} lost, {time.time() - started:.0f} s", flush=True)

    # The last check: every acknowledged change of every trial, and the audit log.
    daemon = Daemon(refd, database, network)
    lost = check(daemon.port, acknowledged, 50)
    status, _, head = call(daemon.port, "GET", "/audit/head", headquarters)
    head = json.loads(head)
    status, _, reports = call(daemon.port, "GET", "/reports", headquarters)
    report_count = len(json.loads(reports)["features"])
    status_count = 0
    for centre in centres:
        status, _, history = call(daemon.port, "GET", f"/centres/{centre}/status", headquarters)
        status_count += len(json.loads(history))
    daemon.process.terminate()
    daemon.process.wait()
    verify = subprocess.run([refd, "audit", "verify", "--database", database], capture_output=True, text=True)
    expected_entries = tokens_issued + report_count + status_count
    problems = [f"trial {t}: {l}" for t, l in failures] + ([f"final: {lost}"] if lost else [])
    problems += [f"refused: {status} {answer!r}" for status, answer in refused[:5]]
    if not head["intact"] or verify.returncode != 0:
        problems.append(f"audit log not intact: {head} {verify.stderr.strip()}")
    if head["entries"] != expected_entries:
        problems.append(f"audit entries {head['entries']} != changes {expected_entries} (half-applied)")
    print(f"kill-restart ({where}): {options.trials} SIGKILL trials, {len(acknowledged)} acknowledged changes "
          f"({report_count} reports, {status_count} statuses stored), {len(problems)} problems; "
          f"audit log {head['entries']} entries, intact={head['intact']}")
    for problem in problems[:20]:
        print("FAIL", problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
