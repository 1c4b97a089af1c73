"""LibraryScreen: rows from the engine, filter, actions as engine calls, live row updates."""

from __future__ import annotations

from dataclasses import replace

from matinee.engine.events import (
    EnrichmentFinished,
    ProviderFailed,
    RunFinished,
    RunProgressed,
)
from matinee.model import EntityKind, Ref
from matinee.tui.app import MatineeApp
from matinee.tui.screens.detail import DetailScreen
from matinee.tui.screens.library import LibraryScreen

from .conftest import settle
from .fakes import FakeEngine

SIZE = (120, 40)


def library(app: MatineeApp) -> LibraryScreen:
    assert isinstance(app.screen, LibraryScreen)
    return app.screen


async def test_library_shows_every_movie_with_formatted_cells(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = library(app).table
        assert table.row_count == 1000
        first = engine.table[Ref(EntityKind.MOVIE, 1)]
        assert table.cursor_key == first.ref
        assert table.row_texts(0) == (
            first.title,
            "1950",
            "        0%",
            "unenriched",
            "never",
            "⚠",
            "identified",
        )
        assert table.cell(1, "done") == "██     37%"
        assert table.cell(1, "last_enriched") == "2024-01-02"
        # a first page, then the whole list
        assert engine.calls_of("list_entities") == [
            ((EntityKind.MOVIE,), {"limit": 200}),
            ((EntityKind.MOVIE,), {"limit": None}),
        ]


async def test_filter_narrows_rows_incrementally(app: MatineeApp, engine: FakeEngine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library(app)
        await pilot.press("slash", "e", "c", "h", "o")
        await pilot.pause()
        expected = [
            s.ref
            for s in engine.table.values()
            if s.ref.kind == "movie" and "echo" in s.title.casefold()
        ]
        assert 0 < screen.table.row_count == len(expected) < 1000
        assert [r.ref for r in screen.table.rows] == expected
        await pilot.press("space", "l", "o", "s", "t")  # typing "l" and "t" must not run actions
        await pilot.pause()
        assert all("echo lost" in r.title.casefold() for r in screen.table.rows)
        assert screen.kind == EntityKind.MOVIE
        await pilot.press("escape")
        await pilot.pause()
        assert screen.table.row_count == 1000
        assert screen.rows.search == ""


async def test_enter_opens_detail_for_the_highlighted_ref(app: MatineeApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.ref == Ref(EntityKind.MOVIE, 4)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)


async def test_r_and_R_enrich_the_selected_ref(app: MatineeApp, engine: FakeEngine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "r")
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        ref = Ref(EntityKind.MOVIE, 2)
        assert engine.calls_of("enrich") == [
            (([ref],), {"all": False, "limit": None, "force": False, "trigger": "manual"}),
            (([ref],), {"all": False, "limit": None, "force": True, "trigger": "manual"}),
        ]
        # The row was re-fetched after the refresh: it now shows the new completeness.
        assert library(app).table.cell(1, "done").endswith("100%")


async def test_e_enriches_the_queue(app: MatineeApp, engine: FakeEngine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert engine.calls_of("enrich") == [
            (([],), {"all": False, "limit": None, "force": False, "trigger": "manual"})
        ]


async def test_t_toggles_series(app: MatineeApp, engine: FakeEngine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = library(app)
        assert screen.kind == EntityKind.SERIES
        assert screen.series_tree.series_count == 20
        assert screen.series_tree.cursor_ref == Ref(EntityKind.SERIES, 1)
        assert screen.series_tree.has_focus and not screen.table.display
        assert screen.sub_title == "Series"
        assert engine.calls_of("list_entities")[-1][0] == (EntityKind.SERIES,)
        await pilot.press("t")
        await settle(pilot)
        assert screen.kind == EntityKind.MOVIE
        assert screen.table.row_count == 1000 and screen.table.has_focus


async def test_enrichment_event_refetches_only_that_row(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ref = Ref(EntityKind.MOVIE, 3)
        engine.table[ref] = replace(engine.table[ref], title="Renamed", completeness=95.0)
        engine.calls.clear()
        engine.bus.publish(EnrichmentFinished(ref, "Renamed", ("title",), 95.0, False))
        app.bridge.flush()
        await settle(pilot)
        assert engine.calls == [("summaries", ([ref],), {})]  # that row, nothing else
        table = library(app).table
        assert table.cell(2, "title") == "Renamed"
        assert table.cell(2, "done").endswith("95%")


async def test_run_progress_and_finish_update_status_and_reload(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        engine.calls.clear()
        engine.bus.publish(RunProgressed(7, 50, "Iron Glass", 3.0))
        app.bridge.flush()
        await settle(pilot)
        screen = library(app)
        assert screen.progress.startswith("Enriching 7/50 · Iron Glass")
        assert engine.calls == []
        engine.bus.publish(RunFinished(50, 40, 5, 5, 0, 1, False, None, 9.0))
        app.bridge.flush()
        await settle(pilot)
        assert [args for args, _ in engine.calls_of("list_entities")] == [(EntityKind.MOVIE,)]
        assert "40 updated" in screen.progress


async def test_a_provider_left_out_of_the_run_is_announced(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        engine.bus.publish(ProviderFailed("omdb", "omdb: invalid key"))
        app.bridge.flush()
        await settle(pilot)
        shown = [(n.title, n.message, n.severity) for n in app._notifications]
        assert shown == [
            (
                "Provider left out",
                "omdb: invalid key. Left out for the rest of this run; "
                "the Providers screen (4) shows how to fix it.",
                "warning",
            )
        ]


async def test_status_line_shows_the_next_scheduled_run_when_idle(
    app: MatineeApp, engine: FakeEngine
) -> None:
    from textual.widgets import Static

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        status = str(library(app).query_one("#status", Static).render())
        assert "next scheduled run Mon 03:00" in status
        engine.bus.publish(RunProgressed(7, 50, "Iron Glass", 3.0))
        app.bridge.flush()
        await settle(pilot)
        status = str(library(app).query_one("#status", Static).render())
        assert "Enriching 7/50" in status and "next scheduled run" not in status


async def test_q_exits_with_code_zero(app: MatineeApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.return_code is None
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0


async def test_q_types_into_the_filter_instead_of_quitting(app: MatineeApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", "q")
        await pilot.pause()
        assert app.return_code is None
        assert library(app).rows.search == "q"
