"""Reading entities on the database thread, as `model.py` dataclasses.

Lists select only the columns a list needs (never the `fields` JSON), so listing 100k titles
stays a single indexed scan.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from peewee import SqliteDatabase

from matinee.errors import NotFoundError
from matinee.model import (
    CATEGORY_ENRICHED,
    CATEGORY_PARTIAL,
    CATEGORY_UNENRICHED,
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
    Entity.season_number, Entity.episode_number, Entity.on_disk,
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
_PARENT_KIND = {"season": "series", "episode": "season"}
_TIERS = {t.value: t for t in Tier}


def _summary(
    row: tuple[Any, ...], files: tuple[str, ...], parent_kind: str | None
) -> EntitySummary:
    (eid, kind, title, year, tmdb, imdb, tvdb, status, conf, tier, comp, last, partial, parent,
     season, episode, on_disk) = row  # fmt: skip
    return EntitySummary(
        Ref(_KINDS[kind], eid), title, year, Ids(tmdb, imdb, tvdb),
        _identification(status, conf, tier), comp, category_for(comp),
        datetime.fromtimestamp(last, UTC) if last is not None else None, bool(partial), files,
        Ref(_KINDS[parent_kind], parent) if parent and parent_kind else None,
        season, episode, bool(on_disk),
    )  # fmt: skip


@lru_cache(maxsize=4096)
def _identification(status: str, conf: float | None, tier: str | None) -> Identification:
    """Shared: a library has few distinct triples, and 100k frozen objects cost time."""
    return Identification(status, conf, _TIERS[tier] if tier else None)


def _files_by_entity(db: SqliteDatabase, ids: Iterable[int] | None) -> dict[int, list[str]]:
    """Each entity's file paths, in path order: of the given entities, or of all (None).

    Plain SQL: building a 100-item `IN` through Peewee costs more than running it.
    """
    sql = (
        "SELECT ef.entity_id, mf.display_path FROM entity_files AS ef"
        " JOIN media_files AS mf ON ef.file_id = mf.id"
    )
    params: list[int] = []
    if ids is not None:
        params = list(ids)
        if not params:
            return {}
        sql += f" WHERE ef.entity_id IN ({', '.join('?' * len(params))})"
    out: dict[int, list[str]] = defaultdict(list)
    for eid, path in db.execute_sql(sql + " ORDER BY mf.display_path", params).fetchall():
        out[eid].append(path)
    return out


def _summaries(db: SqliteDatabase, found: list[tuple[Any, ...]]) -> list[EntitySummary]:
    """Summaries of rows of `_SUMMARY_COLUMNS`, in their order, with their files.

    Many rows read every file link at once (an `IN` list has a variable limit, and one scan is
    cheaper than a long list); a few read only theirs.
    """
    files = _files_by_entity(db, None if len(found) > 500 else [r[0] for r in found])
    return [_summary(r, tuple(files.get(r[0], ())), _PARENT_KIND.get(r[1])) for r in found]


def list_summaries(
    db: SqliteDatabase, kind: EntityKind | None, limit: int | None = None
) -> list[EntitySummary]:
    query = Entity.select(*_SUMMARY_COLUMNS).order_by(Entity.kind, Entity.sort_title, Entity.id)
    if kind is not None:
        query = query.where(Entity.kind == kind.value)
    query = query.limit(limit) if limit is not None else query
    return _summaries(db, raw_rows(db, query))


def summaries_for(db: SqliteDatabase, ids: list[int]) -> list[EntitySummary]:
    found = rows(Entity.select(*_SUMMARY_COLUMNS).where(Entity.id.in_(ids)))
    files = _files_by_entity(db, ids)
    by_id = {r[0]: _summary(r, tuple(files.get(r[0], ())), _PARENT_KIND.get(r[1])) for r in found}
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
    seasons: tuple[EntityState, ...] = ()
    if with_children and row.kind == "series":
        children = tuple(_state(e, False) for e in _episodes_of(row.id))
        seasons = tuple(_state(s, False) for s in _seasons_of(row.id))
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
        seasons=seasons,
        partial=bool(row.partial),
    )


def _seasons_of(series_id: int) -> list[Entity]:
    """A series' season rows (made by a scan, for a season with a file), by number."""
    query = Entity.select().where((Entity.parent == series_id) & (Entity.kind == "season"))
    return list(query.order_by(Entity.season_number, Entity.id))


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


_QUEUE_SQL = (
    f"SELECT {', '.join(f.column_name for f in _SUMMARY_COLUMNS)} FROM entities"
    " WHERE monitored = 1 AND ident_status != 'review'"
)


def staleness_queue(
    db: SqliteDatabase, limit: int | None, fresh_after: float | None
) -> list[EntitySummary]:
    """Monitored titles: never enriched first, then oldest, then least complete, then by id.

    `fresh_after`: titles enriched at or after this timestamp are fresh and left out (None: keep
    all), unless partial: those come last. Titles in review are left out.

    Two reads of `entities_staleness` (monitored, last_enriched_at, completeness, then the
    rowid), each in index order and stopping at the limit: its NULL head (never enriched),
    then, if the limit is not reached, the range before `fresh_after`. One `IS NULL OR <`
    condition cannot bound the scan: with nothing stale it would read every fresh title.
    Plain SQL: building it through Peewee costs more than running it.
    """
    if limit is not None and limit < 0:
        limit = None  # SQLite reads a negative LIMIT as none
    sql = _QUEUE_SQL + " AND last_enriched_at IS NULL ORDER BY completeness, id"
    found = _limited(db, sql, [], limit)
    if limit is None or len(found) < limit:
        params: list[Any] = []
        if fresh_after is None:
            sql = _QUEUE_SQL + " AND last_enriched_at IS NOT NULL"
        else:
            sql = _QUEUE_SQL + " AND last_enriched_at < ?"
            params.append(fresh_after)
        sql += " ORDER BY last_enriched_at, completeness, id"
        found += _limited(db, sql, params, None if limit is None else limit - len(found))
    if fresh_after is not None and (limit is None or len(found) < limit):
        sql = _QUEUE_SQL.replace(" FROM entities", " FROM entities INDEXED BY entities_partial")
        sql += " AND partial = 1 AND last_enriched_at >= ?"
        sql += " ORDER BY last_enriched_at, completeness, id"
        found += _limited(db, sql, [fresh_after], None if limit is None else limit - len(found))
    return _summaries(db, found)


def _limited(
    db: SqliteDatabase, sql: str, params: list[Any], limit: int | None
) -> list[tuple[Any, ...]]:
    if limit is not None:
        sql, params = sql + " LIMIT ?", [*params, limit]
    return list(db.execute_sql(sql, params).fetchall())


# One pass over `entities_kind_completeness` (kind, completeness, sort_title, ident_status;
# schema v3) without touching the table: a group per kind and completeness value (a few dozen:
# completeness is a share of a handful of expected fields), summed up in Python. Without that
# index the grouping needs a sort of every title. The same index serves `top_incomplete`.
_STATUS_SQL = """
    SELECT kind, completeness, count(*), sum(ident_status = 'review')
    FROM entities WHERE kind IN ('movie', 'series')
    GROUP BY kind, completeness
"""


def status_counts(db: SqliteDatabase) -> dict[str, dict[str, Any]]:
    """Per kind (movies, series): totals per completeness category, review, average."""
    groups: dict[str, list[tuple[float, int, int]]] = defaultdict(list)
    for kind, completeness, count, review in db.execute_sql(_STATUS_SQL):
        groups[kind].append((completeness, count, review))
    out: dict[str, dict[str, Any]] = {}
    for kind, values in groups.items():
        by_category: dict[str, int] = defaultdict(int)
        for completeness, count, _ in values:
            by_category[category_for(completeness)] += count
        total = sum(count for _, count, _ in values)
        out[kind] = {
            "total": total,
            "enriched": by_category[CATEGORY_ENRICHED],
            "partially_enriched": by_category[CATEGORY_PARTIAL],
            "unenriched": by_category[CATEGORY_UNENRICHED],
            "needs_review": sum(review for _, _, review in values),
            # fsum: no drift from a running sum over 100k values
            "average_completeness": math.fsum(c * n for c, n, _ in values) / total,
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
