"""Live progress per provider on the detail screen, from the engine's `ProviderAnswered`
events as the bridge delivers them (flushed by hand here)."""

from __future__ import annotations

import asyncio

from matinee.engine.events import (
    EnrichmentFailed,
    EnrichmentFinished,
    EnrichmentStarted,
    ProviderAnswered,
)
from matinee.engine.reports import EnrichReport
from matinee.model import EntityKind, Ref
from matinee.tui.app import MatineeApp
from matinee.tui.widgets.provider_progress import ProviderProgress, progress_markup

from .conftest import settle
from .fakes import FakeEngine
from .test_detail import open_detail

REF = Ref(EntityKind.MOVIE, 2)
OTHER = Ref(EntityKind.MOVIE, 3)


async def test_each_provider_state_shows_as_its_answer_arrives(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_detail(app, pilot, downs=1)
        progress = screen.progress
        assert not progress.display or progress.has_class("-idle")
        # tvdb has no key in the fake: it is not expected to answer.
        assert screen.providers == ("tmdb", "omdb", "fanart")
        engine.bus.publish(EnrichmentStarted(REF, "Silent Red"))
        engine.bus.publish(ProviderAnswered(REF, "tmdb", "ok"))
        engine.bus.publish(ProviderAnswered(OTHER, "omdb", "failed", "another title"))
        engine.bus.publish(ProviderAnswered(REF, "fanart", "failed", "timed out"))
        app.bridge.flush()
        await settle(pilot)
        assert progress.running and progress.region.height == 1
        assert progress.plain == "Refreshing  tmdb ✓  omdb …  fanart ✗ timed out"
        engine.bus.publish(
            EnrichmentFinished(REF, "Silent Red", ("plot",), 80.0, True, (), ("omdb",))
        )
        app.bridge.flush()
        await settle(pilot)
        assert not progress.running
        assert progress.plain == "Last refresh  tmdb ✓  omdb ✗ rate limited  fanart ✗ timed out"
        assert ("show", (REF,), {}) in engine.calls  # the finished enrichment reloaded it


async def test_answers_for_other_titles_are_ignored(app: MatineeApp, engine: FakeEngine) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_detail(app, pilot, downs=1)
        engine.bus.publish(EnrichmentStarted(OTHER, "Other"))
        engine.bus.publish(ProviderAnswered(OTHER, "tmdb", "ok"))
        app.bridge.flush()
        await settle(pilot)
        assert screen.progress.has_class("-idle")
        assert screen.progress.states == {}


async def test_an_answer_without_a_start_event_starts_the_line(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_detail(app, pilot, downs=1)
        engine.bus.publish(ProviderAnswered(REF, "omdb", "rate_limited"))
        engine.bus.publish(ProviderAnswered(REF, "tmdb", "not_found"))
        app.bridge.flush()
        await settle(pilot)
        assert screen.progress.plain == (
            "Refreshing  tmdb ∅ not found  omdb ✗ rate limited  fanart …"
        )
        engine.bus.publish(EnrichmentFailed(REF, "Silent Red", "no id to ask with"))
        app.bridge.flush()
        await settle(pilot)
        assert screen.progress.plain == (
            "Last refresh  tmdb ∅ not found  omdb ✗ rate limited  fanart – not asked"
        )


class QuietEngine(FakeEngine):
    """An enrichment that waits for `gate`, publishes nothing and skips the title as fresh."""

    def __init__(self) -> None:
        super().__init__(movies=5, series=1)
        self.gate = asyncio.Event()

    async def enrich(self, refs=(), **kwargs):  # type: ignore[no-untyped-def]
        self._record("enrich", list(refs), **kwargs)
        await self.gate.wait()
        return EnrichReport(processed=1, skipped=1)


async def test_r_shows_every_provider_waiting_then_closes_the_line() -> None:
    engine = QuietEngine()
    app = MatineeApp(engine, bridge_timer=False, start="library")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_detail(app, pilot, downs=1)
        await pilot.press("r")
        await pilot.pause()
        assert screen.progress.plain == "Refreshing  tmdb …  omdb …  fanart …"
        await pilot.press("r")  # a second refresh of the same title is refused
        assert any("already being refreshed" in n.message for n in app._notifications)
        engine.gate.set()
        await settle(pilot)
        assert engine.calls_of("enrich") == [(([REF],), {"force": False})]
        assert (
            screen.progress.plain == "Last refresh: no provider was asked (the title is up to date)"
        )
        assert any("up to date" in n.message for n in app._notifications)


async def test_r_asks_again_which_providers_are_configured() -> None:
    engine = QuietEngine()
    app = MatineeApp(engine, bridge_timer=False, start="library")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_detail(app, pilot, downs=1)
        engine.health = [h for h in engine.health if h.id != "omdb"]  # disabled meanwhile
        await pilot.press("r")
        await pilot.pause()
        assert screen.providers == ("tmdb", "fanart")
        assert screen.progress.plain == "Refreshing  tmdb …  fanart …"
        engine.gate.set()
        await settle(pilot)


def test_progress_markup_cuts_long_details_and_escapes_markup() -> None:
    progress = ProviderProgress()
    progress.start(["tmdb"])
    progress.answer("tmdb", "failed", "[b]connection reset by peer after 3 retries[/b]")
    assert progress.plain == "Refreshing  tmdb ✗ [b]connection reset by …"
    assert progress_markup({}, running=True) == "[b]Refreshing[/b]: no provider to ask"
