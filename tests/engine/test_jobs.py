"""The engine's priority job queue: manual before urgent before bulk, FIFO within a priority."""

from __future__ import annotations

import asyncio

import pytest

from matinee.engine.jobs import JobQueue, Priority


async def test_priority_order_then_fifo() -> None:
    queue = JobQueue(1)
    queue.start()
    gate = asyncio.Event()
    done: list[str] = []

    def job(name: str, wait: bool = False):  # type: ignore[no-untyped-def]
        async def work() -> None:
            if wait:
                await gate.wait()
            done.append(name)

        return work

    first = queue.submit(Priority.BULK, job("running", wait=True))
    await asyncio.sleep(0)  # the worker takes the first job and blocks on the gate
    futures = [
        queue.submit(Priority.BULK, job("bulk-1")),
        queue.submit(Priority.MANUAL, job("manual-1")),
        queue.submit(Priority.URGENT, job("urgent")),
        queue.submit(Priority.BULK, job("bulk-2")),
        queue.submit(Priority.MANUAL, job("manual-2")),
    ]
    assert queue.waiting == 5
    gate.set()
    await asyncio.gather(first, *futures)
    assert done == ["running", "manual-1", "manual-2", "urgent", "bulk-1", "bulk-2"]
    await queue.stop()


async def test_a_failing_job_reports_through_its_future_and_the_worker_goes_on() -> None:
    queue = JobQueue(2)
    queue.start()

    async def boom() -> None:
        raise ValueError("bad title")

    async def fine() -> None:
        return None

    failing = queue.submit(Priority.MANUAL, boom)
    with pytest.raises(ValueError, match="bad title"):
        await failing
    await queue.submit(Priority.MANUAL, fine)
    await queue.stop()


async def test_stop_cancels_running_and_waiting_jobs() -> None:
    queue = JobQueue(1)
    queue.start()
    never = asyncio.Event()
    running = queue.submit(Priority.BULK, never.wait)  # type: ignore[arg-type]
    waiting = queue.submit(Priority.BULK, never.wait)  # type: ignore[arg-type]
    await asyncio.sleep(0)
    await queue.stop()
    assert running.cancelled() and waiting.cancelled()


def test_at_least_one_worker() -> None:
    with pytest.raises(ValueError):
        JobQueue(0)
