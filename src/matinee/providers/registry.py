"""Which providers exist, and building the ones the settings enable.

The engine asks this module for its providers instead of importing provider modules itself,
so adding a provider (OMDb, TheTVDB, Fanart.tv) is one line in `_REGISTRY` plus its module and
config section. Status rows are for display: the key is only ever shown masked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from matinee.config import ProviderSettings, Settings, mask_secret
from matinee.providers.base import Provider
from matinee.providers.http import RateLimitCallback
from matinee.providers.tmdb import TmdbProvider

__all__ = [
    "ProviderEntry",
    "ProviderFactory",
    "build_providers",
    "known_providers",
    "provider_status",
]


class ProviderFactory(Protocol):
    """How a provider is built: its settings, plus an optional transport (tests, the demo)."""

    def __call__(
        self,
        settings: ProviderSettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        on_rate_limited: RateLimitCallback | None = None,
    ) -> Provider: ...


@dataclass(frozen=True, slots=True)
class ProviderEntry:
    """One known provider: its id (the config section name), display name and factory."""

    id: str
    name: str
    factory: ProviderFactory


_REGISTRY: tuple[ProviderEntry, ...] = (
    ProviderEntry(TmdbProvider.id, TmdbProvider.name, TmdbProvider),
)


def known_providers() -> tuple[ProviderEntry, ...]:
    """Every provider matinee knows, in default priority order."""
    return _REGISTRY


def build_providers(
    settings: Settings,
    *,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
    on_rate_limited: RateLimitCallback | None = None,
) -> dict[str, Provider]:
    """The providers that are enabled and configured (have a key), by id.

    Args:
        settings: the application settings.
        transports: an httpx transport per provider id (tests and the demo server).
        on_rate_limited: called with `(provider_id, retry_after)` on every 429.
    """
    transports = transports or {}
    built: dict[str, Provider] = {}
    for entry in _REGISTRY:
        ps = settings.provider(entry.id)
        if ps.enabled and ps.configured:
            built[entry.id] = entry.factory(
                ps, transport=transports.get(entry.id), on_rate_limited=on_rate_limited
            )
    return built


def provider_status(settings: Settings) -> list[dict[str, Any]]:
    """One row per known provider: id, name, enabled, configured and the masked key."""
    rows: list[dict[str, Any]] = []
    for entry in _REGISTRY:
        ps = settings.provider(entry.id)
        rows.append(
            {
                "id": entry.id,
                "name": entry.name,
                "enabled": ps.enabled,
                "configured": ps.configured,
                "api_key": mask_secret(ps.api_key),
            }
        )
    return rows
