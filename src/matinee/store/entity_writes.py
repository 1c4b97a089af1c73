"""Writing entities on the database thread: enrichment results, reviews, locks, user edits.

Each public function is one transaction, so an interrupted process leaves every entity either
as it was or fully written. A series' enrichment may also create the rows of the episodes its
providers list and the disk lacks (`EntityWrite.create`): they are marked not on disk and keyed
like the scan keys episodes (`e<number>` under the season's `s<number>` row), so a later scan
that finds the file links it to that row instead of making another. The artwork candidates
and credits the providers offered for the entity are stored in the same transaction.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from peewee import SqliteDatabase

from matinee.model import Ref
from matinee.store.assets import upsert_candidates
from matinee.store.people import save_credits
from matinee.store.records import EntityWrite, NewEpisode
from matinee.store.schema import EnrichmentLog, Entity, FieldLock, FieldSource

__all__ = ["lock_fields", "save_review", "unlock_fields", "write_entities"]


def _write_one(w: EntityWrite, now: float) -> None:
    values: dict[str, Any] = {
        "fields": w.fields,
        "title": w.title,
        "sort_title": w.sort_title,
        "year": w.year,
        "tmdb_id": w.ids.tmdb,
        "imdb_id": w.ids.imdb,
        "tvdb_id": w.ids.tvdb,
        "ident_status": w.identification.status,
        "ident_confidence": w.identification.confidence,
        "ident_tier": w.identification.tier.value if w.identification.tier else None,
        "candidates": w.candidates,
        "completeness": w.completeness,
        "updated_at": now,
    }
    if w.enriched:
        values.update(
            last_enriched_at=w.fetched_at,
            enrichment_duration=w.duration,
            partial=w.partial,
            rate_limited=list(w.rate_limited),
            failed=list(w.failed),
        )
    Entity.update(**values).where(Entity.id == w.entity_id).execute()
    if w.sources:
        FieldSource.insert_many(
            [
                {"entity": w.entity_id, "field": f, "provider": p, "fetched_at": w.fetched_at}
                for f, p in w.sources.items()
            ]
        ).on_conflict_replace().execute()
    if w.locks_added:
        FieldLock.insert_many(
            [{"entity": w.entity_id, "field": f, "locked_at": now} for f in w.locks_added]
        ).on_conflict_ignore().execute()
    if w.log is not None:
        log = w.log
        EnrichmentLog.insert(
            entity=w.entity_id,
            at=now,
            mode=log.mode,
            providers_ok=list(log.providers_ok),
            providers_rate_limited=list(log.providers_rate_limited),
            providers_failed=list(log.providers_failed),
            changes=list(log.changes),
            completeness_before=log.completeness_before,
            completeness_after=log.completeness_after,
            duration=log.duration,
            visible_change=log.visible_change,
        ).execute()


def _episode_row(new: NewEpisode, w: EntityWrite, now: float) -> int | None:
    """The row for a provider's episode: the one already keyed so, else a new one (not on disk).

    None when the series has no row for that season (seasons are made only by a scan).
    """
    season = (
        Entity.select(Entity.id)
        .where(
            (Entity.kind == "season")
            & (Entity.parent == new.series_id)
            & (Entity.group_key == f"s{new.season}")
        )
        .scalar()
    )
    if season is None:
        return None
    key = f"e{new.episode}"
    found = (
        Entity.select(Entity.id)
        .where((Entity.kind == "episode") & (Entity.parent == season) & (Entity.group_key == key))
        .scalar()
    )
    if found is not None:
        return int(found)
    new_id = Entity.insert(
        kind="episode",
        parent=season,
        group_key=key,
        title=w.title,
        sort_title=w.sort_title,
        season_number=new.season,
        episode_number=new.episode,
        fields={},
        monitored=False,
        on_disk=False,
        created_at=now,
        updated_at=now,
    ).execute()
    return int(new_id)


def write_entities(db: SqliteDatabase, writes: Sequence[EntityWrite]) -> None:
    """Write a title and its children (a series' seasons and episodes) in one transaction.

    A write with `create` set makes (or finds) its episode row first; see `NewEpisode`.
    """
    now = time.time()
    with db.atomic():
        for w in writes:
            if w.create is not None:
                entity_id = _episode_row(w.create, w, now)
                if entity_id is None:
                    continue
                w = replace(w, entity_id=entity_id, create=None)
            _write_one(w, now)
            for provider, offered in w.artwork.items():
                upsert_candidates(db, w.entity_id, provider, offered, now)
            for provider, credits in w.credits.items():
                save_credits(db, w.entity_id, provider, credits)


def save_review(
    db: SqliteDatabase, entity_id: int, candidates: list[dict[str, Any]], confidence: float | None
) -> None:
    """Park a title in the review queue with its candidates."""
    Entity.update(
        ident_status="review",
        ident_confidence=confidence,
        ident_tier="weak",
        candidates=candidates,
        updated_at=time.time(),
    ).where(Entity.id == entity_id).execute()


def lock_fields(db: SqliteDatabase, ref: Ref, fields: Sequence[str]) -> None:
    now = time.time()
    with db.atomic():
        for f in fields:
            FieldLock.insert(entity=ref.id, field=f, locked_at=now).on_conflict_ignore().execute()


def unlock_fields(db: SqliteDatabase, ref: Ref, fields: Sequence[str]) -> None:
    FieldLock.delete().where(
        (FieldLock.entity == ref.id) & FieldLock.field.in_(list(fields))
    ).execute()
