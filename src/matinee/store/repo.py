"""The async repository: the only door to the database for the rest of matinee.

Every method runs one unit of work on the database thread (`DbThread`) and returns
`model.py` dataclasses or `records.py` records; Peewee rows never leave `store/`.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matinee.assets.model import AssetCandidate
from matinee.engine.views import HistoryEntry
from matinee.model import Candidate, EntityDetail, EntityKind, EntitySummary, Ref
from matinee.providers.base import Credit
from matinee.store import (
    assets,
    bulk_runs,
    entity_reads,
    entity_writes,
    filters,
    history,
    library_ops,
    people,
    provider_state,
)
from matinee.store.db import DbThread
from matinee.store.records import EntityState, EntityWrite, FileUpsert, KnownFile, ScanApplied

__all__ = ["Repository"]


class Repository:
    """Async access to one SQLite file. `await open()` before use, `await close()` after."""

    def __init__(self, path: Path) -> None:
        self._thread = DbThread(path)

    @property
    def path(self) -> Path:
        return self._thread.path

    async def open(self) -> None:
        await self._thread.open()

    async def close(self) -> None:
        await self._thread.close()

    async def _run(self, fn: Any, *args: Any) -> Any:
        return await self._thread.run(fn, self._thread.db, *args)

    # library
    async def add_roots(self, roots: Sequence[str]) -> None:
        await self._run(library_ops.add_roots, list(roots))

    async def roots(self) -> list[str]:
        result: list[str] = await self._run(library_ops.list_roots)
        return result

    async def known_files(self) -> dict[str, KnownFile]:
        result: dict[str, KnownFile] = await self._run(library_ops.known_files)
        return result

    async def apply_scan(
        self, upserts: Sequence[FileUpsert], missing: Sequence[str]
    ) -> ScanApplied:
        result: ScanApplied = await self._run(library_ops.apply_scan, list(upserts), list(missing))
        return result

    # reads
    async def list_summaries(
        self, kind: EntityKind | None = None, limit: int | None = None
    ) -> list[EntitySummary]:
        result: list[EntitySummary] = await self._run(entity_reads.list_summaries, kind, limit)
        return result

    async def summaries(self, ids: list[int]) -> list[EntitySummary]:
        result: list[EntitySummary] = await self._run(entity_reads.summaries_for, ids)
        return result

    async def detail(self, ref: Ref) -> EntityDetail:
        result: EntityDetail = await self._run(entity_reads.entity_detail, ref)
        return result

    async def state(self, ref: Ref) -> EntityState:
        result: EntityState = await self._run(entity_reads.entity_state, ref)
        return result

    async def queue(self, limit: int | None, fresh_after: float | None) -> list[EntitySummary]:
        result: list[EntitySummary] = await self._run(
            entity_reads.staleness_queue, limit, fresh_after
        )
        return result

    async def status_counts(self) -> dict[str, dict[str, Any]]:
        result: dict[str, dict[str, Any]] = await self._run(entity_reads.status_counts)
        return result

    async def top_incomplete(self, limit: int) -> list[Ref]:
        result: list[Ref] = await self._run(entity_reads.top_incomplete, limit)
        return result

    async def review_items(self) -> list[tuple[Ref, str, int | None, list[Candidate]]]:
        result: list[tuple[Ref, str, int | None, list[Candidate]]] = await self._run(
            entity_reads.review_items
        )
        return result

    async def history(self, ref: Ref, limit: int) -> list[HistoryEntry]:
        """The entity's log rows, newest first (`store/history.py`)."""
        result: list[HistoryEntry] = await self._run(history.entity_history, ref, limit)
        return result

    # filters (store/filters.py)
    async def genre_counts(self) -> Counter[str]:
        result: Counter[str] = await self._run(filters.genre_counts)
        return result

    async def match_ids(
        self,
        kind: EntityKind,
        *,
        genre: str | None = None,
        person: str | None = None,
        missing: str | None = None,
    ) -> list[int]:
        """Ids of the titles of `kind` matching every criterion given."""
        result: list[int] = await self._thread.run(
            filters.match_ids, self._thread.db, kind, genre=genre, person=person, missing=missing
        )
        return result

    # writes
    async def write(self, writes: Sequence[EntityWrite]) -> None:
        await self._run(entity_writes.write_entities, list(writes))

    async def save_review(
        self, entity_id: int, candidates: list[dict[str, Any]], confidence: float | None
    ) -> None:
        await self._run(entity_writes.save_review, entity_id, candidates, confidence)

    async def lock(self, ref: Ref, fields: Sequence[str]) -> None:
        await self._run(entity_writes.lock_fields, ref, list(fields))

    async def unlock(self, ref: Ref, fields: Sequence[str]) -> None:
        await self._run(entity_writes.unlock_fields, ref, list(fields))

    # providers: quotas, health, response cache
    async def reserve_request(
        self, provider: str, limit: int | None, now: float
    ) -> provider_state.Reservation:
        result: provider_state.Reservation = await self._run(
            provider_state.reserve, provider, limit, now
        )
        return result

    async def record_provider(
        self,
        provider: str,
        status: int | None,
        error: str | None,
        rate_limited_until: float | None,
        now: float,
    ) -> None:
        await self._run(provider_state.record, provider, status, error, rate_limited_until, now)

    async def mark_exhausted(
        self, provider: str, until: float | None, message: str, now: float
    ) -> float:
        result: float = await self._run(
            provider_state.mark_exhausted, provider, until, message, now
        )
        return result

    async def provider_usage(self, now: float) -> dict[str, provider_state.UsageRow]:
        result: dict[str, provider_state.UsageRow] = await self._run(provider_state.usage, now)
        return result

    async def cache_get(self, provider: str, key: str) -> tuple[int, Any, float] | None:
        result: tuple[int, Any, float] | None = await self._run(
            provider_state.cache_get, provider, key
        )
        return result

    async def cache_put(self, provider: str, key: str, status: int, body: Any, now: float) -> None:
        await self._run(provider_state.cache_put, provider, key, status, body, now)

    # bulk runs
    async def claim_bulk(
        self,
        trigger: str,
        complete_or_skip: bool,
        total: int,
        owner: str,
        now: float,
        stale_after: float,
    ) -> bulk_runs.Claim:
        result: bulk_runs.Claim = await self._run(
            bulk_runs.claim, trigger, complete_or_skip, total, owner, now, stale_after
        )
        return result

    async def bulk_heartbeat(
        self, run_id: int, counts: bulk_runs.BulkCounts, current: str | None, now: float
    ) -> bool:
        result: bool = await self._run(bulk_runs.heartbeat, run_id, counts, current, now)
        return result

    async def finish_bulk(
        self,
        run_id: int,
        status: str,
        counts: bulk_runs.BulkCounts,
        stop_reason: str | None,
        now: float,
    ) -> None:
        await self._run(bulk_runs.finish, run_id, status, counts, stop_reason, now)

    async def cancel_bulk(self) -> bulk_runs.BulkRunRow | None:
        result: bulk_runs.BulkRunRow | None = await self._run(bulk_runs.request_cancel)
        return result

    async def latest_bulk_runs(
        self,
    ) -> tuple[bulk_runs.BulkRunRow | None, bulk_runs.BulkRunRow | None]:
        result: tuple[bulk_runs.BulkRunRow | None, bulk_runs.BulkRunRow | None] = await self._run(
            bulk_runs.latest
        )
        return result

    # artwork candidates and the cache (store/assets.py)
    async def upsert_candidates(
        self, entity_id: int, provider: str, offered: Sequence[AssetCandidate], now: float
    ) -> None:
        await self._run(assets.upsert_candidates, entity_id, provider, list(offered), now)

    async def asset_candidates(self, entity_id: int) -> list[AssetCandidate]:
        result: list[AssetCandidate] = await self._run(assets.candidates, entity_id)
        return result

    async def save_asset_analysis(self, updates: Sequence[AssetCandidate]) -> int:
        result: int = await self._run(assets.save_analysis, list(updates))
        return result

    async def select_asset(
        self, entity_id: int, slot: str, asset_id: int, season: int | None = None
    ) -> AssetCandidate:
        result: AssetCandidate = await self._run(
            assets.select_by_user, entity_id, slot, asset_id, season
        )
        return result

    async def unlock_slot(self, entity_id: int, slot: str, season: int | None = None) -> None:
        await self._run(assets.unlock_slot, entity_id, slot, season)

    async def record_cache_file(
        self,
        rel_path: str,
        sha256: str,
        kind: str,
        size: int,
        entity_id: int | None = None,
        asset_id: int | None = None,
        person_id: int | None = None,
        now: float | None = None,
    ) -> int:
        """Remember a file matinee wrote to the cache (eviction only ever deletes these)."""
        when = time.time() if now is None else now
        result: int = await self._thread.run(
            assets.record_cache_file, self._thread.db, rel_path, sha256, kind, size, when,
            entity_id=entity_id, asset_id=asset_id, person_id=person_id,
        )  # fmt: skip
        return result

    async def cache_files(self) -> list[assets.CachedFile]:
        result: list[assets.CachedFile] = await self._run(assets.cache_files)
        return result

    async def cache_paths_in_use(self) -> set[str]:
        result: set[str] = await self._run(assets.cache_paths_in_use)
        return result

    async def forget_cache_files(self, rel_paths: Sequence[str]) -> int:
        result: int = await self._run(assets.forget_cache_files, list(rel_paths))
        return result

    # people and credits (store/people.py)
    async def save_credits(self, entity_id: int, provider: str, credits: Sequence[Credit]) -> None:
        await self._run(people.save_credits, entity_id, provider, list(credits))

    async def credits_for(
        self, entity_id: int, provider: str | None = None
    ) -> list[people.PersonCredit]:
        result: list[people.PersonCredit] = await self._run(people.credits_for, entity_id, provider)
        return result

    async def people_without_image(self, limit: int) -> list[people.PersonRow]:
        result: list[people.PersonRow] = await self._run(people.people_without_image, limit)
        return result

    async def set_person_image(self, person_id: int, cached_path: str | None) -> None:
        await self._run(people.set_person_image, person_id, cached_path)
