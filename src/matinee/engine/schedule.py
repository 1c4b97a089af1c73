"""Scheduled work: APScheduler's `AsyncIOScheduler` firing enrichment (and optionally a rescan)
on the cron expressions of `[schedule]`.

Scheduled enrichment takes one batch of the staleness queue in "complete or skip" mode, as a
bulk run: at most one runs at a time across processes (the bulk claim in the database), a
missed firing is run once when the scheduler comes back (`coalesce`, within an hour), and two
firings never overlap in one process (`max_instances=1`). The TUI and `matinee
--run-scheduled` run the same schedule.
"""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import datetime
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

if TYPE_CHECKING:
    from matinee.engine.core import Engine

__all__ = ["MISFIRE_GRACE_S", "Schedule", "cron_trigger", "next_fire_time"]

log = logging.getLogger(__name__)

MISFIRE_GRACE_S = 3600
"""A firing missed by less than this (the machine was asleep) still runs, once."""


_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def cron_trigger(cron: str) -> CronTrigger:
    """A trigger for a standard five-field crontab line, in local time.

    APScheduler 3 numbers weekdays from Monday = 0, while crontab says Sunday = 0 (or 7) and
    Monday = 1; numbers in the weekday field are turned into names so `1` means Monday.
    """
    minute, hour, day, month, weekday = cron.split()
    return CronTrigger(
        minute=minute, hour=hour, day=day, month=month, day_of_week=_weekdays(weekday)
    )


def _weekdays(field: str) -> str:
    """A crontab weekday field (numbers, ranges, steps, names) as APScheduler day names."""
    if not re.search(r"\d", field):
        return field  # `*` or names: the same in both
    days: list[str] = []
    for part in field.split(","):
        found = re.fullmatch(r"(\*|\d+)(?:-(\d+))?(?:/(\d+))?", part)
        if found is None:
            raise ValueError(f"cannot read the weekday field {field!r}")
        start, end, step = found.groups()
        first = 0 if start == "*" else int(start)
        last = 6 if start == "*" else int(end) if end else first
        days += [_DAYS[n % 8] for n in range(first, last + 1, int(step or 1))]
    return ",".join(dict.fromkeys(days))


def next_fire_time(cron: str, now: datetime | None = None) -> datetime | None:
    """When `cron` fires next (local time), or None for an expression that never fires."""
    trigger = cron_trigger(cron)
    fire: datetime | None = trigger.get_next_fire_time(None, now or datetime.now(trigger.timezone))
    return fire


class Schedule:
    """The engine's scheduled jobs; `start()` inside the running loop, `shutdown()` to stop."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._scheduler: AsyncIOScheduler | None = None

    def start(self) -> None:
        s = self._engine.settings.schedule
        scheduler = AsyncIOScheduler(event_loop=asyncio.get_running_loop())
        common = {"max_instances": 1, "coalesce": True, "misfire_grace_time": MISFIRE_GRACE_S}
        scheduler.add_job(self._enrich, cron_trigger(s.enrich_cron), id="enrich", **common)
        rescan = getattr(s, "rescan_cron", "")
        if rescan:
            scheduler.add_job(self._rescan, cron_trigger(rescan), id="rescan", **common)
        scheduler.start()
        self._scheduler = scheduler

    def next_run(self, job_id: str = "enrich") -> datetime | None:
        """The next firing of `job_id` (None when not started or not scheduled)."""
        job = self._scheduler.get_job(job_id) if self._scheduler else None
        return job.next_run_time if job is not None else None

    def shutdown(self) -> None:
        """Stop firing; a run in progress is cancelled by `Engine.stop()`."""
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        self._scheduler = None

    async def run_enrichment(self) -> None:
        """What a firing does (also callable directly, e.g. by tests)."""
        await self._enrich()

    async def _enrich(self) -> None:
        batch = self._engine.settings.schedule.batch_size
        log.info("scheduled enrichment: up to %d titles", batch)
        try:
            await self._engine.enrich(limit=batch, trigger="scheduled", require_complete=True)
        except Exception:  # a failing run must not kill the scheduler
            log.exception("scheduled enrichment failed")

    async def _rescan(self) -> None:
        try:
            await self._engine.scan()
        except Exception:
            log.exception("scheduled rescan failed")
