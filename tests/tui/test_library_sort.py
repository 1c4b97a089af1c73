"""Library sort: `s` cycles, `<`/`>` reach every column, the header shows column and direction."""

from __future__ import annotations

from typing import Any

import pytest

from matinee.model import EntitySummary
from matinee.tui.app import MatineeApp
from matinee.tui.screens.library import LibraryScreen
from matinee.tui.screens.library_view import (
    SORT_KEYS,
    column,
    cycle_sort,
    move_sort,
    sort_label,
)

from .conftest import settle
from .fakes import FakeEngine

SIZE = (120, 40)


def library(app: MatineeApp) -> LibraryScreen:
    assert isinstance(app.screen, LibraryScreen)
    return app.screen


def values(screen: LibraryScreen, key: str) -> list[Any]:
    getter = column(key).value
    assert getter is not None
    return [getter(row) for row in screen.table.rows]


def ordered(vals: list[Any], reverse: bool) -> list[Any]:
    """What a sorted column must read: text by case-folded value, blanks last either way."""
    present = [v for v in vals if v is not None]
    key = (lambda v: v.casefold()) if all(isinstance(v, str) for v in present) else None
    return sorted(present, key=key, reverse=reverse) + [None] * (len(vals) - len(present))


def test_cycle_and_move_reach_every_column_in_both_directions() -> None:
    assert cycle_sort(None, False) == ("year", False)
    assert cycle_sort("year", False) == ("year", True)
    assert cycle_sort("year", True) == ("done", False)
    assert cycle_sort("status", True) == ("title", False)
    assert move_sort(None, False, 1) == ("title", False)
    assert move_sort(None, False, -1) == ("status", False)
    assert move_sort("title", True, -1) == ("status", True)
    seen, state = [], (None, False)
    for _ in SORT_KEYS:
        state = move_sort(*state, 1)
        seen.append(state[0])
    assert seen == list(SORT_KEYS)
    assert sort_label(None, False) == "title"
    assert sort_label("partial", True) == "Partial ▼"
    assert sort_label("last_enriched", False) == "Last enriched ▲"


@pytest.mark.parametrize("steps", range(1, len(SORT_KEYS) + 1))
async def test_greater_than_moves_to_each_column_and_s_reverses_it(
    app: MatineeApp, engine: FakeEngine, steps: int
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library(app)
        await pilot.press(*[">"] * steps)
        key = SORT_KEYS[steps - 1]
        assert (screen.sort_column, screen.sort_reverse) == (key, False)
        assert values(screen, key) == ordered(values(screen, key), reverse=False)
        header = screen.table.render_line(0).text
        assert "▲" in header and "▼" not in header
        await pilot.press("s")
        assert (screen.sort_column, screen.sort_reverse) == (key, True)
        assert values(screen, key) == ordered(values(screen, key), reverse=True)
        assert "▼" in screen.table.render_line(0).text
        # Sorting is a reorder of the same rows.
        assert sorted(r.ref for r in screen.table.rows) == sorted(
            s.ref for s in engine.table.values() if s.ref.kind == "movie"
        )


async def test_header_arrow_sits_on_the_sorted_column(app: MatineeApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library(app)
        await pilot.press("s")  # year ascending
        assert "Year▲" in screen.table.render_line(0).text
        await pilot.press("<")  # back to title, still ascending
        assert screen.sort_column == "title"
        header = screen.table.render_line(0).text
        assert header.startswith("Title") and header.split("Year")[0].rstrip().endswith("▲")
        await pilot.press("<")  # wraps to status
        assert screen.sort_column == "status"
        assert screen.table.render_line(0).text.rstrip().endswith("Status     ▲")
        await pilot.press("<")  # the one-cell partial column shows only the arrow
        assert screen.sort_column == "partial"
        assert "Last enriched  ▲ Status" in screen.table.render_line(0).text


async def test_sort_survives_search_and_a_row_update(app: MatineeApp, engine: FakeEngine) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = library(app)
        await pilot.press("s", "s")  # year descending
        await pilot.press("slash", "r", "e", "d", "enter")
        await pilot.pause()
        years = values(screen, "year")
        assert years == sorted(years, reverse=True) and len(years) < 1000
        rows: list[EntitySummary] = list(screen.table.rows)
        assert all("red" in r.title.casefold() for r in rows)
