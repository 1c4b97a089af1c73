"""VirtualTable: O(visible) rendering, cursor keys, sorting, one-line updates."""

from __future__ import annotations

from operator import itemgetter

from textual.app import App, ComposeResult

from matinee.tui.widgets.virtual_table import Column, VirtualTable, sort_rows

COLUMNS = (
    Column("id", "Id", 7, "right"),
    Column("name", "Name", 0),
    Column("score", "Score", 6, "right"),
)


class TableApp(App[None]):
    def __init__(self, rows: list[tuple[int, str, float | None]]) -> None:
        super().__init__()
        self.rows = rows
        self.selected: list[object] = []

    def compose(self) -> ComposeResult:
        yield VirtualTable(COLUMNS, id="t")

    def on_mount(self) -> None:
        table = self.query_one(VirtualTable)
        table.set_rows(self.rows)
        table.focus()

    def on_virtual_table_row_selected(self, message: VirtualTable.RowSelected) -> None:
        self.selected.append(message.key)


def rows(n: int) -> list[tuple[int, str, float | None]]:
    return [(i, f"name {i}", None if i % 10 == 0 else float(i % 97)) for i in range(n)]


async def test_100k_rows_virtual_size_and_last_line() -> None:
    app = TableApp(rows(100_000))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        assert table.row_count == 100_000
        assert table.virtual_size.height == 100_001  # rows + header
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 99_999
        assert table.cursor_key == 99_999
        # The last viewport line shows the last row.
        last_line = table.scrollable_content_region.height - 1
        assert "name 99999" in table.render_line(last_line).text
        assert table.render_line(0).text.startswith("     Id Name")


async def test_cursor_keys_and_enter_posts_row_key() -> None:
    app = TableApp(rows(1000))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        await pilot.press("down", "down", "up")
        assert table.cursor_row == 1
        await pilot.press("pagedown")
        page = table.scrollable_content_region.height - 1
        assert table.cursor_row == 1 + page
        assert table.scroll_y > 0  # the cursor stayed on screen
        await pilot.press("home")
        assert (table.cursor_row, table.scroll_y) == (0, 0)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.selected == [1]


async def test_sort_by_keeps_cursor_key_and_blanks_last() -> None:
    app = TableApp(rows(50))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        await pilot.press("down", "down", "down")
        table.sort_by("score")
        assert table.cursor_key == 3
        scores = [r[2] for r in table.rows]
        assert scores[:3] == [1.0, 2.0, 3.0]
        assert scores[-5:] == [None] * 5
        table.sort_by("score")  # same column again: descending, blanks still last
        scores = [r[2] for r in table.rows]
        assert scores[0] == 49.0 and scores[-1] is None
        assert table.sort_reverse is True
        assert "Score▼" in table.render_line(0).text


async def test_update_row_repaints_only_that_line() -> None:
    app = TableApp(rows(1000))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        await pilot.pause()
        refreshed: list[int] = []
        original = table.refresh_line
        table.refresh_line = lambda y: (refreshed.append(y), original(y))  # type: ignore[method-assign]
        assert table.update_row(5, (5, "renamed", 1.0)) is True
        assert refreshed == [6]  # row 5 is line 6 (after the header)
        assert table.cell(5, "name") == "renamed"
        assert table.update_row(123_456, (1, "x", 0.0)) is False
        await pilot.pause()
        assert "renamed" in table.render_line(6).text


def test_sort_rows_keeps_blanks_last_both_ways_and_is_stable() -> None:
    data = [("b", 2), ("A", None), ("a", 1), ("c", 2), ("d", None)]
    assert sort_rows(list(data), itemgetter(1)) == [
        ("a", 1), ("b", 2), ("c", 2), ("A", None), ("d", None)
    ]  # fmt: skip
    assert sort_rows(list(data), itemgetter(1), reverse=True) == [
        ("b", 2), ("c", 2), ("a", 1), ("A", None), ("d", None)
    ]  # fmt: skip
    assert [r[0] for r in sort_rows(list(data), itemgetter(0))] == ["A", "a", "b", "c", "d"]


async def test_a_one_cell_sorted_column_shows_only_the_arrow() -> None:
    class FlagApp(App[None]):
        def compose(self) -> ComposeResult:
            yield VirtualTable((*COLUMNS, Column("flag", "!", 1, value=lambda r: r[0] % 2)))

    app = FlagApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        table.set_rows(rows(10))
        table.sort_by("flag", reverse=True)
        await pilot.pause()
        assert table.render_line(0).text.rstrip().endswith("Score ▼")
        assert [r[0] % 2 for r in table.rows] == [1] * 5 + [0] * 5
