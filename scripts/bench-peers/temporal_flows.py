"""The workflows and activities of the Temporal peer benchmark (temporal_peer.py). A module of
their own, importing nothing but the SDK and the standard library, so that the SDK's workflow
sandbox can re-import it."""
import asyncio
import os
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.common import RetryPolicy

TIMEOUT = timedelta(seconds=30)


@activity.defn
async def noop(x: int) -> int:
    return x


@activity.defn
async def counted_step(i: int, sleep_s: float) -> int:
    """f: appends `step pid` to $BENCH_COUNT_FILE (fsynced) before its work, then sleeps."""
    with open(os.environ["BENCH_COUNT_FILE"], "a") as f:
        f.write(f"{i} {os.getpid()}\n")
        f.flush()
        os.fsync(f.fileno())
    await asyncio.sleep(sleep_s)
    return i


@workflow.defn
class NoopWF:
    @workflow.run
    async def run(self) -> int:
        return 0


@workflow.defn
class OneActWF:
    @workflow.run
    async def run(self) -> int:
        return await workflow.execute_activity(noop, 1, start_to_close_timeout=TIMEOUT)


@workflow.defn
class SeqActWF:
    @workflow.run
    async def run(self, n: int, local: bool) -> int:
        total = 0
        for i in range(n):
            if local:
                total += await workflow.execute_local_activity(noop, i, start_to_close_timeout=TIMEOUT)
            else:
                total += await workflow.execute_activity(noop, i, start_to_close_timeout=TIMEOUT)
        return total


@workflow.defn
class TimerWF:
    @workflow.run
    async def run(self, secs: float) -> int:
        await asyncio.sleep(secs)  # a durable timer
        return 1


@workflow.defn
class CrashWF:
    @workflow.run
    async def run(self, n: int, sleep_s: float) -> int:
        # The in-flight step is retried after its start-to-close timeout (3 s) once the worker
        # that ran it is gone; completed steps come from the history.
        for i in range(n):
            await workflow.execute_activity(
                counted_step, args=[i, sleep_s], start_to_close_timeout=timedelta(seconds=3),
                retry_policy=RetryPolicy(initial_interval=timedelta(milliseconds=200)))
        return n


WORKFLOWS = [NoopWF, OneActWF, SeqActWF, TimerWF, CrashWF]
ACTIVITIES = [noop, counted_step]
