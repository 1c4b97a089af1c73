"""How provider health reads on the Providers screen: rows, status words, the details panel.

Pure functions over `ProviderHealth` (what `engine.provider_health()` returns) and the priority
order from the settings, kept apart from the screen so they are tested without a terminal.
Times from the engine are UTC; they are shown in local time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from matinee.engine.reports import ProviderHealth

__all__ = [
    "ProviderRow",
    "details_text",
    "display_order",
    "moved_priority",
    "provider_rows",
    "rank_text",
    "status_of",
    "usage_text",
    "when_text",
]


class ProviderRow(NamedTuple):
    """One line of the providers table (the first item is the row key)."""

    id: str
    rank: int | None
    name: str
    enabled: bool
    status: str
    tone: str | None
    usage: str
    error: str
    key: str


def when_text(when: datetime, now: datetime | None = None) -> str:
    """`14:05` today, `Mon 23 Nov 00:00` another day (local time)."""
    local = when.astimezone() if when.tzinfo else when
    today = (now or datetime.now()).astimezone().date()
    if local.date() == today:
        return f"{local:%H:%M}"
    return f"{local:%a %d %b %H:%M}"


def status_of(h: ProviderHealth, now: datetime | None = None) -> tuple[str, str | None]:
    """The status words and their tone (`good`, `warn`, `bad`, `dim` or None)."""
    reset = f" {when_text(h.reset_at, now)}" if h.reset_at else ""
    if not h.configured:
        return "not configured", "warn"
    if h.exhausted:
        return f"quota exhausted, resets{reset}" if reset else "quota exhausted", "warn"
    if h.rate_limited:
        return f"rate limited until{reset}" if reset else "rate limited", "warn"
    if not h.enabled:
        return "disabled", "dim"
    if h.offline:
        return "offline (cache only)", "dim"
    if not h.healthy:
        return "failing", "bad"
    return "ok", "good"


def usage_text(h: ProviderHealth) -> str:
    if h.quota:
        return f"{h.requests_today:,} / {h.quota:,} today"
    return f"{h.requests_today:,} today"


def display_order(ids: Sequence[str], priority: Sequence[str]) -> list[str]:
    """The providers in priority order, then those the order leaves out."""
    listed = [p for p in priority if p in ids]
    return listed + [i for i in ids if i not in listed]


def moved_priority(priority: Sequence[str], provider: str, step: int) -> tuple[str, ...] | None:
    """The priority order with `provider` moved `step` places (-1 up, +1 down), or None.

    A provider left out of the order joins it at its end when moved up; None means it cannot
    move that way (already first, already last, or left out and moved down).
    """
    order = list(priority)
    if provider not in order:
        return (*order, provider) if step < 0 else None
    i = order.index(provider)
    j = i + step
    if not 0 <= j < len(order):
        return None
    order[i], order[j] = order[j], order[i]
    return tuple(order)


def provider_rows(
    health: Sequence[ProviderHealth], priority: Sequence[str], now: datetime | None = None
) -> list[ProviderRow]:
    """One row per provider, in display order."""
    by_id = {h.id: h for h in health}
    rows = []
    for pid in display_order(list(by_id), priority):
        h = by_id[pid]
        status, tone = status_of(h, now)
        rank = priority.index(pid) + 1 if pid in priority else None
        rows.append(
            ProviderRow(
                pid, rank, h.name, h.enabled, status, tone, usage_text(h),
                h.last_error or "", h.api_key or "none",
            )
        )  # fmt: skip
    return rows


def rank_text(rank: int | None) -> str:
    return str(rank) if rank is not None else "–"


def details_text(h: ProviderHealth, priority: Sequence[str], now: datetime | None = None) -> str:
    """The details panel for one provider: everything the table truncates."""
    if h.id in priority:
        place = f"number {priority.index(h.id) + 1} in the priority order"
    else:
        place = "not in the priority order (used only for fields that name it)"
    lines = [f"{h.name} ({h.id}) · {'enabled' if h.enabled else 'disabled'} · {place}"]
    lines.append(f"Status: {status_of(h, now)[0]}")
    usage = f"Usage: {usage_text(h)}"
    if h.last_request_at:
        usage += f" · last request {when_text(h.last_request_at, now)}"
        if h.last_status is not None:
            usage += f" (HTTP {h.last_status})"
    lines.append(usage)
    if h.configured:
        lines.append(f"Key: {h.api_key or 'set'}")
    else:
        lines.append(
            f"Key: none ({h.key_help}). Put it in api_key under [providers.{h.id}] "
            f"(Settings, key 5) or set MATINEE_{h.id.upper()}_API_KEY."
        )
    if h.last_error:
        lines.append(f"Last error: {h.last_error}")
    return "\n".join(lines)
