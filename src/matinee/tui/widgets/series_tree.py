"""The library's series as a tree: series > season > episode, with missing episodes marked.

Textual's `Tree` is enough here: a library holds hundreds or a few thousand series, the tree
builds its line list in one pass over the *expanded* nodes, and it draws only the lines on
screen. Episodes are not known up front: expanding a series posts `EpisodesWanted` and the
screen answers with `set_episodes` (from `engine.show(series).children`), so the tree never
holds more than the series the user opened. Labels are drawn when their line is drawn, fitted to
the width, from the same `Column`s as the movie table, so both views read alike and follow the
theme. Nothing here talks to the engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from matinee.model import EntitySummary, Ref
from matinee.tui.widgets.virtual_table import Align, Column

__all__ = ["Season", "SeriesTree", "group_seasons"]


@dataclass(frozen=True, slots=True)
class Season:
    """A season node: its number and how many of its listed episodes a file holds."""

    series: Ref
    number: int | None
    on_disk: int
    total: int

    @property
    def name(self) -> str:
        if self.number is None:
            return "No season"
        return "Specials" if self.number == 0 else f"Season {self.number}"

    @property
    def label(self) -> str:
        return f"{self.name} · {self.on_disk}/{self.total} on disk"


NodeData = EntitySummary | Season | None


def group_seasons(
    series: Ref, episodes: Sequence[EntitySummary]
) -> list[tuple[Season, list[EntitySummary]]]:
    """Episodes grouped by season number (seasons and episodes in number order, no-number
    last), each season counted: how many are on disk out of how many the provider lists."""

    def order(e: EntitySummary) -> tuple[bool, int, bool, int]:
        return (
            e.season_number is None,
            e.season_number or 0,
            e.episode_number is None,
            e.episode_number or 0,
        )

    out = []
    for number, group in groupby(sorted(episodes, key=order), key=lambda e: e.season_number):
        items = list(group)
        on_disk = sum(1 for e in items if e.on_disk)
        out.append((Season(series, number, on_disk, len(items)), items))
    return out


def _fit(text: str, width: int, align: Align = "left") -> str:
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


MIN_TITLE = 16


class SeriesTree(Tree[NodeData], inherit_bindings=False):
    """Series > seasons > episodes, episodes loaded on demand.

    Series lines are laid out by `columns`, episode lines by `episode_columns` (both read an
    `EntitySummary`); give them the same widths and the columns line up across levels.
    """

    # Not Tree's: space and enter are left to the screen, whose bindings `?` and the palette
    # list (a widget's hidden keys they leave out); the screen calls back into the tree.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "scroll_home", "First", show=False),
        Binding("end", "scroll_end", "Last", show=False),
        Binding("right", "expand", "Expand", show=False),
        Binding("left", "collapse", "Collapse", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "series-tree--good",
        "series-tree--warn",
        "series-tree--bad",
        "series-tree--dim",
    }

    DEFAULT_CSS = """
    SeriesTree {
        background: $surface;
        scrollbar-gutter: stable;
        overflow-x: hidden;
    }
    SeriesTree > .series-tree--good { color: $success; }
    SeriesTree > .series-tree--warn { color: $warning; }
    SeriesTree > .series-tree--bad { color: $error; }
    SeriesTree > .series-tree--dim { color: $text-muted; }
    """

    class _RefMessage(Message):
        def __init__(self, tree: SeriesTree, ref: Ref) -> None:
            super().__init__()
            self.tree = tree
            self.ref = ref

        @property
        def control(self) -> SeriesTree:
            return self.tree

    class EpisodesWanted(_RefMessage):
        """The series `ref` was expanded and the tree does not hold its episodes yet."""

    class Opened(_RefMessage):
        """Enter on a series or an episode."""

    def __init__(
        self,
        columns: Sequence[Column],
        episode_columns: Sequence[Column],
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__("Series", name=name, id=id, classes=classes)
        self.show_root = False
        self.auto_expand = False
        self.guide_depth = 3
        self.columns = tuple(columns)
        self.episode_columns = tuple(episode_columns)
        self._series: dict[Ref, TreeNode[NodeData]] = {}
        self._episodes: dict[Ref, tuple[EntitySummary, ...]] = {}
        self._series_of: dict[Ref, Ref] = {}

    # -- data -------------------------------------------------------------------------------

    @property
    def series_count(self) -> int:
        return len(self._series)

    def set_series(self, rows: Sequence[EntitySummary], *, reload_episodes: bool = False) -> None:
        """Show these series in this order, keeping what was expanded and the cursor's place.

        With `reload_episodes` the episodes held are dropped (the library changed): expanded
        series ask for theirs again.
        """
        cursor = self.cursor_ref
        expanded = {ref for ref, node in self._series.items() if node.is_expanded}
        open_seasons = {
            node.data.ref: {
                child.data.number
                for child in node.children
                if isinstance(child.data, Season) and child.is_expanded
            }
            for node in self._series.values()
            if isinstance(node.data, EntitySummary) and node.is_expanded
        }
        if reload_episodes:
            self._episodes.clear()
            self._series_of.clear()
        self.clear()
        self._series = {}
        for summary in rows:
            node = self.root.add(summary.title, data=summary, allow_expand=True)
            self._series[summary.ref] = node
            if summary.ref in expanded:
                if summary.ref in self._episodes:
                    self._fill(node, self._episodes[summary.ref], open_seasons[summary.ref])
                node.expand()  # without episodes, `_on_expanded` asks for them
        if cursor is None or not self.select_ref(cursor):
            first = next(iter(self._series.values()), None)
            if first is not None:
                self._tree_lines  # noqa: B018 - builds the line list, which gives nodes a line
                self.move_cursor(first)

    def update_series(self, summary: EntitySummary) -> bool:
        """Repaint one series line with new data; False if it is not shown."""
        node = self._series.get(summary.ref)
        if node is None:
            return False
        node.data = summary
        node.refresh()
        return True

    def set_episodes(self, series: Ref, episodes: Sequence[EntitySummary]) -> None:
        """Hold (and show, if the series is in the tree) the episodes of `series`."""
        self._episodes[series] = tuple(episodes)
        for e in episodes:
            self._series_of[e.ref] = series
        node = self._series.get(series)
        if node is None:
            return
        cursor = self.cursor_ref
        open_seasons = {
            c.data.number for c in node.children if isinstance(c.data, Season) and c.is_expanded
        }
        node.remove_children()
        self._fill(node, episodes, open_seasons)
        if cursor is not None:
            self.select_ref(cursor)

    def episodes_failed(self, series: Ref) -> None:
        """Say on the series' placeholder that its episodes could not be loaded."""
        node = self._series.get(series)
        if node is not None and series not in self._episodes:
            node.remove_children()
            node.add_leaf("Could not load the episodes: collapse and expand to try again")

    def episodes_of(self, series: Ref) -> tuple[EntitySummary, ...] | None:
        return self._episodes.get(series)

    def series_of(self, ref: Ref) -> Ref | None:
        """The series an episode this tree holds belongs to (a series maps to itself)."""
        return ref if ref in self._series else self._series_of.get(ref)

    def _fill(
        self, node: TreeNode[NodeData], episodes: Sequence[EntitySummary], open_seasons: set[Any]
    ) -> None:
        assert isinstance(node.data, EntitySummary)
        if not episodes:
            node.add_leaf("No episodes known", data=None)
            return
        for season, items in group_seasons(node.data.ref, episodes):
            season_node = node.add(season.label, data=season, expand=season.number in open_seasons)
            for e in items:
                season_node.add_leaf(e.title, data=e)

    # -- cursor -----------------------------------------------------------------------------

    @property
    def cursor_ref(self) -> Ref | None:
        """The series or episode under the cursor (None on a season or a placeholder)."""
        node = self.cursor_node
        data = node.data if node is not None else None
        return data.ref if isinstance(data, EntitySummary) else None

    @property
    def cursor_series(self) -> Ref | None:
        """The series the cursor is in, whichever level it is on."""
        node = self.cursor_node
        while node is not None and node.parent is not None and node.parent is not self.root:
            node = node.parent
        data = node.data if node is not None else None
        return data.ref if isinstance(data, EntitySummary) else None

    def select_ref(self, ref: Ref) -> bool:
        """Put the cursor on the series or (shown) episode `ref`; False if it is not shown."""
        series = self.series_of(ref)
        node = self._series.get(series) if series is not None else None
        if node is not None and ref != series:
            node = next(
                (
                    leaf
                    for season in node.children
                    if season.is_expanded
                    for leaf in season.children
                    if isinstance(leaf.data, EntitySummary) and leaf.data.ref == ref
                ),
                node,
            )
        if node is None:
            return False
        self._tree_lines  # noqa: B018 - builds the line list, which gives the node its line
        self.move_cursor(node)
        return True

    # -- keys and messages ------------------------------------------------------------------

    def action_expand(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand and not node.is_expanded:
            node.expand()

    def action_collapse(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)

    @on(Tree.NodeExpanded)
    def _on_expanded(self, event: Tree.NodeExpanded[NodeData]) -> None:
        data = event.node.data
        if not isinstance(data, EntitySummary) or self._series.get(data.ref) is not event.node:
            return  # a season, or a node of a tree since rebuilt
        if data.ref not in self._episodes:  # never asked, or asking failed: ask (again)
            event.node.remove_children()
            event.node.add_leaf("Loading episodes…", data=None)
            self.post_message(self.EpisodesWanted(self, data.ref))

    def action_open(self) -> None:
        """Enter: open a series or an episode (`Opened`), expand or collapse a season."""
        node = self.cursor_node
        if node is not None and isinstance(node.data, EntitySummary):
            self.post_message(self.Opened(self, node.data.ref))
        elif node is not None and isinstance(node.data, Season):
            node.toggle()

    @on(Tree.NodeSelected)
    def _on_selected(self, event: Tree.NodeSelected[NodeData]) -> None:
        event.stop()  # a click: the cursor is on the node now
        self.action_open()

    # -- rendering --------------------------------------------------------------------------

    def _depth(self, node: TreeNode[NodeData]) -> int:
        depth = 0
        while node.parent is not None and node.parent is not self.root:
            node, depth = node.parent, depth + 1
        return depth

    def _label_width(self, node: TreeNode[NodeData]) -> int:
        """Cells left for the label after the guides and the expand icon."""
        icon = 2 if node.allow_expand else 0
        available = self.scrollable_content_region.width or self.size.width
        return max(MIN_TITLE, available - self._depth(node) * self.guide_depth - icon)

    def get_label_width(self, node: TreeNode[NodeData]) -> int:
        # Labels are fitted to the width, so the widest line is known without drawing any.
        return self._label_width(node) + (2 if node.allow_expand else 0)

    def _columns_for(self, node: TreeNode[NodeData]) -> tuple[Column, ...]:
        return self.columns if node.parent is self.root else self.episode_columns

    def _parts(self, node: TreeNode[NodeData], width: int) -> list[tuple[str, str | None]]:
        data = node.data
        if isinstance(data, Season):
            warn = data.on_disk < data.total
            return [(_fit(data.label, width), "warn" if warn else None)]
        if not isinstance(data, EntitySummary):
            return [(_fit(str(node.label), width), "dim")]
        columns = self._columns_for(node)
        # Drop columns from the right until the title keeps a readable width.
        while len(columns) > 1 and width - sum(c.width + 1 for c in columns[1:]) < MIN_TITLE:
            columns = columns[:-1]
        title_width = max(1, width - sum(c.width + 1 for c in columns[1:]))
        parts: list[tuple[str, str | None]] = []
        for i, column in enumerate(columns):
            value = column.value(data) if column.value is not None else None
            cell = _fit(column.text(value), title_width if i == 0 else column.width, column.align)
            if i:
                parts.append((" ", None))
            parts.append((cell, column.style(value) if column.style is not None else None))
        return parts

    def render_label(self, node: TreeNode[NodeData], base_style: Style, style: Style) -> Text:
        text = Text(style=style, no_wrap=True, overflow="ellipsis", end="")
        if node.allow_expand:
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
            text.append(icon, base_style + Style(bold=True))
        for part, name in self._parts(node, self._label_width(node)):
            text.append(part, self._style(name) if name else None)
        return text

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"series-tree--{name}", partial=True)
