"""`matinee --run-scheduled`: the engine and its schedule without a screen, for a NAS or a
service manager.

It logs one line per event worth telling (runs started and finished, providers left out or
rate limited, scans) to stderr, and stops cleanly on SIGTERM, SIGINT or SIGHUP: the schedule
stops firing, a bulk run in progress is cancelled (its finished titles are already written;
the rest stay first in the queue), the database is closed, and the exit code is 0.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from collections.abc import Callable

from matinee.config import Settings
from matinee.engine.core import Engine
from matinee.engine.events import (
    Event,
    ProviderFailed,
    ProviderRateLimited,
    RunFinished,
    RunStarted,
    ScanFinished,
)

__all__ = ["describe", "run_scheduled"]

log = logging.getLogger("matinee.daemon")

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def describe(event: Event) -> str | None:
    """The log line for an event worth telling, or None."""
    if isinstance(event, RunStarted):
        return f"enrichment started ({event.trigger}): {event.total} titles"
    if isinstance(event, RunFinished):
        state = f"stopped: {event.stop_reason}" if event.stopped else "finished"
        return (
            f"enrichment {state}; {event.processed} processed, {event.updated} updated, "
            f"{event.skipped} skipped, {event.failed} failed, {event.partial} partial, "
            f"{event.needs_review} to review, {event.duration:.1f}s"
        )
    if isinstance(event, ProviderFailed):
        return f"provider left out: {event.error}"
    if isinstance(event, ProviderRateLimited):
        wait = f", retry after {event.retry_after:g}s" if event.retry_after is not None else ""
        return f"{event.provider}: rate limited{wait}"
    if isinstance(event, ScanFinished):
        return (
            f"scan finished: {event.seen} files, {event.new} new, {event.changed} changed, "
            f"{event.missing} missing, {event.errors} errors"
        )
    return None


class _Throttle:
    """Lets a repeated line through at most once per `every` seconds (429 storms)."""

    def __init__(self, every: float = 30.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._every, self._clock = every, clock
        self._last: dict[str, float] = {}

    def allow(self, key: str) -> bool:
        now = self._clock()
        if now - self._last.get(key, -self._every) < self._every:
            return False
        self._last[key] = now
        return True


def _log_to_stderr() -> None:
    """One timestamped line per event on stderr (a service manager or cron mail keeps it)."""
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s matinee: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


async def run_scheduled(settings: Settings, *, stop: asyncio.Event | None = None) -> int:
    """Run until a stop signal (or `stop` is set); return the exit code."""
    stop = stop or asyncio.Event()
    _log_to_stderr()
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stop.set)
    throttle = _Throttle()

    def tell(event: Event) -> None:
        line = describe(event)
        key = type(event).__name__ + getattr(event, "provider", "")
        if line and (not isinstance(event, ProviderRateLimited) or throttle.allow(key)):
            log.info("%s", line)

    engine = Engine(settings)
    await engine.start()
    try:
        engine.bus.subscribe(tell)
        engine.start_schedule()
        when = engine.next_scheduled_run()
        log.info(
            "scheduler running (enrich %r, batch %d); next run %s",
            settings.schedule.enrich_cron,
            settings.schedule.batch_size,
            when.isoformat(timespec="minutes") if when else "never",
        )
        await stop.wait()
        log.info("stopping")
    finally:
        await engine.stop()  # stops the schedule and cancels a bulk run in progress
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)
    return 0
