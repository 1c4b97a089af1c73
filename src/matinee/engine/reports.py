"""The results of engine verbs, shaped for the CLI's JSON contract and the TUI alike.

Each report knows how to turn itself into the documented camelCase JSON (`as_json`), so the
CLI's `--json` output has exactly one definition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from matinee.model import Candidate, EntityDetail, EntitySummary, Ref
from matinee.store.bulk_runs import BulkRunRow

__all__ = [
    "BulkStatus",
    "EnrichReport",
    "KindCounts",
    "LibraryStatus",
    "ProviderCheck",
    "ProviderHealth",
    "QueueItem",
    "ReviewItem",
    "ScanReport",
    "detail_json",
    "iso",
    "summary_json",
]


def iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


@dataclass(frozen=True, slots=True)
class ScanReport:
    roots: tuple[str, ...]
    seen: int
    new: int
    changed: int
    unchanged: int
    missing: int
    errors: tuple[tuple[str, str], ...]
    movies: int
    series: int
    episodes: int
    duration: float

    def as_json(self) -> dict[str, Any]:
        return {
            "roots": list(self.roots),
            "files": {
                "seen": self.seen,
                "new": self.new,
                "changed": self.changed,
                "unchanged": self.unchanged,
                "missing": self.missing,
                "errors": len(self.errors),
            },
            "entities": {"movies": self.movies, "series": self.series, "episodes": self.episodes},
            "errors": [{"path": p, "error": e} for p, e in self.errors],
            "durationSeconds": round(self.duration, 3),
        }


@dataclass(slots=True)
class EnrichReport:
    processed: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    needs_review: int = 0
    partial: int = 0
    stopped: bool = False
    stop_reason: str | None = None
    rate_limited_providers: list[str] = field(default_factory=list)
    failed_providers: dict[str, str] = field(default_factory=dict)
    provider_requests: dict[str, int] = field(default_factory=dict)
    duration: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "processed": self.processed,
            "updated": self.updated,
            "skipped": self.skipped,
            "failed": self.failed,
            "needsReview": self.needs_review,
            "partial": self.partial,
            "stopped": self.stopped,
            "stopReason": self.stop_reason,
            "rateLimitedProviders": sorted(self.rate_limited_providers),
            "failedProviders": dict(sorted(self.failed_providers.items())),
            "providerRequests": dict(sorted(self.provider_requests.items())),
            "durationSeconds": round(self.duration, 3),
        }


@dataclass(frozen=True, slots=True)
class KindCounts:
    total: int = 0
    enriched: int = 0
    partially_enriched: int = 0
    unenriched: int = 0
    needs_review: int = 0
    average_completeness: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "enriched": self.enriched,
            "partiallyEnriched": self.partially_enriched,
            "unenriched": self.unenriched,
            "needsReview": self.needs_review,
            "averageCompleteness": round(self.average_completeness, 1),
        }


@dataclass(frozen=True, slots=True)
class LibraryStatus:
    overall: KindCounts
    by_type: dict[str, KindCounts]
    top_incomplete: tuple[EntityDetail, ...]

    def as_json(self) -> dict[str, Any]:
        out = self.overall.as_json()
        out["byType"] = {k: v.as_json() for k, v in self.by_type.items()}
        out["topIncomplete"] = [
            {
                "ref": str(d.ref),
                "id": d.ref.id,
                "title": d.summary.title,
                "year": d.summary.year,
                "completeness": round(d.summary.completeness, 1),
                "missingFields": [m.field for m in d.missing],
            }
            for d in self.top_incomplete
        ]
        return out


@dataclass(frozen=True, slots=True)
class QueueItem:
    summary: EntitySummary
    position: int

    def as_json(self) -> dict[str, Any]:
        s = self.summary
        return {
            "ref": str(s.ref),
            "title": s.title,
            "year": s.year,
            "lastEnriched": iso(s.last_enriched),
            "completeness": round(s.completeness, 1),
            "position": self.position,
        }


@dataclass(frozen=True, slots=True)
class ReviewItem:
    ref: Ref
    title: str
    year: int | None
    candidates: tuple[Candidate, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "ref": str(self.ref),
            "title": self.title,
            "year": self.year,
            "candidates": [c.as_dict() for c in self.candidates],
        }


def summary_json(s: EntitySummary) -> dict[str, Any]:
    """One item of `matinee list --json`."""
    return {
        "ref": str(s.ref),
        "type": s.ref.kind.value,
        "title": s.title,
        "year": s.year,
        "ids": s.ids.as_dict(),
        "identification": s.identification.as_dict(),
        "completeness": round(s.completeness, 1),
        "category": s.category,
        "lastEnriched": iso(s.last_enriched),
        "partial": s.partial,
        "onDisk": s.on_disk,
        "files": list(s.files),
    }


def detail_json(d: EntityDetail) -> dict[str, Any]:
    """`matinee show --json`."""
    s = d.summary
    return {
        "ref": str(s.ref),
        "type": s.ref.kind.value,
        "id": s.ref.id,
        "title": s.title,
        "year": s.year,
        "ids": s.ids.as_dict(),
        "identification": s.identification.as_dict(),
        "fields": dict(d.fields),
        "fieldSources": dict(d.field_sources),
        "locks": sorted(d.locks),
        "completeness": round(s.completeness, 1),
        "category": s.category,
        "missingFields": [m.as_dict() for m in d.missing],
        "lastEnriched": iso(s.last_enriched),
        "enrichmentDuration": d.enrichment_duration,
        "partial": s.partial,
        "rateLimitedProviders": list(d.rate_limited_providers),
        "failedProviders": list(d.failed_providers),
        "answeredProviders": list(d.answered_providers),
        "files": [f.as_dict() for f in d.files],
        "episodes": [
            {
                "ref": str(c.ref),
                "season": c.season_number,
                "episode": c.episode_number,
                "title": c.title,
                "onDisk": c.on_disk,
                "completeness": round(c.completeness, 1),
            }
            for c in d.children
        ],
    }


@dataclass(frozen=True, slots=True)
class ProviderHealth:
    """One provider's health for `matinee providers` and the TUI (keys only masked)."""

    id: str
    name: str
    enabled: bool
    configured: bool
    healthy: bool
    rate_limited: bool
    exhausted: bool
    reset_at: datetime | None
    requests_today: int
    quota: int | None
    last_request_at: datetime | None
    last_status: int | None
    last_error: str | None
    api_key: str
    key_help: str
    offline: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "enabled": self.enabled,
            "configured": self.configured,
            "healthy": self.healthy,
            "rateLimited": self.rate_limited,
            "exhausted": self.exhausted,
            "resetAt": iso(self.reset_at),
            "requestsToday": self.requests_today,
            "quota": self.quota,
            "lastRequestAt": iso(self.last_request_at),
            "lastStatus": self.last_status,
            "lastError": self.last_error,
            "apiKey": self.api_key,
        }


@dataclass(frozen=True, slots=True)
class ProviderCheck:
    """The result of `matinee providers test NAME`: one cheap request with the key."""

    id: str
    ok: bool
    message: str
    status: int | None = None
    duration: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "ok": self.ok,
            "message": self.message,
            "status": self.status,
            "durationSeconds": round(self.duration, 3),
        }


def _stamp(value: float | None) -> str | None:
    from datetime import UTC

    return iso(datetime.fromtimestamp(value, UTC)) if value is not None else None


def bulk_run_json(run: BulkRunRow | None) -> dict[str, Any] | None:
    if run is None:
        return None
    c = run.counts
    end = run.finished_at if run.finished_at is not None else run.heartbeat_at
    elapsed = end - run.started_at
    remaining = elapsed / c.processed * (c.total - c.processed) if c.processed else None
    return {
        "id": run.id,
        "trigger": run.trigger,
        "completeOrSkip": run.complete_or_skip,
        "status": run.status,
        "owner": run.owner,
        "startedAt": _stamp(run.started_at),
        "heartbeatAt": _stamp(run.heartbeat_at),
        "finishedAt": _stamp(run.finished_at),
        "total": c.total,
        "processed": c.processed,
        "updated": c.updated,
        "skipped": c.skipped,
        "failed": c.failed,
        "partial": c.partial,
        "needsReview": c.needs_review,
        "current": run.current,
        "elapsedSeconds": round(elapsed, 1),
        "remainingSeconds": round(remaining, 1) if run.status == "running" and remaining else None,
        "stopReason": run.stop_reason,
    }


@dataclass(frozen=True, slots=True)
class BulkStatus:
    """`matinee bulk status`: the running bulk run, the last one, the next scheduled one."""

    current: BulkRunRow | None
    last: BulkRunRow | None
    next_scheduled: datetime | None

    def as_json(self) -> dict[str, Any]:
        return {
            "current": bulk_run_json(self.current),
            "last": bulk_run_json(self.last),
            "nextScheduledRun": iso(self.next_scheduled),
        }
