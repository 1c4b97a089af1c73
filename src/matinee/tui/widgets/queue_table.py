"""The staleness queue as table rows: position, title, year, completeness, last enriched, and
why the title is queued.

The engine orders the queue (never enriched first, then oldest, then partial titles that are
otherwise fresh) but does not say why each title is there; `queue_reason` works it out from
the summary alone, as the engine's rule does: never enriched, enriched longer ago than
`cache.ttl_days`, or partial (a provider did not answer; which one, only the detail knows).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from operator import attrgetter
from typing import NamedTuple

from matinee.engine.reports import QueueItem
from matinee.model import EntitySummary, Ref
from matinee.tui import format as fmt
from matinee.tui.widgets.virtual_table import Column

__all__ = ["QUEUE_COLUMNS", "QueueRow", "queue_reason", "queue_rows"]


class QueueRow(NamedTuple):
    """One line of the queue table (the first item is the row key)."""

    ref: Ref
    position: int
    title: str
    year: int | None
    completeness: float
    last_enriched: datetime | None
    reason: str
    kind: str
    """"never", "stale", "partial", "review" or "queued": how the reason is coloured."""


def _age_days(then: datetime, now: datetime) -> int:
    # The store gives aware UTC times; a naive time is taken as local.
    if then.tzinfo is None:
        now = now.astimezone().replace(tzinfo=None) if now.tzinfo is not None else now
    elif now.tzinfo is None:
        now = now.astimezone()
    return max(0, int((now - then).total_seconds() // 86400))


def queue_reason(summary: EntitySummary, ttl_days: float, now: datetime) -> tuple[str, str]:
    """(why the title is queued, its kind), the reason that put it there first."""
    if summary.identification.status == "review":
        return "needs review", "review"
    if summary.last_enriched is None:
        return "never enriched", "never"
    days = _age_days(summary.last_enriched, now)
    if days >= ttl_days:
        return f"stale: enriched {days} days ago", "stale"
    if summary.partial:
        return "partial: provider missing", "partial"
    return f"queued: enriched {days} days ago", "queued"


def queue_rows(items: Iterable[QueueItem], ttl_days: float, now: datetime) -> list[QueueRow]:
    rows = []
    for item in items:
        s = item.summary
        reason, kind = queue_reason(s, ttl_days, now)
        rows.append(
            QueueRow(
                s.ref, item.position, s.title, s.year, s.completeness, s.last_enriched, reason, kind
            )
        )
    return rows


_REASON_STYLE = {"never": "bad", "stale": "warn", "partial": "warn", "review": "bad"}


def _reason_style(row: QueueRow) -> str | None:
    return _REASON_STYLE.get(row.kind)


QUEUE_COLUMNS: tuple[Column, ...] = (
    Column("position", "#", 3, "right", value=attrgetter("position")),
    Column("title", "Title", 0, value=attrgetter("title"), min_width=14),
    Column("year", "Year", 4, "right", value=attrgetter("year")),
    Column(
        "done",
        "Done",
        10,
        value=attrgetter("completeness"),
        text=fmt.completeness_badge,
        style=fmt.category_style,
    ),
    Column(
        "last_enriched",
        "Enriched",
        10,
        value=attrgetter("last_enriched"),
        text=fmt.last_enriched,
    ),
    Column(
        "why",
        "Why",
        28,
        value=lambda row: row,
        text=attrgetter("reason"),
        style=_reason_style,
    ),
)
