"""The queue screen: the next titles the staleness queue will enrich, why each is there, and the
bulk run that works through it (run one batch now, run it all, cancel, live progress).

Keys become `engine.enrich()` (no refs: the queue as a bulk run), `engine.enrich(all=True)` and
`engine.cancel_bulk()` in named workers; the bulk card follows the run. The queue is read again
when a bulk run ends and when the screen is shown; it is never computed here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from matinee.engine.api import EngineAPI
from matinee.model import Ref
from matinee.tui.bridge import EngineEvents
from matinee.tui.screens.detail import DetailScreen
from matinee.tui.widgets.bulk_card import BulkCard
from matinee.tui.widgets.nav_bar import NavBar
from matinee.tui.widgets.queue_table import QUEUE_COLUMNS, QueueRow, queue_rows
from matinee.tui.widgets.virtual_table import VirtualTable
from matinee.tui.workers import group_busy, run_engine

__all__ = ["QUEUE_LIMIT", "QueueScreen"]

QUEUE_LIMIT = 100
RUN_GROUP = "queue-run"
LOAD_GROUP = "queue-load"


def _utc_now() -> datetime:
    return datetime.now(UTC)


class QueueScreen(Screen[None]):
    """The staleness queue (next 100) and the bulk run card."""

    CSS_PATH = "queue.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", show=True),
        Binding("n", "run(False)", "Run now", show=True, tooltip="Enrich one batch of the queue"),
        Binding("a", "run(True)", "Run all", show=True, tooltip="Enrich the whole queue"),
        Binding("c", "cancel", "Cancel run", show=True, tooltip="Cancel the running bulk run"),
        Binding("r", "reload", "Reload", show=False, tooltip="Read the queue again"),
    ]

    clock: ClassVar[Callable[[], datetime]] = staticmethod(_utc_now)
    """Now, for "enriched N days ago" (tests fix it)."""

    def __init__(self, engine: EngineAPI) -> None:
        super().__init__()
        self.engine = engine
        self.rows: list[QueueRow] = []
        self.loaded = False
        self._reload_again = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield NavBar("queue")
        yield BulkCard(self.engine, id="bulk")
        yield VirtualTable(QUEUE_COLUMNS, row_key=attrgetter("ref"), id="queue")
        yield Static(id="status", markup=False)
        yield Footer()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#queue", VirtualTable)

    @property
    def card(self) -> BulkCard:
        return self.query_one("#bulk", BulkCard)

    def on_mount(self) -> None:
        self.sub_title = "Queue"
        self.table.border_title = "Staleness queue · Enter opens"
        self.table.focus()
        self._show_status()

    def on_screen_resume(self) -> None:
        # Shown again (or for the first time): runs may have moved on while another screen was.
        self.card.resume()
        self.reload()

    def on_screen_suspend(self) -> None:
        self.card.pause()

    # -- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the queue in a worker; once more after a read in flight, if one is."""
        if group_busy(self, LOAD_GROUP):
            self._reload_again = True
            return

        async def work() -> None:
            self._reload_again = True
            while self._reload_again and self.is_running:
                self._reload_again = False
                items = await self.engine.queue(QUEUE_LIMIT)
                if self.is_running:
                    ttl = self.engine.settings.cache.ttl_days
                    self.rows = queue_rows(items, ttl, type(self).clock())
                    self.loaded = True
                    self.table.set_rows(self.rows)
                    self._show_status()

        run_engine(self, work, group=LOAD_GROUP, label="Loading the queue", exclusive=False)

    def _show_status(self) -> None:
        settings = self.engine.settings
        ttl = f"{settings.cache.ttl_days:g}"
        count = (
            "The queue is empty: every title is fresh"
            if self.loaded and not self.rows
            else f"{len(self.rows):,} next in the queue"
        )
        self.query_one("#status", Static).update(
            f"{count} · stale = enriched more than {ttl} days ago (cache.ttl_days) · "
            f"n runs one batch ({settings.schedule.batch_size:,}), a the whole queue"
        )

    @on(EngineEvents)
    def _on_engine_events(self, message: EngineEvents) -> None:
        if self.is_running and self.card.handle_events(message.events):
            self.reload()

    # -- actions ----------------------------------------------------------------------------

    @on(VirtualTable.RowSelected, "#queue")
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

    def action_run(self, whole: bool = False) -> None:
        """Run the queue as a bulk run: one batch (`n`) or all of it (`a`)."""
        if group_busy(self, RUN_GROUP) or self.card.running:
            view = self.card.view
            which = f" ({view.trigger}, {view.processed:,} of {view.total:,})" if view else ""
            self.notify(
                f"A bulk run is already running{which}; c cancels it",
                title="Not started",
                severity="warning",
            )
            return
        card = self.card
        card.expect_bulk()

        async def work() -> None:
            try:
                report = await self.engine.enrich(all=whole, trigger="manual")
            except BaseException:
                card.forget_expected()
                raise
            # The app notifies runs that processed something; say why nothing was.
            if not report.processed:
                if report.stopped:
                    self.notify(report.stop_reason or "stopped", title="Bulk run not started",
                                severity="warning")  # fmt: skip
                else:
                    self.notify("Nothing to enrich: every title is fresh", title="Queue")
            if self.is_running:
                self.reload()

        what = "the whole queue" if whole else "one batch of the queue"
        run_engine(self, work, group=RUN_GROUP, label=f"Enriching {what}")

    def action_cancel(self) -> None:
        async def work() -> None:
            cancelled = await self.engine.cancel_bulk()
            if cancelled:
                self.notify(
                    "Cancelling the bulk run: the titles already started finish first",
                    title="Cancel",
                )
            else:
                self.notify("No bulk run is running", title="Cancel", severity="warning")
            if self.is_running:
                self.card.refresh_status()

        run_engine(self, work, group="queue-cancel", label="Cancelling the bulk run")
