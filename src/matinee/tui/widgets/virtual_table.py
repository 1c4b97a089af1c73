"""A table that draws only the lines on screen, so 100k or 1M rows cost what 40 rows cost.

Textual's `DataTable` measures every cell when rows are added and repaints every visible cell on
`update_cell` (STYLE.md, "Known pitfalls"); this widget uses the line API instead: rows are held
as a plain sequence, cells are formatted only when their line is drawn, and a row update
repaints one line. Nothing here knows about matinee's domain or the engine: a column is a getter
plus a formatter, and a row is any object (a tuple by default, its first item being the key).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, ClassVar, Literal

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

__all__ = ["Column", "VirtualTable", "sort_rows"]

Align = Literal["left", "right", "center"]


def _default_text(value: Any) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True, slots=True)
class Column:
    """One column: how to read a row's value, show it and (optionally) colour it.

    Attributes:
        key: Name used by `sort_by` and `cell`.
        label: Header text.
        width: Cells wide; 0 means "take the width left over" (at least `min_width`).
        align: Alignment inside the cell.
        value: Row -> raw value (used for sorting); defaults to `row[position]`.
        text: Raw value -> displayed text; defaults to `str`, `None` shown blank.
        style: Raw value -> a component-class suffix (`good`, `warn`, `bad`, `dim`) or None.
        min_width: Lower bound for a flexible column.
    """

    key: str
    label: str
    width: int = 0
    align: Align = "left"
    value: Callable[[Any], Any] | None = None
    text: Callable[[Any], str] = _default_text
    style: Callable[[Any], str | None] | None = None
    min_width: int = 10


def _sort_key(value: Any) -> tuple[int, Any]:
    # None sorts last whichever the direction of the values; text sorts case-insensitively.
    if value is None:
        return (1, 0)
    if isinstance(value, str):
        return (0, value.casefold())
    return (0, value)


def sort_rows(rows: list[Any], value: Callable[[Any], Any], reverse: bool = False) -> list[Any]:
    """Sort `rows` (in place, and returned) by `value`: text case-insensitively, stable, with
    blank (None) values at the bottom in both directions."""
    rows.sort(key=lambda row: _sort_key(value(row)), reverse=reverse)
    if reverse:
        split = next((i for i, row in enumerate(rows) if value(row) is not None), len(rows))
        if split:
            rows[:] = rows[split:] + rows[:split]
    return rows


class VirtualTable(ScrollView, can_focus=True):
    """A scrolling table over a sequence of rows, rendered line by line.

    Line 0 of the viewport is always the header; viewport line `i > 0` shows row
    `scroll_y + i - 1`, so `virtual_size.height == row_count + 1`.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--good",
        "virtual-table--warn",
        "virtual-table--bad",
        "virtual-table--dim",
    }

    DEFAULT_CSS = """
    VirtualTable {
        background: $surface;
        color: $foreground;
        height: 1fr;
    }
    VirtualTable > .virtual-table--header { background: $panel; color: $text; text-style: bold; }
    VirtualTable > .virtual-table--cursor { background: $boost; text-style: bold; }
    VirtualTable:focus > .virtual-table--cursor { background: $accent; color: $text; }
    VirtualTable > .virtual-table--good { color: $success; }
    VirtualTable > .virtual-table--warn { color: $warning; }
    VirtualTable > .virtual-table--bad { color: $error; }
    VirtualTable > .virtual-table--dim { color: $text-muted; }
    """

    class RowHighlighted(Message):
        """The cursor moved onto the row with `key` (None when the table is empty)."""

        def __init__(self, table: VirtualTable, key: Hashable | None) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> VirtualTable:
            return self.table

    class RowSelected(Message):
        """Enter was pressed on the row with `key`."""

        def __init__(self, table: VirtualTable, key: Hashable) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> VirtualTable:
            return self.table

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        row_key: Callable[[Any], Hashable] | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns: tuple[Column, ...] = tuple(columns)
        self._getters: tuple[Callable[[Any], Any], ...] = tuple(
            c.value if c.value is not None else itemgetter(i) for i, c in enumerate(self.columns)
        )
        self._row_key: Callable[[Any], Hashable] = row_key or itemgetter(0)
        self._rows: list[Any] = []
        self._index: dict[Hashable, int] | None = None  # built lazily: only updates need it
        self._widths: tuple[int, ...] = tuple(c.width for c in self.columns)
        self.cursor_row = 0
        self.sort_column: str | None = None
        self.sort_reverse = False

    # -- data -------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def rows(self) -> Sequence[Any]:
        """The rows in display order (read-only view; use `set_rows`/`update_row`)."""
        return self._rows

    @property
    def cursor_key(self) -> Hashable | None:
        """Key of the row under the cursor, or None when empty."""
        if not self._rows:
            return None
        return self._row_key(self._rows[self.cursor_row])

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace every row, keeping the cursor on the same key when it is still present."""
        old_key = self.cursor_key
        self._rows = list(rows)
        self._index = None
        if self.sort_column is not None:
            self._apply_sort()
        self._update_virtual_size()
        self.cursor_row = min(self.cursor_row, max(0, len(self._rows) - 1))
        new_row = 0
        if old_key is not None and self._rows:
            if self._row_key(self._rows[self.cursor_row]) == old_key:
                new_row = self.cursor_row
            else:
                # A scan that stops at the key is cheaper than building the index per keystroke.
                key = self._row_key
                new_row = next((i for i, r in enumerate(self._rows) if key(r) == old_key), 0)
        self.cursor_row = min(new_row, max(0, len(self._rows) - 1))
        self.refresh()
        self._scroll_cursor_into_view()
        self.post_message(self.RowHighlighted(self, self.cursor_key))

    def index_of(self, key: Hashable) -> int | None:
        return self._key_index().get(key)

    def has_key(self, key: Hashable) -> bool:
        return key in self._key_index()

    def get_row(self, key: Hashable) -> Any | None:
        index = self._key_index().get(key)
        return None if index is None else self._rows[index]

    def update_row(self, key: Hashable, row: Any) -> bool:
        """Replace the row with `key` and repaint only its line; False if the key is absent."""
        index = self._key_index().get(key)
        if index is None:
            return False
        self._rows[index] = row
        new_key = self._row_key(row)
        if new_key != key and self._index is not None:
            del self._index[key]
            self._index[new_key] = index
        self.refresh_line(index + 1)
        return True

    def cell(self, row_index: int, column_key: str) -> str:
        """The displayed text of one cell (what a test should assert on)."""
        col = next(i for i, c in enumerate(self.columns) if c.key == column_key)
        return self.columns[col].text(self._getters[col](self._rows[row_index]))

    def row_texts(self, row_index: int) -> tuple[str, ...]:
        row = self._rows[row_index]
        return tuple(c.text(g(row)) for c, g in zip(self.columns, self._getters, strict=True))

    def sort_by(self, column_key: str, reverse: bool | None = None) -> None:
        """Sort by a column; calling it again on the same column flips the direction."""
        if reverse is None:
            reverse = not self.sort_reverse if column_key == self.sort_column else False
        self.sort_column, self.sort_reverse = column_key, reverse
        old_key = self.cursor_key
        self._apply_sort()
        self._index = None
        if old_key is not None:
            self.cursor_row = self._key_index().get(old_key, 0)
        self.refresh()
        self._scroll_cursor_into_view()

    def _apply_sort(self) -> None:
        col = next(i for i, c in enumerate(self.columns) if c.key == self.sort_column)
        sort_rows(self._rows, self._getters[col], self.sort_reverse)

    def _key_index(self) -> dict[Hashable, int]:
        if self._index is None:
            key = self._row_key
            self._index = {key(row): i for i, row in enumerate(self._rows)}
        return self._index

    # -- cursor -----------------------------------------------------------------------------

    @property
    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def move_cursor(self, row: int) -> None:
        """Move the cursor to `row` (clamped), repainting only the two lines involved."""
        if not self._rows:
            return
        row = max(0, min(row, len(self._rows) - 1))
        if row == self.cursor_row:
            return
        old, self.cursor_row = self.cursor_row, row
        self.refresh_line(old + 1)
        self.refresh_line(row + 1)
        self._scroll_cursor_into_view()
        self.post_message(self.RowHighlighted(self, self.cursor_key))

    def _scroll_cursor_into_view(self) -> None:
        top = round(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + self._page:
            self.scroll_to(y=self.cursor_row - self._page + 1, animate=False)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor_row - self._page)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor_row + self._page)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(len(self._rows) - 1)

    def action_select(self) -> None:
        key = self.cursor_key
        if key is not None:
            self.post_message(self.RowSelected(self, key))

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            self.move_cursor(round(self.scroll_y) + event.y - 1)
            if event.chain > 1:
                self.action_select()

    # -- layout and rendering ---------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._update_virtual_size()

    def _update_virtual_size(self) -> None:
        available = self.scrollable_content_region.width or self.size.width
        fixed = sum(c.width for c in self.columns if c.width) + len(self.columns) - 1
        flex_count = sum(1 for c in self.columns if not c.width) or 1
        flex = max(0, available - fixed) // flex_count
        self._widths = tuple(c.width or max(c.min_width, flex) for c in self.columns)
        width = sum(self._widths) + len(self._widths) - 1
        self.virtual_size = Size(width, len(self._rows) + 1)

    def _style(self, name: str) -> Style:
        # Partial: only what the component class sets (a colour), over the row's own style.
        return self.get_component_rich_style(f"virtual-table--{name}", partial=True)

    @staticmethod
    def _fit(text: str, width: int, align: Align) -> str:
        text = text.replace("\n", " ")
        length = cell_len(text)
        if length > width:
            return set_cell_size(text, width - 1) + "…" if width > 1 else set_cell_size(text, width)
        pad = width - length
        if align == "right":
            return " " * pad + text
        if align == "center":
            return " " * (pad // 2) + text + " " * (pad - pad // 2)
        return text + " " * pad

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            segments = self._header_segments(base)
        else:
            index = scroll_y + y - 1
            if index >= len(self._rows):
                return Strip.blank(width, base)
            segments = self._row_segments(index, base)
        strip = Strip(segments, sum(self._widths) + len(self._widths) - 1)
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _header_segments(self, base: Style) -> list[Segment]:
        style = base + self._style("header")
        segments: list[Segment] = []
        for i, (column, width) in enumerate(zip(self.columns, self._widths, strict=True)):
            if i:
                segments.append(Segment(" ", style))
            if column.key == self.sort_column:
                # The arrow takes the last cell; a one-cell column shows only the arrow.
                arrow = "▼" if self.sort_reverse else "▲"
                text = (
                    self._fit(column.label, width - 1, column.align) + arrow if width > 1 else arrow
                )
            else:
                text = self._fit(column.label, width, column.align)
            segments.append(Segment(text, style))
        return segments

    def _row_segments(self, index: int, base: Style) -> list[Segment]:
        row = self._rows[index]
        row_style = base + self._style("cursor") if index == self.cursor_row else base
        segments: list[Segment] = []
        columns = zip(self.columns, self._getters, self._widths, strict=True)
        for i, (column, getter, width) in enumerate(columns):
            value = getter(row)
            style = row_style
            if column.style is not None and (name := column.style(value)):
                style = row_style + self._style(name)
            if i:
                segments.append(Segment(" ", row_style))
            segments.append(Segment(self._fit(column.text(value), width, column.align), style))
        return segments
