"""Searching the identifiers again by hand, and applying a searched candidate."""

from __future__ import annotations

import dataclasses
from dataclasses import replace

import pytest

from matinee.config import Settings
from matinee.demo.server import CatalogServer
from matinee.engine.core import Engine
from matinee.errors import NotFoundError, UsageError
from matinee.model import EntityKind, Ref
from tests.engine.conftest import touch


async def scanned(engine: Engine, settings: Settings, name: str) -> Ref:
    touch(settings.library.roots[0], name)
    await engine.scan()
    (title,) = [s for s in await engine.list_entities() if s.ref.kind is EntityKind.MOVIE]
    return title.ref


async def test_search_with_another_title_then_identify_with_the_chosen_candidate(
    engine: Engine, settings: Settings, server: CatalogServer
) -> None:
    ref = await scanned(engine, settings, "Untitled Project Final v2.mkv")
    await engine.enrich()
    assert (await engine.show(ref)).summary.ids.tmdb is None
    server.clear_requests()
    found = await engine.search_candidates(ref, title="The Matrix", year=1999)
    best = found[0]
    assert (best.provider, best.id, best.title, best.year) == ("tmdb", "603", "The Matrix", 1999)
    assert [r.name for r in best.reasons] == ["title", "year", "popularity"]
    assert best.tier.value == "strong" and best.score >= 0.85
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
    sent = [query for _, path, query in server.api_requests() if path.endswith("/search/movie")]
    assert sent and "The Matrix" in str(sent[0]) and "1999" in str(sent[0])
    detail = await engine.identify(ref, chosen=best)
    assert detail.summary.ids.tmdb == 603 and detail.summary.ids.imdb == "tt0133093"
    assert detail.summary.identification.status == "manual"
    assert detail.fields["title"] == "The Matrix" and detail.fields["plot"]
    assert [e.mode for e in await engine.history(ref)][:2] == ["manual", "identify"]


async def test_search_with_the_titles_own_name_scores_like_the_automatic_match(
    engine: Engine, settings: Settings
) -> None:
    ref = await scanned(engine, settings, "Psycho.mkv")
    await engine.enrich()
    (item,) = await engine.review()
    found = await engine.search_candidates(ref)
    assert found[: len(item.candidates)] == list(item.candidates)
    assert [c.year for c in found[:2]] == [1960, 1998]
    assert any(r.name == "ambiguous" for r in found[0].reasons)


async def test_bad_searches_say_why(engine: Engine, settings: Settings) -> None:
    ref = await scanned(engine, settings, "Heat (1995).mkv")
    for bad in (Ref(EntityKind.SEASON, ref.id), Ref(EntityKind.EPISODE, ref.id)):
        with pytest.raises(UsageError, match="only movies and series"):
            await engine.search_candidates(bad)
    with pytest.raises(NotFoundError):
        await engine.search_candidates(Ref(EntityKind.MOVIE, 999))
    with pytest.raises(UsageError, match="give a title"):
        await engine.search_candidates(ref, title="  ")
    with pytest.raises(UsageError, match="not a path"):
        await engine.search_candidates(ref, title="/home/me/Heat.mkv")
    found = await engine.search_candidates(ref)
    series = dataclasses.replace(found[0], kind=EntityKind.SERIES)
    with pytest.raises(UsageError, match="that candidate is a series"):
        await engine.identify(ref, chosen=series)


async def test_search_without_an_identifier_says_so(settings: Settings) -> None:
    off = {
        pid: replace(settings.provider(pid), enabled=False) for pid in ("tmdb", "tvdb")
    }  # OMDb and Fanart.tv fetch by id; they cannot search
    settings = replace(settings, providers={**settings.providers, **off})
    async with Engine(settings) as engine:
        ref = await scanned(engine, settings, "Heat (1995).mkv")
        assert set(engine.providers) == {"omdb", "fanart"}
        with pytest.raises(UsageError, match="no provider can search for a movie"):
            await engine.search_candidates(ref)
