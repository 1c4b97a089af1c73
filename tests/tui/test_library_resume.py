"""Coming back to the library from another mode: it catches up on the events it missed."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from matinee.engine.bus import EventBus
from matinee.engine.events import (
    EnrichmentFinished,
    EntityChanged,
    RunFinished,
    RunProgressed,
    ScanStarted,
)
from matinee.model import EntityKind, Ref
from matinee.tui.app import MatineeApp
from matinee.tui.screens.library import LibraryScreen
from matinee.tui.screens.library_filters import LibraryFilter
from matinee.tui.screens.library_missed import MissedEvents
from matinee.tui.screens.library_view import LibraryRows, progress_text, status_text

from .conftest import settle
from .fakes import FakeEngine, make_summary

SIZE = (120, 40)
MOVIE = EntityKind.MOVIE


def library(app: MatineeApp) -> LibraryScreen:
    screens = [s for s in app.screen_stack if isinstance(s, LibraryScreen)]
    if not screens:  # another mode is current: find the library's own stack
        screens = [s for s in app._screen_stacks["library"] if isinstance(s, LibraryScreen)]
    return screens[0]


def test_missed_events_keep_one_per_ref_and_the_latest_progress() -> None:
    bus = EventBus()
    missed = MissedEvents(bus)
    bus.publish(RunProgressed(1, 9, "a", 1.0))  # before start: not recorded
    missed.start()
    a, b = Ref(MOVIE, 1), Ref(MOVIE, 2)
    bus.publish(RunProgressed(2, 9, "b", 2.0))
    bus.publish(EnrichmentFinished(a, "A", (), 50.0, False))
    bus.publish(EntityChanged(a, ("plot",)))
    bus.publish(RunProgressed(3, 9, "c", 3.0))
    bus.publish(EnrichmentFinished(b, "B", (), 50.0, False))
    missed.stop()
    bus.publish(EnrichmentFinished(Ref(MOVIE, 3), "C", (), 50.0, False))
    assert missed.take() == (
        RunProgressed(3, 9, "c", 3.0),
        EntityChanged(a, ("plot",)),
        EnrichmentFinished(b, "B", (), 50.0, False),
    )
    assert missed.take() == ()


def test_status_text_puts_filters_first_and_hides_the_schedule_while_busy() -> None:
    rows = LibraryRows()
    rows.load([make_summary(MOVIE, i) for i in range(10)])
    rows.filter = LibraryFilter(genre="Drama", partial=True)
    rows.search = "red"
    when = datetime(2026, 11, 23, 3, 0)
    assert status_text("Movies", 4, rows, "", when) == (
        "Movies: 4 of 10 · genre Drama · partial · search “red” · 1 enriched · 2 partial · "
        "7 unenriched  │  next scheduled run Mon 03:00"
    )
    busy = status_text("Movies", 4, rows, "Scanning…", when)
    assert busy.endswith("  │  Scanning…")
    assert progress_text(ScanStarted(("/m",))) == "Scanning…"
    assert progress_text(EntityChanged(Ref(MOVIE, 1))) is None


async def test_a_title_changed_while_away_is_refetched_on_return(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library(app)
        await pilot.press("1")  # the dashboard: the bridge no longer reaches the library
        await settle(pilot)
        assert app.current_mode == "dashboard"
        ref = Ref(MOVIE, 3)
        engine.table[ref] = replace(engine.table[ref], title="Changed meanwhile")
        engine.bus.publish(EnrichmentFinished(ref, "Changed meanwhile", ("title",), 95.0, False))
        engine.bus.publish(RunProgressed(5, 10, "Iron", 2.0))
        app.bridge.flush()
        await settle(pilot)
        assert engine.calls_of("summaries") == []
        assert screen.table.cell(2, "title") != "Changed meanwhile"
        await pilot.press("2")
        await settle(pilot)
        assert app.screen is screen
        assert engine.calls_of("summaries") == [(([ref],), {})]
        assert screen.table.cell(2, "title") == "Changed meanwhile"
        assert screen.progress.startswith("Enriching 5/10 · Iron")
        # Nothing is recorded once back: the bridge delivers again.
        engine.calls.clear()
        engine.bus.publish(EntityChanged(Ref(MOVIE, 4), ("plot",)))
        app.bridge.flush()
        await settle(pilot)
        assert engine.calls_of("summaries") == [(([Ref(MOVIE, 4)],), {})]


async def test_a_run_finished_while_away_reloads_on_return(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        engine.bus.publish(RunFinished(10, 8, 0, 2, 0, 0, False, None, 4.0))
        app.bridge.flush()
        await settle(pilot)
        loads = len(engine.calls_of("list_entities"))
        await pilot.press("2")
        await settle(pilot)
        assert len(engine.calls_of("list_entities")) == loads + 1
        assert library(app).progress.startswith("Run done: 8 updated")


async def test_coming_back_with_nothing_missed_costs_nothing(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        engine.calls.clear()
        await pilot.press("2")
        await settle(pilot)
        assert engine.calls_of("show") == [] and engine.calls_of("list_entities") == []
