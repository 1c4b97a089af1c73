"""All four providers end to end: each failure leaves the run going and names the provider;
quotas hold across restarts; the response cache serves stale answers and offline mode."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from matinee.config import Settings
from matinee.demo.catalog import file_name
from matinee.demo.realism import Realism
from matinee.demo.server import CatalogServer
from matinee.engine.core import Engine
from matinee.model import EntityKind
from tests.engine.conftest import touch


def with_provider(settings: Settings, pid: str, **changes: Any) -> Settings:
    changed = replace(settings.provider(pid), **changes)
    return replace(settings, providers={**settings.providers, pid: changed})


async def enrich_one(settings: Settings, name: str, **kwargs: Any) -> tuple[Any, Any]:
    touch(settings.library.roots[0], name)
    async with Engine(settings) as engine:
        await engine.scan()
        report = await engine.enrich(**kwargs)
        items = await engine.list_entities()
        top = next(i for i in items if i.ref.kind in (EntityKind.MOVIE, EntityKind.SERIES))
        detail = await engine.show(top.ref)
    return report, detail


FAULTS = [
    ("omdb", Realism(error_rate=1.0, fault_providers=frozenset({"omdb"})), "HTTP 503"),
    ("fanart", Realism(malformed_rate=1.0, fault_providers=frozenset({"fanart"})), ""),
    ("omdb", Realism(empty_rate=0.0, omdb_daily_quota=0), "daily request limit"),
    (
        "fanart",
        Realism(timeout_rate=1.0, timeout_s=1.0, fault_providers=frozenset({"fanart"})),
        "timed out",
    ),
]


@pytest.mark.parametrize(("pid", "realism", "reason"), FAULTS)
async def test_a_failing_provider_leaves_the_run_going_and_is_named(
    settings: Settings, server: CatalogServer, pid: str, realism: Realism, reason: str
) -> None:
    server.realism = realism
    settings = with_provider(settings, pid, max_retries=0, timeout_s=0.3)
    report, detail = await enrich_one(settings, "The Matrix (1999).mkv")  # has fanart art
    assert (report.processed, report.updated, report.failed, report.partial) == (1, 1, 0, 1)
    assert detail.summary.partial is True
    assert detail.failed_providers == (pid,)  # only the failing one is named
    assert detail.fields["plot"] and detail.field_sources["plot"] == "tmdb"
    if pid == "fanart":
        assert detail.field_sources["imdb_rating"] == "omdb"  # the others still answered
    if pid == "omdb" and "limit" in reason:
        assert report.rate_limited_providers == ["omdb"]


async def test_series_with_tvdb_down_still_gets_tmdb_and_fanart(
    settings: Settings, server: CatalogServer
) -> None:
    server.realism = Realism(error_rate=1.0, fault_providers=frozenset({"tvdb"}))
    settings = with_provider(settings, "tvdb", max_retries=0)
    report, detail = await enrich_one(settings, "TV/Breaking Bad/Season 01/Breaking.Bad.S01E01.mkv")
    assert report.partial == 1 and report.failed == 0
    assert detail.failed_providers == ("tvdb",)
    assert detail.summary.ids.tvdb == 81189  # from TMDB's external ids
    assert detail.field_sources["poster"] == "tmdb"


async def test_series_uses_all_four(settings: Settings, server: CatalogServer) -> None:
    report, detail = await enrich_one(settings, "TV/Breaking Bad/Season 01/Breaking.Bad.S01E01.mkv")
    assert report.partial == 0
    counts = server.provider_counts()
    assert counts["tvdb"] >= 3  # login, series extended, one episodes page
    assert counts["fanart"] == 1 and counts["omdb"] == 1
    assert set(detail.field_sources.values()) >= {"tmdb", "omdb", "fanart"}
    assert set(detail.answered_providers) == {"tmdb", "omdb", "tvdb", "fanart"}
    assert detail.fields["imdb_rating"]


async def test_wrong_key_says_invalid_key_and_nothing_else_breaks(
    settings: Settings, server: CatalogServer
) -> None:
    settings = with_provider(settings, "omdb", api_key="wrong-key-1234")
    movies = list(server.catalog.movies.values())[:8]
    for m in movies:
        touch(settings.library.roots[0], file_name(m))
    async with Engine(settings) as engine:
        await engine.scan()
        report = await engine.enrich()
        health = {h.id: h for h in await engine.provider_health()}
    assert (report.updated, report.failed, report.partial, report.stopped) == (8, 0, 8, False)
    assert report.failed_providers == {"omdb": "omdb: invalid key"}
    # left out after the first refusal: only the requests already in flight were sent
    assert 1 <= report.provider_requests["omdb"] <= settings.enrich.workers
    assert health["omdb"].last_error == "omdb: invalid key" and not health["omdb"].healthy
    assert health["tmdb"].healthy and health["fanart"].healthy


async def test_invalid_tmdb_key_fails_movies_quickly_and_says_why(
    settings: Settings, server: CatalogServer
) -> None:
    settings = with_provider(settings, "tmdb", api_key="wrong-key-1234")
    for name in ("Heat (1995).mkv", "Alien (1979).mkv"):
        touch(settings.library.roots[0], name)
    async with Engine(settings) as engine:
        await engine.scan()
        report = await engine.enrich()
    assert (report.failed, report.updated) == (2, 0)
    assert report.failed_providers == {"tmdb": "tmdb: invalid key"}
    assert report.provider_requests["tmdb"] <= 2  # no more requests once the key is refused


async def test_omdb_quota_holds_across_a_restart(settings: Settings, server: CatalogServer) -> None:
    settings = with_provider(settings, "omdb", daily_quota=5, quota_reserve=2)
    titles = [m["title"] for m in list(server.catalog.movies.values())[:6]]
    years = [m["release_date"][:4] for m in list(server.catalog.movies.values())[:6]]
    for title, year in zip(titles, years, strict=True):
        touch(settings.library.roots[0], f"{title.replace('/', ' ')} ({year}).mkv")
    async with Engine(settings) as engine:
        await engine.scan()
        first = await engine.enrich()
    assert first.provider_requests["omdb"] == 3  # 5 minus the 2 kept for manual requests
    assert first.rate_limited_providers == ["omdb"] and first.partial == 3
    async with Engine(settings) as engine:  # a restart on the same day
        second = await engine.enrich(force=True)
        assert second.provider_requests["omdb"] == 0
        ref = next(s.ref for s in await engine.list_entities() if s.partial)
        manual = await engine.enrich([ref], force=True)  # a person asked: the reserve is open
        assert manual.provider_requests["omdb"] == 1
        health = {h.id: h for h in await engine.provider_health()}
    assert (health["omdb"].requests_today, health["omdb"].quota) == (4, 5)
    assert server.provider_counts()["omdb"] == 4


async def test_stale_cache_is_served_when_providers_are_down(
    settings: Settings, server: CatalogServer
) -> None:
    _, before = await enrich_one(settings, "Heat (1995).mkv")
    server.offline = True
    async with Engine(settings) as engine:
        report = await engine.enrich(force=True)
        after = await engine.show(before.summary.ref)
    assert report.failed == 0 and report.partial == 1
    assert after.fields == before.fields
    assert set(after.failed_providers) == {"tmdb", "omdb", "fanart"}


async def test_offline_sends_nothing(settings: Settings, server: CatalogServer) -> None:
    _, before = await enrich_one(settings, "Heat (1995).mkv")
    server.clear_requests()
    offline = replace(settings, offline=True)
    touch(settings.library.roots[0], "Alien (1979).mkv")
    async with Engine(offline) as engine:
        await engine.scan()
        report = await engine.enrich(force=True)
        cached = await engine.show(before.summary.ref)
        check = await engine.test_provider("tmdb")
    assert server.requests == []
    assert cached.fields == before.fields and cached.summary.partial
    assert report.failed == 1  # Alien was never fetched: nothing cached to answer with
    assert not check.ok and "offline" in check.message


async def test_only_cleaned_titles_years_and_ids_reach_any_provider(
    settings: Settings, server: CatalogServer
) -> None:
    root = settings.library.roots[0]
    for name in (
        "Johns Private Rips/Heat.1995.PROPER.1080p.BluRay.x265-SECRETGRP.mkv",
        "Johns Private Rips/TV/Breaking.Bad.S01E01.720p.HDTV.x264-LEAKERS.mkv",
        "Johns Private Rips/Alien (1979)/alien.director.cut.avi",
    ):
        touch(root, name)
    async with Engine(settings) as engine:
        await engine.scan()
        await engine.enrich()
    # image downloads fetch URLs the providers gave: only API requests carry what we send
    images = ("/tmdb-images/", "/fanart-assets/", "/tvdb-art/")
    requests = [r for r in server.requests if not r[1].startswith(images)]
    assert {p.split("/")[1] for _, p, _ in requests} >= {"tmdb", "omdb", "fanart", "tvdb"}
    sent = " ".join(f"{path} {sorted(query.items())}" for _, path, query in requests).lower()
    for leak in ("johns", "private", "rips", "secretgrp", "leakers", "x265", "x264", "1080p",
                 "720p", "proper", "bluray", "hdtv", "director.cut", ".mkv", ".avi",
                 str(root).lower()):  # fmt: skip
        assert leak not in sent, leak
    assert "demo-key" not in sent  # keys are masked in the log, and sent only as keys
