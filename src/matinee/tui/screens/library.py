"""The library screen: every movie (or series) in one virtual table, live as the engine works.

It turns keys into engine verbs run in named workers and renders what comes back and what the
bridge forwards. It holds the loaded summaries in memory, so filtering 100k titles is a list
comprehension, and it re-fetches only the rows an event names (`engine.show(ref)`), reloading
the whole list only when a scan or a run finishes. No database, no provider, no scoring here.
"""

from __future__ import annotations

from collections import Counter
from operator import attrgetter
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from matinee.engine.api import EngineAPI
from matinee.engine.events import (
    RunFinished,
    RunProgressed,
    RunStarted,
    ScanFinished,
    ScanProgressed,
    ScanStarted,
)
from matinee.model import EntityKind, EntitySummary, Ref
from matinee.tui import format as fmt
from matinee.tui.bridge import EngineEvents, refs_touched
from matinee.tui.screens.detail import DetailScreen
from matinee.tui.widgets.virtual_table import Column, VirtualTable
from matinee.tui.workers import group_busy, run_engine

__all__ = ["COLUMNS", "LibraryScreen"]


def _status_style(status: str) -> str | None:
    return {"review": "warn", "unidentified": "bad", "manual": "dim"}.get(status)


COLUMNS: tuple[Column, ...] = (
    Column("title", "Title", 0, value=attrgetter("title"), min_width=20),
    Column("year", "Year", 4, "right", value=attrgetter("year")),
    Column(
        "done",
        "Done",
        10,
        value=attrgetter("completeness"),
        text=fmt.completeness_badge,
        style=fmt.category_style,
    ),
    Column("category", "Category", 10, value=attrgetter("category"), style=fmt.category_style),
    Column(
        "last_enriched",
        "Last enriched",
        13,
        value=attrgetter("last_enriched"),
        text=fmt.last_enriched,
    ),
    Column(
        "partial",
        "!",
        1,
        "center",
        value=attrgetter("partial"),
        text=fmt.partial_mark,
        style=lambda p: "warn" if p else None,
    ),
    Column("status", "Status", 12, value=attrgetter("identification.status"), style=_status_style),
)

SORTABLE = ("title", "year", "done", "last_enriched", "category", "status")
KIND_LABEL = {EntityKind.MOVIE: "Movies", EntityKind.SERIES: "Series"}


class LibraryScreen(Screen[None]):
    """Movies or series in a virtual table with a title filter and refresh actions."""

    CSS_PATH = "library.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", show=True),
        Binding("t", "toggle_kind", "Movies/Series"),
        Binding("slash", "filter", "Filter"),
        Binding("r", "refresh_selected(False)", "Refresh"),
        Binding("R,shift+r", "refresh_selected(True)", "Force refresh"),
        Binding("e", "enrich_queue", "Enrich queue"),
        Binding("s", "cycle_sort", "Sort"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self, engine: EngineAPI, kind: EntityKind = EntityKind.MOVIE) -> None:
        super().__init__()
        self.engine = engine
        self.kind = kind
        self.filter_text = ""
        self._all: list[EntitySummary] = []
        self._folded: list[str] = []
        self._pos: dict[Ref, int] | None = None
        self._counts: Counter[str] = Counter()
        self._stale: set[Ref] = set()
        self._opened: Ref | None = None
        self.progress = ""
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Filter by title…", id="filter", classes="-hidden")
        yield VirtualTable(COLUMNS, row_key=attrgetter("ref"), id="library")
        yield Static(id="status", markup=False)
        yield Footer()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#library", VirtualTable)

    def on_mount(self) -> None:
        self.sub_title = KIND_LABEL.get(self.kind, self.kind.value)
        self.table.focus()
        self.reload()

    def on_screen_resume(self) -> None:
        # Coming back from the detail screen: that entity may have been locked or refreshed.
        if self._opened is not None:
            self._mark_stale({self._opened})
            self._opened = None

    # -- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Fetch the whole list for the current kind (in a worker)."""
        kind = self.kind

        async def work() -> None:
            summaries = await self.engine.list_entities(kind)
            if kind == self.kind and self.is_running:
                self._set_data(summaries)

        run_engine(self, work, group="library-load", label="Loading the library")

    def _set_data(self, summaries: list[EntitySummary]) -> None:
        self._all = summaries
        self._folded = [s.title.casefold() for s in summaries]
        self._pos = None
        self._counts = Counter(s.category for s in summaries)
        self.loaded = True
        self._apply_filter()

    def _apply_filter(self) -> None:
        needle = self.filter_text.casefold().strip()
        if needle:
            rows = [s for s, t in zip(self._all, self._folded, strict=True) if needle in t]
        else:
            rows = self._all
        self.table.set_rows(rows)
        self._show_status()

    def _replace(self, summary: EntitySummary) -> None:
        if self._pos is None:
            self._pos = {s.ref: i for i, s in enumerate(self._all)}
        index = self._pos.get(summary.ref)
        if index is None:
            return
        old = self._all[index]
        self._counts[old.category] -= 1
        self._counts[summary.category] += 1
        self._all[index] = summary
        self._folded[index] = summary.title.casefold()
        self.table.update_row(summary.ref, summary)

    def _mark_stale(self, refs: set[Ref]) -> None:
        """Re-fetch these rows only; an exclusive worker drains the set."""
        refs = {r for r in refs if r.kind == self.kind}
        if not refs:
            return
        self._stale |= refs

        async def work() -> None:
            failed: list[str] = []
            while self._stale:
                ref = next(iter(self._stale))
                try:
                    detail = await self.engine.show(ref)
                except Exception as exc:  # one vanished entity must not stop the others
                    failed.append(f"{ref}: {exc}")
                else:
                    self._replace(detail.summary)
                # Discard only after the fetch: a cancelled drain leaves the ref for the next one.
                self._stale.discard(ref)
            self._show_status()
            if failed:
                self.notify("\n".join(failed[:5]), title="Could not refresh rows", severity="error")

        run_engine(self, work, group="library-rows", label="Refreshing rows")

    # -- engine events ----------------------------------------------------------------------

    @on(EngineEvents)
    def _on_engine_events(self, message: EngineEvents) -> None:
        if not self.is_running:
            return
        for event in message.events:
            if isinstance(event, ScanStarted):
                self.progress = "Scanning…"
            elif isinstance(event, ScanProgressed):
                self.progress = f"Scanning: {event.seen:,} files · {event.current}"
            elif isinstance(event, ScanFinished):
                self.progress = (
                    f"Scan done: {event.new} new, {event.changed} changed, "
                    f"{event.missing} missing, {event.errors} errors"
                )
            elif isinstance(event, RunStarted):
                self.progress = f"Enriching 0/{event.total:,}"
            elif isinstance(event, RunProgressed):
                self.progress = (
                    f"Enriching {event.processed:,}/{event.total:,} · {event.current}"
                    f" · {event.elapsed:.0f}s"
                )
            elif isinstance(event, RunFinished):
                self.progress = (
                    f"Run {'stopped' if event.stopped else 'done'}: {event.updated} updated, "
                    f"{event.failed} failed, {event.partial} partial, "
                    f"{event.needs_review} to review"
                )
        if message.latest(ScanFinished) or message.latest(RunFinished):
            self.reload()
        else:
            self._mark_stale(refs_touched(message.events))
        self._show_status()

    def _show_status(self) -> None:
        if not self.is_mounted:
            return
        label = KIND_LABEL.get(self.kind, self.kind.value)
        shown, total = self.table.row_count, len(self._all)
        counts = self._counts
        text = (
            f"{label}: {shown:,} of {total:,} · {counts['enriched']:,} enriched · "
            f"{counts['partial']:,} partial · {counts['unenriched']:,} unenriched"
        )
        if self.filter_text:
            text += f" · filter “{self.filter_text}”"
        if self.progress:
            text += f"  │  {self.progress}"
        busy = self.progress.startswith(("Enriching", "Scanning"))
        if not busy and (when := self.engine.next_scheduled_run()) is not None:
            text += f"  │  next scheduled run {when:%a %H:%M}"
        self.query_one("#status", Static).update(text)

    # -- actions ----------------------------------------------------------------------------

    @on(VirtualTable.RowSelected, "#library")
    def _on_row_selected(self, message: VirtualTable.RowSelected) -> None:
        self._open(message.key)

    def action_open(self) -> None:
        self._open(self.table.cursor_key)

    def _open(self, key: Any) -> None:
        if isinstance(key, Ref):
            self._opened = key
            self.app.push_screen(DetailScreen(self.engine, key))

    def action_toggle_kind(self) -> None:
        self.kind = EntityKind.SERIES if self.kind == EntityKind.MOVIE else EntityKind.MOVIE
        self.sub_title = KIND_LABEL.get(self.kind, self.kind.value)
        self._all, self._folded, self._pos = [], [], None
        self._counts.clear()
        self._stale.clear()
        self.table.set_rows([])
        self.reload()

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.remove_class("-hidden")
        box.focus()

    @on(Input.Changed, "#filter")
    def _on_filter_changed(self, message: Input.Changed) -> None:
        self.filter_text = message.value
        self._apply_filter()

    @on(Input.Submitted, "#filter")
    def _on_filter_submitted(self) -> None:
        if not self.filter_text:
            self.query_one("#filter", Input).add_class("-hidden")
        self.table.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.add_class("-hidden")
        self.table.focus()
        if box.value:
            box.value = ""  # posts Input.Changed, which re-applies the (empty) filter

    def action_cycle_sort(self) -> None:
        current = self.table.sort_column
        if current in SORTABLE and not self.table.sort_reverse:
            self.table.sort_by(current, reverse=True)
            return
        following = SORTABLE[(SORTABLE.index(current) + 1) % len(SORTABLE)] if current else "year"
        self.table.sort_by(following, reverse=False)

    def action_refresh_selected(self, force: bool = False) -> None:
        ref = self.table.cursor_key
        if not isinstance(ref, Ref):
            self.notify("Nothing selected", severity="warning")
            return
        group = f"enrich:{ref}"
        if group_busy(self, group):
            self.notify(f"{ref} is already being refreshed")
            return

        async def work() -> None:
            report = await self.engine.enrich([ref], force=force)
            self.notify(
                f"{ref}: {report.updated} updated, {report.failed} failed"
                + (", partial" if report.partial else ""),
                title="Force refresh" if force else "Refresh",
            )
            self._mark_stale({ref})

        run_engine(self, work, group=group, label=f"Refreshing {ref}")

    def action_enrich_queue(self) -> None:
        if group_busy(self, "enrich-queue"):
            self.notify("The enrichment queue is already running")
            return

        async def work() -> None:
            report = await self.engine.enrich(trigger="manual")
            self.notify(
                f"{report.processed} processed, {report.updated} updated, {report.failed} failed"
                + (f" (stopped: {report.stop_reason})" if report.stopped else ""),
                title="Enrichment queue",
            )

        self.progress = "Enriching the queue…"
        self._show_status()
        run_engine(self, work, group="enrich-queue", label="Enriching the queue")
