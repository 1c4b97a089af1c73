"""Bulk runs: one at a time across processes, heartbeat and takeover, cancel, counts in the
database, and "complete or skip" when a provider's quota runs out."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from typing import Any

import pytest

from matinee.config import Settings
from matinee.demo.catalog import file_name
from matinee.demo.server import CatalogServer
from matinee.engine import runner
from matinee.engine.core import Engine
from matinee.engine.events import EnrichmentFinished, EnrichmentStarted, Event, RunProgressed
from matinee.model import Ref
from tests.engine.conftest import touch


def library(settings: Settings, server: CatalogServer, count: int) -> list[str]:
    titles = []
    for movie in list(server.catalog.movies.values())[:count]:
        touch(settings.library.roots[0], file_name(movie))
        titles.append(movie["title"])
    return titles


def omdb_quota(settings: Settings, quota: int) -> Settings:
    omdb = replace(settings.provider("omdb"), daily_quota=quota, quota_reserve=0)
    return replace(settings, providers={**settings.providers, "omdb": omdb})


async def test_a_bulk_run_is_recorded_with_its_counts(
    settings: Settings, server: CatalogServer
) -> None:
    library(settings, server, 6)
    settings = replace(settings, enrich=replace(settings.enrich, workers=1))  # one at a time
    progress: list[RunProgressed] = []
    async with Engine(settings) as engine:
        engine.bus.subscribe(lambda e: progress.append(e) if isinstance(e, RunProgressed) else None)
        await engine.scan()
        report = await engine.enrich(all=True)
        status = (await engine.bulk_status()).as_json()
    assert report.processed == 6 and not report.stopped
    last = status["last"]
    assert status["current"] is None
    assert (last["status"], last["trigger"], last["total"], last["processed"]) == (
        "finished", "manual", 6, 6,
    )  # fmt: skip
    assert last["updated"] == report.updated and last["completeOrSkip"] is False
    assert status["nextScheduledRun"] is not None
    assert progress[-1].processed == 6 and progress[-1].remaining == 0.0
    assert progress[0].remaining is not None and progress[0].remaining > 0


async def test_a_second_bulk_run_is_refused_while_one_is_alive(
    settings: Settings, server: CatalogServer
) -> None:
    library(settings, server, 2)
    async with Engine(settings) as engine:
        await engine.scan()
        other = await engine.repo.claim_bulk(
            "scheduled", True, 100, "nas-box:4242", time.time(), runner.STALE_AFTER_S
        )
        assert other.run_id is not None
        report = await engine.enrich(all=True)
        manual = await engine.enrich([Ref.parse("movie:1")])  # named titles are not bulk
    assert report.stopped and report.processed == 0
    assert report.stop_reason is not None
    assert "another bulk run is in progress" in report.stop_reason
    assert "nas-box:4242" in report.stop_reason
    assert manual.processed == 1 and not manual.stopped


@pytest.mark.parametrize(
    ("owner", "age"),
    [("nas-box:4242", runner.STALE_AFTER_S + 5), ("here:dead", 0.0)],
    ids=["stale-heartbeat", "owner-process-gone"],
)
async def test_an_abandoned_run_is_taken_over(
    settings: Settings, server: CatalogServer, owner: str, age: float
) -> None:
    import socket

    if owner == "here:dead":  # a process on this host that no longer exists
        owner = f"{socket.gethostname()}:{2**22 + 12345}"
    library(settings, server, 2)
    async with Engine(settings) as engine:
        await engine.scan()
        await engine.repo.claim_bulk(
            "scheduled", True, 10, owner, time.time() - age, runner.STALE_AFTER_S
        )
        report = await engine.enrich(all=True)
        status = await engine.bulk_status()
    assert report.processed == 2 and not report.stopped
    assert status.last is not None and status.last.status == "finished"


async def test_cancel_from_another_process_stops_the_run(
    settings: Settings, server: CatalogServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "HEARTBEAT_S", 0.01)
    library(settings, server, 40)
    async with Engine(settings) as engine:
        await engine.scan()
        asked: list[asyncio.Task[Any]] = []

        def on_event(event: Event) -> None:
            if isinstance(event, EnrichmentFinished) and not asked:
                # what `matinee bulk cancel` does from another process: set the flag
                asked.append(asyncio.create_task(engine.repo.cancel_bulk()))

        engine.bus.subscribe(on_event)
        report = await engine.enrich(all=True)
        status = await engine.bulk_status()
    assert report.stopped and report.stop_reason == "cancelled from another process"
    assert report.processed < 40
    assert status.last is not None and status.last.status == "cancelled"
    assert status.last.counts.processed == report.processed


async def test_cancel_in_this_process(settings: Settings, server: CatalogServer) -> None:
    library(settings, server, 30)
    async with Engine(settings) as engine:
        await engine.scan()
        started: list[Event] = []

        def on_event(event: Event) -> None:
            if isinstance(event, EnrichmentStarted):
                started.append(event)
                if len(started) == 3:
                    asyncio.get_running_loop().create_task(engine.cancel_bulk())

        engine.bus.subscribe(on_event)
        report = await engine.enrich(all=True)
        assert await engine.cancel_bulk() is False  # nothing runs any more
    assert report.stopped and report.stop_reason == "cancelled"
    assert report.processed < 30


async def test_quota_runs_out_complete_or_skip_stops_then_continues_next_day(
    settings: Settings, server: CatalogServer
) -> None:
    """The design's scenario, scaled: OMDb's quota runs out at movie 11 of 20."""
    library(settings, server, 20)
    settings = omdb_quota(settings, 10)
    async with Engine(settings) as engine:
        await engine.scan()
        order = [item.summary.ref for item in await engine.queue(100)]
        started: list[Ref] = []
        engine.bus.subscribe(
            lambda e: started.append(e.ref) if isinstance(e, EnrichmentStarted) else None
        )
        first = await engine.enrich(all=True, trigger="scheduled", require_complete=True)
        assert first.stopped and first.stop_reason is not None
        assert first.stop_reason.startswith("omdb: daily quota reached")
        assert first.rate_limited_providers == ["omdb"]
        written = [s for s in await engine.list_entities() if s.last_enriched]
        assert len(written) == 10 and all(not s.partial for s in written)  # complete only
        stopped_at = next(r for r in order if r not in {s.ref for s in written})
        assert f"the next run continues from {stopped_at}" in first.stop_reason
        status = await engine.bulk_status()
        assert status.last is not None and status.last.status == "stopped"
        assert (await engine.queue(1))[0].summary.ref == stopped_at

        # a manual run goes on with the other providers and marks the titles partial
        manual = await engine.enrich([stopped_at])
        assert manual.partial == 1 and manual.rate_limited_providers == ["omdb"]
        assert (await engine.show(stopped_at)).summary.partial

        # the next UTC day the quota is back: the scheduled run continues in queue order
        # the test moves the clock, not the code
        await engine.repo._run(
            lambda db: db.execute_sql("UPDATE provider_state SET day = '2000-01-01'")
        )
        started.clear()
        second = await engine.enrich(all=True, trigger="scheduled", require_complete=True)
        healed = await engine.show(stopped_at)
    remaining = [r for r in order if r not in {s.ref for s in written} and r != stopped_at]
    assert started[:3] == remaining[:3]
    # the 9 never enriched, then the partial one (a partial title is never fresh), now complete
    assert started[-1] == stopped_at and not healed.summary.partial
    assert second.processed == 10 and not second.stopped and second.partial == 0
