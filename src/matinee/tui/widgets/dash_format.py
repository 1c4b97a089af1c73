"""How the dashboard's read models read on screen: times, library counts, provider health.

Pure functions from engine report values (`LibraryStatus`, `ProviderHealth`) to text or
`Content`, so the wording is tested without a terminal. Colours are theme variables inside
`Content` styles (`$warning`, `$error`...), never colour names.
"""

from __future__ import annotations

from datetime import datetime

from textual.content import Content

from matinee.engine.reports import KindCounts, LibraryStatus, ProviderHealth

__all__ = ["count_lines", "health_line", "health_state", "local", "when", "when_short"]

# Engine times are timezone-aware (UTC from the store, local from the scheduler); a naive
# value is taken as local already. Either way it is shown in local time.


def local(value: datetime) -> datetime:
    return value.astimezone() if value.tzinfo is not None else value


def when(value: datetime | None) -> str:
    """`Mon 23 Nov 03:00` in local time, or "never"."""
    return f"{local(value):%a %d %b %H:%M}" if value is not None else "never"


def when_short(value: datetime | None) -> str:
    """`23 Nov 03:00` in local time (for narrow lines), or "?"."""
    return f"{local(value):%d %b %H:%M}" if value is not None else "?"


_COUNT_HEADER = ("", "Titles", "Enriched", "Partial", "Unenriched", "Review", "Average")
_COUNT_WIDTHS = (7, 7, 9, 8, 11, 7, 8)
_KIND_LABELS = {"movie": "Movies", "series": "Series"}


def _count_row(label: str, c: KindCounts) -> tuple[str, ...]:
    return (
        label,
        f"{c.total:,}",
        f"{c.enriched:,}",
        f"{c.partially_enriched:,}",
        f"{c.unenriched:,}",
        f"{c.needs_review:,}",
        f"{c.average_completeness:.0f}%",
    )


def count_lines(status: LibraryStatus) -> Content:
    """A small table: titles, enriched, partial, unenriched, review and average per kind."""
    rows = [
        _count_row(_KIND_LABELS.get(kind, kind.title()), c) for kind, c in status.by_type.items()
    ]
    rows.append(_count_row("All", status.overall))
    parts: list[Content | tuple[str, str] | str] = []
    for n, row in enumerate([_COUNT_HEADER, *rows]):
        cells = [
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, _COUNT_WIDTHS, strict=True))
        ]
        line = " ".join(cells)
        if n:
            parts.append("\n")
        parts.append((line, "bold") if n == 0 or row[0] == "All" else line)
    return Content.assemble(*parts)


def health_state(h: ProviderHealth) -> tuple[str, str]:
    """(text, style) of one provider's health, the most pressing problem first."""
    if not h.enabled:
        return "disabled", "$text-muted"
    if not h.configured:
        return "not configured (no API key)", "$text-muted"
    if h.offline:
        return "offline mode", "$text-muted"
    if h.exhausted:
        quota = f"{h.quota:,}" if h.quota is not None else "?"
        return (
            f"quota used {h.requests_today:,} of {quota}, resets {when_short(h.reset_at)}",
            "$warning",
        )
    if h.rate_limited:
        return f"rate limited until {when_short(h.reset_at)}", "$warning"
    if not h.healthy and h.last_error:
        return f"failing: {h.last_error}", "$error"
    if not h.healthy:
        return "failing", "$error"
    used = f"{h.requests_today:,} of {h.quota:,}" if h.quota else f"{h.requests_today:,}"
    return f"ok · {used} requests today", "$success"


def health_line(h: ProviderHealth) -> Content:
    """`TMDB  ok · 120 requests today`: the name, then its state in its colour."""
    text, style = health_state(h)
    return Content.assemble((h.name, "bold"), " ", (text, style))
