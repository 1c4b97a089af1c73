"""The library screen: every movie in one virtual table, every series in a tree, live.

It turns keys into engine verbs run in named workers and renders what comes back and what the
bridge forwards. It holds the loaded summaries in memory, so searching and filtering 100k titles
is a list comprehension (the filters that need the titles' fields are one `match_refs` call,
a set of refs), and it re-reads only the rows events name (one `engine.summaries` call per
batch), reloading the whole list only when a scan or a run finishes. The first load shows the
first page of titles before the whole list arrives. No database, no provider, no scoring here.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from matinee.engine.api import EngineAPI
from matinee.engine.events import Event, RunFinished, ScanFinished
from matinee.engine.views import LibraryFacets
from matinee.model import EntityKind, EntitySummary, Ref
from matinee.tui.bridge import EngineEvents, refs_touched
from matinee.tui.memory import freeze_loaded
from matinee.tui.screens.detail import DetailScreen
from matinee.tui.screens.library_enrich import enrich_queue, refresh_title
from matinee.tui.screens.library_filters import LibraryFilter, LibraryFilterScreen, load_facets
from matinee.tui.screens.library_missed import MissedEvents
from matinee.tui.screens.library_view import (
    COLUMNS,
    EPISODE_COLUMNS,
    LibraryRows,
    cycle_sort,
    move_sort,
    progress_text,
    sort_label,
    status_text,
)
from matinee.tui.widgets.nav_bar import NavBar
from matinee.tui.widgets.series_tree import SeriesTree
from matinee.tui.widgets.virtual_table import VirtualTable
from matinee.tui.workers import run_engine

FIRST_PAGE = 200  # titles shown before the whole list has loaded (more than a screenful)

__all__ = ["COLUMNS", "LibraryScreen"]

KIND_LABEL = {EntityKind.MOVIE: "Movies", EntityKind.SERIES: "Series"}
STALE_LIMIT = 500  # more touched titles than this at once: one reload beats that many `show`s


class LibraryScreen(Screen[None]):
    """Movies in a virtual table or series in a tree, with search, filters, sort and refresh."""

    CSS_PATH = "library.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", show=False),
        Binding("slash", "search", "Search"),
        Binding("f", "filters", "Filters"),
        Binding("t", "toggle_kind", "Movies/Series"),
        Binding("r", "refresh_selected(False)", "Refresh", show=False),
        Binding("R,shift+r", "refresh_selected(True)", "Force refresh", show=False),
        Binding("e", "enrich_queue", "Enrich queue", show=False),
        Binding("s", "cycle_sort", "Sort", show=False),
        Binding("less_than_sign", "move_sort(-1)", "Sort column left", show=False),
        Binding("greater_than_sign", "move_sort(1)", "Sort column right", show=False),
        Binding("F,shift+f", "clear_filters", "Clear filters", show=False),
        Binding("escape", "clear_search", "Clear search", show=False),
        Binding("space", "expand", "Expand/collapse", show=False),  # series only
    ]

    def __init__(self, engine: EngineAPI, kind: EntityKind = EntityKind.MOVIE) -> None:
        super().__init__()
        self.engine = engine
        self.kind = kind
        self.rows = LibraryRows()
        self.sort_column: str | None = None
        self.sort_reverse = False
        self._facets: LibraryFacets | None = None
        self._stale: set[Ref] = set()
        self._opened: Ref | None = None
        self._status_shown = ""
        self._missed = MissedEvents(engine.bus)
        self.shown, self.progress, self.loaded = 0, "", False

    def compose(self) -> ComposeResult:
        yield Header()
        yield NavBar("library")
        yield Input(placeholder="Search titles…", id="filter", classes="-hidden")
        yield VirtualTable(COLUMNS, row_key=attrgetter("ref"), id="library")
        yield Static(id="tree-caption", markup=False)
        yield SeriesTree(COLUMNS, EPISODE_COLUMNS, id="series")
        yield Static(id="status", markup=False)
        yield Footer()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#library", VirtualTable)

    @property
    def series_tree(self) -> SeriesTree:
        return self.query_one("#series", SeriesTree)

    @property
    def series_mode(self) -> bool:
        return self.kind == EntityKind.SERIES

    @property
    def view(self) -> VirtualTable | SeriesTree:
        """The table (movies) or the tree (series), whichever is shown."""
        return self.series_tree if self.series_mode else self.table

    def on_mount(self) -> None:
        self._missed.follow(self)
        self._show_kind()
        self.reload()

    def on_unmount(self) -> None:
        self._missed.stop()

    def on_screen_resume(self) -> None:
        if missed := self._missed.take():
            self._handle_events(missed)
        # Back from the detail screen: that entity may have been locked or refreshed.
        if self._opened is not None:
            self._mark_stale({self._opened})
            self._opened = None

    # -- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Fetch the whole list for the current kind, and the filter's refs (in a worker)."""
        kind, wanted = self.kind, self.rows.filter
        self._facets = None

        async def work() -> None:
            if not self.loaded and kind == EntityKind.MOVIE and not wanted.active:
                # a first screenful at once; the whole list (100k titles: about a second) next
                page = await self.engine.list_entities(kind, limit=FIRST_PAGE)
                if kind == self.kind and self.is_running and not self.loaded:
                    self.rows.load(page)
                    self._refresh_view()
                    self.progress = self.progress or "Loading the library…"
                    self._show_status()
            summaries = await self.engine.list_entities(kind)
            matched, kept = None, wanted
            if wanted.needs_engine:
                try:
                    matched = await self.engine.match_refs(kind, **wanted.engine_criteria)
                except Exception as exc:
                    self.notify(f"{exc}; filters cleared", title="Filter failed", severity="error")
                    kept = LibraryFilter()
            if kind != self.kind or not self.is_running:
                return
            if self.rows.filter == wanted:  # else `set_filter` brought the refs of the new filter
                self.rows.filter, self.rows.matched = kept, matched
            self.rows.load(summaries)
            freeze_loaded()
            self.loaded = True
            if self.progress == "Loading the library…":
                self.progress = ""
            self._refresh_view(reload_episodes=True)

        run_engine(self, work, group="library-load", label="Loading the library")

    def _refresh_view(self, *, reload_episodes: bool = False) -> None:
        """Search, filter and (for series) sort the loaded rows into the table or the tree."""
        if self.series_mode:
            series = self.rows.shown(self.sort_column, self.sort_reverse)
            self.series_tree.set_series(series, reload_episodes=reload_episodes)
            self.shown = len(series)
        else:
            self.table.set_rows(self.rows.shown())  # the table sorts by itself
            self.shown = self.table.row_count
        self._show_status()

    def _mark_stale(self, refs: set[Ref]) -> None:
        """Re-fetch these rows only; an exclusive worker drains the set."""
        if self.series_mode:  # an episode's change shows on its series
            refs = {s for r in refs if (s := self.series_tree.series_of(r)) is not None} | refs
        refs = {r for r in refs if r.kind == self.kind}
        if not refs:
            return
        self._stale |= refs

        async def work() -> None:
            failed: list[str] = []
            while self._stale:
                batch = set(self._stale)
                # An expanded series needs its episodes too: `show` gives both. Every other row
                # is one `summaries` call for the whole batch.
                whole = {r for r in batch if self.series_mode and self._expanded(r)}
                rows = sorted(batch - whole, key=attrgetter("id"))
                for summary in await self.engine.summaries(rows) if rows else ():
                    if self.rows.replace(summary):  # False: no longer loaded
                        self._update_row(summary)
                for ref in whole:
                    try:
                        detail = await self.engine.show(ref)
                    except Exception as exc:  # one vanished entity must not stop the others
                        failed.append(f"{ref}: {exc}")
                    else:
                        if self.rows.replace(detail.summary):
                            self._update_row(detail.summary)
                            self.series_tree.set_episodes(ref, detail.children)
                # Discard only after the fetch: a cancelled drain leaves the refs for the next.
                self._stale -= batch
            self._show_status()
            if failed:
                self.notify("\n".join(failed[:5]), title="Could not refresh rows", severity="error")

        run_engine(self, work, group="library-rows", label="Refreshing rows")

    def _expanded(self, ref: Ref) -> bool:
        return self.series_tree.episodes_of(ref) is not None

    def _update_row(self, summary: EntitySummary) -> None:
        if self.series_mode:
            self.series_tree.update_series(summary)
        else:
            self.table.update_row(summary.ref, summary)

    @on(SeriesTree.EpisodesWanted, "#series")
    def _on_episodes_wanted(self, message: SeriesTree.EpisodesWanted) -> None:
        ref = message.ref

        async def work() -> None:
            try:
                detail = await self.engine.show(ref)
            except Exception:
                self.series_tree.episodes_failed(ref)
                raise  # `run_engine` says why
            if self.is_running and self.series_mode:
                self.series_tree.set_episodes(ref, detail.children)

        run_engine(self, work, group=f"library-episodes:{ref}", label=f"Loading episodes of {ref}")

    # -- engine events ----------------------------------------------------------------------

    @on(EngineEvents)
    def _on_engine_events(self, message: EngineEvents) -> None:
        if self.is_running:
            self._handle_events(message.events)

    def _handle_events(self, events: Sequence[Event]) -> None:
        finished = False
        for event in events:
            if (text := progress_text(event)) is not None:
                self.progress = text
                finished = finished or isinstance(event, ScanFinished | RunFinished)
        touched = refs_touched(events)
        if finished or len(touched) > STALE_LIMIT:
            self.reload()
        else:
            self._mark_stale(touched)
        self._show_status()

    def _show_status(self) -> None:
        if not self.is_mounted:
            return
        label, next_run = KIND_LABEL[self.kind], self.engine.next_scheduled_run()
        text = status_text(label, self.shown, self.rows, self.progress, next_run)
        if text != self._status_shown:  # one line, fixed height: no layout pass (STYLE.md)
            self._status_shown = text
            self.query_one("#status", Static).update(text, layout=False)
        if self.series_mode:
            self.query_one("#tree-caption", Static).update(
                f"{self.series_tree.series_count:,} series · sorted by "
                f"{sort_label(self.sort_column, self.sort_reverse)} · space expands, enter opens"
            )

    # -- actions ----------------------------------------------------------------------------

    @on(VirtualTable.RowSelected, "#library")
    def _on_row_selected(self, message: VirtualTable.RowSelected) -> None:
        self._open(message.key)

    @on(SeriesTree.Opened, "#series")
    def _on_tree_opened(self, message: SeriesTree.Opened) -> None:
        self._open(message.ref)

    def action_open(self) -> None:
        if self.series_mode:
            self.series_tree.action_open()
        else:
            self._open(self.table.cursor_key)

    def _open(self, key: Any) -> None:
        if isinstance(key, Ref):
            self._opened = key
            self.app.push_screen(DetailScreen(self.engine, key))

    def _show_kind(self) -> None:
        self.sub_title = KIND_LABEL.get(self.kind, self.kind.value)
        series = self.series_mode
        self.table.display = not series
        self.series_tree.display = series
        self.query_one("#tree-caption", Static).display = series
        self.view.focus()

    def action_toggle_kind(self) -> None:
        self.kind = EntityKind.SERIES if self.kind == EntityKind.MOVIE else EntityKind.MOVIE
        self.rows.load([])
        self.rows.matched = None
        self._stale.clear()
        self.table.set_rows([])
        self.series_tree.set_series([], reload_episodes=True)
        self._show_kind()
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.series_mode or action != "expand"

    def action_expand(self) -> None:
        self.series_tree.action_toggle_node()

    def action_search(self) -> None:
        box = self.query_one("#filter", Input)
        box.remove_class("-hidden")
        box.focus()

    @on(Input.Changed, "#filter")
    def _on_search_changed(self, message: Input.Changed) -> None:
        self.rows.search = message.value
        self._refresh_view()

    @on(Input.Submitted, "#filter")
    def _on_search_submitted(self) -> None:
        if not self.rows.search:
            self.query_one("#filter", Input).add_class("-hidden")
        self.view.focus()

    def action_clear_search(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("-hidden")
        self.view.focus()
        if box.value:
            box.value = ""  # posts Input.Changed, which re-applies the (empty) search

    def action_filters(self) -> None:
        async def work() -> None:
            if self._facets is None:
                self._facets = await load_facets(self, self.engine)
            if self.is_running:
                self.app.push_screen(
                    LibraryFilterScreen(self.rows.filter, self._facets), callback=self.set_filter
                )

        run_engine(self, work, group="library-facets", label="Loading filters")

    def action_clear_filters(self) -> None:
        self.set_filter(LibraryFilter())

    def set_filter(self, wanted: LibraryFilter | None) -> None:
        """Filter by `wanted` (None: keep the filter). It is put in force once the engine's refs
        are known, so a failed `match_refs` leaves the rows as they were."""
        if wanted is None or wanted == self.rows.filter:
            return
        if not wanted.needs_engine:
            self.rows.filter, self.rows.matched = wanted, None
            self._refresh_view()
            return
        kind = self.kind

        async def work() -> None:
            matched = await self.engine.match_refs(kind, **wanted.engine_criteria)
            if kind == self.kind and self.is_running:
                self.rows.filter, self.rows.matched = wanted, matched
                self._refresh_view()

        run_engine(self, work, group="library-match", label="Filtering")

    def action_cycle_sort(self) -> None:
        self._sort(*cycle_sort(self.sort_column, self.sort_reverse))

    def action_move_sort(self, step: int) -> None:
        self._sort(*move_sort(self.sort_column, self.sort_reverse, step))

    def _sort(self, key: str, reverse: bool) -> None:
        self.sort_column, self.sort_reverse = key, reverse
        self.table.sort_by(key, reverse=reverse)
        if self.series_mode:
            self._refresh_view()

    def action_refresh_selected(self, force: bool = False) -> None:
        ref = self.series_tree.cursor_series if self.series_mode else self.table.cursor_key
        if not isinstance(ref, Ref):
            self.notify("Nothing selected", severity="warning")
            return
        refresh_title(self, self.engine, ref, force, lambda done: self._mark_stale({done}))

    def action_enrich_queue(self) -> None:
        if enrich_queue(self, self.engine):
            self.progress = "Enriching the queue…"
            self._show_status()
