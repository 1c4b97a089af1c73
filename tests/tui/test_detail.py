"""DetailScreen: registry rows, lock toggles through the engine, refresh, partial warning."""

from __future__ import annotations

from textual.widgets import Static

from matinee.engine.events import EntityChanged
from matinee.model import EntityKind, Ref, fields_for
from matinee.tui.app import MatineeApp
from matinee.tui.screens.detail import DetailScreen
from matinee.tui.screens.library import LibraryScreen

from .conftest import settle
from .fakes import FakeEngine

SIZE = (120, 40)


async def open_detail(app: MatineeApp, pilot, downs: int = 0) -> DetailScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press(*(["down"] * downs), "enter")
    await settle(pilot)
    assert isinstance(app.screen, DetailScreen)
    return app.screen


def static_text(screen: DetailScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


async def test_detail_lists_every_registry_field(app: MatineeApp, engine: FakeEngine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(app, pilot, downs=1)
        table = screen.table
        names = [row.name for row in table.rows]
        assert names == [f.name for f in fields_for(EntityKind.MOVIE)]
        cast = table.index_of("cast")
        assert cast is not None
        assert table.cell(cast, "value") == "Ada Lovelace (Countess), Alan Turing (Himself)"
        assert table.cell(cast, "source") == "tmdb"
        assert table.cell(table.index_of("genres"), "value") == "Drama, Thriller"  # type: ignore[arg-type]
        assert table.cell(table.index_of("tagline"), "missing") == "missing"  # type: ignore[arg-type]
        title = engine.summaries[Ref(EntityKind.MOVIE, 2)]
        assert static_text(screen, "#title") == f"{title.title} ({title.year})"
        assert "Tagline (metadata)" in static_text(screen, "#missing")
        assert "1.4 GB" in static_text(screen, "#files")
        assert "1920x1080" in static_text(screen, "#files")
        assert screen.query_one("#warning").has_class("-hidden")


async def test_partial_warning_names_rate_limited_providers(app: MatineeApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(app, pilot, downs=0)  # movie:1 is partial in the fake
        warning = screen.query_one("#warning", Static)
        assert not warning.has_class("-hidden")
        assert "rate limited: omdb" in str(warning.content)


async def test_l_locks_then_unlocks_the_highlighted_field(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_detail(app, pilot, downs=1)
        ref = Ref(EntityKind.MOVIE, 2)
        await pilot.press("down", "down", "down")  # title, original_title, sort_title, year
        assert screen.table.cursor_key == "year"
        assert screen.table.cell(3, "locked") == ""
        await pilot.press("l")
        await settle(pilot)
        assert engine.calls_of("lock") == [((ref, ["year"]), {})]
        assert screen.detail is not None and "year" in screen.detail.locks
        assert screen.table.cursor_key == "year"  # the cursor survived the reload
        assert screen.table.cell(3, "locked") == "🔒"
        await pilot.press("l")
        await settle(pilot)
        assert engine.calls_of("unlock") == [((ref, ["year"]), {})]
        assert screen.table.cell(3, "locked") == ""


async def test_r_and_R_refresh_this_ref(app: MatineeApp, engine: FakeEngine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(app, pilot, downs=4)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        ref = Ref(EntityKind.MOVIE, 5)
        assert [(a, k["force"]) for a, k in engine.calls_of("enrich")] == [
            (([ref],), False),
            (([ref],), True),
        ]


async def test_event_for_this_ref_reloads_and_others_do_not(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(app, pilot, downs=1)
        engine.calls.clear()
        engine.bus.publish(EntityChanged(Ref(EntityKind.MOVIE, 99), ("plot",)))
        app.bridge.flush()
        await settle(pilot)
        assert ("show", (Ref(EntityKind.MOVIE, 2),), {}) not in engine.calls
        engine.bus.publish(EntityChanged(Ref(EntityKind.MOVIE, 2), ("plot",)))
        app.bridge.flush()
        await settle(pilot)
        assert ("show", (Ref(EntityKind.MOVIE, 2),), {}) in engine.calls


async def test_escape_returns_and_library_refetches_the_opened_row(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_detail(app, pilot, downs=1)
        engine.calls.clear()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert engine.calls_of("show") == [((Ref(EntityKind.MOVIE, 2),), {})]


async def test_engine_failure_becomes_a_notification(app: MatineeApp, engine: FakeEngine) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("provider exploded")

    async with app.run_test(size=SIZE) as pilot:
        await open_detail(app, pilot, downs=1)
        engine.lock = broken  # type: ignore[method-assign]
        await pilot.press("l")
        await settle(pilot)
        assert app.is_running
        assert any("provider exploded" in n.message for n in app._notifications)
