"""Command palette entries follow the screen and run its actions."""

from __future__ import annotations

from matinee.model import EntityKind
from matinee.tui.app import MatineeApp
from matinee.tui.commands import MatineeCommands

from .conftest import settle
from .fakes import FakeEngine


async def test_palette_offers_library_actions_and_runs_them(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        provider = MatineeCommands(app.screen)
        titles = [hit.text async for hit in provider.discover()]
        assert "Enrich queue" in titles and "Toggle movies / series" in titles
        assert "Lock or unlock field" not in titles  # a detail-screen action
        hits = [hit async for hit in provider.search("toggle movies")]
        assert hits[0].text == "Toggle movies / series"
        await hits[0].command()
        await settle(pilot)
        assert app.screen.kind == EntityKind.SERIES  # type: ignore[attr-defined]
