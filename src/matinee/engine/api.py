"""The engine's verbs as a protocol: what a front end (TUI, CLI, headless) may ask for.

Front ends depend on this protocol, not on `Engine`'s internals, so their tests can use a small
fake. Every verb is a coroutine; progress and results also arrive as events on `bus`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from matinee.assets.model import AssetCandidate
from matinee.config import Settings
from matinee.engine.assets import AssetReport
from matinee.engine.bus import EventBus
from matinee.engine.reports import (
    BulkStatus,
    EnrichReport,
    LibraryStatus,
    ProviderCheck,
    ProviderHealth,
    QueueItem,
    ReviewItem,
    ScanReport,
)
from matinee.engine.views import HistoryEntry, LibraryFacets
from matinee.model import Candidate, EntityDetail, EntityKind, EntitySummary, Ref

__all__ = ["ArtworkAPI", "EngineAPI"]


class ArtworkAPI(Protocol):
    """`Engine.artwork`: a title's artwork candidates per slot, and the user's choices."""

    async def candidates(self, ref: Ref) -> list[AssetCandidate]:
        """Every candidate of every slot (season art with its series), scored and explained."""
        ...

    async def refresh(self, ref: Ref) -> AssetReport: ...

    async def select(
        self, ref: Ref, slot: str, asset_id: int, season: int | None = None
    ) -> AssetCandidate:
        """Choose a candidate for its slot; this locks the slot."""
        ...

    async def unlock(self, ref: Ref, slot: str, season: int | None = None) -> None:
        """Hand the slot (a season's, with `season`) back to automatic selection."""
        ...

    def image_path(self, candidate: AssetCandidate, *, preview: bool = True) -> Path | None:
        """The cached file (its small JPEG preview by default) if it exists, else None."""
        ...


class EngineAPI(Protocol):
    bus: EventBus
    settings: Settings
    artwork: ArtworkAPI

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def scan(self, paths: Sequence[str] = ()) -> ScanReport:
        """Add `paths` as roots (if any) and scan every root incrementally."""
        ...

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
        """Enrich `refs`, or the staleness queue (`limit`, default the batch size, or `all`)."""
        ...

    async def status(self) -> LibraryStatus: ...

    def next_scheduled_run(self) -> datetime | None:
        """When scheduled enrichment fires next."""
        ...

    async def list_entities(
        self, kind: EntityKind | None = None, *, limit: int | None = None
    ) -> list[EntitySummary]:
        """Every entity (or every one of `kind`), ordered by sort title; the first `limit`."""
        ...

    async def summaries(self, refs: Sequence[Ref]) -> list[EntitySummary]:
        """The library rows of these entities (one query; refs that name nothing are left
        out): what a list re-reads when events say rows changed."""
        ...

    async def show(self, ref: Ref) -> EntityDetail:
        """One entity; a series' detail lists its seasons and episodes as `children`."""
        ...

    async def history(self, ref: Ref, limit: int = 50) -> list[HistoryEntry]:
        """The entity's enrichments, edits and identifications, newest first."""
        ...

    async def facets(self) -> LibraryFacets:
        """Every genre in the library and the fields a filter can ask to be missing."""
        ...

    async def match_refs(
        self,
        kind: EntityKind,
        *,
        genre: str | None = None,
        person: str | None = None,
        missing: str | None = None,
    ) -> frozenset[Ref]:
        """Titles of `kind` with that genre, with that person (cast or crew, by name,
        case-insensitive substring), and missing that field; the criteria given all apply."""
        ...

    async def bulk_status(self) -> BulkStatus:
        """The running bulk run (any process), the last finished one, the next scheduled."""
        ...

    async def cancel_bulk(self) -> bool:
        """Cancel the running bulk run, here or in another process; False if none runs."""
        ...

    async def queue(self, limit: int = 100) -> list[QueueItem]: ...

    async def review(self) -> list[ReviewItem]: ...

    async def identify(
        self,
        ref: Ref,
        *,
        tmdb: int | None = None,
        imdb: str | None = None,
        candidate: int | None = None,
        chosen: Candidate | None = None,
    ) -> EntityDetail:
        """Pin the entity to an id (or a review candidate, or a searched `chosen` one), then
        enrich it again."""
        ...

    async def search_candidates(
        self, ref: Ref, *, title: str | None = None, year: int | None = None
    ) -> list[Candidate]:
        """Ask the identifiers again, with another title and year if given; scored and
        explained like the automatic match, best first."""
        ...

    async def provider_health(self) -> list[ProviderHealth]: ...

    async def test_provider(self, provider_id: str) -> ProviderCheck: ...

    async def apply_settings(self, settings: Settings) -> None:
        """Use new settings from now on (providers enabled or disabled, authority, keys)."""
        ...

    async def lock(self, ref: Ref, fields: Sequence[str]) -> None: ...

    async def unlock(self, ref: Ref, fields: Sequence[str]) -> None: ...

    async def set_field(self, ref: Ref, field: str, value: Any) -> None:
        """Set a field's value by hand; this locks the field."""
        ...
