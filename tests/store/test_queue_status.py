"""Library status counts and the staleness queue on a real SQLite file, built through the
repository: scan, enrichment writes, review, and a title nobody monitors."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from matinee.model import EntityKind, Identification, Ids, Ref, Tier
from matinee.store.records import EntityWrite, FileTarget, FileUpsert
from matinee.store.repo import Repository

DAY = 86400.0
NOW = 1_700_000_000.0
FRESH_AFTER = NOW - 7 * DAY

CANDIDATE = {"provider": "tmdb", "id": "5", "kind": "movie", "title": "X", "year": 1990,
             "score": 0.7, "tier": "weak", "reasons": []}  # fmt: skip


def movie(title: str) -> FileUpsert:
    return FileUpsert(path=f"/lib/{title}.mkv", root="/lib", size=10, mtime=1.0,
                      parsed={"title": title},
                      target=FileTarget(EntityKind.MOVIE, title.lower(), title, 2000))  # fmt: skip


def episode(show: str, season: int, number: int) -> FileUpsert:
    return FileUpsert(path=f"/lib/{show}/S{season:02d}E{number:02d}.mkv", root="/lib", size=10,
                      mtime=1.0, parsed={},
                      target=FileTarget(EntityKind.EPISODE, show.lower(), show, None,
                                        season=season, episodes=(number,)))  # fmt: skip


def write(ref: Ref, title: str, completeness: float, enriched_at: float | None) -> EntityWrite:
    """An enrichment result (`enriched_at` set) or a plain update of the completeness."""
    return EntityWrite(
        entity_id=ref.id, fields={"title": title}, sources={},
        fetched_at=enriched_at if enriched_at is not None else NOW, ids=Ids(),
        identification=Identification("identified", 0.9, Tier.STRONG),
        completeness=completeness, title=title, year=2000, sort_title=title.lower(),
        enriched=enriched_at is not None,
    )  # fmt: skip


@pytest.fixture
async def repo(tmp_path: Path) -> AsyncIterator[Repository]:
    r = Repository(tmp_path / "m.db")
    await r.open()
    yield r
    await r.close()


async def refs_by_title(repo: Repository) -> dict[str, Ref]:
    return {s.title: s.ref for s in await repo.list_summaries()}


def set_monitored(path: Path, ref: Ref, monitored: bool) -> None:
    """No verb unmonitors a title yet: set the column on the same file."""
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE entities SET monitored = ? WHERE id = ?", (int(monitored), ref.id))
    con.close()


# --- status ---------------------------------------------------------------------------------


async def test_status_counts_categories_review_and_average(repo: Repository) -> None:
    values = {"Full": 100.0, "Ninety": 90.0, "AlmostNinety": 89.9, "Sixty": 60.0,
              "AlmostSixty": 59.9, "Empty": 0.0, "Doubtful": 10.0, "Ignored": 95.0}  # fmt: skip
    await repo.apply_scan(
        [movie(t) for t in values] + [episode("Show", 1, n) for n in (1, 2)]
        + [episode("Other", 1, 1)],
        [],
    )  # fmt: skip
    refs = await refs_by_title(repo)
    await repo.write([write(refs[t], t, c, NOW - DAY) for t, c in values.items()])
    await repo.save_review(refs["Doubtful"].id, [CANDIDATE], 0.6)
    set_monitored(repo.path, refs["Ignored"], False)  # counted all the same
    await repo.write([write(refs["Show"], "Show", 75.0, NOW - DAY)])
    # seasons and episodes are not counted, whatever their completeness
    kinds = (EntityKind.SEASON, EntityKind.EPISODE)
    children = [s.ref for s in await repo.list_summaries() if s.ref.kind in kinds]
    assert len(children) == 5
    await repo.write([write(r, "child", 100.0, NOW) for r in children])

    counts = await repo.status_counts()

    assert set(counts) == {"movie", "series"}
    movies = counts["movie"]
    assert {k: v for k, v in movies.items() if k != "average_completeness"} == {
        "total": 8,
        "enriched": 3,  # Full, Ninety, Ignored: >= 90
        "partially_enriched": 2,  # AlmostNinety, Sixty: 60-89
        "unenriched": 3,  # AlmostSixty, Empty, Doubtful: < 60
        "needs_review": 1,
    }
    assert movies["average_completeness"] == pytest.approx(sum(values.values()) / 8, abs=1e-9)
    assert counts["series"] == {
        "total": 2,
        "enriched": 0,
        "partially_enriched": 1,  # Show at 75
        "unenriched": 1,  # Other, never enriched: 0
        "needs_review": 0,
        "average_completeness": 37.5,
    }


async def test_status_counts_of_an_empty_library(repo: Repository) -> None:
    assert await repo.status_counts() == {}


async def test_status_counts_movies_only(repo: Repository) -> None:
    await repo.apply_scan([movie("A"), movie("B")], [])
    refs = await refs_by_title(repo)
    await repo.write([write(refs["A"], "A", 93.8, NOW), write(refs["B"], "B", 62.5, NOW)])
    counts = await repo.status_counts()
    assert list(counts) == ["movie"]
    assert counts["movie"] == {
        "total": 2,
        "enriched": 1,
        "partially_enriched": 1,
        "unenriched": 0,
        "needs_review": 0,
        "average_completeness": pytest.approx((93.8 + 62.5) / 2, abs=1e-12),
    }


# --- staleness queue ------------------------------------------------------------------------


@pytest.fixture
async def library(repo: Repository) -> dict[str, Ref]:
    """Titles in every state the queue tells apart.

    Never enriched: Never25 (25%), NeverA and NeverB (0%, a tie the id breaks), the series
    Show (0%; its season and episodes are not monitored), Waiting (in review), Unwatched (not
    monitored). Enriched: Oldest (60 days ago, 100%), OldLess (30 days, 40%), OldMore (30
    days, 95%), Edge (exactly `FRESH_AFTER`: fresh), Recent (a day ago: fresh), and
    ReviewedOld (30 days ago, since parked in review).
    """
    titles = ["Never25", "NeverA", "NeverB", "Waiting", "Unwatched", "Oldest", "OldMore",
              "OldLess", "Edge", "Recent", "ReviewedOld"]  # fmt: skip
    await repo.apply_scan(
        [movie(t) for t in titles] + [episode("Show", 1, 1), episode("Show", 1, 2)], []
    )
    refs = await refs_by_title(repo)
    assert refs["NeverA"].id < refs["NeverB"].id < refs["Show"].id
    await repo.write([
        write(refs["Never25"], "Never25", 25.0, None),
        write(refs["Oldest"], "Oldest", 100.0, NOW - 60 * DAY),
        write(refs["OldMore"], "OldMore", 95.0, NOW - 30 * DAY),
        write(refs["OldLess"], "OldLess", 40.0, NOW - 30 * DAY),
        write(refs["Edge"], "Edge", 10.0, FRESH_AFTER),
        write(refs["Recent"], "Recent", 10.0, NOW - DAY),
        write(refs["ReviewedOld"], "ReviewedOld", 5.0, NOW - 30 * DAY),
    ])  # fmt: skip
    await repo.save_review(refs["Waiting"].id, [CANDIDATE], 0.6)
    await repo.save_review(refs["ReviewedOld"].id, [CANDIDATE], 0.6)
    set_monitored(repo.path, refs["Unwatched"], False)
    return refs


STALE_ORDER = ["NeverA", "NeverB", "Show", "Never25", "Oldest", "OldLess", "OldMore"]


async def test_queue_order_and_exclusions(repo: Repository, library: dict[str, Ref]) -> None:
    queue = await repo.queue(100, FRESH_AFTER)
    assert [s.title for s in queue] == STALE_ORDER
    assert [s.ref for s in queue] == [library[t] for t in STALE_ORDER]
    assert queue[2].ref.kind is EntityKind.SERIES  # its season and episodes stay out


async def test_queue_without_freshness_keeps_fresh_titles_last(
    repo: Repository, library: dict[str, Ref]
) -> None:
    queue = await repo.queue(None, None)
    assert [s.title for s in queue] == [*STALE_ORDER, "Edge", "Recent"]


async def test_queue_freshness_boundary(repo: Repository, library: dict[str, Ref]) -> None:
    # enriched exactly at fresh_after is fresh; a moment later, it is stale
    later = await repo.queue(None, FRESH_AFTER + 1)
    assert [s.title for s in later] == [*STALE_ORDER, "Edge"]
    # everything enriched is fresh: only the never-enriched remain
    early = await repo.queue(None, NOW - 90 * DAY)
    assert [s.title for s in early] == STALE_ORDER[:4]


async def test_queue_limit(repo: Repository, library: dict[str, Ref]) -> None:
    for limit in range(len(STALE_ORDER) + 2):
        queue = await repo.queue(limit, FRESH_AFTER)
        assert [s.title for s in queue] == STALE_ORDER[:limit]


async def test_queue_items_are_full_summaries(repo: Repository, library: dict[str, Ref]) -> None:
    by_title = {s.title: s for s in await repo.queue(100, FRESH_AFTER)}
    oldest = by_title["Oldest"]
    assert oldest.completeness == 100.0
    assert oldest.category == "enriched"
    assert oldest.last_enriched == datetime.fromtimestamp(NOW - 60 * DAY, UTC)
    assert oldest.files == ("/lib/Oldest.mkv",)
    assert oldest.identification.status == "identified"
    never = by_title["NeverA"]
    assert never.last_enriched is None
    assert never.category == "unenriched"
    assert never.files == ("/lib/NeverA.mkv",)
    assert by_title["Show"].files == ()


async def test_review_and_monitoring_changes_move_titles(
    repo: Repository, library: dict[str, Ref]
) -> None:
    set_monitored(repo.path, library["NeverA"], False)
    set_monitored(repo.path, library["Unwatched"], True)
    by_id = sorted(["NeverB", "Unwatched", "Show"], key=lambda t: library[t].id)
    queue = await repo.queue(100, FRESH_AFTER)
    assert [s.title for s in queue] == [*by_id, *STALE_ORDER[3:]]
    # a review answered: the title is identified again and back in the queue
    await repo.write([write(library["Waiting"], "Waiting", 0.0, None)])
    by_id = sorted([*by_id, "Waiting"], key=lambda t: library[t].id)
    queue = await repo.queue(100, FRESH_AFTER)
    assert [s.title for s in queue] == [*by_id, *STALE_ORDER[3:]]
