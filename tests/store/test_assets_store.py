"""Artwork candidates and cache bookkeeping on a real SQLite file (schema v6)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from matinee.assets.model import AssetCandidate
from matinee.enrich.authority import DEFAULT_AUTHORITY
from matinee.enrich.merge import aggregate, merge
from matinee.errors import NotFoundError
from matinee.model import EntityKind, Identification, Ids, Ref, Tier
from matinee.providers.base import Artwork
from matinee.store.assets import candidate_from_artwork
from matinee.store.records import EntityState, EntityWrite, FileTarget, FileUpsert
from matinee.store.repo import Repository

URL = "https://img.example/{}.jpg"


@pytest.fixture
async def repo(tmp_path: Path):  # type: ignore[no-untyped-def]
    r = Repository(tmp_path / "m.db")
    await r.open()
    yield r
    await r.close()


async def a_movie(repo: Repository, title: str = "Heat") -> Ref:
    target = FileTarget(EntityKind.MOVIE, f"{title.lower()}|1995", title, 1995)
    upsert = FileUpsert(f"/lib/{title}.mkv", "/lib", 10, 1.0, {"title": title}, target)
    await repo.apply_scan([upsert], [])
    return next(s.ref for s in await repo.list_summaries(EntityKind.MOVIE) if s.title == title)


def cand(ref: Ref, name: str, provider: str = "tmdb", **kw: object) -> AssetCandidate:
    return AssetCandidate(
        entity_id=ref.id, slot=str(kw.pop("slot", "poster")), provider=provider,
        url=URL.format(name), **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def by_url(found: list[AssetCandidate]) -> dict[str, AssetCandidate]:
    return {c.url.rsplit("/", 1)[1].removesuffix(".jpg"): c for c in found}


def enrichment_write(state: EntityState, incoming: dict[str, tuple[object, str]]) -> EntityWrite:
    """What the enricher writes: the merge of a provider's answer into what we have."""
    result = merge(state.fields, state.sources, state.locks, incoming, DEFAULT_AUTHORITY)
    return EntityWrite(
        entity_id=state.ref.id, fields=result.fields, sources=result.sources, fetched_at=2.0,
        ids=Ids(949), identification=Identification("identified", 1.0, Tier.STRONG),
        completeness=50.0, title=state.title, year=state.year, sort_title="heat",
    )  # fmt: skip


async def test_migration_to_v6_from_an_empty_database(tmp_path: Path, repo: Repository) -> None:
    con = sqlite3.connect(tmp_path / "m.db")
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 6
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"provider_assets", "cache_files", "people", "credits"} <= tables
    con.execute(
        "INSERT INTO entities (kind, group_key, title, sort_title, created_at, updated_at) "
        "VALUES ('movie', 'k', 'K', 'k', 0, 0)"
    )
    insert = (
        "INSERT INTO provider_assets (entity_id, slot, season, provider, url, first_seen, "
        "last_seen) VALUES (1, 'poster', NULL, 'tmdb', 'u', 0, 0)"
    )
    con.execute(insert)
    with pytest.raises(sqlite3.IntegrityError):  # NULL seasons collide through the index
        con.execute(insert)
    con.execute(insert.replace("NULL", "1"))  # season art is another key
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


async def test_upsert_is_idempotent_and_refreshes_declared_data(
    tmp_path: Path, repo: Repository
) -> None:
    ref = await a_movie(repo)
    offered = [cand(ref, "a", votes=3, width=1000), cand(ref, "b"), cand(ref, "c", slot="fanart")]
    await repo.upsert_candidates(ref.id, "tmdb", offered, now=10.0)
    first = await repo.asset_candidates(ref.id)
    await repo.upsert_candidates(ref.id, "tmdb", offered + offered[:1], now=20.0)
    assert await repo.asset_candidates(ref.id) == first
    assert [(c.slot, c.url) for c in first] == [
        ("fanart", URL.format("c")), ("poster", URL.format("a")), ("poster", URL.format("b")),
    ]  # fmt: skip
    a = by_url(first)["a"]
    await repo.save_asset_analysis([replace(a, phash="ff00", score=80.0, selected=True)])
    await repo.upsert_candidates(ref.id, "tmdb", [replace(offered[0], votes=9)], now=30.0)
    (kept,) = [c for c in await repo.asset_candidates(ref.id) if c.url == a.url]
    assert (kept.id, kept.votes, kept.width, kept.phash, kept.score) == (a.id, 9, 1000, "ff00", 80)
    assert (kept.selected, kept.selected_by) == (True, "auto")
    con = sqlite3.connect(tmp_path / "m.db")
    seen = con.execute("SELECT first_seen, last_seen FROM provider_assets WHERE id = ?", (a.id,))
    assert seen.fetchone() == (10.0, 30.0)


async def test_vanished_candidates_go_but_a_user_pick_stays(repo: Repository) -> None:
    ref = await a_movie(repo)
    await repo.upsert_candidates(ref.id, "tmdb", [cand(ref, n) for n in "abc"], now=1.0)
    await repo.upsert_candidates(ref.id, "fanart", [cand(ref, "d", "fanart")], now=1.0)
    picked = by_url(await repo.asset_candidates(ref.id))["b"]
    await repo.select_asset(ref.id, "poster", picked.id or 0)
    await repo.upsert_candidates(ref.id, "tmdb", [cand(ref, "a")], now=2.0)
    found = by_url(await repo.asset_candidates(ref.id))
    assert sorted(found) == ["a", "b", "d"]  # c vanished; b is the user's; fanart's d untouched
    assert found["b"].selected_by == "user" and found["d"].provider == "fanart"
    await repo.upsert_candidates(ref.id, "fanart", [], now=3.0)
    assert sorted(by_url(await repo.asset_candidates(ref.id))) == ["a", "b"]


async def test_same_url_from_two_providers_stays_the_first_ones(repo: Repository) -> None:
    ref = await a_movie(repo)
    await repo.upsert_candidates(ref.id, "tmdb", [cand(ref, "a")], now=1.0)
    await repo.upsert_candidates(ref.id, "omdb", [cand(ref, "a", "omdb")], now=1.0)
    assert [c.provider for c in await repo.asset_candidates(ref.id)] == ["tmdb"]


async def test_save_analysis_round_trip_and_order(repo: Repository) -> None:
    ref = await a_movie(repo)
    await repo.upsert_candidates(ref.id, "tmdb", [cand(ref, n) for n in "abc"], now=1.0)
    stored = by_url(await repo.asset_candidates(ref.id))
    a, b, c = (stored[n] for n in "abc")
    parts = {"resolution": 30.0, "aspect": 20.0, "language": 10.5, "votes": 4.0, "total": 64.5}
    updated = await repo.save_asset_analysis([
        replace(b, phash="0123456789abcdef", real_width=185, real_height=278, score=64.5,
                parts=parts, selected=True, cached_path="poster/ab/abcd.jpg"),
        replace(c, score=12.0),
        replace(a, id=9999, score=99.0),  # deleted meanwhile: skipped
    ])  # fmt: skip
    assert updated == 2
    found = await repo.asset_candidates(ref.id)
    assert [x.url for x in found] == [b.url, c.url, a.url]  # best first, unscored last
    got = found[0]
    assert (got.phash, got.real_width, got.real_height, got.score) == (
        "0123456789abcdef", 185, 278, 64.5,
    )  # fmt: skip
    assert got.parts == parts
    assert (got.selected, got.selected_by, got.cached_path) == (True, "auto", "poster/ab/abcd.jpg")
    assert (found[1].selected, found[1].selected_by, found[1].parts) == (False, None, {})
    assert await repo.cache_paths_in_use() == {"poster/ab/abcd.jpg"}


async def test_user_pick_locks_the_slot_and_survives_enrichment(repo: Repository) -> None:
    ref = await a_movie(repo)
    offered = [cand(ref, n) for n in "ab"]
    await repo.upsert_candidates(ref.id, "tmdb", offered, now=1.0)
    stored = by_url(await repo.asset_candidates(ref.id))
    a, b = stored["a"], stored["b"]
    await repo.save_asset_analysis([replace(a, selected=True)])
    chosen = await repo.select_asset(ref.id, "poster", b.id or 0)
    assert (chosen.id, chosen.selected, chosen.selected_by) == (b.id, True, "user")
    detail = await repo.detail(ref)
    assert detail.fields["poster"] == b.url
    assert detail.field_sources["poster"] == "user"
    assert "poster" in detail.locks
    # the next enrichment: same candidates again, TMDB's own poster, and a new selection
    await repo.upsert_candidates(ref.id, "tmdb", offered, now=2.0)
    state = await repo.state(ref)
    write = enrichment_write(state, aggregate({"tmdb": {"poster": a.url}}, DEFAULT_AUTHORITY))
    await repo.write([replace(write, artwork={"tmdb": tuple(offered)})])
    await repo.save_asset_analysis([replace(a, selected=True), replace(b, selected=False)])
    detail = await repo.detail(ref)
    assert (detail.fields["poster"], detail.field_sources["poster"]) == (b.url, "user")
    found = by_url(await repo.asset_candidates(ref.id))
    assert (found["b"].selected, found["b"].selected_by) == (True, "user")
    assert (found["a"].selected, found["a"].selected_by) == (False, None)


async def test_select_refuses_a_wrong_id_or_slot(repo: Repository) -> None:
    ref = await a_movie(repo)
    other = await a_movie(repo, "Ronin")
    await repo.upsert_candidates(ref.id, "tmdb", [cand(ref, "a")], now=1.0)
    (a,) = await repo.asset_candidates(ref.id)
    assert a.id is not None
    with pytest.raises(NotFoundError, match="fanart"):
        await repo.select_asset(ref.id, "fanart", a.id)
    with pytest.raises(NotFoundError):
        await repo.select_asset(other.id, "poster", a.id)
    with pytest.raises(NotFoundError):
        await repo.select_asset(ref.id, "poster", a.id, season=1)
    assert "poster" not in (await repo.state(ref)).locks


async def test_unlock_hands_the_slot_back(repo: Repository) -> None:
    ref = await a_movie(repo)
    await repo.upsert_candidates(ref.id, "fanart", [cand(ref, "a", "fanart")], now=1.0)
    (a,) = await repo.asset_candidates(ref.id)
    await repo.select_asset(ref.id, "poster", a.id or 0)
    await repo.unlock_slot(ref.id, "poster")
    (after,) = await repo.asset_candidates(ref.id)
    assert (after.selected, after.selected_by) == (True, "auto")
    state = await repo.state(ref)
    assert state.locks == frozenset()
    assert (state.fields["poster"], state.sources["poster"]) == (a.url, "fanart")
    write = enrichment_write(state, {"poster": (URL.format("tmdb"), "tmdb")})
    await repo.write([write])
    assert (await repo.detail(ref)).fields["poster"] == URL.format("tmdb")  # providers again


async def test_season_art_sets_the_season_row(repo: Repository) -> None:
    target = FileTarget(EntityKind.EPISODE, "show", "Show", None, season=2, episodes=(1,))
    await repo.apply_scan([FileUpsert("/lib/Show/S02E01.mkv", "/lib", 1, 1.0, {}, target)], [])
    (series,) = await repo.list_summaries(EntityKind.SERIES)
    (season,) = await repo.list_summaries(EntityKind.SEASON)
    art = Artwork(slot="poster", url=URL.format("s2"), provider="tvdb", season=2, votes=4)
    whole = Artwork(slot="poster", url=URL.format("s2"), provider="tvdb")
    offered = (candidate_from_artwork(series.ref.id, art), candidate_from_artwork(0, whole))
    assert offered[0].season == 2 and offered[0].votes == 4
    await repo.upsert_candidates(series.ref.id, "tvdb", offered, now=1.0)
    found = await repo.asset_candidates(series.ref.id)
    assert [c.season for c in found] == [None, 2]  # same URL, two keys
    await repo.select_asset(series.ref.id, "poster", found[1].id or 0, season=2)
    season_state = await repo.state(season.ref)
    assert season_state.fields["poster"] == URL.format("s2") and "poster" in season_state.locks
    assert "poster" not in (await repo.state(series.ref)).locks
    await repo.unlock_slot(series.ref.id, "poster", season=2)
    assert (await repo.state(season.ref)).locks == frozenset()


async def test_cache_file_bookkeeping(repo: Repository) -> None:
    ref = await a_movie(repo)
    await repo.upsert_candidates(ref.id, "tmdb", [cand(ref, "a")], now=1.0)
    (a,) = await repo.asset_candidates(ref.id)
    first = await repo.record_cache_file("poster/aa/aa1.jpg", "aa1", "poster", 100, ref.id, a.id,
                                         now=5.0)  # fmt: skip
    await repo.record_cache_file("fanart/bb/bb2.jpg", "bb2", "fanart", 200, ref.id, now=6.0)
    again = await repo.record_cache_file(
        "poster/aa/aa1.jpg", "aa1", "poster", 150, ref.id, a.id, now=7.0
    )
    assert again == first
    files = await repo.cache_files()
    assert [(f.rel_path, f.size, f.entity_id, f.asset_id, f.written_at) for f in files] == [
        ("fanart/bb/bb2.jpg", 200, ref.id, None, 6.0),
        ("poster/aa/aa1.jpg", 150, ref.id, a.id, 7.0),
    ]
    await repo.upsert_candidates(ref.id, "tmdb", [], now=8.0)  # the candidate vanished
    assert {f.rel_path: f.asset_id for f in await repo.cache_files()}["poster/aa/aa1.jpg"] is None
    gone = await repo.record_cache_file("x/cc/cc.jpg", "cc", "poster", 1, 424242, 424242)
    assert [f.entity_id for f in await repo.cache_files() if f.id == gone] == [None]
    assert await repo.forget_cache_files(["poster/aa/aa1.jpg", "nope"]) == 1
    assert [f.rel_path for f in await repo.cache_files()] == ["fanart/bb/bb2.jpg", "x/cc/cc.jpg"]
