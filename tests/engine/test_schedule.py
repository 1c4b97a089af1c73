"""The schedule: cron from config, next run, and what a firing does."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from matinee.config import ScheduleSettings, Settings
from matinee.demo.catalog import file_name
from matinee.demo.server import CatalogServer
from matinee.engine.core import Engine
from matinee.engine.schedule import Schedule, next_fire_time
from tests.engine.conftest import touch


def test_next_fire_time_of_the_default_daily_run() -> None:
    assert (
        next_fire_time("0 3 * * *", datetime(2026, 11, 22, 4, 0))
        == datetime(2026, 11, 23, 3, 0).astimezone()
    )
    assert (
        next_fire_time("0 3 * * *", datetime(2026, 11, 22, 2, 59))
        == datetime(2026, 11, 22, 3, 0).astimezone()
    )
    # crontab weekdays: 1 is Monday, 0 and 7 are Sunday (APScheduler 3 alone says 0 = Monday)
    sunday = datetime(2026, 11, 22, 10, 1)
    assert next_fire_time("*/15 * * * 1", sunday) == datetime(2026, 11, 23, 0, 0).astimezone()
    assert next_fire_time("0 9 * * 0", sunday) == datetime(2026, 11, 29, 9, 0).astimezone()
    assert next_fire_time("0 9 * * 7", sunday) == datetime(2026, 11, 29, 9, 0).astimezone()
    assert next_fire_time("0 9 * * 1-5", sunday) == datetime(2026, 11, 23, 9, 0).astimezone()
    assert next_fire_time("0 9 * * 6,0", sunday) == datetime(2026, 11, 28, 9, 0).astimezone()
    assert next_fire_time("0 9 * * */2", sunday) == datetime(2026, 11, 24, 9, 0).astimezone()


async def test_schedule_runs_a_complete_or_skip_batch(
    settings: Settings, server: CatalogServer
) -> None:
    for movie in list(server.catalog.movies.values())[:5]:
        touch(settings.library.roots[0], file_name(movie))
    settings = replace(settings, schedule=ScheduleSettings(enrich_cron="30 4 * * *", batch_size=3))
    async with Engine(settings) as engine:
        await engine.scan()
        schedule = Schedule(engine)
        schedule.start()
        try:
            when = schedule.next_run()
            assert when is not None and (when.hour, when.minute) == (4, 30)
            assert schedule.next_run("rescan") is None
            await schedule.run_enrichment()
        finally:
            schedule.shutdown()
        assert schedule.next_run() is None
        status = await engine.bulk_status()
    assert status.last is not None
    assert (status.last.trigger, status.last.complete_or_skip) == ("scheduled", True)
    assert (status.last.counts.total, status.last.counts.processed) == (3, 3)
