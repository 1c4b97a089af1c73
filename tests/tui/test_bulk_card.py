"""BulkCard: idle, running (events or the store), stopped by a provider, cancelled, finished;
manual single-title runs left out; the store read on resume and reconciled after a run ends."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from matinee.engine.events import Event, RunFinished, RunProgressed, RunStarted
from matinee.engine.reports import BulkStatus
from matinee.errors import UsageError
from matinee.store.bulk_runs import BulkCounts, BulkRunRow
from matinee.tui.app import MatineeApp
from matinee.tui.widgets.bulk_card import BulkCard
from matinee.tui.widgets.dash_bulk_view import (
    card_text,
    stopping_provider,
    this_process,
    view_from_row,
)

from .conftest import settle
from .fakes import FakeEngine

SIZE = (100, 30)
NEXT = datetime(2026, 11, 23, 3, 0)
QUOTA_STOP = (
    "omdb: daily quota reached (500 of 500 requests used today, resets 2026-11-23 00:00 UTC); "
    "the next run continues from movie:501"
)
STARTED = datetime(2026, 11, 22, 14, 0, tzinfo=UTC).timestamp()


def run_row(
    status: str = "running",
    *,
    processed: int = 412,
    total: int = 1000,
    stop_reason: str | None = None,
    trigger: str = "scheduled",
    seconds: float = 192.0,
) -> BulkRunRow:
    """A stored bulk run: running (heartbeat `seconds` after its start) or ended then."""
    ended = None if status == "running" else STARTED + seconds
    return BulkRunRow(
        id=7, trigger=trigger, complete_or_skip=True, status=status, owner="nas:4242",
        started_at=STARTED, heartbeat_at=STARTED + seconds, finished_at=ended,
        counts=BulkCounts(total, processed, updated=400, skipped=5, failed=2, partial=3,
                          needs_review=1),
        current="movie:412" if status == "running" else None,
        stop_reason=stop_reason, cancel_requested=False,
    )  # fmt: skip


@pytest.fixture
def utc() -> Iterator[None]:
    """Local time is UTC while the test runs (stored run times are shown in local time)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("TZ", "UTC")
    time.tzset()
    yield
    mp.undo()
    time.tzset()


def queue_app(engine: FakeEngine) -> MatineeApp:
    return MatineeApp(engine, bridge_timer=False, start="queue")


def card_of(app: MatineeApp) -> BulkCard:
    return app.screen.query_one(BulkCard)


async def publish(app: MatineeApp, pilot, *events: Event) -> None:  # type: ignore[no-untyped-def]
    for event in events:
        app.engine.bus.publish(event)
    app.bridge.flush()
    await settle(pilot)


def test_stopping_provider_is_the_first_name_of_the_reason() -> None:
    assert stopping_provider(QUOTA_STOP) == "omdb"
    assert stopping_provider("tmdb: invalid API key") == "tmdb"
    assert stopping_provider("cancelled") is None
    assert stopping_provider("another bulk run is in progress (run 3)") is None
    assert stopping_provider("no provider is configured: set MATINEE_TMDB_API_KEY") is None
    assert stopping_provider(None) is None


def test_view_from_a_running_row_estimates_the_time_left() -> None:
    view = view_from_row(run_row())
    assert (view.phase, view.processed, view.total, view.owner) == (
        "running",
        412,
        1000,
        "nas:4242",
    )
    assert view.elapsed == pytest.approx(192.0)
    assert view.remaining == pytest.approx(192.0 / 412 * 588)
    abandoned = view_from_row(run_row("abandoned"))
    assert abandoned.phase == "stopped"
    assert abandoned.stop_reason is not None and "nas:4242" in abandoned.stop_reason


def test_a_run_of_this_process_is_not_said_to_be_elsewhere_and_a_done_one_is_finishing() -> None:
    view = view_from_row(replace(run_row(processed=1000), owner=this_process()))
    assert view.owner is None
    head, body = card_text(view)
    assert head.plain == "● Running · scheduled run"
    assert "1,000 / 1,000 · now: movie:412\nelapsed 3:12 · finishing…" in body.plain


async def test_idle_card_says_no_run_yet_and_the_next_scheduled_run() -> None:
    engine = FakeEngine(movies=10, series=0)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        card = card_of(app)
        assert card.phase == "idle"
        assert card.text == "No bulk run yet\nNext scheduled run: Mon 23 Nov 03:00"


async def test_no_scheduled_run_is_said_plainly() -> None:
    engine = FakeEngine(movies=10, series=0)
    engine.next_scheduled_run = lambda: None  # type: ignore[method-assign]
    engine.bulk = BulkStatus(None, None, None)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "No scheduled run" in card_of(app).text


async def test_scheduled_run_followed_from_its_events_to_its_end() -> None:
    engine = FakeEngine(movies=10, series=0)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        card = card_of(app)
        await publish(app, pilot, RunStarted(1000, "scheduled"))
        assert card.phase == "running" and card.has_class("-running")
        assert card.text.startswith("● Running · scheduled run")
        await publish(
            app, pilot,
            RunProgressed(411, 1000, "movie:411", 190.0),
            RunProgressed(412, 1000, "movie:412", 192.0, updated=400, failed=2, remaining=275.0),
        )  # fmt: skip
        text = card.text
        assert "412 / 1,000 · now: movie:412" in text
        assert "elapsed 3:12 · about 4:35 left · 400 updated · 2 failed" in text
        assert card.view is not None and card.view.processed == 412
        await publish(app, pilot, RunFinished(1000, 990, 5, 5, 1, 3, False, None, 600.0))
        assert card.phase == "finished"
        assert card.text.startswith("✓ Last run finished · scheduled run")
        assert "1,000 of 1,000 processed · 990 updated · 5 failed · 3 partial" in card.text
        assert "took 10:00" in card.text


async def test_manual_single_title_runs_are_not_bulk_runs() -> None:
    engine = FakeEngine(movies=10, series=0)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        card = card_of(app)
        await publish(app, pilot, RunStarted(1, "manual"), RunProgressed(1, 1, "movie:3", 0.4))
        assert card.phase == "idle" and card.view is None
        await publish(app, pilot, RunFinished(1, 1, 0, 0, 0, 0, False, None, 0.5))
        assert card.phase == "idle"


async def test_a_manual_run_alongside_does_not_move_or_end_the_bulk_card() -> None:
    engine = FakeEngine(movies=10, series=0)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        card = card_of(app)
        await publish(app, pilot, RunStarted(500, "scheduled"),
                      RunProgressed(40, 500, "movie:40", 20.0))  # fmt: skip
        await publish(app, pilot, RunStarted(1, "manual"), RunProgressed(1, 1, "movie:3", 0.4))
        assert card.view is not None and card.view.current == "movie:40"
        await publish(app, pilot, RunFinished(1, 1, 0, 0, 0, 0, False, None, 0.5))
        assert card.phase == "running"


async def test_stopped_by_a_quota_names_the_provider_and_shows_the_reason_in_full() -> None:
    engine = FakeEngine(movies=10, series=0)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        card = card_of(app)
        await publish(app, pilot, RunStarted(1000, "scheduled"))
        await publish(app, pilot, RunFinished(500, 480, 18, 2, 0, 0, True, QUOTA_STOP, 3600.0))
        assert card.phase == "stopped" and card.has_class("-stopped")
        head, reason, counts = card.text.split("\n")[:3]
        assert head == "■ Stopped by omdb · scheduled run"
        assert reason == QUOTA_STOP
        assert counts.startswith("500 of 1,000 processed · 480 updated · 2 failed")


async def test_cancelled_run_from_its_events() -> None:
    engine = FakeEngine(movies=10, series=0)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        card = card_of(app)
        await publish(app, pilot, RunStarted(100, "demo"),
                      RunFinished(30, 30, 0, 0, 0, 0, True, "cancelled", 12.0))  # fmt: skip
        assert card.phase == "cancelled"
        assert card.text.startswith("✕ Last run cancelled · demo run\ncancelled\n30 of 100")


async def test_a_run_in_another_process_is_read_from_the_store() -> None:
    engine = FakeEngine(movies=10, series=0)
    engine.bulk = BulkStatus(run_row(), None, NEXT)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        card = card_of(app)
        assert card.phase == "running"
        assert "in another process (nas:4242)" in card.text
        assert "412 / 1,000 · now: movie:412" in card.text
        assert "elapsed 3:12 · about 4:34 left" in card.text


async def test_the_last_run_stopped_by_a_quota_is_read_from_the_store(utc: None) -> None:
    engine = FakeEngine(movies=10, series=0)
    engine.bulk = BulkStatus(None, run_row("stopped", stop_reason=QUOTA_STOP), NEXT)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        card = card_of(app)
        assert card.phase == "stopped"
        lines = card.text.split("\n")
        assert lines[0] == "■ Stopped by omdb · scheduled run"
        assert lines[1] == QUOTA_STOP
        assert lines[2] == (
            "412 of 1,000 processed · 400 updated · 2 failed · 3 partial · 1 to review · "
            "took 3:12 · ended Sun 22 Nov 14:03"
        )
        assert lines[3] == "Next scheduled run: Mon 23 Nov 03:00"


async def test_after_a_run_ends_the_store_decides_whether_one_still_runs() -> None:
    engine = FakeEngine(movies=10, series=0)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        card = card_of(app)
        await publish(app, pilot, RunStarted(1000, "scheduled"))
        # A one-title manual run finishing early looks like ours; the store says ours still runs.
        engine.bulk = BulkStatus(run_row(processed=3), None, NEXT)
        await publish(app, pilot, RunFinished(1, 1, 0, 0, 0, 0, False, None, 0.5))
        assert card.phase == "running"
        assert card.view is not None and card.view.processed == 3


async def test_resume_reads_the_store_for_what_was_missed_while_hidden() -> None:
    engine = FakeEngine(movies=10, series=0)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await publish(app, pilot, RunStarted(1000, "scheduled"))
        await pilot.press("2")  # the library: the queue screen misses the run's end
        await settle(pilot)
        engine.bulk = BulkStatus(None, run_row("finished", processed=1000), NEXT)
        await pilot.press("3")
        await settle(pilot)
        card = card_of(app)
        assert card.phase == "finished"
        assert "1,000 of 1,000 processed" in card.text


async def test_a_failing_status_read_shows_on_the_card_without_a_notification() -> None:
    class Failing(FakeEngine):
        async def bulk_status(self) -> BulkStatus:
            raise UsageError("database is locked")

    engine = Failing(movies=10, series=0)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "bulk status unavailable: database is locked" in card_of(app).text
        assert not any("bulk" in n.message for n in app._notifications)
