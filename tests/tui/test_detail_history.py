"""The history modal of the detail screen (`h`): every entry, newest first, and closing it."""

from __future__ import annotations

from datetime import datetime

from textual.content import Content
from textual.widgets import Static

from matinee.engine.views import FieldChange, HistoryEntry
from matinee.model import EntityKind, Ref
from matinee.tui.app import MatineeApp
from matinee.tui.screens.detail import DetailScreen
from matinee.tui.screens.detail_history import HistoryScreen, history_markup

from .conftest import settle
from .fakes import FakeEngine
from .test_detail import open_detail


def plain(markup: str) -> str:
    return Content.from_markup(markup).plain


async def test_h_shows_the_titles_history_newest_first(app: MatineeApp, engine: FakeEngine) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        detail = await open_detail(app, pilot, downs=1)
        await pilot.press("h")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        assert engine.calls_of("history") == [((Ref(EntityKind.MOVIE, 2),), {})]
        text = str(screen.query_one("#history-body", Static).visual)
        assert text.splitlines() == [
            "2024-02-01 12:00 · edit by hand",
            "  plot: Old. → New. (user)",
            "",
            "2024-01-01 03:00 · scheduled run · completeness 10% → 60%",
            "  plot: — → Old. (tmdb)",
            "  year: — → 1999 (tmdb)",
            "  providers: ok tmdb · rate limited omdb",
        ]
        assert "Silent Red 000001" in str(screen.query_one("#history-title", Static).content)
        engine.calls.clear()
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is detail
        assert engine.calls_of("show") == []  # nothing changed: no reload


def test_history_names_failed_providers_and_unchanged_runs() -> None:
    entry = HistoryEntry(
        datetime(2025, 5, 4, 9, 30),
        "bulk",
        (),
        providers_ok=("tmdb", "omdb"),
        providers_failed=("fanart",),
        completeness_after=80.0,
    )
    assert plain(history_markup([entry])).splitlines() == [
        "2025-05-04 09:30 · bulk run · completeness ? → 80%",
        "  no field changed",
        "  providers: ok tmdb, omdb · failed fanart",
    ]


def test_history_escapes_markup_in_values() -> None:
    entry = HistoryEntry(
        datetime(2025, 5, 4), "user", (FieldChange("tagline", "[b]x[/b]", "a" * 80, "user"),)
    )
    line = plain(history_markup([entry])).splitlines()[1]
    assert line == f"  tagline: [b]x[/b] → {'a' * 59}… (user)"


def test_empty_history_says_so() -> None:
    assert plain(history_markup([])).startswith("No history yet")


async def test_a_failing_history_is_a_notification(app: MatineeApp, engine: FakeEngine) -> None:
    async def broken(*args: object, **kwargs: object) -> list[HistoryEntry]:
        raise RuntimeError("database locked")

    engine.history = broken  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await open_detail(app, pilot, downs=1)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert any("database locked" in n.message for n in app._notifications)
        body = str(app.screen.query_one("#history-body", Static).visual)
        assert body == "Could not load the history: database locked"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
