"""What the bulk run card shows of one run, as plain values and text: no widget, no engine.

A run reaches the card either as events (this process) or as a stored row read through
`bulk_status()` (any process); both become a `RunView`, and `card_text` words it the same way
whichever it came from. Kept apart from the widget so the wording is tested without a terminal.
"""

from __future__ import annotations

import os
import re
import socket
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from textual.content import Content

from matinee.engine.events import RunFinished
from matinee.tui import format as fmt
from matinee.tui.widgets.dash_format import when

__all__ = [
    "Phase",
    "RunRow",
    "RunView",
    "card_text",
    "ended_phase",
    "stopping_provider",
    "this_process",
    "view_from_row",
]

Phase = Literal["idle", "running", "finished", "stopped", "cancelled"]

# Provider errors read "omdb: daily quota reached (...)": the provider id comes first.
_PROVIDER_PREFIX = re.compile(r"^([a-z0-9][a-z0-9_.-]*): ")


def stopping_provider(reason: str | None) -> str | None:
    """The provider a stop reason names first (`omdb` in "omdb: daily quota reached ...")."""
    match = _PROVIDER_PREFIX.match(reason or "")
    return match.group(1) if match else None


class _Counts(Protocol):
    @property
    def total(self) -> int: ...
    @property
    def processed(self) -> int: ...
    @property
    def updated(self) -> int: ...
    @property
    def failed(self) -> int: ...
    @property
    def partial(self) -> int: ...
    @property
    def needs_review(self) -> int: ...


class RunRow(Protocol):
    """The fields of a stored bulk run (`BulkStatus.current`/`.last`) the card reads; a
    protocol so the UI does not import the store that defines the row."""

    @property
    def trigger(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def owner(self) -> str: ...
    @property
    def started_at(self) -> float: ...
    @property
    def heartbeat_at(self) -> float: ...
    @property
    def finished_at(self) -> float | None: ...
    @property
    def counts(self) -> _Counts: ...
    @property
    def current(self) -> str | None: ...
    @property
    def stop_reason(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class RunView:
    """What the card shows of one bulk run, whether it came from events or from the store."""

    phase: Phase
    trigger: str
    total: int
    processed: int = 0
    updated: int = 0
    failed: int = 0
    partial: int = 0
    needs_review: int = 0
    current: str | None = None
    elapsed: float = 0.0
    remaining: float | None = None
    stop_reason: str | None = None
    ended_at: datetime | None = None
    owner: str | None = None
    """The `host:pid` running it when that is another process (the daemon, a CLI run)."""


_PHASES: dict[str, Phase] = {
    "running": "running",
    "finished": "finished",
    "cancelled": "cancelled",
    "stopped": "stopped",
    "abandoned": "stopped",
}


def this_process() -> str:
    """This process as a stored run names its owner (`host:pid`, as the store writes it)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def view_from_row(row: RunRow) -> RunView:
    """A stored bulk run (`bulk_status().current` or `.last`) as the card shows it."""
    c = row.counts
    end = row.finished_at if row.finished_at is not None else row.heartbeat_at
    elapsed = max(0.0, end - row.started_at)
    remaining = elapsed / c.processed * (c.total - c.processed) if c.processed else None
    reason = row.stop_reason
    if row.status == "abandoned" and not reason:
        reason = f"abandoned: its process ({row.owner}) stopped without finishing it"
    return RunView(
        phase=_PHASES.get(row.status, "stopped"),
        trigger=row.trigger,
        total=c.total,
        processed=c.processed,
        updated=c.updated,
        failed=c.failed,
        partial=c.partial,
        needs_review=c.needs_review,
        current=row.current,
        elapsed=elapsed,
        remaining=remaining if row.status == "running" else None,
        stop_reason=reason,
        ended_at=datetime.fromtimestamp(row.finished_at).astimezone()
        if row.finished_at is not None
        else None,
        owner=row.owner if row.status == "running" and row.owner != this_process() else None,
    )


def ended_phase(event: RunFinished) -> Phase:
    if event.stopped and (event.stop_reason or "").startswith("cancelled"):
        return "cancelled"
    return "stopped" if event.stopped else "finished"


def _counts(v: RunView) -> str:
    parts = [f"{v.processed:,} of {v.total:,} processed", f"{v.updated:,} updated"]
    extras = ((v.failed, "failed"), (v.partial, "partial"), (v.needs_review, "to review"))
    parts += [f"{n:,} {label}" for n, label in extras if n]
    parts.append(f"took {fmt.duration(v.elapsed)}")
    if v.ended_at is not None:
        parts.append(f"ended {when(v.ended_at)}")
    return " · ".join(parts)


def card_text(view: RunView | None) -> tuple[Content, Content]:
    """(the headline, the lines under it) of the card; the progress bar is drawn apart."""
    if view is None:
        return Content("No bulk run yet"), Content("")
    trigger = f"{view.trigger} run"
    if view.phase == "running":
        head = Content.assemble(("● Running", "bold $primary"), f" · {trigger}")
        if view.owner:
            head = head + Content(f" · in another process ({view.owner})")
        if view.processed >= view.total:
            left = "finishing…"  # the last titles' artwork, then the run's summary
        elif view.remaining is not None:
            left = f"about {fmt.duration(view.remaining)} left"
        else:
            left = "estimating…"
        body = Content.assemble(
            f"{view.processed:,} / {view.total:,} · now: {view.current or '…'}\n",
            f"elapsed {fmt.duration(view.elapsed)} · {left} · {view.updated:,} updated",
            (f" · {view.failed:,} failed", "$error") if view.failed else "",
        )
        return head, body
    if view.phase == "finished":
        head = Content.assemble(("✓ Last run finished", "bold $success"), f" · {trigger}")
        return head, Content(_counts(view))
    provider = stopping_provider(view.stop_reason)
    if view.phase == "cancelled":
        head = Content.assemble(("✕ Last run cancelled", "bold $warning"), f" · {trigger}")
    else:
        label = f"■ Stopped by {provider}" if provider else "■ Last run stopped"
        head = Content.assemble((label, "bold $warning"), f" · {trigger}")
    reason = Content.styled(view.stop_reason or "no reason given", "$warning")
    return head, Content.assemble(reason, "\n", _counts(view))
