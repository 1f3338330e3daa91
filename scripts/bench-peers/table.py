"""Builds ONE markdown table from the JSON lines of the peer benchmarks (RESULTS_DIR/*.jsonl):
rows = scenarios, a column per peer config with Apex's ratio to it, and Apex's own figures.
Lines in the reference harness's shapes (b_e2e_1step, c_per_step, "peer" instead of "config")
are read too.

  table.py RESULTS_DIR [--note TEXT]...

Ratios compare like with like: Temporal and DBOS on SQLite with Apex on SQLite, DBOS on
PostgreSQL with Apex on PostgreSQL; a peer whose Apex counterpart did not run gets no ratio."""
import argparse
import glob
import json
import os
import time

TITLES = {"temporal-sqlite-wal": "Temporal (SQLite WAL)", "temporal-sqlite": "Temporal (SQLite)",
          "dbos-sqlite": "DBOS (SQLite)", "dbos-pg": "DBOS (PostgreSQL 15)",
          "apex-sqlite": "Apex (SQLite)", "apex-pg": "Apex (PostgreSQL 15)"}
ORDER = list(TITLES)
TEST_ALIASES = {"b_e2e_1step": "b_e2e_1activity", "c_per_step": "c_per_activity"}
STEM_CONFIGS = {"temporal-wal": "temporal-sqlite-wal", "temporal": "temporal-sqlite"}


def normalise(rec, stem):
    rec = {k.replace("per_step", "per_activity"): v for k, v in rec.items()}
    if "kill_to_result_s_incl_relaunch" in rec:
        rec["kill_to_result_s"] = rec["kill_to_result_s_incl_relaunch"]
    rec["test"] = TEST_ALIASES.get(rec.get("test"), rec.get("test"))
    rec["config"] = rec.get("config") or STEM_CONFIGS.get(stem) or rec.get("peer") or stem
    return rec


def load(folder):
    """{config: {key: record}}, the error records, and the fsync floor records."""
    data, errors, floor = {}, [], []
    for path in sorted(glob.glob(os.path.join(folder, "*.jsonl"))):
        stem = os.path.basename(path)[:-len(".jsonl")]
        for line in open(path):
            if not line.strip():
                continue
            rec = normalise(json.loads(line), stem)
            if rec["config"] == "fsync-floor":
                floor.append(rec)
            elif "error" in rec:
                errors.append(rec)
            else:
                key = rec["test"]
                if key == "d_concurrency_timers":
                    key = (key, rec["n"], rec["sleep_s"])
                old = data.setdefault(rec["config"], {}).get(key)
                # The start_workflow+get_result form wins over DBOS's extra direct-call line.
                if not (old and old.get("mode") != "direct_call" and rec.get("mode") == "direct_call"):
                    data[rec["config"]][key] = rec
    return data, errors, floor


def field(key, *path):
    def get(recs):
        v = recs.get(key)
        for p in path:
            v = v.get(p) if isinstance(v, dict) else None
        return v
    return get


def executions(recs):
    r = recs.get("f_crash_recovery")
    if not r:
        return None
    again = ", ".join(f"step {s} ×{n}" for s, n in r["steps_executed_more_than_once"].items())
    return f"{r['total_step_executions']} for {r['steps']} steps ({again or 'none re-run'})"


def rows(data):
    """(label, getter, kind); kind: ms, s, rate (higher is better), rss (the record) or text."""
    out = [("a. start latency p50", field("a_start_latency", "p50_ms"), "ms"),
           ("a. start latency p95", field("a_start_latency", "p95_ms"), "ms"),
           ("a. start latency p99", field("a_start_latency", "p99_ms"), "ms"),
           ("b. start → result, 1 activity, p50", field("b_e2e_1activity", "p50_ms"), "ms"),
           ("b. start → result, 1 activity, p95", field("b_e2e_1activity", "p95_ms"), "ms"),
           ("c. per activity (sequential, median of reps)",
            field("c_per_activity", "per_activity_ms_median"), "ms"),
           ("c. per local activity (Temporal only)",
            field("c_per_activity_local", "per_activity_ms_median"), "ms")]
    sizes = sorted({k for recs in data.values() for k in recs if isinstance(k, tuple)},
                   key=lambda k: (k[1], k[2]))
    for key in sizes:
        d = f"d. {key[1]:,} × {key[2]:g} s timers"
        out += [(f"{d}: all started", field(key, "time_to_start_all_s"), "s"),
                (f"{d}: all completed", field(key, "time_until_all_completed_s"), "s"),
                (f"{d}: completed / start errors",
                 lambda recs, k=key: recs.get(k) and
                 f"{recs[k]['completed']:,} / {recs[k]['start_errors']}", "text"),
                (f"{d}: peak RSS", field(key), "rss")]
    out += [("e. throughput, 50 starters", field("e_throughput", "wf_per_s"), "rate"),
            ("e. latency p95 under that load", field("e_throughput", "latency", "p95_ms"), "ms"),
            ("e. peak RSS", field("e_throughput"), "rss"),
            ("f. crash: kill → result", field("f_crash_recovery", "kill_to_result_s"), "s"),
            ("f. step executions", executions, "text")]
    return out


def fmt(v, kind):
    if v is None:
        return "–"
    if kind == "ms":
        if v >= 1000:
            return f"{v / 1000:.2f} s"
        return f"{v:.2f} ms" if v < 10 else f"{v:.1f} ms" if v < 100 else f"{v:.0f} ms"
    if kind == "s":
        return f"{v:.2f} s" if v < 10 else f"{v:.1f} s" if v < 100 else f"{v:.0f} s"
    if kind == "mib":
        return f"{v:.0f} MiB"
    if kind == "rate":
        return f"{v:.1f} wf/s" if v < 100 else f"{v:.0f} wf/s"
    return str(v)


def ratio(peer, apex, kind):
    if kind == "text" or not isinstance(peer, (int, float)) or not isinstance(apex, (int, float)) \
            or peer <= 0 or apex <= 0:
        return ""
    r = apex / peer if kind == "rate" else peer / apex
    if 0.95 <= r <= 1.05:
        return " (Apex ≈ same)"
    better, worse = ("smaller", "larger") if kind == "mib" else ("faster", "slower")
    x = r if r > 1 else 1 / r
    return f" (Apex {x:.0f}× {better if r > 1 else worse})" if x >= 10 else \
        f" (Apex {x:.1f}× {better if r > 1 else worse})"


def rss_cell(peer, apex):
    """Peak RSS (sum of the processes). When the peer's sum includes PostgreSQL's processes and
    Apex's does not, the ratio compares the app processes alone."""
    total = peer["peak_rss_sum_mb"]
    if apex is None:
        return fmt(total, "mib")
    if "peak_rss_postgres_mb" in peer and "peak_rss_postgres_mb" not in apex:
        app = sum(v for k, v in peer.items() if k.startswith("peak_rss_")
                  and k not in ("peak_rss_sum_mb", "peak_rss_postgres_mb"))
        return f"{fmt(total, 'mib')}, app {fmt(app, 'mib')}" + \
            ratio(app, apex["peak_rss_sum_mb"], "mib").replace(")", ", app only)")
    return fmt(total, "mib") + ratio(total, apex["peak_rss_sum_mb"], "mib")


def apex_for(config):
    return "apex-pg" if "pg" in config else "apex-sqlite"


def sizes_of(recs):
    parts = []
    for key, fmt_ in (("a_start_latency", "a {n}"), ("b_e2e_1activity", "b {n}"),
                      ("c_per_activity", "c {steps}×{reps}"), ("e_throughput", "e {n}"),
                      ("f_crash_recovery", "f {steps}×{step_sleep_s:g} s")):
        if key in recs:
            parts.append(fmt_.format(**recs[key]))
    return ", ".join(parts) or "–"


def render(data, errors, floor, notes):
    order = lambda c: (ORDER.index(c) if c in ORDER else len(ORDER), c)  # noqa: E731
    peers = sorted((c for c in data if not c.startswith("apex")), key=order)
    apexes = sorted({"apex-sqlite", *(c for c in data if c.startswith("apex")),
                     *(apex_for(c) for c in peers)}, key=order)
    cols = peers + apexes
    out = [f"## Apex and its peers on this machine ({time.strftime('%Y-%m-%d')})", ""]
    for f in floor:
        out.append(f"- fsync floor: SQLite {f['journal']}, synchronous={f['synchronous']}, "
                   f"{f['n']} commits of one row: p50 {f['p50_ms']} ms, p95 {f['p95_ms']} ms")
    out += [f"- {n}" for n in notes] + [""]
    out.append("| scenario | " + " | ".join(TITLES.get(c, c) for c in cols) + " |")
    out.append("|---" * (len(cols) + 1) + "|")
    out.append("| sizes (runs; steps×reps) | " +
               " | ".join(sizes_of(data.get(c, {})) for c in cols) + " |")
    for label, get, kind in rows(data):
        cells = []
        for c in cols:
            v, a = get(data.get(c, {})), get(data.get(apex_for(c), {}))
            if kind == "rss":
                cell = "–" if v is None else rss_cell(v, a if c in peers else None)
            else:
                cell = fmt(v, kind) + (ratio(v, a, kind) if c in peers and v is not None else "")
            cells.append(cell)
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    out.append("")
    for c in peers:
        a = apex_for(c)
        out.append(f"- {TITLES.get(c, c)}: " + (f"ratios against {TITLES[a]}." if a in data
                                                  else f"no ratio ({TITLES[a]} did not run)."))
    out.append("- Apex N× faster = the peer's figure / Apex's (for wf/s, Apex's / the peer's); "
               "≈ same within 5 %. RSS: Temporal = server + worker; DBOS = the app process "
               "(+ the PostgreSQL postmaster and its backends, which counts shared memory once "
               "per backend; when Apex's figure has no PostgreSQL part, the ratio compares the app "
               "processes only); Apex = as `apex bench peers` reports it.")
    for e in errors:
        out.append(f"- FAILED: {e['config']} {e['test']}: {e['error']}")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("results")
    ap.add_argument("--note", action="append", default=[], help="a line printed above the table")
    a = ap.parse_args()
    print(render(*load(a.results), a.note))


if __name__ == "__main__":
    main()
