"""QueueScreen: the staleness queue with why each title is there, Enter opens it, `n`/`a` run
the queue as a bulk run (one at a time), `c` cancels, the queue is read again when a run ends."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from matinee.engine.events import RunFinished, RunStarted
from matinee.engine.reports import BulkStatus, EnrichReport, QueueItem
from matinee.errors import UsageError
from matinee.model import EntityKind, Ref
from matinee.tui.app import MatineeApp
from matinee.tui.screens.detail import DetailScreen
from matinee.tui.screens.queue import QueueScreen

from .conftest import settle
from .fakes import FakeEngine
from .test_bulk_card import NEXT, publish, run_row

SIZE = (100, 30)
NOW = datetime(2024, 1, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """ "Enriched N days ago" counts from a fixed now, in UTC."""
    import time

    monkeypatch.setattr(QueueScreen, "clock", staticmethod(lambda: NOW))
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def queue_app(engine: FakeEngine) -> MatineeApp:
    return MatineeApp(engine, bridge_timer=False, start="queue")


def screen_of(app: MatineeApp) -> QueueScreen:
    assert isinstance(app.screen, QueueScreen)
    return app.screen


def messages(app: MatineeApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_rows_say_why_each_title_is_queued() -> None:
    # 20 movies: every 4th never enriched, the others on 2024-01-(1 + i); every 7th partial;
    # i = 3, 9, 15 in review. Now is 2024-01-20 and the TTL 7 days.
    engine = FakeEngine(movies=20, series=0)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        assert engine.calls_of("queue") == [((100,), {})]
        reasons = {row.ref.id - 1: row.reason for row in screen.rows}
        assert reasons[0] == "never enriched"
        assert reasons[1] == "stale: enriched 18 days ago"
        assert reasons[3] == "needs review"
        assert reasons[7] == "stale: enriched 12 days ago"  # partial too, but stale first
        assert reasons[14] == "partial: provider missing"  # enriched 5 days ago: fresh
        assert reasons[13] == "queued: enriched 6 days ago"
        table = screen.table
        assert [table.cell(i, "position") for i in range(3)] == ["1", "2", "3"]
        first = engine.table[Ref(EntityKind.MOVIE, 1)]
        assert table.cell(0, "title") == first.title
        assert table.cell(0, "year") == str(first.year)
        assert table.cell(0, "last_enriched") == "never"
        assert table.cell(0, "why") == "never enriched"
        assert table.cell(0, "done").endswith(f"{first.completeness:4.0f}%")
        status = str(screen.query_one("#status").content)  # type: ignore[attr-defined]
        assert "20 next in the queue" in status
        assert "stale = enriched more than 7 days ago (cache.ttl_days)" in status


async def test_enter_opens_the_highlighted_title() -> None:
    engine = FakeEngine(movies=20, series=0)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        expected = screen_of(app).rows[2].ref
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.ref == expected
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)


async def test_n_runs_one_batch_and_a_the_whole_queue_as_bulk_runs() -> None:
    engine = FakeEngine(movies=20, series=0)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        base = {"limit": None, "force": False, "trigger": "manual"}
        assert engine.calls_of("enrich") == [
            (([],), base | {"all": False}),
            (([],), base | {"all": True}),
        ]
        # The fake enriched nothing: that is said, since the app only notifies real runs.
        assert messages(app).count("Nothing to enrich: every title is fresh") == 2


async def test_run_now_announces_a_manual_bulk_run_to_the_card() -> None:
    engine = FakeEngine(movies=20, series=0)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        card = screen_of(app).card
        await publish(app, pilot, RunStarted(100, "manual"))  # not announced: a manual refresh
        assert card.phase == "idle"
        await pilot.press("n")
        await settle(pilot)
        await publish(app, pilot, RunStarted(100, "manual"))
        assert card.phase == "running"


async def test_a_second_run_is_refused_while_one_runs() -> None:
    class Gated(FakeEngine):
        gate: asyncio.Event

        async def enrich(self, *args, **kwargs) -> EnrichReport:  # type: ignore[no-untyped-def]
            report = await super().enrich(*args, **kwargs)
            await self.gate.wait()
            return report

    engine = Gated(movies=20, series=0)
    engine.gate = asyncio.Event()
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert len(engine.calls_of("enrich")) == 1
        assert any("already running" in m for m in messages(app))
        engine.gate.set()
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert [k["all"] for _, k in engine.calls_of("enrich")] == [False, True]


async def test_run_now_is_refused_while_another_process_runs_the_queue() -> None:
    engine = FakeEngine(movies=20, series=0)
    engine.bulk = BulkStatus(run_row(), None, NEXT)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert engine.calls_of("enrich") == []
        assert "A bulk run is already running (scheduled, 412 of 1,000); c cancels it" in (
            messages(app)
        )


async def test_a_refused_run_says_why() -> None:
    class Busy(FakeEngine):
        async def enrich(self, *args, **kwargs) -> EnrichReport:  # type: ignore[no-untyped-def]
            await super().enrich(*args, **kwargs)
            return EnrichReport(stopped=True, stop_reason="another bulk run is in progress")

    engine = Busy(movies=20, series=0)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert "another bulk run is in progress" in messages(app)


async def test_c_cancels_and_says_whether_a_run_was_running() -> None:
    engine = FakeEngine(movies=20, series=0)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert engine.calls_of("cancel_bulk") == [((), {})]
        assert "No bulk run is running" in messages(app)
        engine.bulk = BulkStatus(run_row(), None, NEXT)
        await pilot.press("c")
        await settle(pilot)
        assert len(engine.calls_of("cancel_bulk")) == 2
        assert any(m.startswith("Cancelling the bulk run") for m in messages(app))
        assert screen_of(app).card.phase == "running"  # the card read the store after it


async def test_the_queue_is_read_again_when_a_run_ends_and_on_resume() -> None:
    engine = FakeEngine(movies=20, series=0)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert len(engine.calls_of("queue")) == 1
        await publish(app, pilot, RunStarted(20, "scheduled"))
        assert len(engine.calls_of("queue")) == 1
        await publish(app, pilot, RunFinished(20, 20, 0, 0, 0, 0, False, None, 9.0))
        assert len(engine.calls_of("queue")) == 2
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert len(engine.calls_of("queue")) == 3


async def test_an_empty_queue_and_a_failing_one() -> None:
    class Empty(FakeEngine):
        async def queue(self, limit: int = 100) -> list[QueueItem]:
            self._record("queue", limit)
            return []

    engine = Empty(movies=20, series=0)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        assert screen.table.row_count == 0
        assert "The queue is empty" in str(screen.query_one("#status").content)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)

    class Failing(FakeEngine):
        async def queue(self, limit: int = 100) -> list[QueueItem]:
            raise UsageError("database is locked")

    app = queue_app(Failing(movies=20, series=0))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Loading the queue failed: database is locked" in messages(app)
        assert screen_of(app).table.row_count == 0


def test_queue_snapshot_80x24(snap_compare) -> None:  # type: ignore[no-untyped-def]
    engine = FakeEngine(movies=40, series=0)
    app = queue_app(engine)

    async def running(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await publish(app, pilot, RunStarted(40, "scheduled"))
        from matinee.engine.events import RunProgressed

        await publish(app, pilot, RunProgressed(13, 40, "movie:13", 61.0, updated=12,
                                                remaining=127.0))  # fmt: skip

    assert snap_compare(app, terminal_size=(80, 24), run_before=running)
