"""Fixtures for provider tests: respx routers, a fake sleep and one provider per service."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import respx

from matinee.providers.fanart import FanartProvider
from matinee.providers.http import ProviderEnv
from matinee.providers.omdb import OmdbProvider
from matinee.providers.tmdb import TmdbProvider
from matinee.providers.tvdb import TvdbProvider

from . import fanart_support, omdb_support, tvdb_support
from .support import BASE_URL, FakeSleep, settings


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield router


@pytest.fixture
def fake_sleep() -> FakeSleep:
    return FakeSleep()


@pytest.fixture
def limited() -> list[tuple[str, float | None]]:
    return []


@pytest.fixture
async def tmdb(
    api: respx.MockRouter, fake_sleep: FakeSleep, limited: list[tuple[str, float | None]]
) -> AsyncIterator[TmdbProvider]:
    env = ProviderEnv(sleep=fake_sleep, on_rate_limited=lambda pid, ra: limited.append((pid, ra)))
    provider = TmdbProvider(settings(), env)
    yield provider
    await provider.aclose()


@pytest.fixture
def omdb_api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=omdb_support.BASE_URL, assert_all_called=False) as router:
        yield router


@pytest.fixture
async def omdb(omdb_api: respx.MockRouter, fake_sleep: FakeSleep) -> AsyncIterator[OmdbProvider]:
    provider = OmdbProvider(omdb_support.make_settings(), ProviderEnv(sleep=fake_sleep))
    yield provider
    await provider.aclose()


@pytest.fixture
def fanart_api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=fanart_support.BASE_URL, assert_all_called=False) as router:
        yield router


@pytest.fixture
async def fanart(
    fanart_api: respx.MockRouter, fake_sleep: FakeSleep
) -> AsyncIterator[FanartProvider]:
    provider = FanartProvider(fanart_support.settings(), ProviderEnv(sleep=fake_sleep))
    yield provider
    await provider.aclose()


@pytest.fixture
def login(api: respx.MockRouter) -> respx.Route:
    """TheTVDB's `/login`, answered with a token.

    Only for the tvdb test modules: each overrides `api` with a router on TheTVDB's base URL.
    """
    return api.post("/login").respond(json=tvdb_support.load("login_200.json"))


@pytest.fixture
async def tvdb(login: respx.Route, fake_sleep: FakeSleep) -> AsyncIterator[TvdbProvider]:
    provider = await tvdb_support.make_provider(fake_sleep)
    yield provider
    await provider.aclose()
