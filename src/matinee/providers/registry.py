"""Which providers exist, and building the ones the settings enable.

The engine asks this module for its providers instead of importing provider modules itself,
so adding a provider is one line in `_REGISTRY` plus its module and config section. Status
rows are for display: keys are only ever shown masked.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import httpx

from matinee.config import ProviderSettings, Settings
from matinee.providers.base import Provider
from matinee.providers.fanart import FanartProvider
from matinee.providers.http import ProviderEnv
from matinee.providers.omdb import OmdbProvider
from matinee.providers.tmdb import TmdbProvider
from matinee.providers.tvdb import TvdbProvider

__all__ = [
    "ProviderEntry",
    "ProviderFactory",
    "build_providers",
    "known_providers",
    "provider_entry",
]


class ProviderFactory(Protocol):
    """How a provider is built: its settings and the engine's environment."""

    def __call__(self, settings: ProviderSettings, env: ProviderEnv | None = None) -> Provider: ...


@dataclass(frozen=True, slots=True)
class ProviderEntry:
    """One known provider: id (the config section name), display name, factory, and how a
    user gets a key."""

    id: str
    name: str
    factory: ProviderFactory
    key_help: str


_REGISTRY: tuple[ProviderEntry, ...] = (
    ProviderEntry(
        TmdbProvider.id,
        TmdbProvider.name,
        TmdbProvider,
        "free key at https://www.themoviedb.org/settings/api",
    ),
    ProviderEntry(
        OmdbProvider.id,
        OmdbProvider.name,
        OmdbProvider,
        "free key (1,000 requests a day) at https://www.omdbapi.com/apikey.aspx",
    ),
    ProviderEntry(
        TvdbProvider.id,
        TvdbProvider.name,
        TvdbProvider,
        "key (and subscriber pin) at https://thetvdb.com/api-information",
    ),
    ProviderEntry(
        FanartProvider.id,
        FanartProvider.name,
        FanartProvider,
        "project key at https://fanart.tv/get-an-api-key/",
    ),
)


def known_providers() -> tuple[ProviderEntry, ...]:
    """Every provider matinee knows, in default priority order."""
    return _REGISTRY


def provider_entry(provider_id: str) -> ProviderEntry | None:
    return next((e for e in _REGISTRY if e.id == provider_id), None)


def build_providers(
    settings: Settings,
    env: ProviderEnv | None = None,
    *,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
    only: str | None = None,
) -> dict[str, Provider]:
    """The providers that are enabled and configured (have a key), by id, in priority order.

    Args:
        settings: the application settings.
        env: what every provider shares (ledger, offline, rate-limit callback).
        transports: an httpx transport per provider id (tests and the demo server).
        only: build just this provider, enabled or not (`matinee providers test NAME`).
    """
    base = env or ProviderEnv()
    base = dataclasses.replace(base, offline=base.offline or settings.offline)
    transports = transports or {}
    built: dict[str, Provider] = {}
    for entry in _REGISTRY:
        ps = settings.provider(entry.id)
        wanted = entry.id == only if only else ps.enabled
        if wanted and ps.configured:
            transport = transports.get(entry.id, base.transport)
            built[entry.id] = entry.factory(ps, dataclasses.replace(base, transport=transport))
    return built
