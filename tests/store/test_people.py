"""People and credits on a real SQLite file: one person per provider id, credits per provider."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from matinee.model import EntityKind, Identification, Ids, Ref, Tier
from matinee.providers.base import Credit
from matinee.store.people import top_credits
from matinee.store.records import EntityWrite, FileTarget, FileUpsert
from matinee.store.repo import Repository


@pytest.fixture
async def repo(tmp_path: Path):  # type: ignore[no-untyped-def]
    r = Repository(tmp_path / "m.db")
    await r.open()
    yield r
    await r.close()


async def movies(repo: Repository, *titles: str) -> list[Ref]:
    upserts = [
        FileUpsert(f"/lib/{t}.mkv", "/lib", 10, 1.0, {"title": t},
                   FileTarget(EntityKind.MOVIE, t.lower(), t, 2000))
        for t in titles
    ]  # fmt: skip
    await repo.apply_scan(upserts, [])
    found = {s.title: s.ref for s in await repo.list_summaries(EntityKind.MOVIE)}
    return [found[t] for t in titles]


HANKS = Credit("Tom Hanks", "actor", "31", character="Forrest", order=0, image_url="/h.jpg")
ZEMECKIS = Credit("Robert Zemeckis", "director", "24", job="Director")


def people_count(db: Path) -> int:
    with sqlite3.connect(db) as con:
        return int(con.execute("SELECT count(*) FROM people").fetchone()[0])


async def test_people_are_one_row_per_provider_id_across_entities(
    tmp_path: Path, repo: Repository
) -> None:
    a, b = await movies(repo, "Forrest Gump", "Cast Away")
    await repo.save_credits(a.id, "tmdb", [HANKS, ZEMECKIS])
    renamed = replace(HANKS, name="Thomas Hanks", character="Chuck", image_url=None)
    await repo.save_credits(b.id, "tmdb", [renamed, ZEMECKIS])
    await repo.save_credits(b.id, "tvdb", [replace(HANKS, provider_id="9")])  # another provider
    assert people_count(tmp_path / "m.db") == 3
    gump = await repo.credits_for(a.id)
    away = await repo.credits_for(b.id, "tmdb")
    assert [(c.role, c.person.name) for c in gump] == [
        ("director", "Robert Zemeckis"), ("actor", "Thomas Hanks"),  # renamed by the later answer
    ]  # fmt: skip
    assert {c.person.id for c in gump} == {c.person.id for c in away}
    assert [(c.character, c.order) for c in away if c.role == "actor"] == [("Chuck", 0)]
    assert away[1].person.image_url == "/h.jpg"  # an answer without an image keeps the old one
    assert [c.person.provider for c in await repo.credits_for(b.id)] == ["tmdb", "tmdb", "tvdb"]


async def test_credits_are_replaced_per_provider(repo: Repository) -> None:
    (a,) = await movies(repo, "Heat")
    pacino = Credit("Al Pacino", "actor", "1158", character="Vincent Hanna", order=0)
    deniro = Credit("Robert De Niro", "actor", "380", character="Neil McCauley", order=1)
    await repo.save_credits(a.id, "tmdb", [pacino, deniro, Credit("Michael Mann", "director", "1")])
    await repo.save_credits(a.id, "omdb", [Credit("Michael Mann", "director")])
    await repo.save_credits(a.id, "tmdb", [replace(deniro, order=0)])
    tmdb = await repo.credits_for(a.id, "tmdb")
    assert [(c.person.name, c.order) for c in tmdb] == [("Robert De Niro", 0)]
    omdb = await repo.credits_for(a.id, "omdb")
    assert [(c.person.name, c.person.provider_id, c.role) for c in omdb] == [
        ("Michael Mann", None, "director")
    ]


async def test_people_without_an_id_are_keyed_by_name(tmp_path: Path, repo: Repository) -> None:
    a, b = await movies(repo, "Heat", "Collateral")
    mann = Credit("Michael Mann", "director")
    await repo.save_credits(a.id, "omdb", [mann, Credit("Michael Mann", "writer"), mann])
    await repo.save_credits(b.id, "omdb", [mann, Credit("Someone", "producer")])
    assert people_count(tmp_path / "m.db") == 1  # unknown roles are not stored
    assert [c.role for c in await repo.credits_for(a.id)] == ["director", "writer"]
    assert [c.role for c in await repo.credits_for(b.id)] == ["director"]


async def test_headshots_to_cache(repo: Repository) -> None:
    (a,) = await movies(repo, "Forrest Gump")
    await repo.save_credits(a.id, "tmdb", [HANKS, ZEMECKIS])
    (todo,) = await repo.people_without_image(10)
    assert (todo.name, todo.image_url, todo.cached_path) == ("Tom Hanks", "/h.jpg", None)
    await repo.set_person_image(todo.id, "people/ab/abc.jpg")
    assert await repo.people_without_image(10) == []
    assert "people/ab/abc.jpg" in await repo.cache_paths_in_use()
    await repo.save_credits(a.id, "tmdb", [replace(HANKS, image_url="/new.jpg")])
    (again,) = await repo.people_without_image(10)  # a new headshot is cached again
    assert (again.id, again.image_url) == (todo.id, "/new.jpg")


async def test_entity_write_stores_artwork_and_credits(repo: Repository) -> None:
    from matinee.assets.model import AssetCandidate

    (a,) = await movies(repo, "Forrest Gump")
    poster = AssetCandidate(entity_id=a.id, slot="poster", provider="tmdb", url="https://i/p.jpg")
    write = EntityWrite(
        entity_id=a.id, fields={"title": "Forrest Gump"}, sources={"title": "tmdb"},
        fetched_at=1.0, ids=Ids(13), identification=Identification("identified", 1.0,
        Tier.STRONG), completeness=10.0, title="Forrest Gump", year=1994,
        sort_title="forrest gump", artwork={"tmdb": (poster,)},
        credits={"tmdb": (HANKS, ZEMECKIS)},
    )  # fmt: skip
    await repo.write([write])
    assert [c.url for c in await repo.asset_candidates(a.id)] == ["https://i/p.jpg"]
    assert len(await repo.credits_for(a.id)) == 2


def test_top_credits_keeps_the_first_actors_by_order() -> None:
    cast = [Credit(f"A{i}", "actor", str(i), order=20 - i) for i in range(20)]
    crew = [ZEMECKIS, Credit("W", "writer", "7"), Credit("Z", "actor", "99")]
    kept = top_credits([*cast, *crew], 15)
    assert kept[:2] == (ZEMECKIS, crew[1])
    actors = [c for c in kept if c.role == "actor"]
    assert [c.order for c in actors] == list(range(1, 16))  # unordered "Z" is past the limit
    assert len(top_credits(cast[:3] + crew[2:], 15)) == 4
