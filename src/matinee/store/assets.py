"""Artwork candidates and the files matinee wrote to its cache, as units of database work.

A candidate is keyed by (entity, slot, season, url); its provider's next answer refreshes what
the provider declared and leaves what we measured and chose (hash, real size, score, selection,
cached file) alone. A user's pick is a lock on the slot's field (`field_locks`, asset slots are
fields) plus the field set to the pick's URL with the source `user`: the merge then never
replaces it, and the automatic selection never unselects it (`save_analysis`). Season art is
stored on the series with its season number; its field and lock are on the season's row.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from peewee import SqliteDatabase, chunked

from matinee.assets.model import AssetCandidate
from matinee.errors import NotFoundError
from matinee.providers.base import Artwork
from matinee.store.schema import (
    CacheFile,
    EnrichmentLog,
    Entity,
    FieldLock,
    FieldSource,
    Person,
    ProviderAsset,
)

__all__ = [
    "AUTO",
    "USER",
    "CachedFile",
    "cache_files",
    "cache_paths_in_use",
    "candidate_from_artwork",
    "candidates",
    "forget_cache_files",
    "record_cache_file",
    "save_analysis",
    "select_by_user",
    "unlock_slot",
    "upsert_candidates",
]

AUTO = "auto"
USER = "user"  # the same word as `enrich.authority.USER`: the user's value outranks providers

_DECLARED = ("preview_url", "language", "votes", "rating", "width", "height", "disc", "disc_type")
_CHUNK = 200

Key = tuple[str, int, str]


@dataclass(frozen=True, slots=True)
class CachedFile:
    """One file matinee wrote to its cache (the only files eviction may delete)."""

    id: int
    rel_path: str
    sha256: str
    kind: str
    size: int
    entity_id: int | None
    asset_id: int | None
    person_id: int | None
    written_at: float


def candidate_from_artwork(entity_id: int, art: Artwork) -> AssetCandidate:
    """A provider's declared artwork as a candidate for `entity_id` (not stored yet)."""
    return AssetCandidate(
        entity_id=entity_id, slot=art.slot, provider=art.provider, url=art.url,
        season=art.season, preview_url=art.preview_url, language=art.language,
        votes=art.votes, rating=art.rating, width=art.width, height=art.height,
        disc=art.disc, disc_type=art.disc_type,
    )  # fmt: skip


def _key(slot: str, season: int | None, url: str) -> Key:
    return slot, -1 if season is None else season, url


def _season_is(season: int | None) -> Any:
    return ProviderAsset.season.is_null() if season is None else ProviderAsset.season == season


def _candidate(row: ProviderAsset) -> AssetCandidate:
    return AssetCandidate(
        id=row.id, entity_id=row.entity_id, slot=row.slot, season=row.season,
        provider=row.provider, url=row.url, preview_url=row.preview_url, language=row.language,
        votes=row.votes, rating=row.rating, width=row.width, height=row.height, disc=row.disc,
        disc_type=row.disc_type, phash=row.phash, real_width=row.real_width,
        real_height=row.real_height, score=row.score, parts=dict(row.parts or {}),
        selected=bool(row.selected), selected_by=row.selected_by, cached_path=row.cached_path,
    )  # fmt: skip


def _declared(c: AssetCandidate) -> dict[str, Any]:
    return {name: getattr(c, name) for name in _DECLARED}


def upsert_candidates(
    db: SqliteDatabase,
    entity_id: int,
    provider: str,
    offered: Sequence[AssetCandidate],
    now: float,
) -> None:
    """Store what `provider` offers for an entity now.

    New candidates are inserted (with any analysis they carry, unselected); known ones get the
    declared data refreshed and `last_seen = now`, keeping hash, score, selection and cached
    file. The provider's candidates it no longer offers are deleted, unless the user picked
    them. A URL another provider already offered for the same slot stays that provider's.
    """
    wanted: dict[Key, AssetCandidate] = {}
    for one in offered:
        wanted.setdefault(_key(one.slot, one.season, one.url), one)
    with db.atomic():
        rows = {
            _key(r.slot, r.season, r.url): r
            for r in ProviderAsset.select().where(ProviderAsset.entity == entity_id)
        }
        seen: list[int] = []
        gone: list[int] = []
        for key, row in rows.items():
            if row.provider != provider:
                continue
            c = wanted.get(key)
            if c is None:
                if row.selected_by != USER:
                    gone.append(row.id)
            elif all(getattr(row, n) == v for n, v in _declared(c).items()):
                seen.append(row.id)
            else:
                ProviderAsset.update(**_declared(c), last_seen=now).where(
                    ProviderAsset.id == row.id
                ).execute()
        for ids in chunked(seen, _CHUNK):
            ProviderAsset.update(last_seen=now).where(ProviderAsset.id.in_(ids)).execute()
        for ids in chunked(gone, _CHUNK):
            ProviderAsset.delete().where(ProviderAsset.id.in_(ids)).execute()
        new = [
            {
                **_declared(c),
                "entity": entity_id,
                "slot": c.slot,
                "season": c.season,
                "provider": provider,
                "url": c.url,
                "phash": c.phash,
                "real_width": c.real_width,
                "real_height": c.real_height,
                "score": c.score,
                "parts": dict(c.parts),
                "selected": False,
                "selected_by": None,
                "first_seen": now,
                "last_seen": now,
            }
            for key, c in wanted.items()
            if key not in rows
        ]
        for batch in chunked(new, _CHUNK):
            ProviderAsset.insert_many(batch).execute()


def candidates(db: SqliteDatabase, entity_id: int) -> list[AssetCandidate]:
    """An entity's candidates by slot and season, best score first (unscored last)."""
    query = (
        ProviderAsset.select()
        .where(ProviderAsset.entity == entity_id)
        .order_by(
            ProviderAsset.slot,
            ProviderAsset.season,
            ProviderAsset.score.desc(nulls="LAST"),
            ProviderAsset.id,
        )
    )
    return [_candidate(r) for r in query]


def save_analysis(db: SqliteDatabase, updates: Sequence[AssetCandidate]) -> int:
    """Store hash, real size, score, parts, selection and cached path of stored candidates.

    A candidate deleted meanwhile is skipped. The selection of a slot (and season) the user
    picked is left as it is: its pick stays selected and no other candidate becomes so; an
    automatic selection is stored as `auto`. Returns how many rows were updated.
    """
    ids = [u.id for u in updates if u.id is not None]
    if not ids:
        return 0
    with db.atomic():
        rows: dict[int, ProviderAsset] = {}
        for batch in chunked(ids, _CHUNK):
            query = ProviderAsset.select(
                ProviderAsset.id, ProviderAsset.entity, ProviderAsset.slot, ProviderAsset.season
            ).where(ProviderAsset.id.in_(batch))
            rows.update({r.id: r for r in query})
        entities = list({r.entity_id for r in rows.values()})
        picked = {
            (r.entity_id, r.slot, r.season)
            for batch in chunked(entities, _CHUNK)
            for r in ProviderAsset.select(
                ProviderAsset.entity, ProviderAsset.slot, ProviderAsset.season
            ).where(ProviderAsset.entity.in_(batch) & (ProviderAsset.selected_by == USER))
        }
        done = 0
        for u in updates:
            row = rows.get(u.id) if u.id is not None else None
            if row is None:
                continue
            values: dict[str, Any] = {
                "phash": u.phash, "real_width": u.real_width, "real_height": u.real_height,
                "score": u.score, "parts": dict(u.parts), "cached_path": u.cached_path,
            }  # fmt: skip
            if (row.entity_id, row.slot, row.season) not in picked:
                values.update(selected=u.selected, selected_by=AUTO if u.selected else None)
            done += ProviderAsset.update(**values).where(ProviderAsset.id == row.id).execute()
    return done


def _slot_entity(entity_id: int, season: int | None) -> int | None:
    """The row whose field a slot is: the title, or for season art the season's row."""
    if season is None:
        return entity_id
    found = (
        Entity.select(Entity.id)
        .where(
            (Entity.kind == "season")
            & (Entity.parent == entity_id)
            & (Entity.season_number == season)
        )
        .scalar()
    )
    return None if found is None else int(found)


def select_by_user(
    db: SqliteDatabase, entity_id: int, slot: str, asset_id: int, season: int | None = None
) -> AssetCandidate:
    """The user picks a candidate: it alone is selected (`user`) for its slot and season, the
    slot's field is locked and set to its URL with the source `user`.

    Season art sets the season row's field (nothing is locked when the series has no row for
    that season). Raises NotFoundError when the id is not a candidate of that slot.
    """
    now = time.time()
    with db.atomic():
        row = ProviderAsset.get_or_none(
            (ProviderAsset.id == asset_id)
            & (ProviderAsset.entity == entity_id)
            & (ProviderAsset.slot == slot)
            & _season_is(season)
        )
        if row is None:
            where = f"{slot}" if season is None else f"{slot} of season {season}"
            raise NotFoundError(f"no {where} candidate {asset_id} for entity {entity_id}")
        ProviderAsset.update(selected=False, selected_by=None).where(
            (ProviderAsset.entity == entity_id)
            & (ProviderAsset.slot == slot)
            & _season_is(season)
            & (ProviderAsset.id != asset_id)
        ).execute()
        ProviderAsset.update(selected=True, selected_by=USER).where(
            ProviderAsset.id == asset_id
        ).execute()
        target = _slot_entity(entity_id, season)
        if target is not None:
            _set_user_field(target, slot, row.url, now)
        return _candidate(ProviderAsset.get_by_id(asset_id))


def _set_user_field(entity_id: int, name: str, value: str, now: float) -> None:
    fields = dict(Entity.get_by_id(entity_id).fields or {})
    old = fields.get(name)
    fields[name] = value
    Entity.update(fields=fields, updated_at=now).where(Entity.id == entity_id).execute()
    FieldSource.insert(
        entity=entity_id, field=name, provider=USER, fetched_at=now
    ).on_conflict_replace().execute()
    FieldLock.insert(entity=entity_id, field=name, locked_at=now).on_conflict_ignore().execute()
    if old != value:
        change = {"field": name, "old": old, "new": value, "provider": USER}
        EnrichmentLog.insert(
            entity=entity_id, at=now, mode=USER, changes=[change], visible_change=True
        ).execute()


def unlock_slot(db: SqliteDatabase, entity_id: int, slot: str, season: int | None = None) -> None:
    """Remove the slot's lock: the user's pick becomes an automatic one, and the field's value
    is credited to the pick's provider, so providers and the selection may replace it again."""
    with db.atomic():
        pick = ProviderAsset.get_or_none(
            (ProviderAsset.entity == entity_id)
            & (ProviderAsset.slot == slot)
            & _season_is(season)
            & (ProviderAsset.selected_by == USER)
        )
        ProviderAsset.update(selected_by=AUTO).where(
            (ProviderAsset.entity == entity_id)
            & (ProviderAsset.slot == slot)
            & _season_is(season)
            & (ProviderAsset.selected_by == USER)
        ).execute()
        target = _slot_entity(entity_id, season)
        if target is None:
            return
        FieldLock.delete().where((FieldLock.entity == target) & (FieldLock.field == slot)).execute()
        if pick is not None and (Entity.get_by_id(target).fields or {}).get(slot) == pick.url:
            FieldSource.update(provider=pick.provider).where(
                (FieldSource.entity == target)
                & (FieldSource.field == slot)
                & (FieldSource.provider == USER)
            ).execute()


def _existing(model: Any, row_id: int | None) -> int | None:
    if row_id is None or not model.select().where(model.id == row_id).exists():
        return None
    return row_id


def record_cache_file(
    db: SqliteDatabase,
    rel_path: str,
    sha256: str,
    kind: str,
    size: int,
    now: float,
    *,
    entity_id: int | None = None,
    asset_id: int | None = None,
    person_id: int | None = None,
) -> int:
    """Remember a file matinee wrote (again: the row is replaced); returns its id.

    A link to a row deleted meanwhile is stored as NULL.
    """
    values = {
        "sha256": sha256, "kind": kind, "size": size, "written_at": now,
        "entity": _existing(Entity, entity_id), "asset": _existing(ProviderAsset, asset_id),
        "person": _existing(Person, person_id),
    }  # fmt: skip
    with db.atomic():
        CacheFile.insert(rel_path=rel_path, **values).on_conflict(
            conflict_target=[CacheFile.rel_path],
            update={getattr(CacheFile, name): value for name, value in values.items()},
        ).execute()
        return int(CacheFile.select(CacheFile.id).where(CacheFile.rel_path == rel_path).scalar())


def cache_files(db: SqliteDatabase) -> list[CachedFile]:
    """Every file matinee wrote, oldest first."""
    query = CacheFile.select().order_by(CacheFile.written_at, CacheFile.id)
    return [
        CachedFile(
            id=r.id,
            rel_path=r.rel_path,
            sha256=r.sha256,
            kind=r.kind,
            size=r.size,
            entity_id=r.entity_id,
            asset_id=r.asset_id,
            person_id=r.person_id,
            written_at=r.written_at,
        )
        for r in query
    ]


def cache_paths_in_use(db: SqliteDatabase) -> set[str]:
    """Cached paths something still shows: selected candidates and people's headshots."""
    assets = ProviderAsset.select(ProviderAsset.cached_path).where(
        ProviderAsset.selected & ProviderAsset.cached_path.is_null(False)
    )
    people = Person.select(Person.cached_path).where(Person.cached_path.is_null(False))
    return {str(r.cached_path) for r in assets} | {str(r.cached_path) for r in people}


def forget_cache_files(db: SqliteDatabase, rel_paths: Iterable[str]) -> int:
    """Drop the rows of evicted files; returns how many there were."""
    done = 0
    with db.atomic():
        for batch in chunked(list(rel_paths), _CHUNK):
            done += CacheFile.delete().where(CacheFile.rel_path.in_(batch)).execute()
    return int(done)
