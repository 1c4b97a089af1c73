"""A FakeEngine implementing `EngineAPI` in memory, for TUI tests and the scroll benchmark.

It generates deterministic summaries and details, records every verb call, and publishes the
events a real engine would (EntityChanged on lock/unlock, EnrichmentFinished on enrich) on a
real `EventBus`, so the bridge is exercised unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from matinee.assets.model import AssetCandidate
from matinee.config import Settings
from matinee.engine.assets import AssetReport
from matinee.engine.bus import EventBus
from matinee.engine.events import EnrichmentFinished, EntityChanged
from matinee.engine.reports import (
    BulkStatus,
    EnrichReport,
    KindCounts,
    LibraryStatus,
    ProviderCheck,
    ProviderHealth,
    QueueItem,
    ReviewItem,
    ScanReport,
)
from matinee.engine.views import FieldChange, HistoryEntry, LibraryFacets
from matinee.model import (
    Candidate,
    EntityDetail,
    EntityKind,
    EntitySummary,
    FileInfo,
    Identification,
    Ids,
    MatchReason,
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
        self.table: dict[Ref, EntitySummary] = {}
        """The fake library's rows (the `summaries` verb reads them)."""
        for kind, count in ((EntityKind.MOVIE, movies), (EntityKind.SERIES, series)):
            for i in range(count):
                s = make_summary(kind, i)
                self.table[s.ref] = s
        self.locks: dict[Ref, set[str]] = {}
        self.edits: dict[Ref, dict[str, Any]] = {}
        self.started = False
        self.artwork = FakeArtwork(self)
        self.bulk = BulkStatus(None, None, datetime(2026, 11, 23, 3, 0))
        self.health = [
            _health("tmdb", "TMDB", requests_today=120),
            _health("omdb", "OMDb", quota=1000, requests_today=1000, exhausted=True),
            _health("tvdb", "TheTVDB", configured=False, healthy=False, api_key=""),
            _health("fanart", "Fanart.tv", last_error="fanart: timed out", healthy=False),
        ]

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
        require_complete: bool = False,
    ) -> EnrichReport:
        self._record("enrich", list(refs), all=all, limit=limit, force=force, trigger=trigger)
        for ref in refs:
            s = self.table[ref]
            self.table[ref] = replace(
                s, completeness=100.0, category=category_for(100.0), last_enriched=datetime.now()
            )
            self.bus.publish(EnrichmentFinished(ref, s.title, ("plot",), 100.0, False))
        return EnrichReport(processed=len(refs), updated=len(refs))

    async def status(self) -> LibraryStatus:
        return LibraryStatus(KindCounts(), {}, ())

    async def list_entities(
        self, kind: EntityKind | None = None, *, limit: int | None = None
    ) -> list[EntitySummary]:
        self._record("list_entities", kind, limit=limit)
        found = [s for s in self.table.values() if kind is None or s.ref.kind == kind]
        return found[:limit] if limit is not None else found

    async def summaries(self, refs: Sequence[Ref]) -> list[EntitySummary]:
        self._record("summaries", list(refs))
        return [self.table[r] for r in refs if r in self.table]

    async def show(self, ref: Ref) -> EntityDetail:
        self._record("show", ref)
        s = self.table[ref]
        fields: dict[str, Any] = {
            "title": s.title,
            "original_title": s.title,
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
        } | self.edits.get(ref, {})
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
        self._record("queue", limit)
        stale = sorted(self.table.values(), key=lambda s: s.last_enriched or datetime.min)
        return [QueueItem(s, i) for i, s in enumerate(stale[:limit], start=1)]

    async def history(self, ref: Ref, limit: int = 50) -> list[HistoryEntry]:
        self._record("history", ref)
        return [
            HistoryEntry(
                datetime(2024, 2, 1, 12, 0), "user", (FieldChange("plot", "Old.", "New.", "user"),)
            ),
            HistoryEntry(
                datetime(2024, 1, 1, 3, 0),
                "scheduled",
                (
                    FieldChange("plot", None, "Old.", "tmdb"),
                    FieldChange("year", None, 1999, "tmdb"),
                ),
                providers_ok=("tmdb",),
                providers_rate_limited=("omdb",),
                completeness_before=10.0,
                completeness_after=60.0,
            ),
        ][:limit]

    async def facets(self) -> LibraryFacets:
        return LibraryFacets(("Comedy", "Drama", "Thriller"), ("plot", "poster", "imdb_rating"))

    async def match_refs(
        self,
        kind: EntityKind,
        *,
        genre: str | None = None,
        person: str | None = None,
        missing: str | None = None,
    ) -> frozenset[Ref]:
        """Deterministic: genre "Drama" is every even title, person matches every third,
        a missing field every fifth; other values match nothing."""
        self._record("match_refs", kind, genre=genre, person=person, missing=missing)
        tests = []
        if genre is not None:
            tests.append(lambda i: genre == "Drama" and i % 2 == 0)
        if person is not None:
            tests.append(lambda i: "ada" in person.lower() and i % 3 == 0)
        if missing is not None:
            tests.append(lambda i: i % 5 == 0)
        return frozenset(
            ref for ref in self.table if ref.kind == kind and all(t(ref.id - 1) for t in tests)
        )

    async def bulk_status(self) -> BulkStatus:
        return self.bulk

    async def cancel_bulk(self) -> bool:
        self._record("cancel_bulk")
        return self.bulk.current is not None

    async def search_candidates(
        self, ref: Ref, *, title: str | None = None, year: int | None = None
    ) -> list[Candidate]:
        self._record("search_candidates", ref, title=title, year=year)
        s = self.table[ref]
        name = title or s.title
        return [
            Candidate(
                "tmdb",
                str(500 + n),
                ref.kind,
                name,
                (year or s.year or 2000) + n,
                score=0.95 - 0.3 * n,
                tier=Tier.STRONG if n == 0 else Tier.WEAK,
                reasons=(
                    MatchReason("title", 1.0 - 0.2 * n, 0.6, "same title"),
                    MatchReason("year", 1.0 - 0.5 * n, 0.3, f"year off by {n}"),
                ),
            )
            for n in range(3)
        ]

    async def provider_health(self) -> list[ProviderHealth]:
        return list(self.health)

    async def test_provider(self, provider_id: str) -> ProviderCheck:
        self._record("test_provider", provider_id)
        ok = provider_id != "fanart"
        return ProviderCheck(provider_id, ok, "ok, key accepted" if ok else "fanart: timed out")

    async def apply_settings(self, settings: Settings) -> None:
        self._record("apply_settings", settings)
        self.settings = settings

    async def review(self) -> list[ReviewItem]:
        return []

    async def identify(
        self,
        ref: Ref,
        *,
        tmdb: int | None = None,
        imdb: str | None = None,
        candidate: int | None = None,
        chosen: Candidate | None = None,
    ) -> EntityDetail:
        self._record("identify", ref, tmdb=tmdb, imdb=imdb, candidate=candidate, chosen=chosen)
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
        self.edits.setdefault(ref, {})[field] = value
        self.locks.setdefault(ref, set()).add(field)
        self.bus.publish(EntityChanged(ref, (field,)))


def _health(
    pid: str,
    name: str,
    *,
    quota: int | None = None,
    requests_today: int = 0,
    exhausted: bool = False,
    configured: bool = True,
    healthy: bool = True,
    last_error: str | None = None,
    api_key: str = "****abcd",
) -> ProviderHealth:
    return ProviderHealth(
        pid, name, enabled=True, configured=configured, healthy=healthy and not exhausted,
        rate_limited=False, exhausted=exhausted,
        reset_at=datetime(2026, 11, 23, 0, 0) if exhausted else None,
        requests_today=requests_today, quota=quota, last_request_at=None, last_status=None,
        last_error=last_error, api_key=api_key, key_help=f"get a {name} key",
    )  # fmt: skip


class FakeArtwork:
    """`ArtworkAPI` in memory: three posters and two fanart per title, the first selected.

    `image_path` returns None unless a test sets `images` (a folder holding `<id>.jpg`)."""

    def __init__(self, engine: FakeEngine) -> None:
        self._engine = engine
        self.images: Path | None = None
        self.selected: dict[tuple[Ref, str], int] = {}
        self.user_slots: set[tuple[Ref, str]] = set()

    async def candidates(self, ref: Ref) -> list[AssetCandidate]:
        out = []
        for n, (slot, lang) in enumerate(
            [
                ("poster", "en"),
                ("poster", None),
                ("poster", "de"),
                ("fanart", None),
                ("fanart", "en"),
            ]
        ):
            cid = ref.id * 10 + n
            first = n in (0, 3)
            chosen = self.selected.get((ref, slot))
            selected = cid == chosen if chosen is not None else first
            out.append(
                AssetCandidate(
                    ref.id, slot, "tmdb" if n % 2 == 0 else "fanart", f"https://img/{cid}.jpg",
                    id=cid, language=lang, votes=10 - n, width=1000 if slot == "poster" else 1920,
                    height=1500 if slot == "poster" else 1080, score=0.9 - 0.1 * n,
                    parts={"language": 1.0 if lang == "en" else 0.5, "votes": 0.8, "size": 0.9},
                    selected=selected,
                    selected_by=("user" if (ref, slot) in self.user_slots else "auto")
                    if selected else None,
                )
            )  # fmt: skip
        return out

    async def refresh(self, ref: Ref) -> AssetReport:
        self._engine._record("artwork.refresh", ref)
        return AssetReport(analysed=5, selected=2)

    async def select(
        self, ref: Ref, slot: str, asset_id: int, season: int | None = None
    ) -> AssetCandidate:
        self._engine._record("artwork.select", ref, slot, asset_id)
        self.selected[(ref, slot)] = asset_id
        self.user_slots.add((ref, slot))
        self._engine.bus.publish(EntityChanged(ref, (slot,)))
        return next(c for c in await self.candidates(ref) if c.id == asset_id)

    async def unlock(self, ref: Ref, slot: str, season: int | None = None) -> None:
        self._engine._record("artwork.unlock", ref, slot, season)
        self.user_slots.discard((ref, slot))
        self.selected.pop((ref, slot), None)
        self._engine.bus.publish(EntityChanged(ref, (slot,)))

    def image_path(self, candidate: AssetCandidate, *, preview: bool = True) -> Path | None:
        if self.images is None or candidate.id is None:
            return None
        path = self.images / f"{candidate.id}.jpg"
        return path if path.exists() else None
