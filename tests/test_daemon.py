"""`matinee --run-scheduled` as a service manager runs it: a real process, real signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from matinee.demo.catalog import file_name
from matinee.demo.server import CatalogServer
from matinee.engine.events import ProviderFailed, ProviderRateLimited, RunFinished, RunStarted
from matinee.headless.daemon import describe


@pytest.fixture
def server() -> Iterator[CatalogServer]:
    with CatalogServer(api_key="k-123456789") as running:
        yield running


def start_daemon(tmp_path: Path, server: CatalogServer) -> subprocess.Popen[str]:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[library]\nprobe = false\n\n[schedule]\nenrich_cron = "0 3 * * *"\n\n'
        f'[providers.tmdb]\nbase_url = "{server.tmdb_base_url}"\napi_key = "k-123456789"\n'
    )
    env = {**os.environ, "MATINEE_CONFIG": str(config), "MATINEE_DB": str(tmp_path / "m.db")}
    return subprocess.Popen(
        [sys.executable, "-m", "matinee.cli", "--run-scheduled"],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_stops_cleanly_on_a_signal_within_two_seconds(
    tmp_path: Path, server: CatalogServer, sig: signal.Signals
) -> None:
    proc = start_daemon(tmp_path, server)
    assert proc.stderr is not None
    first = proc.stderr.readline()  # blocks until the daemon is up (or has died)
    assert "scheduler running (enrich '0 3 * * *', batch 100); next run " in first, first
    sent = time.monotonic()
    proc.send_signal(sig)
    code = proc.wait(timeout=10)
    took = time.monotonic() - sent
    rest = proc.stderr.read()
    assert code == 0, rest
    assert took < 2.0
    assert "stopping" in rest and "Traceback" not in rest


def test_event_lines() -> None:
    assert describe(RunStarted(12, "scheduled")) == "enrichment started (scheduled): 12 titles"
    finished = describe(RunFinished(12, 10, 1, 1, 0, 2, True, "omdb: daily quota reached", 3.25))
    assert finished == (
        "enrichment stopped: omdb: daily quota reached; 12 processed, 10 updated, 1 skipped, "
        "1 failed, 2 partial, 0 to review, 3.2s"
    )
    assert describe(ProviderFailed("omdb", "omdb: invalid key")) == (
        "provider left out: omdb: invalid key"
    )
    assert describe(ProviderRateLimited("tmdb", 1.0)) == "tmdb: rate limited, retry after 1s"


def test_run_scheduled_takes_no_command(tmp_path: Path) -> None:
    from matinee.cli import main

    (tmp_path / "c.toml").write_text("")
    assert main(["--config", str(tmp_path / "c.toml"), "--run-scheduled", "status"]) == 2


async def test_a_bulk_run_in_progress_is_cancelled_on_stop_within_two_seconds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM in the middle of a scheduled run: the run records how far it got, exit 0."""
    import asyncio
    from dataclasses import replace

    from matinee.config import Settings
    from matinee.demo.run import demo_settings
    from matinee.engine.events import EnrichmentFinished
    from matinee.engine.schedule import Schedule
    from matinee.headless import daemon
    from matinee.store.repo import Repository
    from tests.engine.conftest import fast, touch

    with CatalogServer(api_key="demo-key") as server:
        (tmp_path / "library").mkdir()
        settings = fast(demo_settings(Settings(), tmp_path, server))
        for movie in list(server.catalog.movies.values())[:120]:
            touch(settings.library.roots[0], file_name(movie))
        settings = replace(settings, schedule=replace(settings.schedule, batch_size=120))
        stop = asyncio.Event()
        finished = 0
        original = Schedule.start

        def start_and_fire(self: Schedule) -> None:
            original(self)
            engine = self._engine

            def count(event: object) -> None:
                nonlocal finished
                if isinstance(event, EnrichmentFinished):
                    finished += 1
                    if finished == 10:
                        stop.set()  # what the SIGTERM handler does

            engine.bus.subscribe(count)

            async def scan_then_run() -> None:
                await engine.scan()
                await self.run_enrichment()

            asyncio.get_running_loop().create_task(scan_then_run())

        monkeypatch.setattr(Schedule, "start", start_and_fire)
        task = asyncio.create_task(daemon.run_scheduled(settings, stop=stop))
        await stop.wait()
        asked = asyncio.get_running_loop().time()
        code = await task
        took = asyncio.get_running_loop().time() - asked
    assert code == 0 and took < 2.0
    repo = Repository(settings.database.path)
    await repo.open()
    try:
        _, last = await repo.latest_bulk_runs()
        ok = await repo._run(lambda db: db.execute_sql("PRAGMA integrity_check").fetchone()[0])
    finally:
        await repo.close()
    assert last is not None and last.status == "cancelled"
    assert last.stop_reason == "matinee is stopping"
    assert 10 <= last.counts.processed < 120
    assert ok == "ok"
