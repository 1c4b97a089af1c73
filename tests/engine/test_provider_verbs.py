"""The provider set across settings changes: kept, rebuilt, and closed only when unused."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from matinee.config import Settings
from matinee.engine.provider_verbs import ProviderVerbs
from matinee.providers.base import Provider
from matinee.providers.http import ProviderEnv
from matinee.store.repo import Repository


@pytest.fixture
async def repo(tmp_path: Path) -> AsyncIterator[Repository]:
    r = Repository(tmp_path / "m.db")
    await r.open()
    yield r
    await r.close()


def watch_close(providers: dict[str, Provider], closed: list[str], tag: str) -> None:
    for pid, provider in providers.items():
        real = provider.aclose

        async def aclose(pid: str = pid, real=real) -> None:  # type: ignore[no-untyped-def]
            closed.append(f"{tag} {pid}")
            await real()

        provider.aclose = aclose  # type: ignore[method-assign]


def key(settings: Settings, pid: str, api_key: str) -> Settings:
    changed = replace(settings.provider(pid), api_key=api_key)
    return replace(settings, providers={**settings.providers, pid: changed})


async def test_a_leased_provider_outlives_two_rebuilds(
    repo: Repository, settings: Settings
) -> None:
    verbs = ProviderVerbs(repo, {}, None)
    env = ProviderEnv()
    verbs.build(settings, env)
    closed: list[str] = []
    watch_close(verbs.current, closed, "first")
    async with verbs.lease() as held:
        await verbs.rebuild(key(settings, "omdb", "k2"), env)
        watch_close({"omdb": verbs.current["omdb"]}, closed, "second")
        assert verbs.current["tmdb"] is held["tmdb"] and verbs.current["omdb"] is not held["omdb"]
        await verbs.rebuild(key(key(settings, "omdb", "k3"), "tmdb", "t2"), env)
        # the second omdb was never leased: closed at once; the leased ones wait
        assert closed == ["second omdb"]
        third = {pid: verbs.current[pid] for pid in ("tmdb", "omdb")}
        watch_close(third, closed, "third")
    assert closed == ["second omdb", "first tmdb", "first omdb"]
    await verbs.rebuild(settings, env)  # nothing leased: replaced providers close at once
    assert closed[3:] == ["third tmdb", "third omdb"]
    await verbs.aclose()  # the ones kept all along close with the engine
    assert verbs.current == {} and closed[5:] == ["first tvdb", "first fanart"]


async def test_given_providers_are_never_rebuilt(repo: Repository, settings: Settings) -> None:
    env = ProviderEnv()
    built = ProviderVerbs(repo, {}, None)
    built.build(settings, env)
    verbs = ProviderVerbs(repo, {}, built.current)
    verbs.build(settings, env)
    given = dict(verbs.current)
    await verbs.rebuild(replace(settings, providers={}), env)
    assert verbs.current == given
    await built.aclose()
