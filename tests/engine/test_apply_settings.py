"""New settings while the engine runs: providers rebuilt, runs in flight left alone."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from matinee.config import DatabaseSettings, EnrichSettings, ScheduleSettings, Settings, UiSettings
from matinee.demo.server import CatalogServer
from matinee.engine.core import Engine
from matinee.engine.events import EnrichmentFinished, EnrichmentStarted, Event, ProviderAnswered
from matinee.engine.schedule import Schedule
from matinee.model import Ref
from tests.engine.conftest import touch


def with_provider(settings: Settings, pid: str, **changes: Any) -> Settings:
    changed = replace(settings.provider(pid), **changes)
    return replace(settings, providers={**settings.providers, pid: changed})


async def heat(engine: Engine, settings: Settings) -> Ref:
    touch(settings.library.roots[0], "Heat (1995).mkv")
    await engine.scan()
    (movie,) = await engine.list_entities()
    return movie.ref


async def test_disabling_then_enabling_omdb(
    engine: Engine, settings: Settings, server: CatalogServer
) -> None:
    ref = await heat(engine, settings)
    tmdb_before = engine.providers["tmdb"]
    await engine.apply_settings(with_provider(settings, "omdb", enabled=False))
    assert list(engine.providers) == ["tmdb", "tvdb", "fanart"]
    assert engine.providers["tmdb"] is tmdb_before  # unchanged settings: the same client
    report = await engine.enrich([ref], force=True)
    assert server.provider_counts().get("omdb", 0) == 0
    assert "omdb" not in report.provider_requests and report.updated == 1
    assert "imdb_rating" not in (await engine.show(ref)).fields
    await engine.apply_settings(settings)
    assert engine.settings == settings
    report = await engine.enrich([ref], force=True)
    assert server.provider_counts()["omdb"] == 1 and report.provider_requests["omdb"] == 1
    detail = await engine.show(ref)
    assert detail.field_sources["imdb_rating"] == "omdb"


async def test_a_new_key_builds_a_new_client(engine: Engine, settings: Settings) -> None:
    ref = await heat(engine, settings)
    old = engine.providers["omdb"]
    await engine.apply_settings(with_provider(settings, "omdb", api_key="wrong-key"))
    assert engine.providers["omdb"] is not old
    await engine.enrich([ref], force=True)
    assert (await engine.show(ref)).failed_providers == ("omdb",)  # the new key is refused


async def test_a_run_in_flight_keeps_its_providers_until_it_ends(
    engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = await heat(engine, settings)
    seen: list[str] = []
    old = engine.providers["omdb"]
    real_close = old.aclose

    async def aclose() -> None:
        seen.append("omdb closed")
        await real_close()

    monkeypatch.setattr(old, "aclose", aclose)
    tasks: list[asyncio.Task[None]] = []

    async def apply() -> None:
        await engine.apply_settings(with_provider(settings, "omdb", enabled=False))
        seen.append("applied")

    def watch(event: Event) -> None:
        if isinstance(event, EnrichmentStarted):  # change the settings mid-run
            tasks.append(asyncio.get_running_loop().create_task(apply()))
        elif isinstance(event, ProviderAnswered) and event.provider == "omdb":
            seen.append(f"omdb {event.outcome}")
        elif isinstance(event, EnrichmentFinished):
            seen.append("finished")

    engine.bus.subscribe(watch)
    await engine.enrich([ref], force=True)
    await asyncio.gather(*tasks)
    assert seen == ["applied", "omdb ok", "finished", "omdb closed"]
    assert "omdb" not in engine.providers
    assert (await engine.show(ref)).field_sources["imdb_rating"] == "omdb"


async def test_settings_applied_before_start_are_the_ones_started_with(
    settings: Settings,
) -> None:
    engine = Engine(settings)
    await engine.apply_settings(with_provider(settings, "fanart", enabled=False))
    async with engine:
        assert set(engine.providers) == {"tmdb", "omdb", "tvdb"}


async def test_ui_schedule_and_what_waits_for_a_restart(
    engine: Engine, settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine.start_schedule()
    changed = replace(
        settings,
        ui=UiSettings(theme="matinee-light"),
        schedule=replace(settings.schedule, enrich_cron="30 5 * * *", batch_size=7),
        database=DatabaseSettings(tmp_path / "other.db"),
        enrich=EnrichSettings(workers=1),
    )
    with caplog.at_level(logging.WARNING):
        await engine.apply_settings(changed)
    assert engine.settings.ui.theme == "matinee-light"
    assert engine.settings.schedule == ScheduleSettings("30 5 * * *", 7)
    assert engine.settings.database == settings.database  # the open database stays
    assert engine.settings.enrich == settings.enrich
    assert "next start" in caplog.text
    fire = engine.next_scheduled_run()
    assert fire is not None and (fire.hour, fire.minute) == (5, 30)
    assert (await engine.bulk_status()).next_scheduled == fire


async def test_a_new_cron_retires_the_old_schedule_after_its_run(
    engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    await heat(engine, settings)
    seen: list[str] = []
    old_down = asyncio.Event()
    real_shutdown = Schedule.shutdown

    def shutdown(schedule: Schedule) -> None:
        seen.append("old schedule shut down")
        old_down.set()
        real_shutdown(schedule)

    monkeypatch.setattr(Schedule, "shutdown", shutdown)
    engine.start_schedule()
    new_cron = replace(settings, schedule=replace(settings.schedule, enrich_cron="0 4 * * *"))
    tasks: list[asyncio.Task[None]] = []

    async def apply() -> None:
        await engine.apply_settings(new_cron)
        seen.append("applied")

    def watch(event: Event) -> None:
        if isinstance(event, EnrichmentStarted):
            tasks.append(asyncio.get_running_loop().create_task(apply()))
        elif isinstance(event, EnrichmentFinished):
            seen.append("finished")

    engine.bus.subscribe(watch)
    # what a firing runs, in a task of its own like the scheduler's
    run = asyncio.create_task(engine.enrich(trigger="scheduled", require_complete=True))
    report = await run
    await asyncio.gather(*tasks)
    await asyncio.wait_for(old_down.wait(), 5)
    assert seen == ["applied", "finished", "old schedule shut down"]
    assert (report.processed, report.updated, report.stopped) == (1, 1, False)
    fire = engine.next_scheduled_run()
    assert fire is not None and fire.hour == 4
