"""Library filters: the pure `LibraryFilter.apply`, the panel, the `match_refs` call, clearing."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Select, Static

from matinee.engine.views import LibraryFacets
from matinee.errors import UsageError
from matinee.model import EntityKind, EntitySummary, Identification, Ref
from matinee.tui.app import MatineeApp
from matinee.tui.screens.library import LibraryScreen
from matinee.tui.screens.library_filters import LibraryFilter, LibraryFilterScreen, title_search
from matinee.tui.screens.library_view import LibraryRows

from .conftest import settle
from .fakes import FakeEngine, make_summary

SIZE = (120, 40)
MOVIE = EntityKind.MOVIE


def summaries(n: int = 60) -> list[EntitySummary]:
    return [make_summary(MOVIE, i) for i in range(n)]


def library(app: MatineeApp) -> LibraryScreen:
    assert isinstance(app.screen, LibraryScreen)
    return app.screen


def shown_refs(screen: LibraryScreen) -> list[Ref]:
    return [r.ref for r in screen.table.rows]


def expected(engine: FakeEngine, test: Any) -> list[Ref]:
    """Movie refs, in list order, whose fake index and summary pass `test(i, summary)`."""
    return [s.ref for s in engine.table.values() if s.ref.kind == MOVIE and test(s.ref.id - 1, s)]


# -- the pure part ---------------------------------------------------------------------------


def test_default_filter_is_inactive_and_keeps_every_row() -> None:
    rows = summaries()
    f = LibraryFilter()
    assert not f.active and not f.needs_engine and f.describe() == ""
    assert f.apply(rows) == rows


def test_apply_combines_matched_refs_with_in_memory_criteria() -> None:
    rows = summaries()
    matched = frozenset(s.ref for s in rows if s.ref.id % 2)
    f = LibraryFilter(genre="Drama", category="unenriched", partial=True)
    out = f.apply(rows, matched)
    assert out == [s for s in rows if s.ref in matched and s.category == "unenriched" and s.partial]
    assert out and len(out) < len(rows)
    assert f.engine_criteria == {"genre": "Drama", "person": None, "missing": None}


def test_apply_needs_review_and_keeps_order() -> None:
    rows = list(reversed(summaries()))
    out = LibraryFilter(needs_review=True).apply(rows)
    assert [s.ref for s in out] == [s.ref for s in rows if s.identification.status == "review"]
    out = LibraryFilter(needs_review=True).apply(
        [replace(rows[0], identification=Identification("identified"))]
    )
    assert out == []


def test_apply_with_an_empty_match_set_keeps_nothing() -> None:
    assert LibraryFilter(person="nobody").apply(summaries(), frozenset()) == []


def test_describe_names_every_criterion_in_order() -> None:
    f = LibraryFilter("Drama", "ada", "plot", "partial", needs_review=True, partial=True)
    assert f.describe() == (
        "genre Drama · person “ada” · missing plot · partial · needs review · partial"
    )


def test_title_search_is_case_insensitive_and_blank_keeps_all() -> None:
    rows = summaries()
    folded = [s.title.casefold() for s in rows]
    assert title_search(rows, folded, "  ") is rows
    found = title_search(rows, folded, "ECHO red")
    assert [s.title for s in found] == ["Echo Red 000008"]


def test_library_rows_search_then_filter_then_sort() -> None:
    rows = LibraryRows()
    rows.load(summaries())
    rows.search = "red"
    rows.filter = LibraryFilter(category="unenriched")
    shown = rows.shown("year", reverse=True)
    assert all("red" in s.title.casefold() and s.category == "unenriched" for s in shown)
    assert [s.year for s in shown] == sorted((s.year for s in shown), reverse=True)
    changed = replace(rows.all[3], title="Brand new", category="enriched")
    assert rows.replace(changed) and rows.all[3] is changed
    assert rows.counts["enriched"] == sum(1 for s in rows.all if s.category == "enriched")
    assert not rows.replace(make_summary(EntityKind.SERIES, 0))


# -- on screen -------------------------------------------------------------------------------


async def open_panel(pilot: Pilot[Any]) -> LibraryFilterScreen:
    await pilot.press("f")
    await settle(pilot)
    panel = pilot.app.screen
    assert isinstance(panel, LibraryFilterScreen)
    return panel


async def test_genre_filter_calls_match_refs_once_and_shows_its_rows(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = await open_panel(pilot)
        # Drive the genre Select by keys: open it, move to "Drama" (any, Comedy, Drama), pick.
        await pilot.press("enter", "down", "down", "enter", "ctrl+s")
        await settle(pilot)
        assert not panel.is_attached
        screen = library(app)
        assert screen.rows.filter == LibraryFilter(genre="Drama")
        assert engine.calls_of("match_refs") == [
            ((MOVIE,), {"genre": "Drama", "person": None, "missing": None})
        ]
        assert shown_refs(screen) == expected(engine, lambda i, s: i % 2 == 0)
        status = str(screen.query_one("#status", Static).render())
        assert status.startswith("Movies: 500 of 1,000 · genre Drama · ")


async def test_combined_filters_use_one_match_refs_call_and_memory_for_the_rest(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = await open_panel(pilot)
        panel.query_one("#genre", Select).value = "Drama"
        panel.query_one("#person", Input).value = "  Ada "
        panel.query_one("#missing", Select).value = "plot"
        panel.query_one("#category", Select).value = "unenriched"
        panel.query_one("#partial", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = library(app)
        assert engine.calls_of("match_refs") == [
            ((MOVIE,), {"genre": "Drama", "person": "Ada", "missing": "plot"})
        ]
        want = expected(
            engine,
            lambda i, s: i % 30 == 0 and s.category == "unenriched" and s.partial,
        )
        assert shown_refs(screen) == want and 0 < len(want) < 10
        status = str(screen.query_one("#status", Static).render())
        assert "genre Drama · person “Ada” · missing plot · unenriched · partial" in status


async def test_in_memory_filters_alone_do_not_ask_the_engine(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = await open_panel(pilot)
        panel.query_one("#review", Checkbox).value = True
        await pilot.click("#apply")
        await settle(pilot)
        screen = library(app)
        assert engine.calls_of("match_refs") == []
        assert shown_refs(screen) == expected(
            engine, lambda i, s: s.identification.status == "review"
        )
        # The title search narrows the filtered rows further.
        await pilot.press("slash", "e", "c", "h", "o")
        await pilot.pause()
        assert shown_refs(screen) == expected(
            engine,
            lambda i, s: s.identification.status == "review" and "echo" in s.title.casefold(),
        )
        assert 0 < screen.table.row_count < 100


async def test_shift_f_and_the_panels_clear_entry_clear_every_filter(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library(app)
        screen.set_filter(LibraryFilter(genre="Drama", partial=True))
        await settle(pilot)
        assert 0 < screen.table.row_count < 1000
        await pilot.press("F")
        await settle(pilot)
        assert screen.rows.filter == LibraryFilter() and screen.table.row_count == 1000
        status = str(screen.query_one("#status", Static).render())
        assert status.startswith("Movies: 1,000 of 1,000 · 1")
        screen.set_filter(LibraryFilter(category="enriched"))
        await settle(pilot)
        panel = await open_panel(pilot)
        assert panel.query_one("#category", Select).value == "enriched"
        await pilot.click("#clear")
        await settle(pilot)
        assert screen.rows.filter == LibraryFilter() and screen.table.row_count == 1000


async def test_cancel_keeps_the_filter(app: MatineeApp, engine: FakeEngine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = await open_panel(pilot)
        panel.query_one("#partial", Checkbox).value = True
        await pilot.press("escape")
        await settle(pilot)
        assert library(app).rows.filter == LibraryFilter()
        assert library(app).table.row_count == 1000


async def test_a_failing_match_refs_leaves_the_rows_and_says_why(
    app: MatineeApp, engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> frozenset[Ref]:
        raise UsageError("unknown field 'nope'")

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library(app)
        monkeypatch.setattr(engine, "match_refs", broken)
        screen.set_filter(LibraryFilter(missing="nope"))
        await settle(pilot)
        assert screen.rows.filter == LibraryFilter() and screen.table.row_count == 1000
        assert [(n.severity, n.message) for n in app._notifications] == [
            ("error", "Filtering failed: unknown field 'nope'")
        ]


async def test_panel_opens_without_genres_when_facets_fail(
    app: MatineeApp, engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken() -> LibraryFacets:
        raise UsageError("no library")

    monkeypatch.setattr(engine, "facets", broken)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = await open_panel(pilot)
        assert panel.facets == LibraryFacets((), ())
        assert [n.title for n in app._notifications] == ["Could not load genres"]


async def test_filter_survives_a_reload_and_asks_the_engine_again(
    app: MatineeApp, engine: FakeEngine
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library(app)
        screen.set_filter(LibraryFilter(person="ada"))
        await settle(pilot)
        assert shown_refs(screen) == expected(engine, lambda i, s: i % 3 == 0)
        screen.reload()
        await settle(pilot)
        assert len(engine.calls_of("match_refs")) == 2
        assert shown_refs(screen) == expected(engine, lambda i, s: i % 3 == 0)


async def test_filters_apply_to_series_at_series_level(app: MatineeApp, engine: FakeEngine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library(app)
        screen.set_filter(LibraryFilter(genre="Drama"))
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert engine.calls_of("match_refs")[-1] == (
            (EntityKind.SERIES,),
            {"genre": "Drama", "person": None, "missing": None},
        )
        tree = screen.series_tree
        shown = [n.data.ref for n in tree.root.children if n.data is not None]
        assert shown == [Ref(EntityKind.SERIES, i + 1) for i in range(0, 20, 2)]
        await pilot.press("slash", "0", "0", "0", "0", "1", "2")
        await pilot.pause()
        shown = [n.data.ref for n in tree.root.children if n.data is not None]
        assert shown == [Ref(EntityKind.SERIES, 13)]


def test_snapshot_movies_with_a_filter_at_80x24(snap_compare: Any) -> None:
    engine = FakeEngine(movies=1000, series=20)
    app = MatineeApp(engine, bridge_timer=False, start="library")

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        library(app).set_filter(LibraryFilter(genre="Drama", partial=True))
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_a_reload_whose_match_refs_fails_clears_the_filters(
    app: MatineeApp, engine: FakeEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> frozenset[Ref]:
        raise UsageError("the genre index is gone")

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library(app)
        screen.set_filter(LibraryFilter(genre="Drama", partial=True))
        await settle(pilot)
        assert 0 < screen.table.row_count < 1000
        monkeypatch.setattr(engine, "match_refs", broken)
        screen.reload()
        await settle(pilot)
        assert screen.rows.filter == LibraryFilter() and screen.table.row_count == 1000
        assert [(n.title, n.message) for n in app._notifications] == [
            ("Filter failed", "the genre index is gone; filters cleared")
        ]
