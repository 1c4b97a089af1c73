"""The palette offers every bound action of the screen it was opened from, and runs it."""

from __future__ import annotations

from matinee.model import EntityKind
from matinee.tui.app import MatineeApp
from matinee.tui.commands import MatineeCommands
from matinee.tui.screens.keys import KeysScreen

from .conftest import settle
from .fakes import FakeEngine


async def test_palette_offers_library_actions_and_runs_them(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        provider = MatineeCommands(app.screen)
        titles = [hit.text async for hit in provider.discover()]
        assert "Enrich queue" in titles and "Movies/Series" in titles
        assert {"Dashboard", "Queue", "Providers", "Settings", "Keys", "Quit"} <= set(titles)
        assert "Lock" not in titles  # a detail-screen action
        assert "Scroll Left" not in titles  # a widget's cursor key is not a command
        hits = [hit async for hit in provider.search("movies/series")]
        assert hits[0].text == "Movies/Series"
        await hits[0].command()
        await settle(pilot)
        assert app.screen.kind == EntityKind.SERIES  # type: ignore[attr-defined]


async def test_palette_switches_screens_and_theme(app: MatineeApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        provider = MatineeCommands(app.screen)
        (hit,) = [h async for h in provider.search("Queue") if h.text == "Queue"]
        await hit.command()
        await settle(pilot)
        assert app.current_mode == "queue"
        provider = MatineeCommands(app.screen)
        (light,) = [h async for h in provider.search("light") if h.text == "Theme: matinee-light"]
        await light.command()
        assert app.theme == "matinee-light"


async def test_question_mark_lists_the_screens_keys_and_the_global_ones(app: MatineeApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        keys = app.screen
        assert isinstance(keys, KeysScreen)
        here = dict((d, k) for k, d in keys._here)
        everywhere = dict((d, k) for k, d in keys._everywhere)
        assert here["Movies/Series"] == "t" and here["Enrich queue"] == "e"
        assert here["Open"] == "⏎"  # the screen's, though the focused table binds enter too
        assert "Expand/collapse" not in here  # series only
        assert everywhere["Library"] == "2" and everywhere["Quit"] == "q"
        await pilot.press("escape")
        await settle(pilot)
        assert app.current_mode == "library" and not isinstance(app.screen, KeysScreen)
