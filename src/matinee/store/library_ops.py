"""Scan bookkeeping on the database thread: known files, roots, and applying a scan's changes.

A scan's changes land in one transaction: new and changed files are upserted and linked to
their movie or episode (creating series and seasons as needed), vanished files are marked
missing and keep their entity and its metadata.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from typing import Any

from peewee import SqliteDatabase

from matinee.model import EntityKind
from matinee.store.entity_reads import rows
from matinee.store.records import FileTarget, FileUpsert, KnownFile, ScanApplied
from matinee.store.schema import Entity, EntityFile, MediaFile, Root

__all__ = [
    "add_roots",
    "apply_scan",
    "entity_counts",
    "known_files",
    "list_roots",
    "sort_key",
]


def _path_key(path: str) -> bytes:
    """Paths are stored as their raw bytes: names that are not valid UTF-8 survive intact."""
    return os.fsencode(path)


def _display(path: str) -> str:
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def sort_key(title: str) -> str:
    lowered = title.casefold().strip()
    for article in ("the ", "a ", "an "):
        if lowered.startswith(article):
            return lowered[len(article) :]
    return lowered


def add_roots(db: SqliteDatabase, roots: Sequence[str]) -> None:
    now = time.time()
    with db.atomic():
        for root in roots:
            Root.insert(path=root, added_at=now).on_conflict_ignore().execute()


def list_roots(db: SqliteDatabase) -> list[str]:
    return [r.path for r in Root.select(Root.path).order_by(Root.id)]


def known_files(db: SqliteDatabase) -> dict[str, KnownFile]:
    query = MediaFile.select(
        MediaFile.id, MediaFile.path, MediaFile.size, MediaFile.mtime, MediaFile.missing,
        MediaFile.root,
    ).tuples()  # fmt: skip
    return {
        os.fsdecode(bytes(path)): KnownFile(fid, size, mtime, bool(missing), root)
        for fid, path, size, mtime, missing, root in query.iterator()
    }


def _entity(
    kind: EntityKind,
    parent: int | None,
    group_key: str,
    title: str,
    year: int | None,
    now: float,
    *,
    season: int | None = None,
    episode: int | None = None,
    ids: dict[str, Any] | None = None,
) -> tuple[int, bool]:
    query = Entity.select(Entity.id).where(
        (Entity.kind == kind.value) & (Entity.group_key == group_key)
    )
    query = query.where(Entity.parent.is_null() if parent is None else Entity.parent == parent)
    found = query.scalar()
    if found is not None:
        return int(found), False
    ids = ids or {}
    fields: dict[str, Any] = {"title": title}
    if year is not None and kind in (EntityKind.MOVIE, EntityKind.SERIES):
        fields["year"] = year
    for name in ("tmdb", "imdb", "tvdb"):
        if ids.get(name):
            fields[f"{name}_id"] = ids[name]
    new_id = Entity.insert(
        kind=kind.value,
        parent=parent,
        group_key=group_key,
        title=title,
        sort_title=sort_key(title),
        year=year,
        season_number=season,
        episode_number=episode,
        tmdb_id=ids.get("tmdb"),
        imdb_id=ids.get("imdb"),
        tvdb_id=ids.get("tvdb"),
        fields=fields,
        monitored=kind in (EntityKind.MOVIE, EntityKind.SERIES),
        created_at=now,
        updated_at=now,
    ).execute()
    return int(new_id), True


def _targets(target: FileTarget, now: float) -> list[int]:
    ids = target.ids.as_dict()
    if target.kind is EntityKind.MOVIE:
        movie, _ = _entity(
            EntityKind.MOVIE, None, target.group_key, target.title, target.year, now, ids=ids
        )
        if any(ids.values()):
            _adopt_local_ids(movie, ids)
        return [movie]
    series_ids = {k: v for k, v in ids.items() if k in ("tmdb", "tvdb", "imdb")}
    series, _ = _entity(
        EntityKind.SERIES, None, target.group_key, target.title, target.year, now, ids=series_ids
    )
    if any(series_ids.values()):
        _adopt_local_ids(series, series_ids)
    season_no = target.season if target.season is not None else 1
    season, _ = _entity(
        EntityKind.SEASON, series, f"s{season_no}",
        "Specials" if season_no == 0 else f"Season {season_no}", None, now,
        season=season_no,
    )  # fmt: skip
    out: list[int] = []
    if target.episodes:
        for number in target.episodes:
            title = target.episode_title or f"Episode {number}"
            episode, _ = _entity(
                EntityKind.EPISODE, season, f"e{number}", title, None, now,
                season=season_no, episode=number,
            )  # fmt: skip
            out.append(episode)
    else:
        key = target.episode_key or "e?"
        title = target.episode_title or key
        episode, _ = _entity(EntityKind.EPISODE, season, key, title, None, now, season=season_no)
        out.append(episode)
    return out


def _adopt_local_ids(entity_id: int, ids: dict[str, Any]) -> None:
    """Ids found on disk (NFO, name tags) fill an entity's empty ids."""
    row = Entity.get_by_id(entity_id)
    changed = False
    fields = dict(row.fields or {})
    for name in ("tmdb", "imdb", "tvdb"):
        value = ids.get(name)
        column = f"{name}_id"
        if value and getattr(row, column) is None:
            setattr(row, column, value)
            fields[column] = value
            changed = True
    if changed:
        row.fields = fields
        row.save()


def apply_scan(
    db: SqliteDatabase,
    upserts: Sequence[FileUpsert],
    missing: Sequence[str],
) -> ScanApplied:
    now = time.time()
    touched: set[int] = set()
    with db.atomic():
        for up in upserts:
            key = _path_key(up.path)
            entity_ids = _targets(up.target, now)
            values = {
                "display_path": _display(up.path),
                "root": up.root,
                "size": up.size,
                "mtime": up.mtime,
                "missing": False,
                "last_seen": now,
                "parsed": up.parsed,
                "local_ids": up.target.ids.as_dict(),
                "probe": up.probe,
                "entity": entity_ids[0],
            }
            existing = MediaFile.select(MediaFile.id).where(MediaFile.path == key).scalar()
            if existing is None:
                file_id = MediaFile.insert(path=key, first_seen=now, **values).execute()
            else:
                file_id = existing
                MediaFile.update(**values).where(MediaFile.id == file_id).execute()
                EntityFile.delete().where(EntityFile.file == file_id).execute()
            for eid in entity_ids:
                EntityFile.insert(entity=eid, file=file_id).on_conflict_ignore().execute()
                touched.add(eid)
        for path in missing:
            key = _path_key(path)
            MediaFile.update(missing=True).where(MediaFile.path == key).execute()
            linked = (
                EntityFile.select(EntityFile.entity)
                .join(MediaFile, on=(EntityFile.file == MediaFile.id))
                .where(MediaFile.path == key)
            )
            touched.update(int(eid) for (eid,) in rows(linked))
        _refresh_on_disk(touched, now)
    return entity_counts(db)


def _refresh_on_disk(entity_ids: set[int], now: float) -> None:
    for eid in entity_ids:
        present = (
            EntityFile.select()
            .join(MediaFile, on=(EntityFile.file == MediaFile.id))
            .where((EntityFile.entity == eid) & (MediaFile.missing == False))  # noqa: E712
            .exists()
        )
        Entity.update(on_disk=present, updated_at=now).where(Entity.id == eid).execute()


def entity_counts(db: SqliteDatabase) -> ScanApplied:
    counts = dict(db.execute_sql("SELECT kind, count(*) FROM entities GROUP BY kind").fetchall())
    return ScanApplied(
        movies=int(counts.get("movie", 0)),
        series=int(counts.get("series", 0)),
        episodes=int(counts.get("episode", 0)),
    )
