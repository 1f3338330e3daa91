"""The machine's fsync floor: N commits of one 100-byte row into a SQLite file in DIR, with
synchronous=FULL, in WAL and in DELETE (rollback journal) mode; p50/p95 per commit. Prints a
line per mode and appends a JSON line per mode (system "machine", config "fsync-floor").

  fsync_floor.py DIR [N=200] [--json-out FILE]"""
import argparse
import json
import os
import sqlite3
import statistics
import tempfile
import time

from common import pct


def commits(folder, n, journal):
    with tempfile.TemporaryDirectory(prefix="fsync-floor-", dir=folder) as d:
        con = sqlite3.connect(os.path.join(d, "t.db"), isolation_level=None)
        con.execute(f"PRAGMA journal_mode={journal}")
        con.execute("PRAGMA synchronous=FULL")
        con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)")
        row, lat = os.urandom(100), []
        for i in range(20 + n):  # 20 warm-up commits
            t0 = time.perf_counter()
            con.execute("BEGIN")
            con.execute("INSERT INTO t(v) VALUES (?)", (row,))
            con.execute("COMMIT")
            if i >= 20:
                lat.append((time.perf_counter() - t0) * 1000)
        con.close()
    return lat


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("dir")
    ap.add_argument("n", type=int, nargs="?", default=200)
    ap.add_argument("--json-out")
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    for journal in ("WAL", "DELETE"):
        lat = commits(a.dir, a.n, journal)
        rec = {"system": "machine", "config": "fsync-floor", "ts": time.strftime("%Y-%m-%dT%H:%M:%S"),
               "test": "fsync_floor", "journal": journal, "synchronous": "FULL", "n": a.n,
               "sqlite": sqlite3.sqlite_version, "p50_ms": round(statistics.median(lat), 3),
               "p95_ms": round(pct(lat, 95), 3)}
        print(f"fsync floor: SQLite {journal} synchronous=FULL, {a.n} commits: "
              f"p50 {rec['p50_ms']} ms, p95 {rec['p95_ms']} ms")
        if a.json_out:
            with open(a.json_out, "a") as f:
                f.write(json.dumps(rec) + "\n")


if __name__ == "__main__":
    main()
