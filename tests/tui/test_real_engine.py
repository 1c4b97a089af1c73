"""The TUI over the real engine and a real SQLite file: an edit made on the detail screen is
stored, locked and still there after the app and the engine are restarted."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TextArea

from matinee.config import CacheSettings, DatabaseSettings, LibrarySettings, Settings
from matinee.engine.core import Engine
from matinee.model import EntityKind
from matinee.tui.app import MatineeApp
from matinee.tui.screens.detail import DetailScreen
from matinee.tui.screens.library import LibraryScreen

from .conftest import settle


def offline_settings(tmp_path: Path) -> Settings:
    root = tmp_path / "Movies"
    (root / "Heat (1995)").mkdir(parents=True)
    (root / "Heat (1995)" / "Heat (1995).mkv").write_bytes(b"x")
    return Settings(
        library=LibrarySettings(roots=(root,), probe=False),
        database=DatabaseSettings(tmp_path / "matinee.db"),
        cache=CacheSettings(dir=tmp_path / "cache"),
        offline=True,
    )


async def test_a_plot_typed_in_the_detail_screen_survives_a_restart(tmp_path: Path) -> None:
    settings = offline_settings(tmp_path)
    async with Engine(settings) as engine:
        await engine.scan()
        app = MatineeApp(engine, bridge_timer=False, start="library")
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            library = app.screen
            assert isinstance(library, LibraryScreen) and library.table.row_count == 1
            await pilot.press("enter")
            await settle(pilot)
            detail = app.screen
            assert isinstance(detail, DetailScreen)
            index = detail.table.index_of("plot")
            assert index is not None
            detail.table.move_cursor(index)
            await pilot.press("e")
            await settle(pilot)
            assert isinstance(app.focused, TextArea)
            await pilot.press(*"A thief and a detective.")
            await pilot.press("ctrl+s")
            await settle(pilot)
        (movie,) = await engine.list_entities(EntityKind.MOVIE)

    async with Engine(settings) as engine:  # a new process would open the same file
        detail = await engine.show(movie.ref)
    assert detail.fields["plot"] == "A thief and a detective."
    assert "plot" in detail.locks
    assert detail.field_sources["plot"] == "user"
