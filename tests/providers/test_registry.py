"""build_providers and provider_status: enabled and configured providers only, keys masked."""

from __future__ import annotations

import httpx

from matinee.config import Settings
from matinee.model import EntityKind
from matinee.providers.base import Provider, SearchQuery
from matinee.providers.registry import build_providers, known_providers, provider_status
from matinee.providers.tmdb import TmdbProvider

from .support import KEY, load, settings


def _settings(**tmdb: object) -> Settings:
    return Settings(providers={"tmdb": settings(**tmdb)})


def test_known_providers_list_tmdb() -> None:
    assert [(e.id, e.name) for e in known_providers()] == [("tmdb", "TMDB")]


async def test_builds_enabled_and_configured_providers() -> None:
    built = build_providers(_settings())
    assert list(built) == ["tmdb"]
    assert isinstance(built["tmdb"], TmdbProvider) and isinstance(built["tmdb"], Provider)
    await built["tmdb"].aclose()


def test_skips_disabled_and_unconfigured_providers() -> None:
    assert build_providers(_settings(enabled=False)) == {}
    assert build_providers(_settings(api_key="")) == {}
    assert build_providers(Settings()) == {}  # defaults carry no key


async def test_transport_and_callback_reach_the_provider() -> None:
    seen: list[str] = []
    heard: list[tuple[str, float | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if len(seen) == 1:
            return httpx.Response(429, headers={"Retry-After": "0"})
        return httpx.Response(200, json=load("search_tv_query_game_of_thrones.json"))

    built = build_providers(
        _settings(),
        transports={"tmdb": httpx.MockTransport(handler)},
        on_rate_limited=lambda pid, after: heard.append((pid, after)),
    )
    provider = built["tmdb"]
    found = await provider.search(SearchQuery(EntityKind.SERIES, "Game of Thrones"))
    await provider.aclose()
    assert found[0].title == "Game of Thrones"
    assert seen == ["/3/search/tv", "/3/search/tv"]
    assert heard == [("tmdb", 0.0)]


def test_status_masks_the_key() -> None:
    rows = provider_status(_settings())
    assert rows == [
        {
            "id": "tmdb",
            "name": "TMDB",
            "enabled": True,
            "configured": True,
            "api_key": "****cdef",
        }
    ]
    assert KEY not in repr(rows)
    assert provider_status(_settings(api_key="", enabled=False))[0] == {
        "id": "tmdb",
        "name": "TMDB",
        "enabled": False,
        "configured": False,
        "api_key": "",
    }
