"""A title's history on a real SQLite file: its log rows as values, newest first."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from matinee.engine.views import FieldChange
from matinee.errors import NotFoundError
from matinee.model import EntityKind, Ref
from matinee.store.records import FileTarget, FileUpsert
from matinee.store.repo import Repository


@pytest.fixture
async def repo(tmp_path: Path) -> AsyncIterator[Repository]:
    r = Repository(tmp_path / "m.db")
    await r.open()
    yield r
    await r.close()


async def movie(repo: Repository, title: str) -> Ref:
    target = FileTarget(EntityKind.MOVIE, title.lower(), title, 2000)
    await repo.apply_scan([FileUpsert(f"/lib/{title}.mkv", "/lib", 10, 1.0, {}, target)], [])
    (found,) = [s.ref for s in await repo.list_summaries(EntityKind.MOVIE) if s.title == title]
    return found


def log(db: Path, entity_id: int, at: float, mode: str, changes: str, ok: str = "[]") -> None:
    with sqlite3.connect(db) as con:
        con.execute(
            "INSERT INTO enrichment_log (entity_id, at, mode, changes, providers_ok,"
            " providers_failed, completeness_before, completeness_after)"
            " VALUES (?, ?, ?, ?, ?, '[\"fanart\"]', 10.0, 80.0)",
            (entity_id, at, mode, changes, ok),
        )


async def test_rows_come_newest_first_with_their_changes(tmp_path: Path, repo: Repository) -> None:
    ref = await movie(repo, "Heat")
    other = await movie(repo, "Alien")
    db = tmp_path / "m.db"
    log(db, ref.id, 1000.0, "manual", '[{"field": "plot", "old": null, "new": "P", '
        '"provider": "tmdb"}]', '["tmdb", "omdb"]')  # fmt: skip
    log(db, ref.id, 3000.0, "user", '[{"field": "runtime", "old": 90, "new": 95, '
        '"provider": "user"}]')  # fmt: skip
    log(db, ref.id, 2000.0, "identify", "[]")
    log(db, other.id, 4000.0, "bulk", "[]")
    entries = await repo.history(ref, 50)
    assert [e.mode for e in entries] == ["user", "identify", "manual"]
    assert entries[0].at == datetime.fromtimestamp(3000.0, UTC)
    assert entries[0].changes == (FieldChange("runtime", 90, 95, "user"),)
    oldest = entries[-1]
    assert oldest.changes == (FieldChange("plot", None, "P", "tmdb"),)
    assert oldest.providers_ok == ("tmdb", "omdb") and oldest.providers_failed == ("fanart",)
    assert (oldest.completeness_before, oldest.completeness_after) == (10.0, 80.0)
    assert [e.mode for e in await repo.history(ref, 2)] == ["user", "identify"]
    assert await repo.history(await movie(repo, "Ran"), 50) == []


async def test_a_ref_that_names_nothing_is_not_found(repo: Repository) -> None:
    ref = await movie(repo, "Heat")
    with pytest.raises(NotFoundError):
        await repo.history(Ref(EntityKind.MOVIE, 999), 50)
    with pytest.raises(NotFoundError):  # the id exists, as a movie
        await repo.history(Ref(EntityKind.SERIES, ref.id), 50)
