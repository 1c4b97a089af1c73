"""The engine's priority job queue: one pool of workers shared by every enrichment.

Work a person asked for (a title refreshed in the TUI, `matinee enrich REF`) is `MANUAL` and
goes before `URGENT` work, which goes before `BULK` work (the staleness queue, scheduled runs).
A bulk run feeds the queue a few jobs at a time, so a manual job submitted in the middle of a
long run waits for at most the jobs already started, not for the whole run.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import IntEnum

__all__ = ["JobQueue", "Priority"]

log = logging.getLogger(__name__)


class Priority(IntEnum):
    MANUAL = 0
    URGENT = 1
    BULK = 2
    ARTWORK = 3  # image downloads wait until the metadata work queued before them is done


Work = Callable[[], Awaitable[None]]


@dataclass(order=True)
class _Job:
    priority: int
    seq: int
    work: Work = field(compare=False)
    future: asyncio.Future[None] = field(compare=False)


class JobQueue:
    """`workers` tasks running submitted work in priority order (FIFO within a priority)."""

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        self._queue: asyncio.PriorityQueue[_Job] = asyncio.PriorityQueue()
        self._seq = itertools.count()
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        """Start the workers (inside the running loop)."""
        if not self._tasks:
            self._tasks = [
                asyncio.create_task(self._worker(), name=f"matinee-job-{n}")
                for n in range(self.workers)
            ]

    async def stop(self) -> None:
        """Cancel the workers and every job not finished; their futures are cancelled."""
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        while not self._queue.empty():
            self._queue.get_nowait().future.cancel()

    @property
    def waiting(self) -> int:
        return self._queue.qsize()

    def submit(self, priority: Priority, work: Work) -> asyncio.Future[None]:
        """Queue `work`; the future completes (or fails) with it."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait(_Job(int(priority), next(self._seq), work, future))
        return future

    async def _worker(self) -> None:
        while True:
            job = await self._queue.get()
            if job.future.cancelled():
                continue
            try:
                await job.work()
            except asyncio.CancelledError:
                job.future.cancel()
                raise
            except Exception as exc:  # reported through the future
                if not job.future.done():
                    job.future.set_exception(exc)
            else:
                if not job.future.done():
                    job.future.set_result(None)
