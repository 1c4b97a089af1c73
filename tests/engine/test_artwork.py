"""Artwork end to end: the real engine, the catalog server's generated images, the real cache."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from matinee.config import Settings
from matinee.demo.catalog import Catalog
from matinee.demo.server import CatalogServer
from matinee.engine.core import Engine
from matinee.errors import UsageError
from matinee.model import Ref
from tests.engine.conftest import touch


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The engine tests' settings with artwork downloads on."""
    return replace(settings, assets=replace(settings.assets, download=True))


async def enriched(engine: Engine, settings: Settings, name: str) -> Ref:
    touch(settings.library.roots[0], name)
    await engine.scan()
    await engine.enrich()
    (movie,) = await engine.list_entities()
    return movie.ref


def cached(settings: Settings) -> set[Path]:
    root = settings.cache.dir / "artwork"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


async def test_enrichment_selects_and_caches_the_best_artwork(
    engine: Engine, settings: Settings
) -> None:
    ref = await enriched(engine, settings, "The Matrix (1999).mkv")
    items = await engine.artwork.candidates(ref)
    slots = {c.slot for c in items}
    assert {"poster", "fanart", "clearlogo"} <= slots
    posters = [c for c in items if c.slot == "poster"]
    chosen = [c for c in posters if c.selected]
    assert len(chosen) == 1 and chosen[0].selected_by == "auto"
    best = max(c.score or 0 for c in posters)
    assert chosen[0].score == best and chosen[0].cached_path
    assert set(chosen[0].parts) >= {"resolution", "aspect", "language", "votes", "provider"}
    analysed = [c for c in items if c.phash]  # the best few per slot: hash and real shape kept
    assert {c.slot for c in analysed} >= {"poster", "fanart"}
    assert all(len(c.phash or "") == 16 and c.real_width and c.real_height for c in analysed)
    assert sum(c.selected for c in items if c.slot == "fanart") <= 3
    files = cached(settings)
    original = settings.cache.dir / "artwork" / chosen[0].cached_path
    assert original in files
    assert any(p.name.endswith(".preview.jpg") for p in files)
    for c in items:
        if c.selected:
            assert c.cached_path and (settings.cache.dir / "artwork" / c.cached_path).exists()
    credits = await engine.repo.credits_for(ref.id)
    actors = [c for c in credits if c.role == "actor"]
    assert 0 < len(actors) <= 15 and any(c.role == "director" for c in credits)
    people = settings.cache.dir / "artwork" / "people"
    assert people.is_dir() and any(p.suffix in (".jpg", ".png") for p in people.rglob("*"))


async def test_a_users_pick_locks_the_slot_and_survives_a_forced_refresh(
    engine: Engine, settings: Settings
) -> None:
    ref = await enriched(engine, settings, "The Matrix (1999).mkv")
    posters = [c for c in await engine.artwork.candidates(ref) if c.slot == "poster"]
    other = next(c for c in posters if not c.selected)
    assert other.id is not None
    picked = await engine.artwork.select(ref, "poster", other.id)
    assert picked.selected and picked.selected_by == "user" and picked.cached_path
    detail = await engine.show(ref)
    assert "poster" in detail.locks and detail.fields["poster"] == other.url
    await engine.enrich([ref], force=True)
    await engine.artwork.refresh(ref)
    after = {c.id: c for c in await engine.artwork.candidates(ref) if c.slot == "poster"}
    assert after[other.id].selected and after[other.id].selected_by == "user"
    assert sum(c.selected for c in after.values()) == 1
    assert (await engine.show(ref)).fields["poster"] == other.url
    await engine.artwork.unlock(ref, "poster")
    assert "poster" not in (await engine.show(ref)).locks
    with pytest.raises(UsageError, match="unknown slot"):
        await engine.artwork.unlock(ref, "posters")


BAD_BODIES = {
    "html": (b"<!doctype html><html><body>Bad gateway</body></html>", "image/jpeg"),
    "json": (b'{"status": "error"}', "image/png"),
    "empty": (b"", "image/jpeg"),
    "truncated": (None, "image/jpeg"),
}


@pytest.fixture
def real() -> Iterator[httpx.Client]:
    """A plain client the mock transport uses to reach the catalog server for good images."""
    with httpx.Client() as client:
        yield client


@pytest.mark.parametrize("kind", sorted(BAD_BODIES))
async def test_bad_image_bodies_are_rejected_and_the_run_goes_on(
    settings: Settings, server: CatalogServer, kind: str, real: httpx.Client
) -> None:
    """Every TMDB poster and backdrop answers with a bad body (previews and originals): the
    title is still enriched, and other slots are still chosen and cached."""

    def images(request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        answer = real.get(url)
        if "tmdb-images" in url and url.endswith(".jpg"):  # TMDB posters and backdrops
            body, ctype = BAD_BODIES[kind]
            if body is None:
                body = answer.content[: len(answer.content) // 2]
            return httpx.Response(200, content=body, headers={"Content-Type": ctype})
        ctype = answer.headers.get("Content-Type", "")
        return httpx.Response(answer.status_code, content=answer.content,
                              headers={"Content-Type": ctype})  # fmt: skip

    async with Engine(settings, transports={"images": httpx.MockTransport(images)}) as engine:
        ref = await enriched(engine, settings, "The Matrix (1999).mkv")
        items = await engine.artwork.candidates(ref)
        report = await engine.artwork.refresh(ref)
    tmdb_posters = [c for c in items if c.slot == "poster" and c.provider == "tmdb"]
    assert tmdb_posters and not any(c.cached_path for c in tmdb_posters)
    assert any(c.selected and c.cached_path for c in items if c.slot == "clearlogo")
    assert (await engine_detail_title(settings, ref)) == "The Matrix"
    assert report.rejected or all(c.score == 0.0 for c in tmdb_posters if c.phash is None)


async def engine_detail_title(settings: Settings, ref: Ref) -> str:
    async with Engine(settings) as engine:
        return (await engine.show(ref)).summary.title


async def test_the_same_poster_offered_twice_is_shown_once(
    settings: Settings, catalog: Catalog
) -> None:
    """TMDB offers the best poster again under another file name (a re-upload): its hash
    matches, so with room for two posters the second pick is a different image."""
    posters = catalog.movies[603]["images"]["posters"]
    best = posters[0]
    twin = {**best, "file_path": "/Twin0fTheBestPosterReupload.jpg", "vote_count": 58}
    catalog.artwork[twin["file_path"]] = catalog.artwork[best["file_path"]]
    posters.insert(1, twin)
    two = replace(settings.assets, limits={"poster": 2})
    async with Engine(replace(settings, assets=two)) as engine:
        ref = await enriched(engine, settings, "The Matrix (1999).mkv")
        items = [c for c in await engine.artwork.candidates(ref) if c.slot == "poster"]
    by_path = {c.url.rsplit("/", 1)[1]: c for c in items if c.provider == "tmdb"}
    original, copy = by_path[best["file_path"][1:]], by_path[twin["file_path"][1:]]
    assert original.phash == copy.phash
    assert original.selected and not copy.selected
    assert sum(c.selected for c in items) == 2  # the second place went to another image
