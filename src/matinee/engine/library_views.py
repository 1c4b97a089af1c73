"""The engine's read-side verbs: lists, a title's detail and history, status, queue, filters.

Nothing here writes or asks a provider; each verb is one or two repository reads turned into
the values front ends render (`model.py`, `reports.py`, `views.py`). Settings are read when a
verb runs, so `Engine.apply_settings` changes what the next call measures (expected fields,
the freshness TTL).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence

from matinee.config import Settings
from matinee.engine.reports import KindCounts, LibraryStatus, QueueItem, ReviewItem
from matinee.engine.views import HistoryEntry, LibraryFacets
from matinee.enrich.completeness import expected_for, measure
from matinee.errors import UsageError
from matinee.model import FIELD_BY_NAME, EntityDetail, EntityKind, EntitySummary, Ref
from matinee.store.repo import Repository

__all__ = ["LibraryViews", "fresh_after"]

_TITLES = (EntityKind.MOVIE, EntityKind.SERIES)


def fresh_after(settings: Settings) -> float:
    """The timestamp after which an enrichment is still fresh (`[cache] ttl_days`)."""
    return time.time() - settings.cache.ttl_days * 86400


class LibraryViews:
    def __init__(self, repo: Repository, settings: Callable[[], Settings]) -> None:
        self._repo = repo
        self._settings = settings

    async def list_entities(
        self, kind: EntityKind | None = None, limit: int | None = None
    ) -> list[EntitySummary]:
        return await self._repo.list_summaries(kind, limit)

    async def summaries(self, refs: Sequence[Ref]) -> list[EntitySummary]:
        found = await self._repo.summaries(sorted({r.id for r in refs}))
        wanted = set(refs)
        return [s for s in found if s.ref in wanted]

    async def show(self, ref: Ref) -> EntityDetail:
        detail = await self._repo.detail(ref)
        expected = self._settings().completeness.expected_fields
        _, missing = measure(ref.kind, detail.fields, expected)
        # values with no recorded source came from the file name or an NFO
        sources = {name: "file" for name in detail.fields} | detail.field_sources
        return dataclasses.replace(detail, missing=missing, field_sources=sources)

    async def status(self) -> LibraryStatus:
        counts = await self._repo.status_counts()
        by_type = {k: KindCounts(**counts.get(k, {})) for k in ("movie", "series")}
        total = sum(c.total for c in by_type.values())
        average = (
            sum(c.average_completeness * c.total for c in by_type.values()) / total if total else 0
        )
        overall = KindCounts(
            total=total,
            enriched=sum(c.enriched for c in by_type.values()),
            partially_enriched=sum(c.partially_enriched for c in by_type.values()),
            unenriched=sum(c.unenriched for c in by_type.values()),
            needs_review=sum(c.needs_review for c in by_type.values()),
            average_completeness=average,
        )
        top = [await self.show(ref) for ref in await self._repo.top_incomplete(10)]
        return LibraryStatus(overall, by_type, tuple(top))

    async def queue(self, limit: int = 100) -> list[QueueItem]:
        items = await self._repo.queue(limit, fresh_after(self._settings()))
        return [QueueItem(s, i) for i, s in enumerate(items, start=1)]

    async def review(self) -> list[ReviewItem]:
        return [
            ReviewItem(ref, title, year, tuple(cands))
            for ref, title, year, cands in await self._repo.review_items()
        ]

    async def history(self, ref: Ref, limit: int = 50) -> list[HistoryEntry]:
        """The entity's enrichments, edits and identifications, newest first.

        Raises:
            NotFoundError: the ref names nothing.
        """
        return await self._repo.history(ref, limit)

    async def facets(self) -> LibraryFacets:
        """Every genre of the library's movies and series, one spelling per genre ignoring case
        (the most used), sorted ignoring case; and the expected fields (`[completeness]`) that
        movies or series have, in config order: "missing" means what the detail screen and
        completeness call missing."""
        best: dict[str, tuple[int, str]] = {}
        for spelling, count in (await self._repo.genre_counts()).items():
            key = spelling.casefold()
            held = best.get(key)
            if held is None or (-count, spelling) < (-held[0], held[1]):
                best[key] = (count, spelling)
        genres = tuple(best[key][1] for key in sorted(best))
        expected = self._settings().completeness.expected_fields
        fields = dict.fromkeys(name for kind in _TITLES for name in expected_for(kind, expected))
        ordered = tuple(name for name in expected if name in fields)
        return LibraryFacets(genres, tuple(dict.fromkeys(ordered)))

    async def match_refs(
        self,
        kind: EntityKind,
        *,
        genre: str | None = None,
        person: str | None = None,
        missing: str | None = None,
    ) -> frozenset[Ref]:
        """Titles of `kind` matching every criterion given (blank ones count as not given);
        with none, every title of `kind`. A field `kind` does not have is never missing.

        Raises:
            UsageError: `missing` is not a field name.
        """
        genre, person = (genre or "").strip(), (person or "").strip()
        if missing:
            spec = FIELD_BY_NAME.get(missing)
            if spec is None:
                raise UsageError(f"unknown field {missing!r}; see the field list in the README")
            if kind not in spec.kinds:
                return frozenset()
        found = await self._repo.match_ids(
            kind, genre=genre or None, person=person or None, missing=missing or None
        )
        return frozenset(Ref(kind, eid) for eid in found)
