"""Reading entities on the database thread, as `model.py` dataclasses.

Lists select only the columns a list needs (never the `fields` JSON), so listing 100k titles
stays a single indexed scan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from peewee import SqliteDatabase

from matinee.errors import NotFoundError
from matinee.model import (
    Candidate,
    EntityDetail,
    EntityKind,
    EntitySummary,
    FileInfo,
    Identification,
    Ids,
    MatchReason,
    Ref,
    Tier,
    category_for,
)
from matinee.store.records import EntityState
from matinee.store.schema import (
    EnrichmentLog,
    Entity,
    EntityFile,
    FieldLock,
    FieldSource,
    MediaFile,
)

__all__ = [
    "entity_detail",
    "entity_state",
    "list_summaries",
    "review_items",
    "staleness_queue",
    "status_counts",
    "summaries_for",
    "to_datetime",
]

_SUMMARY_COLUMNS = (
    Entity.id, Entity.kind, Entity.title, Entity.year, Entity.tmdb_id, Entity.imdb_id,
    Entity.tvdb_id, Entity.ident_status, Entity.ident_confidence, Entity.ident_tier,
    Entity.completeness, Entity.last_enriched_at, Entity.partial, Entity.parent,
    Entity.season_number, Entity.episode_number,
)  # fmt: skip


def rows(query: Any) -> list[tuple[Any, ...]]:
    """A query's rows as plain tuples (Peewee's own hints say model instances)."""
    return list(query.tuples())


def raw_rows(db: SqliteDatabase, query: Any) -> list[tuple[Any, ...]]:
    """Rows straight from the cursor, skipping Peewee's per-value conversion.

    For big lists of plain columns (no JSON), where the conversion costs more than the query.
    """
    sql, params = query.sql()
    return list(db.execute_sql(sql, params).fetchall())


def to_datetime(ts: float | None) -> datetime | None:
    return datetime.fromtimestamp(ts, UTC) if ts is not None else None


_KINDS = {k.value: k for k in EntityKind}
_TIERS = {t.value: t for t in Tier}


def _summary(
    row: tuple[Any, ...], files: tuple[str, ...], parent_kind: str | None
) -> EntitySummary:
    (eid, kind, title, year, tmdb, imdb, tvdb, status, conf, tier, comp, last, partial, parent,
     season, episode) = row  # fmt: skip
    return EntitySummary(
        ref=Ref(_KINDS[kind], eid),
        title=title,
        year=year,
        ids=Ids(tmdb, imdb, tvdb),
        identification=Identification(status, conf, _TIERS[tier] if tier else None),
        completeness=comp,
        category=category_for(comp),
        last_enriched=to_datetime(last),
        partial=bool(partial),
        files=files,
        parent=Ref(EntityKind(parent_kind), parent) if parent and parent_kind else None,
        season_number=season,
        episode_number=episode,
    )


def _parent_kind(kind: str) -> str | None:
    return {"season": "series", "episode": "season"}.get(kind)


def _files_by_entity(db: SqliteDatabase, ids: Iterable[int] | None) -> dict[int, list[str]]:
    query = (
        EntityFile.select(EntityFile.entity, MediaFile.display_path)
        .join(MediaFile, on=(EntityFile.file == MediaFile.id))
        .order_by(MediaFile.display_path)
    )
    if ids is not None:
        query = query.where(EntityFile.entity.in_(list(ids)))
    out: dict[int, list[str]] = defaultdict(list)
    for eid, path in raw_rows(db, query):
        out[eid].append(path)
    return out


def list_summaries(db: SqliteDatabase, kind: EntityKind | None) -> list[EntitySummary]:
    query = Entity.select(*_SUMMARY_COLUMNS).order_by(Entity.kind, Entity.sort_title, Entity.id)
    if kind is not None:
        query = query.where(Entity.kind == kind.value)
    found = raw_rows(db, query)
    files = _files_by_entity(db, None if len(found) > 500 else [r[0] for r in found])
    return [_summary(r, tuple(files.get(r[0], ())), _parent_kind(r[1])) for r in found]


def summaries_for(db: SqliteDatabase, ids: list[int]) -> list[EntitySummary]:
    found = rows(Entity.select(*_SUMMARY_COLUMNS).where(Entity.id.in_(ids)))
    files = _files_by_entity(db, ids)
    by_id = {r[0]: _summary(r, tuple(files.get(r[0], ())), _parent_kind(r[1])) for r in found}
    return [by_id[i] for i in ids if i in by_id]


def _get(ref: Ref) -> Entity:
    row = Entity.get_or_none((Entity.id == ref.id) & (Entity.kind == ref.kind.value))
    if row is None:
        raise NotFoundError(f"no {ref.kind.value} with id {ref.id} (reference {ref})")
    return row


def _files(entity_id: int) -> tuple[FileInfo, ...]:
    query = (
        MediaFile.select()
        .join(EntityFile, on=(EntityFile.file == MediaFile.id))
        .where(EntityFile.entity == entity_id)
        .order_by(MediaFile.display_path)
    )
    out = []
    for f in query:
        probe = f.probe or {}
        out.append(
            FileInfo(
                id=f.id,
                path=f.display_path,
                size=f.size,
                mtime=f.mtime,
                missing=bool(f.missing),
                duration=probe.get("duration"),
                width=probe.get("width"),
                height=probe.get("height"),
                video_codec=probe.get("video_codec"),
            )
        )
    return tuple(out)


def _state(row: Entity, with_children: bool) -> EntityState:
    sources = {
        s.field: s.provider for s in FieldSource.select().where(FieldSource.entity == row.id)
    }
    locks = frozenset(lk.field for lk in FieldLock.select().where(FieldLock.entity == row.id))
    children: tuple[EntityState, ...] = ()
    if with_children and row.kind == "series":
        children = tuple(_state(e, False) for e in _episodes_of(row.id))
    return EntityState(
        ref=Ref(EntityKind(row.kind), row.id),
        title=row.title,
        year=row.year,
        ids=Ids(row.tmdb_id, row.imdb_id, row.tvdb_id),
        identification=Identification(
            row.ident_status, row.ident_confidence, Tier(row.ident_tier) if row.ident_tier else None
        ),
        fields=dict(row.fields or {}),
        sources=sources,
        locks=locks,
        completeness=row.completeness,
        last_enriched_at=row.last_enriched_at,
        season_number=row.season_number,
        episode_number=row.episode_number,
        files=_files(row.id) if row.kind in ("movie", "episode") else (),
        children=children,
    )


def _episodes_of(series_id: int) -> list[Entity]:
    seasons = Entity.select(Entity.id).where(
        (Entity.parent == series_id) & (Entity.kind == "season")
    )
    return list(
        Entity.select()
        .where((Entity.parent.in_(seasons)) & (Entity.kind == "episode"))
        .order_by(Entity.season_number, Entity.episode_number, Entity.id)
    )


def entity_state(db: SqliteDatabase, ref: Ref) -> EntityState:
    return _state(_get(ref), with_children=True)


def entity_detail(db: SqliteDatabase, ref: Ref) -> EntityDetail:
    row = _get(ref)
    state = _state(row, with_children=False)
    fetched = {
        s.field: to_datetime(s.fetched_at)
        for s in FieldSource.select().where(FieldSource.entity == row.id)
    }
    if row.kind == "series":  # a series lists its episodes, across its seasons
        child_ids = [e.id for e in _episodes_of(row.id)]
    else:
        query = (
            Entity.select(Entity.id)
            .where(Entity.parent == row.id)
            .order_by(Entity.season_number, Entity.episode_number, Entity.sort_title)
        )
        child_ids = [eid for (eid,) in rows(query)]
    summary = summaries_for(db, [row.id])[0]
    last = (
        EnrichmentLog.select(EnrichmentLog.providers_ok)
        .where(EnrichmentLog.entity == row.id)
        .order_by(EnrichmentLog.id.desc())
        .first()
    )
    return EntityDetail(
        summary=summary,
        fields=state.fields,
        field_sources=state.sources,
        field_fetched={k: v for k, v in fetched.items() if v is not None},
        locks=state.locks,
        missing=(),
        enrichment_duration=row.enrichment_duration,
        rate_limited_providers=tuple(row.rate_limited or ()),
        failed_providers=tuple(row.failed or ()),
        answered_providers=tuple(last.providers_ok) if last else (),
        files=state.files,
        children=tuple(summaries_for(db, child_ids)) if child_ids else (),
    )


def staleness_queue(
    db: SqliteDatabase, limit: int | None, fresh_after: float | None
) -> list[EntitySummary]:
    """Monitored titles: never enriched first, then oldest, then least complete.

    `fresh_after`: titles enriched after this timestamp are fresh and left out (None: keep all).
    Titles waiting for a person's review are left out: searching again would not help.
    """
    query = Entity.select(Entity.id).where(
        (Entity.monitored == True) & (Entity.ident_status != "review")  # noqa: E712
    )
    if fresh_after is not None:
        query = query.where(
            Entity.last_enriched_at.is_null() | (Entity.last_enriched_at < fresh_after)
        )
    query = query.order_by(Entity.last_enriched_at, Entity.completeness, Entity.id)
    if limit is not None:
        query = query.limit(limit)
    ids = [r[0] for r in rows(query)]
    return summaries_for(db, ids)


def status_counts(db: SqliteDatabase) -> dict[str, dict[str, Any]]:
    sql = """
        SELECT kind, count(*),
               sum(completeness >= 90),
               sum(completeness >= 60 AND completeness < 90),
               sum(completeness < 60),
               sum(ident_status = 'review'),
               avg(completeness)
        FROM entities WHERE kind IN ('movie', 'series') GROUP BY kind
    """
    out: dict[str, dict[str, Any]] = {}
    for kind, total, enriched, partial, unenriched, review, avg in db.execute_sql(sql):
        out[kind] = {
            "total": total,
            "enriched": enriched or 0,
            "partially_enriched": partial or 0,
            "unenriched": unenriched or 0,
            "needs_review": review or 0,
            "average_completeness": avg or 0.0,
        }
    return out


def top_incomplete(db: SqliteDatabase, limit: int) -> list[Ref]:
    query = (
        Entity.select(Entity.id, Entity.kind)
        .where(Entity.kind.in_(["movie", "series"]))
        .order_by(Entity.completeness, Entity.sort_title)
        .limit(limit)
    )
    return [Ref(EntityKind(kind), eid) for eid, kind in rows(query)]


def review_items(db: SqliteDatabase) -> list[tuple[Ref, str, int | None, list[Candidate]]]:
    query = (
        Entity.select(Entity.id, Entity.kind, Entity.title, Entity.year, Entity.candidates)
        .where(Entity.ident_status == "review")
        .order_by(Entity.sort_title)
    )
    out = []
    for eid, kind, title, year, candidates in rows(query):
        cands = [_candidate(c) for c in (candidates or [])]
        out.append((Ref(EntityKind(kind), eid), title, year, cands))
    return out


def _candidate(data: dict[str, Any]) -> Candidate:
    return Candidate(
        provider=data["provider"],
        id=str(data["id"]),
        kind=EntityKind(data["kind"]),
        title=data["title"],
        year=data.get("year"),
        original_title=data.get("original_title"),
        popularity=data.get("popularity", 0.0),
        score=data.get("score", 0.0),
        tier=Tier(data.get("tier", "weak")),
        reasons=tuple(MatchReason(**r) for r in data.get("reasons", [])),
    )
