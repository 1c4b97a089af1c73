"""Provider quotas, health and the response cache, as units of work on the database thread.

A daily quota must hold across restarts and across processes sharing one database, so a
request is counted by `reserve`, which reads and increments the day's count inside one
`BEGIN IMMEDIATE` transaction: SQLite's write lock makes check-and-count atomic between
processes. Days are UTC days; a count from an earlier day is reset on first use.
"""

from __future__ import annotations

import json
import time
import zlib
from dataclasses import dataclass
from typing import Any

from peewee import SqliteDatabase

from matinee.store.schema import ProviderCache, ProviderState

__all__ = [
    "Reservation",
    "UsageRow",
    "cache_get",
    "cache_put",
    "mark_exhausted",
    "next_utc_midnight",
    "record",
    "reserve",
    "usage",
    "utc_day",
]


@dataclass(frozen=True, slots=True)
class Reservation:
    """The answer to `reserve`: allowed, or refused until `reset_at` (Unix time)."""

    allowed: bool
    requests_today: int
    reset_at: float | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class UsageRow:
    """One provider's stored usage and health (for `matinee providers`)."""

    provider: str
    requests_today: int
    exhausted_until: float | None
    rate_limited_until: float | None
    last_request_at: float | None
    last_status: int | None
    last_error: str | None
    last_error_at: float | None


def utc_day(now: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(now))


def next_utc_midnight(now: float) -> float:
    return (int(now) // 86400 + 1) * 86400.0


def _row(provider: str, now: float) -> ProviderState:
    """The provider's row, created or rolled over to today (call inside a transaction)."""
    day = utc_day(now)
    row: ProviderState | None = ProviderState.get_or_none(ProviderState.provider == provider)
    if row is None:
        row = ProviderState.create(provider=provider, day=day, requests_today=0)
    elif row.day != day:
        row.day, row.requests_today = day, 0
        if row.exhausted_until is not None and row.exhausted_until <= now:
            row.exhausted_until = None
    return row


def reserve(db: SqliteDatabase, provider: str, limit: int | None, now: float) -> Reservation:
    """Count one request if the provider is not exhausted and `limit` is not reached."""
    with db.atomic("IMMEDIATE"):
        row = _row(provider, now)
        reset = next_utc_midnight(now)
        if row.exhausted_until is not None and row.exhausted_until > now:
            row.save()
            return Reservation(False, row.requests_today, row.exhausted_until, "quota spent")
        if limit is not None and row.requests_today >= limit:
            row.save()
            reason = f"{row.requests_today} of {limit} requests used today"
            return Reservation(False, row.requests_today, reset, reason)
        row.requests_today += 1
        row.last_request_at = now
        row.save()
        return Reservation(True, row.requests_today)


def record(
    db: SqliteDatabase,
    provider: str,
    status: int | None,
    error: str | None,
    rate_limited_until: float | None,
    now: float,
) -> None:
    """Remember the last answer; an error also stamps when it happened."""
    with db.atomic("IMMEDIATE"):
        row = _row(provider, now)
        row.last_status = status
        row.last_error = error
        if error is not None:
            row.last_error_at = now
        if rate_limited_until is not None:
            row.rate_limited_until = rate_limited_until
        elif error is None:
            row.rate_limited_until = None
        row.save()


def mark_exhausted(
    db: SqliteDatabase, provider: str, until: float | None, message: str, now: float
) -> float:
    """The provider said its quota is spent: refuse until `until` (next UTC midnight if None)."""
    until = until if until is not None and until > now else next_utc_midnight(now)
    with db.atomic("IMMEDIATE"):
        row = _row(provider, now)
        row.exhausted_until = until
        row.last_error, row.last_error_at = message, now
        row.save()
    return until


def usage(db: SqliteDatabase, now: float) -> dict[str, UsageRow]:
    """Every provider's usage; a count from an earlier day reads as 0."""
    today = utc_day(now)
    out: dict[str, UsageRow] = {}
    for row in ProviderState.select():
        current = row.day == today
        exhausted = row.exhausted_until if (row.exhausted_until or 0) > now else None
        limited = row.rate_limited_until if (row.rate_limited_until or 0) > now else None
        out[row.provider] = UsageRow(
            provider=row.provider,
            requests_today=row.requests_today if current else 0,
            exhausted_until=exhausted,
            rate_limited_until=limited,
            last_request_at=row.last_request_at,
            last_status=row.last_status,
            last_error=row.last_error,
            last_error_at=row.last_error_at,
        )
    return out


def cache_get(db: SqliteDatabase, provider: str, key: str) -> tuple[int, Any, float] | None:
    """(status, parsed body, fetched_at) for a cached answer, or None (also for a corrupt one)."""
    row = (
        ProviderCache.select(ProviderCache.status, ProviderCache.body, ProviderCache.fetched_at)
        .where((ProviderCache.provider == provider) & (ProviderCache.key == key))
        .first()
    )
    if row is None:
        return None
    body: Any = None
    if row.body is not None:
        try:
            body = json.loads(zlib.decompress(bytes(row.body)))
        except (zlib.error, ValueError):
            return None
    return int(row.status), body, float(row.fetched_at)


def cache_put(
    db: SqliteDatabase, provider: str, key: str, status: int, body: Any, now: float
) -> None:
    data = None if body is None else zlib.compress(json.dumps(body).encode("utf-8"), 6)
    ProviderCache.insert(
        provider=provider, key=key, fetched_at=now, status=status, body=data
    ).on_conflict(
        conflict_target=[ProviderCache.provider, ProviderCache.key],
        preserve=[ProviderCache.fetched_at, ProviderCache.status, ProviderCache.body],
    ).execute()
