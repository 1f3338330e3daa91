"""DBOS Transact (Python) peer benchmark: DBOS is a library, so the workflows run in-process and
the only other component is the system database, a SQLite file or PostgreSQL. Runs the scenarios
a-f (see common.py), each in a fresh subprocess (DBOS is a per-process singleton) on a fresh
database, and prints one JSON line per result (system "dbos", config "dbos-sqlite" or "dbos-pg").

  dbos_peer.py --data DIR [--db-url postgresql://...] [--pg-data PGDATA] [--quick]
               [--timers 1000,10000] [--scenarios abcdef] [--json-out FILE]

Without --db-url the system database is DIR/dbos-sqlite/dbos.sqlite, wiped before each test;
with one, its database is dropped before each test (DBOS creates it again). --pg-data (the
cluster's data folder) adds the server's processes to the RSS and CPU figures."""
import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit, urlunsplit

from dbos import DBOS, SetWorkflowID

import common


@DBOS.step()
def noop(x: int) -> int:
    return x


@DBOS.step()
def counted_step(i: int, sleep_s: float) -> int:
    with open(os.environ["BENCH_COUNT_FILE"], "a") as f:
        f.write(f"{i} {os.getpid()}\n")
        f.flush()
        os.fsync(f.fileno())
    time.sleep(sleep_s)
    return i


@DBOS.workflow()
def noop_wf() -> int:
    return 0


@DBOS.workflow()
def one_step_wf() -> int:
    return noop(1)


@DBOS.workflow()
def seq_wf(n: int) -> int:
    return sum(noop(i) for i in range(n))


@DBOS.workflow()
async def timer_wf(secs: float) -> int:
    await DBOS.sleep_async(secs)  # a durable sleep; async, so 10,000 sleepers need no threads
    return 1


@DBOS.workflow()
def crash_wf(n: int, sleep_s: float) -> int:
    for i in range(n):
        counted_step(i, sleep_s)
    return n


# ------------------------------------------------------------- in the child process


def server_pids(args):
    """The postmaster (the sampler adds its children, the backends)."""
    if not args.pg_data:
        return {}
    with open(os.path.join(args.pg_data, "postmaster.pid")) as f:
        return {"postgres": int(f.readline())}


def c_start_latency(args, s):
    handles = []
    lat = common.sequential_ms(s["a_warmup"], s["a_n"], lambda: handles.append(DBOS.start_workflow(noop_wf)))
    for h in handles:
        h.get_result()
    return [{"test": "a_start_latency", **common.summary(lat)}]


def c_e2e(args, s):
    out = []
    calls = {"direct_call": one_step_wf, "start_workflow+get_result": lambda: DBOS.start_workflow(one_step_wf).get_result()}
    for mode, call in calls.items():
        lat = common.sequential_ms(s["b_warmup"], s["b_n"], call)
        out.append({"test": "b_e2e_1activity", "mode": mode, **common.summary(lat)})
    return out


def c_per_activity(args, s):
    import psutil
    procs = {"bench_proc": psutil.Process(), **{k: psutil.Process(p)
                                                for k, p in server_pids(args).items()}}

    def cpu():
        res = {}
        for k, p in procs.items():
            tree = [p] + (p.children(recursive=True) if k != "bench_proc" else [])
            res[k] = 0.0
            for q in tree:
                try:
                    res[k] += sum(q.cpu_times()[:2])
                except psutil.Error:
                    pass
        return res

    seq_wf(s["c_warmup_steps"])
    per, c0 = [], cpu()
    for _ in range(s["c_reps"]):
        t0 = time.perf_counter()
        seq_wf(s["c_steps"])
        per.append((time.perf_counter() - t0) * 1000 / s["c_steps"])
    c1, ops = cpu(), s["c_steps"] * s["c_reps"]
    return [{"test": "c_per_activity", "steps": s["c_steps"], "reps": s["c_reps"],
             "per_activity_ms_each_rep": [round(x, 3) for x in per],
             "per_activity_ms_median": round(statistics.median(per), 3),
             **{f"cpu_ms_per_activity_{k}": round((c1[k] - c0[k]) * 1000 / ops, 3) for k in c0}}]


def c_timers(args, s):
    n = args.n

    async def go():
        sem, errors, handles = asyncio.Semaphore(s["starters"]), [], []

        async def start_one():
            async with sem:
                try:
                    handles.append(await DBOS.start_workflow_async(timer_wf, s["d_sleep"]))
                except Exception as e:  # noqa: BLE001 - counted and reported
                    errors.append(repr(e))

        t0 = time.perf_counter()
        await asyncio.gather(*(start_one() for _ in range(n)))
        started = time.perf_counter() - t0
        results = await asyncio.gather(*(h.get_result() for h in handles), return_exceptions=True)
        return started, time.perf_counter() - t0, errors, results

    with common.RssSampler({"bench_proc": os.getpid(), **server_pids(args)}) as rss:
        started, finished, errors, results = asyncio.run(go())
    return [{"test": "d_concurrency_timers", "n": n, "sleep_s": s["d_sleep"],
             "starters": s["starters"], "start_errors": len(errors), "first_errors": errors[:3],
             "time_to_start_all_s": round(started, 2),
             "time_until_all_completed_s": round(finished, 2),
             "completed": sum(1 for r in results if r == 1),
             "result_errors": [repr(r) for r in results if r != 1][:3], **rss.report()}]


def c_throughput(args, s):
    lat, errors, lock, todo = [], [], threading.Lock(), iter(range(s["e_n"]))

    def starter():
        while True:
            with lock:
                if next(todo, None) is None:
                    return
            t0 = time.perf_counter()
            try:
                one_step_wf()
                lat.append((time.perf_counter() - t0) * 1000)
            except Exception as e:  # noqa: BLE001 - counted and reported
                errors.append(repr(e))

    for _ in range(20):
        one_step_wf()
    with common.RssSampler({"bench_proc": os.getpid(), **server_pids(args)}) as rss:
        t0 = time.perf_counter()
        with ThreadPoolExecutor(s["starters"]) as pool:
            for f in [pool.submit(starter) for _ in range(s["starters"])]:
                f.result()
        wall = time.perf_counter() - t0
    return [{"test": "e_throughput", "mode": "direct_call", "n": s["e_n"],
             "starters": s["starters"], "wall_s": round(wall, 2),
             "wf_per_s": round(len(lat) / wall, 1), "errors": len(errors),
             "first_errors": errors[:3], "latency": common.summary(lat), **rss.report()}]


def c_crash(args, s):
    """f's child: the first starts the workflow; the relaunch (--recover) recovers it on
    DBOS.launch() and waits for its result."""
    if args.recover:
        handle = DBOS.retrieve_workflow(args.wid)
    else:
        with SetWorkflowID(args.wid):
            handle = DBOS.start_workflow(crash_wf, s["f_steps"], s["f_step_sleep"])
    return [{"result": handle.get_result()}]


CHILD = {"a": c_start_latency, "b": c_e2e, "c": c_per_activity, "d": c_timers,
         "e": c_throughput, "f": c_crash}


def child_main(args, s):
    DBOS(config={"name": "dbos_bench", "system_database_url": args.db_url,
                 "log_level": "WARNING"})
    DBOS.launch()
    try:
        for rec in CHILD[args.child](args, s):
            print(json.dumps(rec), flush=True)
    finally:
        DBOS.destroy()


# ------------------------------------------------------------- in the parent process

IDS = {"a": "a_start_latency", "b": "b_e2e_1activity", "c": "c_per_activity",
       "d": "d_concurrency_timers", "e": "e_throughput", "f": "f_crash_recovery"}


def reset_db(args):
    if args.db_url.startswith("sqlite"):
        shutil.rmtree(os.path.join(args.data, "dbos-sqlite"), ignore_errors=True)
        os.makedirs(os.path.join(args.data, "dbos-sqlite"))
        return
    import psycopg
    u = urlsplit(args.db_url)
    with psycopg.connect(urlunsplit(u._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{u.path.lstrip("/")}" WITH (FORCE)')


def spawn(args, key, *extra, env=None, stdout=subprocess.PIPE):
    cmd = [sys.executable, os.path.abspath(__file__), "--child", key, "--data", args.data,
           "--db-url", args.db_url, *(["--pg-data", args.pg_data] if args.pg_data else []),
           *(["--quick"] if args.quick else []), *extra]
    p = subprocess.Popen(cmd, stdout=stdout, text=True, env={**os.environ, **(env or {})})
    common.register_pid(p.pid)
    return p


def run_child(args, key, *extra):
    reset_db(args)
    p = spawn(args, key, *extra)
    out, _ = p.communicate()
    recs = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    if p.returncode != 0 or not recs:
        raise RuntimeError(f"the child for scenario {key} exited with {p.returncode}")
    return recs


def crash(args, s):
    reset_db(args)
    count_file = os.path.join(args.data, "dbos-crash-count.txt")
    if os.path.exists(count_file):
        os.unlink(count_file)
    env, wid = {"BENCH_COUNT_FILE": count_file}, common.uid("crash")
    steps, kill_after = s["f_steps"], s["f_steps"] // 2
    first = spawn(args, "f", "--wid", wid, env=env, stdout=subprocess.DEVNULL)
    while common.count_lines(count_file) < kill_after and first.poll() is None:
        time.sleep(0.02)
    if first.poll() is not None:
        raise RuntimeError(f"the app exited ({first.returncode}) before it could be killed")
    first.kill()  # SIGKILL
    first.wait()
    t_kill = time.perf_counter()
    second = spawn(args, "f", "--wid", wid, "--recover", env=env)
    out, _ = second.communicate()
    took = time.perf_counter() - t_kill
    if second.returncode != 0:
        raise RuntimeError(f"the relaunched app exited with {second.returncode}")
    result = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return [{"test": "f_crash_recovery", "step_sleep_s": s["f_step_sleep"],
             "result": result[0]["result"] if result else None,
             **common.executions(count_file, steps, kill_after, first.pid),
             "kill_to_result_s": round(took, 2),
             "note": "includes the relaunch (Python start, DBOS.launch); the step in flight "
                     "at the kill runs again"}]


def parent_main(args, s):
    if not args.db_url:
        args.db_url = "sqlite:///" + os.path.join(args.data, "dbos-sqlite", "dbos.sqlite")
    config = "dbos-sqlite" if args.db_url.startswith("sqlite") else "dbos-pg"
    out = common.Output("dbos", config, args.json_out)
    for key in [k for k in args.scenarios if k in CHILD]:
        common.log(f"{config}: scenario {key}")
        try:
            if key == "f":
                recs = crash(args, s)
            elif key == "d":
                recs = [r for n in s["timers"] for r in run_child(args, "d", "--n", str(n))]
            else:
                recs = run_child(args, key)
            for rec in recs:
                out.emit(rec)
        except Exception as e:  # noqa: BLE001 - reported as an error line, the rest goes on
            out.emit({"test": IDS[key], "error": repr(e)})
    sys.exit(1 if out.failed else 0)


def main():
    ap = common.parser(__doc__)
    ap.add_argument("--db-url", help="postgresql://USER:PW@127.0.0.1:PORT/DB (default: SQLite)")
    ap.add_argument("--pg-data", help="the PostgreSQL cluster's data folder (for RSS and CPU)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--wid", help=argparse.SUPPRESS)
    ap.add_argument("--recover", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    args.data = os.path.abspath(args.data)
    os.makedirs(args.data, exist_ok=True)
    s = common.sizes(args)
    if args.child:
        child_main(args, s)
    else:
        common.exit_on_sigterm()
        parent_main(args, s)


if __name__ == "__main__":
    main()
