"""DashboardScreen: counts and average completeness, the most incomplete titles (Enter opens
one), the bulk card, provider health lines, the review count; reloads and bad paths."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from statistics import fmean

import pytest
from textual.widgets import Static

from matinee.engine.events import EnrichmentFinished, EntityChanged, RunFinished, RunStarted
from matinee.engine.reports import BulkStatus, KindCounts, LibraryStatus
from matinee.errors import UsageError
from matinee.model import EntityKind, EntitySummary, Ref
from matinee.tui.app import MatineeApp
from matinee.tui.screens.dashboard import DashboardScreen
from matinee.tui.screens.detail import DetailScreen
from matinee.tui.widgets.completeness_bar import CompletenessBar, bar_content
from matinee.tui.widgets.dash_format import health_line

from .conftest import settle
from .fakes import FakeEngine, _health
from .test_bulk_card import NEXT, QUOTA_STOP, publish, run_row

SIZE = (120, 40)


def _counts(items: list[EntitySummary]) -> KindCounts:
    return KindCounts(
        total=len(items),
        enriched=sum(s.category == "enriched" for s in items),
        partially_enriched=sum(s.category == "partial" for s in items),
        unenriched=sum(s.category == "unenriched" for s in items),
        needs_review=sum(s.identification.status == "review" for s in items),
        average_completeness=fmean(s.completeness for s in items) if items else 0.0,
    )


class DashEngine(FakeEngine):
    """A FakeEngine whose `status()` counts its summaries and ranks the least complete."""

    async def status(self) -> LibraryStatus:
        self._record("status")
        by_type = {
            kind.value: _counts([s for s in self.table.values() if s.ref.kind == kind])
            for kind in (EntityKind.MOVIE, EntityKind.SERIES)
        }
        everything = list(self.table.values())
        worst = sorted(everything, key=lambda s: (s.completeness, s.title))[:10]
        top = tuple([await self.show(s.ref) for s in worst])
        return LibraryStatus(_counts(everything), by_type, top)


def dash_app(engine: FakeEngine) -> MatineeApp:
    return MatineeApp(engine, bridge_timer=False, start="dashboard")


def screen_of(app: MatineeApp) -> DashboardScreen:
    assert isinstance(app.screen, DashboardScreen)
    return app.screen


def text_of(screen: DashboardScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


@pytest.fixture
def utc() -> Iterator[None]:
    import time

    mp = pytest.MonkeyPatch()
    mp.setenv("TZ", "UTC")
    time.tzset()
    yield
    mp.undo()
    time.tzset()


def test_completeness_bar_fills_its_width() -> None:
    assert bar_content(50.0, 25).plain == "██████████░░░░░░░░░░  50%"
    assert bar_content(0.0, 10).plain == "░░░░░   0%"
    assert bar_content(130.0, 10).plain == "█████ 100%"


async def test_counts_average_and_review_count_are_shown() -> None:
    engine = DashEngine(movies=60, series=6)
    app = dash_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        assert screen.status is not None
        overall = screen.status.overall
        movies = screen.status.by_type["movie"]
        assert overall.total == 66 and movies.total == 60
        lines = text_of(screen, "#counts").split("\n")
        assert lines[0].split() == [
            "Titles", "Enriched", "Partial", "Unenriched", "Review", "Average",
        ]  # fmt: skip
        assert lines[1].split() == [
            "Movies", "60", str(movies.enriched), str(movies.partially_enriched),
            str(movies.unenriched), str(movies.needs_review),
            f"{movies.average_completeness:.0f}%",
        ]  # fmt: skip
        assert lines[2].split()[:2] == ["Series", "6"]
        assert lines[3].split()[:2] == ["All", "66"]
        bar = screen.query_one("#average-bar", CompletenessBar)
        assert bar.value == pytest.approx(overall.average_completeness)
        assert overall.needs_review == 11
        review = text_of(screen, "#review")
        assert review.startswith("11 titles need a review")
        assert "press i to identify" in review


async def test_most_incomplete_in_order_and_enter_opens_the_one_highlighted() -> None:
    engine = DashEngine(movies=60, series=6)
    app = dash_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        assert screen.status is not None
        expected = [d.ref for d in screen.status.top_incomplete]
        table = screen.table
        assert [table.rows[i].ref for i in range(table.row_count)] == expected
        done = [d.summary.completeness for d in screen.status.top_incomplete]
        assert done == sorted(done)
        assert table.cell(0, "title") == screen.status.top_incomplete[0].summary.title
        assert table.border_title == "Most incomplete (10) · Enter opens"
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.ref == expected[2]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)


async def test_provider_health_has_one_line_per_provider() -> None:
    engine = DashEngine(movies=10, series=0)
    engine.health = [
        *engine.health,
        replace(_health("x", "Disabled one"), enabled=False),
        replace(
            _health("y", "Slow one"),
            healthy=False,
            rate_limited=True,
            reset_at=datetime(2026, 11, 22, 14, 5),
        ),
    ]
    app = dash_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert text_of(screen_of(app), "#health").split("\n") == [
            "TMDB ok · 120 requests today",
            "OMDb quota used 1,000 of 1,000, resets 23 Nov 00:00",
            "TheTVDB not configured (no API key)",
            "Fanart.tv failing: fanart: timed out",
            "Disabled one disabled",
            "Slow one rate limited until 22 Nov 14:05",
        ]


def test_a_provider_with_a_quota_shows_its_use_when_healthy() -> None:
    line = health_line(_health("omdb", "OMDb", quota=1000, requests_today=250))
    assert line.plain == "OMDb ok · 250 of 1,000 requests today"


async def test_the_bulk_card_and_the_next_scheduled_run(utc: None) -> None:
    engine = DashEngine(movies=10, series=0)
    engine.bulk = BulkStatus(None, run_row("stopped", stop_reason=QUOTA_STOP), NEXT)
    app = dash_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        card = screen_of(app).card
        assert card.phase == "stopped"
        assert card.text.startswith(f"■ Stopped by omdb · scheduled run\n{QUOTA_STOP}\n")
        assert card.text.endswith("Next scheduled run: Mon 23 Nov 03:00")


async def test_status_is_read_again_when_a_run_ends_or_a_title_changes() -> None:
    engine = DashEngine(movies=10, series=0)
    app = dash_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert len(engine.calls_of("status")) == 1
        await publish(app, pilot, RunStarted(10, "scheduled"))
        assert len(engine.calls_of("status")) == 1
        assert screen_of(app).card.phase == "running"
        await publish(app, pilot, RunFinished(10, 10, 0, 0, 0, 0, False, None, 3.0))
        assert len(engine.calls_of("status")) == 2
        assert screen_of(app).card.phase == "finished"
        await publish(app, pilot, EntityChanged(Ref(EntityKind.MOVIE, 1), ("plot",)))
        assert len(engine.calls_of("status")) == 3
        await pilot.press("r")
        await settle(pilot)
        assert len(engine.calls_of("status")) == 4


async def test_during_a_run_status_and_health_are_read_again_now_and_then() -> None:
    engine = DashEngine(movies=10, series=0)
    app = dash_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ref = Ref(EntityKind.MOVIE, 2)
        done = EnrichmentFinished(ref, "x", ("plot",), 100.0, False)
        await publish(app, pilot, done)
        assert len(engine.calls_of("status")) == 1  # just read: not again yet
        screen_of(app)._reloaded_at -= 60  # a minute later
        await publish(app, pilot, done)
        assert len(engine.calls_of("status")) == 2


async def test_an_empty_library() -> None:
    engine = FakeEngine(movies=0, series=0)  # its status() is all zeros
    engine.health = []
    app = dash_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        assert text_of(screen, "#counts").startswith("The library is empty")
        assert text_of(screen, "#review") == "No title needs a review"
        assert text_of(screen, "#health") == "No provider is known"
        assert screen.table.row_count == 0
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)


async def test_a_failing_status_becomes_a_notification() -> None:
    class Failing(DashEngine):
        async def status(self) -> LibraryStatus:
            raise UsageError("database is locked")

    app = dash_app(Failing(movies=10, series=0))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = screen_of(app)
        assert "Loading the dashboard failed: database is locked" in [
            n.message for n in app._notifications
        ]
        assert screen.status is None
        assert text_of(screen, "#health").startswith("TMDB ok")  # the rest still loads


def _stopped_dashboard() -> MatineeApp:
    engine = DashEngine(movies=60, series=6)
    engine.bulk = BulkStatus(None, run_row("stopped", stop_reason=QUOTA_STOP), NEXT)
    return dash_app(engine)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_dashboard_snapshot(snap_compare, utc: None, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(_stopped_dashboard(), terminal_size=size, run_before=settle)
