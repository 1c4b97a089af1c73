"""The engine's verbs as a protocol: what a front end (TUI, CLI, headless) may ask for.

Front ends depend on this protocol, not on `Engine`'s internals, so their tests can use a small
fake. Every verb is a coroutine; progress and results also arrive as events on `bus`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from matinee.config import Settings
from matinee.engine.bus import EventBus
from matinee.engine.reports import EnrichReport, LibraryStatus, QueueItem, ReviewItem, ScanReport
from matinee.model import EntityDetail, EntityKind, EntitySummary, Ref

__all__ = ["EngineAPI"]


class EngineAPI(Protocol):
    bus: EventBus
    settings: Settings

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
    ) -> EnrichReport:
        """Enrich `refs`, or the staleness queue (`limit`, default the batch size, or `all`)."""
        ...

    async def status(self) -> LibraryStatus: ...

    def next_scheduled_run(self) -> datetime | None:
        """When scheduled enrichment fires next."""
        ...

    async def list_entities(self, kind: EntityKind | None = None) -> list[EntitySummary]:
        """Every entity (or every one of `kind`), ordered by sort title."""
        ...

    async def show(self, ref: Ref) -> EntityDetail: ...

    async def queue(self, limit: int = 100) -> list[QueueItem]: ...

    async def review(self) -> list[ReviewItem]: ...

    async def identify(
        self,
        ref: Ref,
        *,
        tmdb: int | None = None,
        imdb: str | None = None,
        candidate: int | None = None,
    ) -> EntityDetail: ...

    async def lock(self, ref: Ref, fields: Sequence[str]) -> None: ...

    async def unlock(self, ref: Ref, fields: Sequence[str]) -> None: ...

    async def set_field(self, ref: Ref, field: str, value: Any) -> None:
        """Set a field's value by hand; this locks the field."""
        ...
