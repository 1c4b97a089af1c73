"""Scan and enrichment end to end, as a user runs them."""

from __future__ import annotations

import pytest

from matinee.config import Settings
from matinee.demo.catalog import Catalog
from matinee.demo.server import CatalogServer
from matinee.engine.core import Engine
from matinee.engine.events import EnrichmentFinished, Event, MatchNeedsReview, RunFinished
from matinee.errors import UsageError
from matinee.model import EntityKind, Ref
from tests.engine.conftest import touch


async def scanned(engine: Engine, settings: Settings, names: list[str]) -> None:
    root = settings.library.roots[0]
    for name in names:
        touch(root, name)
    await engine.scan()


async def movie_ref(engine: Engine, title: str) -> Ref:
    for s in await engine.list_entities(EntityKind.MOVIE):
        if s.title == title:
            return s.ref
    raise AssertionError(f"{title} not in library")


async def test_scan_then_enrich_identifies_and_fills_fields(
    engine: Engine, settings: Settings, server: CatalogServer
) -> None:
    events: list[Event] = []
    engine.bus.subscribe(events.append)
    await scanned(engine, settings, ["The.Matrix.1999.1080p.BluRay.x264-GRP.mkv"])
    report = await engine.enrich()
    assert (report.processed, report.updated, report.failed) == (1, 1, 0)
    # TMDB: one search and one details call; then Fanart.tv by TMDB id, OMDb by IMDb id
    assert report.provider_requests == {"tmdb": 2, "omdb": 1, "fanart": 1, "tvdb": 0}
    detail = await engine.show(await movie_ref(engine, "The Matrix"))
    assert detail.summary.ids.tmdb == 603
    assert detail.summary.identification.status == "identified"
    assert detail.fields["directors"]
    assert detail.field_sources["plot"] == "tmdb"
    assert detail.field_sources["imdb_rating"] == "omdb"
    assert detail.field_sources["outline"] == "omdb"
    assert detail.field_sources["fanart"] == "fanart"
    assert detail.summary.completeness >= 90
    finished = [e for e in events if isinstance(e, EnrichmentFinished)]
    assert finished and "plot" in finished[0].changed_fields
    assert isinstance(events[-1], RunFinished)


async def test_only_cleaned_title_year_and_ids_leave_the_machine(
    engine: Engine, settings: Settings, server: CatalogServer
) -> None:
    await scanned(engine, settings, ["private-stuff/Heat.1995.PROPER.1080p.x265-SECRET.mkv"])
    await engine.enrich()
    sent = " ".join(f"{path} {query}" for _, path, query in server.api_requests())
    for leak in ("private", "SECRET", "x265", ".mkv", "PROPER", str(settings.library.roots[0])):
        assert leak not in sent


async def test_second_enrichment_within_ttl_makes_no_request(
    engine: Engine, settings: Settings, server: CatalogServer
) -> None:
    await scanned(engine, settings, ["Heat (1995).mkv", "Alien (1979).mkv"])
    first = await engine.enrich()
    ref = await movie_ref(engine, "Heat")
    before = await engine.show(ref)
    server.clear_requests()
    second = await engine.enrich()
    explicit = await engine.enrich([ref])
    assert first.updated == 2
    nothing = {"tmdb": 0, "omdb": 0, "tvdb": 0, "fanart": 0}
    assert second.processed == 0 and second.provider_requests == nothing
    assert explicit.skipped == 1 and explicit.provider_requests == nothing
    assert server.api_requests() == []
    assert (await engine.show(ref)).fields == before.fields


async def test_lock_survives_force_and_empty_values_are_kept(
    engine: Engine, settings: Settings, catalog: Catalog
) -> None:
    await scanned(engine, settings, ["Heat (1995).mkv"])
    await engine.enrich()
    ref = await movie_ref(engine, "Heat")
    before = await engine.show(ref)
    await engine.lock(ref, ["plot"])
    tmdb_id = before.summary.ids.tmdb
    assert tmdb_id is not None
    catalog.override("movie", tmdb_id, "overview", "A rewritten plot.")
    catalog.override("movie", tmdb_id, "runtime", 999)
    catalog.override("movie", tmdb_id, "tagline", "")
    report = await engine.enrich([ref], force=True)
    after = await engine.show(ref)
    assert report.updated == 1
    assert after.fields["plot"] == before.fields["plot"]  # locked
    assert after.fields["runtime"] == 999  # unlocked: updated
    assert after.fields["tagline"] == before.fields["tagline"] != ""  # empty never erases
    assert "plot" in after.locks


async def test_set_locks_the_field_and_force_keeps_it(engine: Engine, settings: Settings) -> None:
    await scanned(engine, settings, ["Alien (1979).mkv"])
    await engine.enrich()
    ref = await movie_ref(engine, "Alien")
    await engine.set_field(ref, "title", "Alien (Director's Cut)")
    await engine.set_field(ref, "runtime", "116")
    await engine.enrich([ref], force=True)
    d = await engine.show(ref)
    assert d.fields["title"] == "Alien (Director's Cut)"
    assert d.fields["runtime"] == 116
    assert d.field_sources["title"] == "user"
    assert {"title", "runtime"} <= d.locks
    with pytest.raises(UsageError, match="takes a number"):
        await engine.set_field(ref, "runtime", "long")
    with pytest.raises(UsageError, match="unknown field"):
        await engine.lock(ref, ["colour"])


async def test_ambiguous_title_waits_for_review_then_identify_applies(
    engine: Engine, settings: Settings
) -> None:
    events: list[Event] = []
    engine.bus.subscribe(events.append)
    await scanned(engine, settings, ["Psycho.mkv", "Untitled Project Final v2.mkv"])
    report = await engine.enrich()
    assert report.needs_review == 2
    assert report.updated == 0
    items = {i.title: i for i in await engine.review()}
    psycho = items["Psycho"]
    assert [c.year for c in psycho.candidates[:2]] == [1960, 1998]
    assert any(r.name == "ambiguous" for r in psycho.candidates[0].reasons)
    assert (await engine.show(psycho.ref)).summary.ids.tmdb is None  # no guess was applied
    assert sum(isinstance(e, MatchNeedsReview) for e in events) == 2
    detail = await engine.identify(psycho.ref, candidate=2)
    assert str(detail.summary.ids.tmdb) == psycho.candidates[1].id
    assert detail.summary.identification.status == "manual"
    assert detail.summary.year == 1998
    assert detail.fields["plot"]
    assert psycho.ref not in {i.ref for i in await engine.review()}


async def test_series_episodes_are_enriched_from_seasons(
    engine: Engine, settings: Settings
) -> None:
    await scanned(engine, settings, [
        "TV/Breaking Bad/Season 01/Breaking.Bad.S01E01.720p.HDTV.x264-GRP.mkv",
        "TV/Breaking Bad/Season 01/Breaking.Bad.S01E02E03.720p.HDTV.x264-GRP.mkv",
    ])  # fmt: skip
    report = await engine.enrich()
    assert report.updated == 1
    series = (await engine.list_entities(EntityKind.SERIES))[0]
    detail = await engine.show(series.ref)
    assert detail.summary.ids.tmdb == 1396
    keys = [(c.season_number, c.episode_number) for c in detail.children]
    assert keys == [(1, n) for n in range(1, 8)]  # 4-7 are not on disk, listed from TMDB
    assert [k for k, c in zip(keys, detail.children, strict=True) if c.files] == [
        (1, 1),
        (1, 2),
        (1, 3),
    ]
    episode = await engine.show(detail.children[0].ref)
    assert episode.fields["plot"] and episode.fields["title"] != "Episode 1"
    assert episode.field_sources["plot"] == "tmdb"
