"""The repository on a real SQLite file: migrations, scan bookkeeping, reads and writes."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from matinee.errors import NotFoundError, StoreError
from matinee.model import EntityKind, Identification, Ids, Ref, Tier
from matinee.store.migrations import MIGRATIONS
from matinee.store.records import EntityWrite, FileTarget, FileUpsert, LogEntry
from matinee.store.repo import Repository


@pytest.fixture
async def repo(tmp_path: Path):  # type: ignore[no-untyped-def]
    r = Repository(tmp_path / "m.db")
    await r.open()
    yield r
    await r.close()


NO_IDS = Ids()


def movie(path: str, title: str, year: int | None, size: int = 10, ids: Ids = NO_IDS) -> FileUpsert:
    return FileUpsert(path=path, root="/lib", size=size, mtime=1.0, parsed={"title": title},
                      target=FileTarget(EntityKind.MOVIE, f"{title.lower()}|{year}", title, year,
                                        ids=ids))  # fmt: skip


def episode(path: str, show: str, season: int, eps: tuple[int, ...]) -> FileUpsert:
    return FileUpsert(path=path, root="/lib", size=10, mtime=1.0, parsed={},
                      target=FileTarget(EntityKind.EPISODE, show.lower(), show, None,
                                        season=season, episodes=eps))  # fmt: skip


async def test_open_sets_wal_and_schema_version(tmp_path: Path, repo: Repository) -> None:
    con = sqlite3.connect(tmp_path / "m.db")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == len(MIGRATIONS)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


async def test_reopen_does_not_migrate_twice(tmp_path: Path) -> None:
    for _ in range(2):
        r = Repository(tmp_path / "x.db")
        await r.open()
        await r.close()
    con = sqlite3.connect(tmp_path / "x.db")
    rows = con.execute("SELECT version FROM schema_version ORDER BY version").fetchall()
    assert [r[0] for r in rows] == list(range(1, len(MIGRATIONS) + 1))


async def test_newer_database_is_refused(tmp_path: Path) -> None:
    r = Repository(tmp_path / "x.db")
    await r.open()
    await r.close()
    con = sqlite3.connect(tmp_path / "x.db")
    con.execute("INSERT INTO schema_version VALUES (99)")
    con.commit()
    r = Repository(tmp_path / "x.db")
    with pytest.raises(StoreError, match="newer than this matinee"):
        await r.open()
    await r.close()


async def test_scan_creates_movies_series_seasons_episodes(repo: Repository) -> None:
    counts = await repo.apply_scan(
        [movie("/lib/Heat (1995).mkv", "Heat", 1995),
         movie("/lib/Heat (1995) cd2.mkv", "Heat", 1995),
         episode("/lib/Show/S01E01E02.mkv", "Show", 1, (1, 2)),
         episode("/lib/Show/S01E03.mkv", "Show", 1, (3,))],
        [],
    )  # fmt: skip
    assert (counts.movies, counts.series, counts.episodes) == (1, 1, 3)
    movies = await repo.list_summaries(EntityKind.MOVIE)
    assert [m.title for m in movies] == ["Heat"]
    assert movies[0].files == ("/lib/Heat (1995) cd2.mkv", "/lib/Heat (1995).mkv")
    series = (await repo.list_summaries(EntityKind.SERIES))[0]
    state = await repo.state(series.ref)
    assert [(c.season_number, c.episode_number) for c in state.children] == [(1, 1), (1, 2), (1, 3)]
    assert state.children[0].files[0].path == "/lib/Show/S01E01E02.mkv"


async def test_missing_file_keeps_entity_and_metadata(repo: Repository) -> None:
    await repo.apply_scan([movie("/lib/a.mkv", "A", 2000)], [])
    ref = (await repo.list_summaries())[0].ref
    await repo.apply_scan([], ["/lib/a.mkv"])
    known = await repo.known_files()
    assert known["/lib/a.mkv"].missing is True
    detail = await repo.detail(ref)
    assert detail.summary.title == "A"
    assert detail.files[0].missing is True


async def test_undecodable_path_round_trips(repo: Repository) -> None:
    path = b"/lib/caf\xe9.mkv".decode("utf-8", "surrogateescape")
    await repo.apply_scan([movie(path, "Cafe", None)], [])
    known = await repo.known_files()
    assert path in known
    summary = (await repo.list_summaries())[0]
    assert summary.files == ("/lib/caf\\xe9.mkv",)


async def test_local_ids_land_on_the_entity(repo: Repository) -> None:
    await repo.apply_scan([movie("/lib/m.mkv", "M", 1999, ids=Ids(603, "tt0133093"))], [])
    s = (await repo.list_summaries())[0]
    assert s.ids == Ids(603, "tt0133093", None)


async def test_write_lock_and_queue_order(repo: Repository) -> None:
    await repo.apply_scan([movie(f"/lib/{t}.mkv", t, 2000) for t in ("A", "B", "C")], [])
    a, b, c = await repo.list_summaries()
    now = time.time()
    write = EntityWrite(
        entity_id=b.ref.id, fields={"title": "B!", "plot": "p"}, sources={"plot": "tmdb"},
        fetched_at=now - 100, ids=Ids(1), identification=Identification("identified", 0.9,
        Tier.STRONG), completeness=50.0, title="B!", year=2000, sort_title="b!",
        log=LogEntry(mode="manual", changes=({"field": "plot", "old": None, "new": "p",
                                               "provider": "tmdb"},)),
    )  # fmt: skip
    await repo.write([write])
    queue = await repo.queue(10, None)
    assert [q.ref for q in queue] == [a.ref, c.ref, b.ref]  # never enriched first
    assert [q.ref for q in await repo.queue(10, now - 200)] == [a.ref, c.ref]  # b is fresh
    detail = await repo.detail(b.ref)
    assert detail.fields["plot"] == "p"
    assert detail.field_sources == {"plot": "tmdb"}
    assert detail.summary.ids.tmdb == 1
    await repo.lock(b.ref, ["plot"])
    assert (await repo.state(b.ref)).locks == frozenset({"plot"})
    await repo.unlock(b.ref, ["plot"])
    assert (await repo.state(b.ref)).locks == frozenset()


async def test_review_items_and_status(repo: Repository) -> None:
    await repo.apply_scan([movie("/lib/x.mkv", "X", None)], [])
    ref = (await repo.list_summaries())[0].ref
    cand = {"provider": "tmdb", "id": "5", "kind": "movie", "title": "X", "year": 1990,
            "score": 0.7, "tier": "weak", "reasons": [{"name": "title", "score": 1.0,
            "weight": 0.85, "detail": "x"}]}  # fmt: skip
    await repo.save_review(ref.id, [cand], 0.7)
    items = await repo.review_items()
    assert items[0][0] == ref
    assert items[0][3][0].id == "5" and items[0][3][0].reasons[0].name == "title"
    counts = await repo.status_counts()
    assert counts["movie"]["needs_review"] == 1
    assert counts["movie"]["unenriched"] == 1
    assert await repo.queue(10, None) == []  # waiting for a person, not for the queue


async def test_unknown_ref_is_not_found(repo: Repository) -> None:
    with pytest.raises(NotFoundError, match="movie:42"):
        await repo.detail(Ref(EntityKind.MOVIE, 42))
