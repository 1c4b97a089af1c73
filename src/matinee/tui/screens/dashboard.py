"""The dashboard, the first screen: how complete the library is, what is least complete, the
bulk run, the providers' health and how many titles wait for a review.

It renders `engine.status()`, `engine.provider_health()` and the bulk card, and reads them again
when shown, when a run or a scan ends, and when a user edit or a provider problem is reported.
Counting and ranking happen in the engine; nothing is computed over the library here.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from operator import attrgetter
from typing import Any, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from matinee.engine.api import EngineAPI
from matinee.engine.events import (
    EnrichmentFinished,
    EntityChanged,
    ProviderFailed,
    ProviderRateLimited,
    RunFinished,
    ScanFinished,
)
from matinee.engine.reports import LibraryStatus, ProviderHealth
from matinee.model import EntityDetail, Ref
from matinee.tui import format as fmt
from matinee.tui.bridge import EngineEvents
from matinee.tui.screens.detail import DetailScreen
from matinee.tui.widgets.bulk_card import BulkCard
from matinee.tui.widgets.completeness_bar import CompletenessBar
from matinee.tui.widgets.dash_format import count_lines, health_line
from matinee.tui.widgets.nav_bar import NavBar
from matinee.tui.widgets.virtual_table import Column, VirtualTable
from matinee.tui.workers import group_busy, run_engine

__all__ = ["INCOMPLETE_COLUMNS", "DashboardScreen", "review_text"]

_T = TypeVar("_T")

LIVE_RELOAD = 5.0
"""Seconds between reads of the status while titles are being enriched."""


def _missing(detail: EntityDetail) -> int:
    return len(detail.missing)


INCOMPLETE_COLUMNS: tuple[Column, ...] = (
    Column("title", "Title", 0, value=attrgetter("summary.title"), min_width=12),
    Column("year", "Year", 4, "right", value=attrgetter("summary.year")),
    Column(
        "done",
        "Done",
        10,
        value=attrgetter("summary.completeness"),
        text=fmt.completeness_badge,
        style=fmt.category_style,
    ),
    Column("missing", "Missing", 7, "right", value=_missing),
)


def review_text(count: int) -> Content:
    """How many titles wait for a review, and how to resolve one."""
    if not count:
        return Content.styled("No title needs a review", "$success")
    titles = "title needs" if count == 1 else "titles need"
    return Content.assemble(
        (f"{count:,} {titles} a review", "bold $warning"),
        ": their match was not certain. Open one from the Library (2) and press i to identify it.",
    )


class DashboardScreen(Screen[None]):
    """Completeness, counts, the most incomplete titles, the bulk run, providers, reviews."""

    CSS_PATH = "dashboard.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", show=True, tooltip="Open the highlighted title"),
        Binding("r", "reload", "Reload", tooltip="Read the library status again"),
    ]

    def __init__(self, engine: EngineAPI) -> None:
        super().__init__()
        self.engine = engine
        self.status: LibraryStatus | None = None
        self.health: list[ProviderHealth] = []
        self._again: set[str] = set()
        self._reloaded_at = 0.0

    def compose(self) -> ComposeResult:
        yield Header()
        yield NavBar("dashboard")
        with Vertical(id="overview"):
            with Horizontal(id="average"):
                yield Static("Average completeness", id="average-label", markup=False)
                yield CompletenessBar(0.0, id="average-bar")
            yield Static(id="counts", markup=False)
        with Horizontal(id="columns"):
            yield VirtualTable(INCOMPLETE_COLUMNS, row_key=attrgetter("ref"), id="incomplete")
            with VerticalScroll(id="side"):
                yield BulkCard(self.engine, id="bulk")
                yield Static(id="health", markup=False)
                yield Static(id="review", markup=False)
        yield Footer()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#incomplete", VirtualTable)

    @property
    def card(self) -> BulkCard:
        return self.query_one("#bulk", BulkCard)

    def on_mount(self) -> None:
        self.sub_title = "Dashboard"
        self.query_one("#overview").border_title = "Library"
        self.table.border_title = "Most incomplete"
        self.query_one("#health").border_title = "Providers"
        self.query_one("#review").border_title = "Review queue"
        self.query_one("#counts", Static).update("Loading…")
        self.table.focus()

    def on_screen_resume(self) -> None:
        # Shown (again): other screens may have enriched, edited or scanned in the meantime.
        self.card.resume()
        self.reload()

    def on_screen_suspend(self) -> None:
        self.card.pause()

    # -- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        self._reloaded_at = time.monotonic()
        self._load_status()
        self._load_health()

    def _load_status(self) -> None:
        self._load("dashboard-status", "Loading the dashboard", self.engine.status,
                   self._show_status)  # fmt: skip

    def _load_health(self) -> None:
        self._load("dashboard-health", "Reading provider health", self.engine.provider_health,
                   self._show_health)  # fmt: skip

    def _load(
        self,
        group: str,
        label: str,
        fetch: Callable[[], Awaitable[_T]],
        show: Callable[[_T], None],
    ) -> None:
        """Fetch in a worker of `group` and show the result; if a fetch is in flight, it runs
        once more after it (cancelling a worker that has not started would lose the read)."""
        if group_busy(self, group):
            self._again.add(group)
            return

        async def work() -> None:
            self._again.add(group)
            while group in self._again and self.is_running:
                self._again.discard(group)
                value = await fetch()
                if self.is_running:
                    show(value)

        run_engine(self, work, group=group, label=label, exclusive=False)

    def _show_status(self, status: LibraryStatus) -> None:
        self.status = status
        overall = status.overall
        self.query_one("#average-bar", CompletenessBar).value = overall.average_completeness
        counts = self.query_one("#counts", Static)
        if overall.total:
            counts.update(count_lines(status))
        else:
            counts.update("The library is empty: scan a folder with `matinee scan PATH`.")
        self.table.set_rows(status.top_incomplete)
        self.table.border_title = f"Most incomplete ({len(status.top_incomplete)}) · Enter opens"
        self.query_one("#review", Static).update(review_text(overall.needs_review))

    def _show_health(self, health: list[ProviderHealth]) -> None:
        self.health = health
        lines = [health_line(h) for h in health]
        text = Content("\n").join(lines) if lines else Content("No provider is known")
        self.query_one("#health", Static).update(text)

    @on(EngineEvents)
    def _on_engine_events(self, message: EngineEvents) -> None:
        if not self.is_running:
            return
        ended = self.card.handle_events(message.events)
        if ended or message.latest(RunFinished) or message.latest(ScanFinished):
            self.reload()
        elif message.latest(EntityChanged):
            self._load_status()
        elif message.latest(EnrichmentFinished) and self._due():
            self.reload()  # a long run: counts and provider usage move, but not on every title
        elif message.latest(ProviderFailed) or message.latest(ProviderRateLimited):
            self._load_health()

    def _due(self) -> bool:
        """True at most once every `LIVE_RELOAD` seconds (status costs an aggregate query)."""
        now = time.monotonic()
        if now - self._reloaded_at < LIVE_RELOAD:
            return False
        self._reloaded_at = now
        return True

    # -- actions ----------------------------------------------------------------------------

    @on(VirtualTable.RowSelected, "#incomplete")
    def _on_row_selected(self, message: VirtualTable.RowSelected) -> None:
        self._open(message.key)

    def action_open(self) -> None:
        self._open(self.table.cursor_key)

    def _open(self, key: Any) -> None:
        if isinstance(key, Ref):
            self.app.push_screen(DetailScreen(self.engine, key))

    def action_reload(self) -> None:
        self.card.refresh_status()
        self.reload()
