"""Shared helpers of the peer benchmarks (temporal_peer.py, dbos_peer.py): the scenario sizes,
nearest-rank percentiles, RSS sampling, JSON-line output, free ports and the pid registry that
lets scripts/bench-peers.sh stop every process a driver started if the driver itself dies."""
import argparse
import json
import os
import signal
import socket
import statistics
import sys
import threading
import time
import uuid

# Scenario sizes (ids as in the reference harness: a start, b e2e, c per activity, d timers,
# e throughput, f crash). --quick shrinks them for a smoke run; d keeps 10 s sleeps so that its
# rows stay comparable with Apex's timer scenario, whose sleep is 10 s.
FULL = dict(a_warmup=50, a_n=500, b_warmup=50, b_n=200, c_warmup_steps=10, c_steps=200, c_reps=3,
            d_sleep=10.0, starters=50, e_n=1000, f_steps=20, f_step_sleep=0.3, timers="1000")
QUICK = dict(FULL, a_warmup=10, a_n=50, b_warmup=10, b_n=30, c_steps=50, c_reps=1, e_n=200,
             f_steps=8, f_step_sleep=0.2, timers="200")
SCENARIOS = "abcdef"


def pct(xs, p):
    """Nearest-rank percentile of the sorted sample (as the reference harness)."""
    xs = sorted(xs)
    k = min(len(xs) - 1, max(0, int(round(p / 100.0 * (len(xs) - 1)))))
    return xs[k]


def summary(lat_ms):
    return {"n": len(lat_ms), "p50_ms": round(statistics.median(lat_ms), 3),
            "p95_ms": round(pct(lat_ms, 95), 3), "p99_ms": round(pct(lat_ms, 99), 3),
            "min_ms": round(min(lat_ms), 3), "max_ms": round(max(lat_ms), 3)}


def sequential_ms(warmup, n, call):
    """Milliseconds of each of `n` calls of `call()`, after `warmup` calls not counted."""
    lat = []
    for i in range(warmup + n):
        t0 = time.perf_counter()
        call()
        if i >= warmup:
            lat.append((time.perf_counter() - t0) * 1000)
    return lat


async def sequential_ms_async(warmup, n, call):
    """As sequential_ms, awaiting `call()` each time."""
    lat = []
    for i in range(warmup + n):
        t0 = time.perf_counter()
        await call()
        if i >= warmup:
            lat.append((time.perf_counter() - t0) * 1000)
    return lat


def uid(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=60.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


def start_time(pid):
    """The process's start time in clock ticks (field 22 of /proc/PID/stat), to tell it from a
    later process that reuses the pid."""
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[19]


def register_pid(pid):
    """Records a child in $BENCH_PIDS_FILE, which the shell script's EXIT trap reads."""
    path = os.environ.get("BENCH_PIDS_FILE")
    if path:
        with open(path, "a") as f:
            f.write(f"{pid} {start_time(pid)}\n")


def exit_on_sigterm():
    """SIGTERM raises SystemExit, so that `finally` blocks stop the children."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def count_lines(path):
    try:
        with open(path) as f:
            return sum(1 for _ in f)
    except FileNotFoundError:
        return 0


def executions(count_file, steps, kill_after, old_pid):
    """Fields of f_crash_recovery from the file of `step pid` lines the steps appended."""
    per_step = {}
    with open(count_file) as f:
        for line in f:
            i, pid = line.split()
            per_step.setdefault(int(i), []).append(int(pid))
    return {"steps": steps, "killed_after_step_starts": kill_after,
            "total_step_executions": sum(len(p) for p in per_step.values()),
            "steps_executed_more_than_once": {i: len(p) for i, p in sorted(per_step.items())
                                              if len(p) > 1},
            "steps_run_by_new_process": sorted(i for i, p in per_step.items() if p[-1] != old_pid)}


class RssSampler:
    """Samples the RSS of named processes (each with its children) every `interval` s; keeps
    each one's peak and the peak of their sum."""

    def __init__(self, pids, interval=0.2):
        import psutil
        self.psutil = psutil
        self.pids = dict(pids)
        self.peak = {k: 0 for k in self.pids}
        self.peak_sum = 0
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _rss(self, pid):
        try:
            p = self.psutil.Process(pid)
            total = p.memory_info().rss
            for c in p.children(recursive=True):
                try:
                    total += c.memory_info().rss
                except self.psutil.Error:
                    pass
            return total
        except self.psutil.Error:
            return 0

    def sample(self):
        total = 0
        for k, pid in self.pids.items():
            r = self._rss(pid)
            self.peak[k] = max(self.peak[k], r)
            total += r
        self.peak_sum = max(self.peak_sum, total)

    def _run(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def __enter__(self):
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def report(self):
        mb = lambda b: round(b / 1048576, 1)  # noqa: E731
        return {**{f"peak_rss_{k}_mb": mb(v) for k, v in self.peak.items()},
                "peak_rss_sum_mb": mb(self.peak_sum)}


class Output:
    """Prints each result as a JSON line and appends it to --json-out, with system/config/ts."""

    def __init__(self, system, config, path):
        self.system, self.config, self.path = system, config, path
        self.failed = False

    def emit(self, rec):
        rec = {"system": self.system, "config": self.config,
               "ts": time.strftime("%Y-%m-%dT%H:%M:%S"), **rec}
        self.failed |= "error" in rec
        line = json.dumps(rec)
        print(line, flush=True)
        if self.path:
            with open(self.path, "a") as f:
                f.write(line + "\n")


def parser(doc):
    """The options every driver takes."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smaller sizes for a smoke run")
    ap.add_argument("--timers", help="d: comma-separated numbers of sleeping workflows "
                                     "(default 1000; 200 with --quick)")
    ap.add_argument("--scenarios", default=SCENARIOS, help="which of abcdef to run (default all)")
    ap.add_argument("--json-out", help="append the JSON lines to this file too")
    ap.add_argument("--data", required=True, help="a folder for databases and logs (wiped parts)")
    return ap


def sizes(args):
    s = dict(QUICK if args.quick else FULL)
    s["timers"] = [int(x) for x in (args.timers or s["timers"]).split(",") if x.strip()]
    return s


def log(msg):
    print(f"# {msg}", file=sys.stderr, flush=True)
