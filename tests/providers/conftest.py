"""Fixtures for provider tests: a respx router, a fake sleep and a TMDB provider."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import respx

from matinee.providers.http import ProviderEnv
from matinee.providers.tmdb import TmdbProvider

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
