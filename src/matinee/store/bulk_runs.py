"""Bulk runs as units of work: claim (one at a time across processes), heartbeat, finish.

A bulk run holds a `running` row whose heartbeat its process refreshes every few seconds. A
second process that wants to start one reads that row under `BEGIN IMMEDIATE`: a fresh
heartbeat means "busy"; a heartbeat older than `stale_after`, or an owner process on this host
that no longer exists (killed with `kill -9`), means the run was abandoned and may be taken
over. Cancelling from another process sets `cancel_requested`, which the owner sees at its
next heartbeat.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

from peewee import SqliteDatabase

__all__ = [
    "BulkCounts",
    "BulkRunRow",
    "Claim",
    "claim",
    "finish",
    "heartbeat",
    "latest",
    "owner_id",
    "request_cancel",
]

_COLUMNS = (
    "id, trigger, complete_or_skip, status, owner, started_at, heartbeat_at, finished_at, total, "
    "processed, updated, skipped, failed, partial, needs_review, current, stop_reason, "
    "cancel_requested"
)


@dataclass(frozen=True, slots=True)
class BulkCounts:
    total: int = 0
    processed: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    partial: int = 0
    needs_review: int = 0


@dataclass(frozen=True, slots=True)
class BulkRunRow:
    id: int
    trigger: str
    complete_or_skip: bool
    status: str  # running, finished, stopped, cancelled, abandoned
    owner: str
    started_at: float
    heartbeat_at: float
    finished_at: float | None
    counts: BulkCounts
    current: str | None
    stop_reason: str | None
    cancel_requested: bool


@dataclass(frozen=True, slots=True)
class Claim:
    """`run_id` when this process now holds the bulk run; else `holder` is the one running."""

    run_id: int | None
    holder: BulkRunRow | None = None
    taken_over: BulkRunRow | None = None


def owner_id() -> str:
    """`host:pid` of this process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _alive(owner: str) -> bool:
    """Whether the owner process still exists (only knowable on this host)."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _row(values: tuple[object, ...]) -> BulkRunRow:
    (rid, trigger, cos, status, owner, started, beat, finished, *counts) = values[:15]
    current, reason, cancel = values[15:18]
    return BulkRunRow(
        id=int(rid),  # type: ignore[call-overload]
        trigger=str(trigger),
        complete_or_skip=bool(cos),
        status=str(status),
        owner=str(owner),
        started_at=float(started),  # type: ignore[arg-type]
        heartbeat_at=float(beat),  # type: ignore[arg-type]
        finished_at=None if finished is None else float(finished),  # type: ignore[arg-type]
        counts=BulkCounts(*(int(c) for c in counts)),  # type: ignore[call-overload]
        current=None if current is None else str(current),
        stop_reason=None if reason is None else str(reason),
        cancel_requested=bool(cancel),
    )


def _running(db: SqliteDatabase) -> BulkRunRow | None:
    found = db.execute_sql(
        f"SELECT {_COLUMNS} FROM bulk_runs WHERE status = 'running' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return None if found is None else _row(found)


def claim(
    db: SqliteDatabase,
    trigger: str,
    complete_or_skip: bool,
    total: int,
    owner: str,
    now: float,
    stale_after: float,
) -> Claim:
    """Start a bulk run unless another live one holds the claim."""
    with db.atomic("IMMEDIATE"):
        holder = _running(db)
        taken: BulkRunRow | None = None
        if holder is not None:
            if now - holder.heartbeat_at < stale_after and _alive(holder.owner):
                return Claim(None, holder)
            reason = "abandoned: its process stopped without finishing"
            db.execute_sql(
                "UPDATE bulk_runs SET status = 'abandoned', finished_at = ?, stop_reason = ? "
                "WHERE id = ?",
                (now, reason, holder.id),
            )
            taken = holder
        cursor = db.execute_sql(
            "INSERT INTO bulk_runs (trigger, complete_or_skip, status, owner, started_at, "
            "heartbeat_at, total) VALUES (?, ?, 'running', ?, ?, ?, ?)",
            (trigger, int(complete_or_skip), owner, now, now, total),
        )
        return Claim(int(cursor.lastrowid), None, taken)


def heartbeat(
    db: SqliteDatabase, run_id: int, counts: BulkCounts, current: str | None, now: float
) -> bool:
    """Store progress and refresh the heartbeat; True when a cancel was requested."""
    with db.atomic("IMMEDIATE"):
        db.execute_sql(
            "UPDATE bulk_runs SET heartbeat_at = ?, total = ?, processed = ?, updated = ?, "
            "skipped = ?, failed = ?, partial = ?, needs_review = ?, current = ? WHERE id = ?",
            (now, counts.total, counts.processed, counts.updated, counts.skipped, counts.failed,
             counts.partial, counts.needs_review, current, run_id),
        )  # fmt: skip
        found = db.execute_sql(
            "SELECT cancel_requested FROM bulk_runs WHERE id = ?", (run_id,)
        ).fetchone()
    return bool(found and found[0])


def finish(
    db: SqliteDatabase,
    run_id: int,
    status: str,
    counts: BulkCounts,
    stop_reason: str | None,
    now: float,
) -> None:
    with db.atomic("IMMEDIATE"):
        db.execute_sql(
            "UPDATE bulk_runs SET status = ?, finished_at = ?, heartbeat_at = ?, total = ?, "
            "processed = ?, updated = ?, skipped = ?, failed = ?, partial = ?, needs_review = ?, "
            "current = NULL, stop_reason = ? WHERE id = ?",
            (status, now, now, counts.total, counts.processed, counts.updated, counts.skipped,
             counts.failed, counts.partial, counts.needs_review, stop_reason, run_id),
        )  # fmt: skip


def request_cancel(db: SqliteDatabase) -> BulkRunRow | None:
    """Ask the running bulk run (in whatever process) to stop; the run asked, or None."""
    with db.atomic("IMMEDIATE"):
        holder = _running(db)
        if holder is not None:
            db.execute_sql("UPDATE bulk_runs SET cancel_requested = 1 WHERE id = ?", (holder.id,))
    return holder


def latest(db: SqliteDatabase) -> tuple[BulkRunRow | None, BulkRunRow | None]:
    """(the running run, the last run that ended)."""
    ended = db.execute_sql(
        f"SELECT {_COLUMNS} FROM bulk_runs WHERE status != 'running' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return _running(db), None if ended is None else _row(ended)
