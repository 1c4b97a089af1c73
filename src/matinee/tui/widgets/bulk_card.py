"""The bulk run card: the running bulk run with live progress, or how the last one ended.

Shared by the dashboard and the queue screen. Two sources feed it:

- engine events (`RunStarted` / `RunProgressed` / `RunFinished`), forwarded by the screen from
  its `EngineEvents` batches, for a run in this process, live at the bridge's ~10 Hz;
- `engine.bulk_status()`, read when the screen is shown and every `poll_interval` seconds while
  it stays shown, for a run in another process (the daemon) and for the last run that ended.

Telling bulk runs from manual ones: `RunStarted` is also published for a title refreshed by
hand (trigger "manual", a total of one or two). The card follows a run from its events when its
trigger is not "manual" (scheduled, demo, ...: those are always queue runs) or when the screen
announced one with `expect_bulk()` just before calling `engine.enrich()` with no refs (a manual
bulk run). A manual bulk run started elsewhere (the library's "enrich queue") is picked up by the
poll, since every bulk run holds a row in the store. While following, progress must match the
run's total and never go backwards, and a `RunFinished` that ends the card is checked against
`bulk_status()` right after, so a manual run finishing alongside cannot end the card for good.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from textual.app import ComposeResult, RenderResult
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from matinee.engine.api import EngineAPI
from matinee.engine.events import Event, RunFinished, RunProgressed, RunStarted
from matinee.engine.reports import BulkStatus
from matinee.tui import format as fmt
from matinee.tui.widgets.dash_bulk_view import (
    Phase,
    RunView,
    card_text,
    ended_phase,
    view_from_row,
)
from matinee.tui.widgets.dash_format import when
from matinee.tui.workers import group_busy

__all__ = ["POLL_INTERVAL", "BulkCard"]

log = logging.getLogger(__name__)

POLL_INTERVAL = 2.0
_STATUS_GROUP = "bulk-card-status"


class _Progress(Widget):
    """processed/total as a bar across the card."""

    DEFAULT_CSS = "_Progress { height: 1; color: $primary; }"

    fraction: reactive[float] = reactive(0.0)

    def render(self) -> RenderResult:
        width = max(1, self.content_region.width or self.size.width)
        filled = fmt.bar(self.fraction * 100, width).rstrip()
        return Content.assemble(filled, ("░" * (width - len(filled)), "dim"))


class BulkCard(Vertical):
    """The bulk run: idle, running (progress, current title, elapsed, remaining), or ended."""

    DEFAULT_CSS = """
    BulkCard { height: auto; }
    BulkCard > #bulk-head { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    BulkCard > _Progress { display: none; }
    BulkCard.-running > _Progress { display: block; }
    BulkCard > #bulk-next { color: $text-muted; }
    """

    phase: reactive[Phase] = reactive("idle", init=False)

    def __init__(
        self,
        engine: EngineAPI,
        *,
        poll_interval: float | None = POLL_INTERVAL,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Args:
        engine: Where `bulk_status()` and `next_scheduled_run()` come from.
        poll_interval: Seconds between `bulk_status()` reads while polling (None: never).
        """
        super().__init__(id=id, classes=classes)
        self.engine = engine
        self.view: RunView | None = None
        self.next_run: datetime | None = None
        self._poll_interval = poll_interval
        self._timer: Timer | None = None
        self._expected = 0
        self._from_events = False  # the shown running run is followed through events
        self._problem: str | None = None
        self._again = False

    def compose(self) -> ComposeResult:
        yield Static(id="bulk-head", markup=False)
        yield _Progress()
        yield Static(id="bulk-body", markup=False)
        yield Static(id="bulk-next", markup=False)

    def on_mount(self) -> None:
        self.border_title = "Bulk run"
        self.next_run = self.engine.next_scheduled_run()
        if self._poll_interval:
            self._timer = self.set_interval(self._poll_interval, self.refresh_status, pause=True)
        self._render_view()

    # -- what the screen calls ----------------------------------------------------------------

    def resume(self) -> None:
        """The screen is shown: read the store now (it wins over what events said while the
        screen was hidden) and keep reading it every `poll_interval` seconds."""
        self._from_events = False
        self.refresh_status()
        if self._timer is not None:
            self._timer.resume()

    def pause(self) -> None:
        """The screen is hidden: stop reading the store."""
        if self._timer is not None:
            self._timer.pause()

    def expect_bulk(self) -> None:
        """The next manual `RunStarted` is a bulk run (about to be started from the UI)."""
        self._expected += 1

    def forget_expected(self) -> None:
        """The announced run did not start (the engine refused it before `RunStarted`)."""
        self._expected = max(0, self._expected - 1)

    @property
    def running(self) -> bool:
        return self.phase == "running"

    @property
    def text(self) -> str:
        """Everything the card shows, as plain text (for tests and the key map)."""
        parts = (self.query_one(f"#bulk-{n}", Static).content for n in ("head", "body", "next"))
        return "\n".join(str(p) for p in parts if str(p))

    def handle_events(self, events: Iterable[Event]) -> bool:
        """Follow the run events of a batch; True if a followed bulk run ended in it."""
        ended = False
        for event in events:
            if isinstance(event, RunStarted):
                self._on_started(event)
            elif isinstance(event, RunProgressed):
                self._on_progress(event)
            elif isinstance(event, RunFinished) and self._on_finished(event):
                ended = True
        if ended:
            self.refresh_status()
        return ended

    def refresh_status(self) -> None:
        """Read `bulk_status()` in a worker and show what it says (once more after the read in
        flight, if one is: a worker cancelled before it starts would lose its read)."""
        if group_busy(self, _STATUS_GROUP):
            self._again = True
            return

        async def work() -> None:
            self._again = True
            while self._again and self.is_mounted:
                self._again = False
                try:
                    status = await self.engine.bulk_status()
                except Exception as exc:  # a poll every 2 s must not notify every 2 s
                    log.warning("bulk status failed: %s", exc)
                    self._problem = f"bulk status unavailable: {exc}"
                else:
                    self._problem = None
                    if self.is_mounted:
                        self.apply_status(status)
                if self.is_mounted:
                    self._render_view()

        self.run_worker(work(), group=_STATUS_GROUP, exit_on_error=False)

    def apply_status(self, status: BulkStatus) -> None:
        """Show what the store says, unless a live run followed through events is newer."""
        self.next_run = self.engine.next_scheduled_run() or status.next_scheduled
        live = self.running and self._from_events
        if status.current is not None:
            if not live:
                self._show(view_from_row(status.current), from_events=False)
        elif live:
            pass  # only its RunFinished ends it (the store may not have the claim yet)
        elif status.last is not None:
            self._show(view_from_row(status.last), from_events=False)
        elif self.running:
            self._show(None, from_events=False)  # the run we read vanished without a trace
        self._render_view()

    # -- events -----------------------------------------------------------------------------

    def _on_started(self, event: RunStarted) -> None:
        bulk = event.trigger != "manual"
        if event.trigger == "manual" and self._expected:
            self._expected -= 1
            bulk = True
        if not bulk or event.total == 0:
            return  # a title refreshed by hand, or a queue with nothing stale (no run recorded)
        self._show(RunView("running", event.trigger, event.total), from_events=True)

    def _on_progress(self, event: RunProgressed) -> None:
        view = self.view
        if view is None or not self.running or event.total != view.total:
            return
        if event.processed < view.processed:
            return  # another (manual) run's progress: a bulk run never goes backwards
        self._show(
            replace(
                view,
                processed=event.processed,
                updated=event.updated,
                failed=event.failed,
                current=event.current,
                elapsed=event.elapsed,
                remaining=event.remaining,
            ),
            from_events=True,
        )

    def _on_finished(self, event: RunFinished) -> bool:
        view = self.view
        if view is None or not self.running or event.processed < view.processed:
            return False
        self._show(
            replace(
                view,
                phase=ended_phase(event),
                processed=event.processed,
                updated=event.updated,
                failed=event.failed,
                partial=event.partial,
                needs_review=event.needs_review,
                current=None,
                elapsed=event.duration,
                remaining=None,
                stop_reason=event.stop_reason,
                owner=None,
            ),
            from_events=True,
        )
        return True

    # -- drawing ----------------------------------------------------------------------------

    def _show(self, view: RunView | None, *, from_events: bool) -> None:
        self.view = view
        self._from_events = from_events and view is not None and view.phase == "running"
        self.phase = view.phase if view is not None else "idle"
        self._render_view()

    def watch_phase(self, phase: Phase) -> None:
        for name in ("idle", "running", "finished", "stopped", "cancelled"):
            self.set_class(name == phase, f"-{name}")

    def _render_view(self) -> None:
        if not self.is_mounted:
            return
        head, body = card_text(self.view)
        self.query_one("#bulk-head", Static).update(head)
        body_widget = self.query_one("#bulk-body", Static)
        if self._problem:
            body = Content.assemble(body, "\n" if body.plain else "", (self._problem, "$error"))
        body_widget.update(body)
        body_widget.display = bool(body.plain)
        view = self.view
        if view is not None and view.total:
            self.query_one(_Progress).fraction = view.processed / view.total
        nxt = f"Next scheduled run: {when(self.next_run)}" if self.next_run else (
            "No scheduled run (schedule.enrich_cron never fires)")  # fmt: skip
        self.query_one("#bulk-next", Static).update(nxt)
