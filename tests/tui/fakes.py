"""A FakeEngine implementing `EngineAPI` in memory, for TUI tests and the scroll benchmark.

It generates deterministic summaries and details, records every verb call, and publishes the
events a real engine would (EntityChanged on lock/unlock, EnrichmentFinished on enrich) on a
real `EventBus`, so the bridge is exercised unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from matinee.config import Settings
from matinee.engine.bus import EventBus
from matinee.engine.events import EnrichmentFinished, EntityChanged
from matinee.engine.reports import (
    EnrichReport,
    KindCounts,
    LibraryStatus,
    QueueItem,
    ReviewItem,
    ScanReport,
)
from matinee.model import (
    EntityDetail,
    EntityKind,
    EntitySummary,
    FileInfo,
    Identification,
    Ids,
    MissingField,
    Ref,
    Tier,
    category_for,
    fields_for,
    is_empty,
)

WORDS = ("Red", "Silent", "Night", "River", "Iron", "Glass", "Winter", "Harbor", "Echo", "Lost")
STATUSES = ("identified", "identified", "identified", "review", "unidentified", "manual")


def _title(i: int) -> str:
    return f"{WORDS[i % 10]} {WORDS[(i // 10) % 10]} {i:06d}"


def make_summary(kind: EntityKind, i: int) -> EntitySummary:
    completeness = float((i * 37) % 101)
    return EntitySummary(
        ref=Ref(kind, i + 1),
        title=_title(i),
        year=1950 + i % 75,
        ids=Ids(tmdb=1000 + i, imdb=f"tt{1000000 + i}"),
        identification=Identification(STATUSES[i % len(STATUSES)], 0.9, Tier.STRONG),
        completeness=completeness,
        category=category_for(completeness),
        last_enriched=None if i % 4 == 0 else datetime(2024, 1, 1 + i % 28),
        partial=i % 7 == 0,
        files=(f"/media/{kind.value}/{_title(i)}.mkv",),
    )


class FakeEngine:
    """In-memory `EngineAPI`: `calls` records (verb, args, kwargs) in order."""

    def __init__(self, movies: int = 1000, series: int = 20) -> None:
        self.bus = EventBus()
        self.settings = Settings()
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
        self.summaries: dict[Ref, EntitySummary] = {}
        for kind, count in ((EntityKind.MOVIE, movies), (EntityKind.SERIES, series)):
            for i in range(count):
                s = make_summary(kind, i)
                self.summaries[s.ref] = s
        self.locks: dict[Ref, set[str]] = {}
        self.started = False

    def _record(self, verb: str, *args: Any, **kwargs: Any) -> None:
        self.calls.append((verb, args, kwargs))

    def calls_of(self, verb: str) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
        return [(a, k) for v, a, k in self.calls if v == verb]

    async def start(self) -> None:
        self.started = True

    def next_scheduled_run(self) -> datetime | None:
        return datetime(2026, 11, 23, 3, 0)

    async def stop(self) -> None:
        self.started = False

    async def scan(self, paths: Sequence[str] = ()) -> ScanReport:
        self._record("scan", tuple(paths))
        return ScanReport(tuple(paths), 0, 0, 0, 0, 0, (), 0, 0, 0, 0.0)

    async def enrich(
        self,
        refs: Sequence[Ref] = (),
        *,
        all: bool = False,
        limit: int | None = None,
        force: bool = False,
        trigger: str = "manual",
    ) -> EnrichReport:
        self._record("enrich", list(refs), all=all, limit=limit, force=force, trigger=trigger)
        for ref in refs:
            s = self.summaries[ref]
            self.summaries[ref] = replace(
                s, completeness=100.0, category=category_for(100.0), last_enriched=datetime.now()
            )
            self.bus.publish(EnrichmentFinished(ref, s.title, ("plot",), 100.0, False))
        return EnrichReport(processed=len(refs), updated=len(refs))

    async def status(self) -> LibraryStatus:
        return LibraryStatus(KindCounts(), {}, ())

    async def list_entities(self, kind: EntityKind | None = None) -> list[EntitySummary]:
        self._record("list_entities", kind)
        return [s for s in self.summaries.values() if kind is None or s.ref.kind == kind]

    async def show(self, ref: Ref) -> EntityDetail:
        self._record("show", ref)
        s = self.summaries[ref]
        fields: dict[str, Any] = {
            "title": s.title,
            "year": s.year,
            "plot": "A long plot. " * 40,
            "genres": ["Drama", "Thriller"],
            "cast": [
                {"name": "Ada Lovelace", "character": "Countess"},
                {"name": "Alan Turing", "character": "Himself"},
            ],
            "tmdb_id": s.ids.tmdb,
            "imdb_id": s.ids.imdb,
            "imdb_rating": 7.5,
        }
        specs = fields_for(ref.kind)
        missing = tuple(
            MissingField(f.name, f.display_name, f.category.value)
            for f in specs
            if is_empty(fields.get(f.name))
        )
        return EntityDetail(
            summary=s,
            fields=fields,
            field_sources={"title": "tmdb", "plot": "tmdb", "imdb_rating": "omdb", "cast": "tmdb"},
            field_fetched={},
            locks=frozenset(self.locks.get(ref, set())),
            missing=missing,
            enrichment_duration=1.2,
            rate_limited_providers=("omdb",) if s.partial else (),
            failed_providers=(),
            files=(FileInfo(1, s.files[0], 1_500_000_000, 0.0, False, 6000.0, 1920, 1080, "h264"),),
        )

    async def queue(self, limit: int = 100) -> list[QueueItem]:
        return []

    async def review(self) -> list[ReviewItem]:
        return []

    async def identify(
        self,
        ref: Ref,
        *,
        tmdb: int | None = None,
        imdb: str | None = None,
        candidate: int | None = None,
    ) -> EntityDetail:
        return await self.show(ref)

    async def lock(self, ref: Ref, fields: Sequence[str]) -> None:
        self._record("lock", ref, list(fields))
        self.locks.setdefault(ref, set()).update(fields)
        self.bus.publish(EntityChanged(ref, tuple(fields)))

    async def unlock(self, ref: Ref, fields: Sequence[str]) -> None:
        self._record("unlock", ref, list(fields))
        self.locks.setdefault(ref, set()).difference_update(fields)
        self.bus.publish(EntityChanged(ref, tuple(fields)))

    async def set_field(self, ref: Ref, field: str, value: Any) -> None:
        self._record("set_field", ref, field, value)
