"""A title's history of changes (`h` on the detail screen): a scrollable modal over the detail.

Each entry of `engine.history(ref)` (newest first) reads as a heading (when, what kind of
write, completeness before and after), one line per changed field (`old → new (source)`) and
the providers that answered, were rate limited or failed. Rendering is a pure function.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from matinee.engine.api import EngineAPI
from matinee.engine.views import HistoryEntry
from matinee.model import Ref
from matinee.tui import format as fmt
from matinee.tui.workers import run_engine

__all__ = ["HistoryScreen", "history_markup"]

MODE_LABEL = {
    "manual": "manual refresh",
    "bulk": "bulk run",
    "scheduled": "scheduled run",
    "user": "edit by hand",
    "identify": "identification",
}
VALUE_LIMIT = 60


def _value(value: Any) -> str:
    text = fmt.field_value(value, limit=VALUE_LIMIT)
    return escape(text) if text else "—"


def _percent(value: float | None) -> str:
    return "?" if value is None else f"{value:.0f}%"


def history_markup(entries: Sequence[HistoryEntry]) -> str:
    """The history as Textual content markup, newest entry first."""
    if not entries:
        return "[$text-muted]No history yet: this title was never enriched or edited.[/]"
    blocks = []
    for entry in entries:
        head = f"[b]{entry.at:%Y-%m-%d %H:%M}[/b] · {MODE_LABEL.get(entry.mode, entry.mode)}"
        if entry.completeness_before is not None or entry.completeness_after is not None:
            head += (
                f" · completeness {_percent(entry.completeness_before)} → "
                f"{_percent(entry.completeness_after)}"
            )
        lines = [head]
        for change in entry.changes:
            source = f" [$text-muted]({escape(change.source)})[/]" if change.source else ""
            lines.append(
                f"  {escape(change.field)}: {_value(change.old)} → {_value(change.new)}{source}"
            )
        if not entry.changes:
            lines.append("  [$text-muted]no field changed[/]")
        providers = []
        if entry.providers_ok:
            providers.append("[$success]ok[/] " + escape(", ".join(entry.providers_ok)))
        if entry.providers_rate_limited:
            providers.append(
                "[$warning]rate limited[/] " + escape(", ".join(entry.providers_rate_limited))
            )
        if entry.providers_failed:
            providers.append("[$error]failed[/] " + escape(", ".join(entry.providers_failed)))
        if providers:
            lines.append("  providers: " + " · ".join(providers))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


class HistoryScreen(ModalScreen[None]):
    """The history of one title, loaded when opened; escape (or `h`) closes it."""

    CSS_PATH = "detail_history.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,h", "dismiss", "Close"),
    ]

    def __init__(self, engine: EngineAPI, ref: Ref, title: str) -> None:
        super().__init__()
        self.engine = engine
        self.ref = ref
        self.heading = title
        self.entries: list[HistoryEntry] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="history-box"):
            yield Static(f"History of {self.heading}", id="history-title", markup=False)
            with VerticalScroll(id="history-scroll"):
                yield Static("Loading…", id="history-body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#history-scroll").focus()

        async def work() -> None:
            try:
                entries = await self.engine.history(self.ref)
            except Exception as exc:
                if self.is_running:
                    self.query_one("#history-body", Static).update(
                        f"[$error]Could not load the history: {escape(str(exc))}[/]"
                    )
                raise  # run_engine logs it and notifies
            if self.is_running:
                self.entries = entries
                self.query_one("#history-body", Static).update(history_markup(entries))

        run_engine(self, work, group="detail-history", label=f"Loading the history of {self.ref}")
