"""What the engine tells its subscribers: frozen dataclasses with past-tense names.

The TUI and headless mode are two subscribers of the same bus; neither is known here. Events
carry plain values (refs, counts, names), never rows or widgets, so they are cheap to queue
and safe to hand to another thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from matinee.model import Ref

__all__ = [
    "EnrichmentFailed",
    "EnrichmentFinished",
    "EnrichmentStarted",
    "EntityChanged",
    "Event",
    "FileProblemFound",
    "MatchNeedsReview",
    "ProviderAnswered",
    "ProviderFailed",
    "ProviderRateLimited",
    "RunFinished",
    "RunProgressed",
    "RunStarted",
    "ScanFinished",
    "ScanProgressed",
    "ScanStarted",
]


@dataclass(frozen=True, slots=True)
class Event:
    """Base of every engine event."""


@dataclass(frozen=True, slots=True)
class ScanStarted(Event):
    roots: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ScanProgressed(Event):
    """Coalescable: a subscriber may keep only the latest."""

    seen: int
    current: str


@dataclass(frozen=True, slots=True)
class FileProblemFound(Event):
    path: str
    error: str


@dataclass(frozen=True, slots=True)
class ScanFinished(Event):
    seen: int
    new: int
    changed: int
    missing: int
    errors: int
    duration: float


@dataclass(frozen=True, slots=True)
class RunStarted(Event):
    """An enrichment run (one or many entities) began."""

    total: int
    trigger: str


@dataclass(frozen=True, slots=True)
class RunProgressed(Event):
    """Coalescable progress of an enrichment run."""

    processed: int
    total: int
    current: str
    elapsed: float
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    remaining: float | None = None
    """Estimated seconds left (None until one title is done)."""


@dataclass(frozen=True, slots=True)
class RunFinished(Event):
    processed: int
    updated: int
    skipped: int
    failed: int
    needs_review: int
    partial: int
    stopped: bool
    stop_reason: str | None
    duration: float


@dataclass(frozen=True, slots=True)
class EnrichmentStarted(Event):
    ref: Ref
    title: str


@dataclass(frozen=True, slots=True)
class EnrichmentFinished(Event):
    ref: Ref
    title: str
    changed_fields: tuple[str, ...]
    completeness: float
    partial: bool
    failed_providers: tuple[str, ...] = ()
    rate_limited_providers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EnrichmentFailed(Event):
    ref: Ref
    title: str
    error: str


@dataclass(frozen=True, slots=True)
class MatchNeedsReview(Event):
    ref: Ref
    title: str
    best_score: float | None


@dataclass(frozen=True, slots=True)
class EntityChanged(Event):
    """A user action (lock, unlock, set, identify) changed an entity."""

    ref: Ref
    fields: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class ProviderRateLimited(Event):
    provider: str
    retry_after: float | None


@dataclass(frozen=True, slots=True)
class ProviderFailed(Event):
    provider: str
    error: str


@dataclass(frozen=True, slots=True)
class ProviderAnswered(Event):
    """One provider's answer for one title during its enrichment (live progress per provider).

    outcome: "ok", "not_found", "failed", "rate_limited" or "skipped" (no id to ask with).
    """

    ref: Ref
    provider: str
    outcome: str
    detail: str = ""
