"""build_providers: enabled and configured providers only, in priority order, one env for all."""

from __future__ import annotations

import httpx

from matinee.config import Settings
from matinee.model import EntityKind
from matinee.providers.base import Identifier, Provider, SearchQuery, SeasonSource
from matinee.providers.http import ProviderEnv
from matinee.providers.registry import build_providers, known_providers, provider_entry
from matinee.providers.tmdb import TmdbProvider

from .support import load, settings


def _settings(**tmdb: object) -> Settings:
    return Settings(providers={"tmdb": settings(**tmdb)})


def test_known_providers_in_priority_order_with_key_help() -> None:
    assert [(e.id, e.name) for e in known_providers()] == [
        ("tmdb", "TMDB"),
        ("omdb", "OMDb"),
        ("tvdb", "TheTVDB"),
        ("fanart", "Fanart.tv"),
    ]
    assert all(e.key_help.startswith(("free key", "key", "project key")) for e in known_providers())
    assert provider_entry("omdb") is known_providers()[1]
    assert provider_entry("nope") is None


async def test_builds_enabled_and_configured_providers() -> None:
    built = build_providers(_settings())
    assert list(built) == ["tmdb"]
    assert isinstance(built["tmdb"], TmdbProvider) and isinstance(built["tmdb"], Provider)
    await built["tmdb"].aclose()


async def test_every_provider_implements_its_protocols() -> None:
    keyed = {
        name: settings(base_url=f"https://{name}.test", api_key="k" * 32)
        for name in ("tmdb", "omdb", "tvdb", "fanart")
    }
    built = build_providers(Settings(providers=keyed))
    assert list(built) == ["tmdb", "omdb", "tvdb", "fanart"]
    assert all(isinstance(p, Provider) for p in built.values())
    assert [pid for pid, p in built.items() if isinstance(p, Identifier)] == ["tmdb", "tvdb"]
    assert [pid for pid, p in built.items() if isinstance(p, SeasonSource)] == ["tmdb", "tvdb"]
    for provider in built.values():
        await provider.aclose()


def test_skips_disabled_and_unconfigured_providers() -> None:
    assert build_providers(_settings(enabled=False)) == {}
    assert build_providers(_settings(api_key="")) == {}
    assert build_providers(Settings()) == {}  # defaults carry no key


async def test_only_builds_one_provider_even_when_disabled() -> None:
    built = build_providers(_settings(enabled=False), only="tmdb")
    assert list(built) == ["tmdb"]
    await built["tmdb"].aclose()


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
        ProviderEnv(on_rate_limited=lambda pid, after: heard.append((pid, after))),
        transports={"tmdb": httpx.MockTransport(handler)},
    )
    provider = built["tmdb"]
    assert isinstance(provider, Identifier)
    found = await provider.search(SearchQuery(EntityKind.SERIES, "Game of Thrones"))
    await provider.aclose()
    assert found[0].title == "Game of Thrones"
    assert seen == ["/3/search/tv", "/3/search/tv"]
    assert heard == [("tmdb", 0.0)]
