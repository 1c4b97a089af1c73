"""Episode rows made by enrichment for the episodes the disk lacks, and linked by a later scan."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from matinee.model import EntityKind, Identification, Ids, Ref, Tier
from matinee.store.records import EntityWrite, FileTarget, FileUpsert, LogEntry, NewEpisode
from matinee.store.repo import Repository


@pytest.fixture
async def repo(tmp_path: Path):  # type: ignore[no-untyped-def]
    r = Repository(tmp_path / "m.db")
    await r.open()
    yield r
    await r.close()


def episode_file(path: str, season: int, eps: tuple[int, ...]) -> FileUpsert:
    return FileUpsert(path=path, root="/lib", size=10, mtime=1.0, parsed={},
                      target=FileTarget(EntityKind.EPISODE, "show", "Show", None,
                                        season=season, episodes=eps))  # fmt: skip


def new_episode(series_id: int, season: int, number: int, title: str) -> EntityWrite:
    return EntityWrite(
        entity_id=0, fields={"title": title, "plot": f"About {title}."},
        sources={"title": "tmdb", "plot": "tmdb"}, fetched_at=1.0, ids=Ids(tmdb=number),
        identification=Identification("identified", 1.0, Tier.STRONG), completeness=50.0,
        title=title, year=None, sort_title=title.casefold(),
        log=LogEntry(mode="manual", changes=({"field": "title", "old": None, "new": title,
                                               "provider": "tmdb"},)),
        create=NewEpisode(series_id, season, number),
    )  # fmt: skip


def flags(db: Path, ref: Ref) -> tuple[bool, bool]:
    with sqlite3.connect(db) as con:
        on_disk, monitored = con.execute(
            "SELECT on_disk, monitored FROM entities WHERE id = ?", (ref.id,)
        ).fetchone()
    return bool(on_disk), bool(monitored)


async def test_created_episode_is_not_on_disk_until_a_scan_links_it(
    tmp_path: Path, repo: Repository
) -> None:
    await repo.apply_scan([episode_file("/lib/Show/S01E01.mkv", 1, (1,))], [])
    (series,) = await repo.list_summaries(EntityKind.SERIES)
    await repo.write([
        new_episode(series.ref.id, 1, 2, "Second"),
        new_episode(series.ref.id, 2, 1, "No season row"),  # seasons are made by scans only
    ])  # fmt: skip
    episodes = {e.episode_number or 0: e for e in await repo.list_summaries(EntityKind.EPISODE)}
    assert sorted(episodes) == [1, 2]
    made = episodes[2]
    assert (made.title, made.season_number, made.files) == ("Second", 1, ())
    assert flags(tmp_path / "m.db", made.ref) == (False, False)
    detail = await repo.detail(made.ref)
    assert detail.fields["plot"] == "About Second."
    assert detail.field_sources == {"title": "tmdb", "plot": "tmdb"}
    assert detail.summary.parent == episodes[1].parent
    assert len(await repo.list_summaries(EntityKind.SEASON)) == 1

    # a write racing a scan that already made the row writes that row, not a second one
    await repo.write([new_episode(series.ref.id, 1, 2, "Second, again")])
    again = [e for e in await repo.list_summaries(EntityKind.EPISODE) if e.episode_number == 2]
    assert [e.ref for e in again] == [made.ref] and again[0].title == "Second, again"

    await repo.apply_scan([episode_file("/lib/Show/S01E02.mkv", 1, (2,))], [])
    linked = [e for e in await repo.list_summaries(EntityKind.EPISODE) if e.episode_number == 2]
    assert [e.ref for e in linked] == [made.ref]
    assert linked[0].files == ("/lib/Show/S01E02.mkv",)
    assert flags(tmp_path / "m.db", made.ref) == (True, False)
    assert (await repo.detail(made.ref)).fields["plot"] == "About Second, again."  # kept
