"""The engine's providers: built from the settings, rebuilt when they change, checked, reported.

`Engine.apply_settings` hands new settings to `rebuild`: a provider whose settings (and the
engine-wide ones it is built with: offline, the cache TTL) did not change is kept as it is,
with its rate limiter and counters; a changed one is built anew; a disabled or unconfigured one
is dropped. Runs already in flight keep the providers they started with (`lease`), so a dropped
or replaced provider is closed only once no run holds it any more, or at `aclose` (engine stop).
Providers given to the engine by a test or a benchmark are used as given and never rebuilt.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import httpx

from matinee.config import Settings
from matinee.engine.health import check_provider, provider_health
from matinee.engine.reports import ProviderCheck, ProviderHealth
from matinee.errors import UsageError
from matinee.providers.base import Provider
from matinee.providers.http import ProviderEnv
from matinee.providers.registry import build_providers, known_providers
from matinee.store.repo import Repository

__all__ = ["ProviderVerbs"]

log = logging.getLogger(__name__)


class ProviderVerbs:
    """The providers in use (`current`), the ones leased by running work, health and checks.

    Args:
        transports: an httpx transport per provider id (tests and the demo server).
        given: fixed providers (tests, benchmarks): used as given, never rebuilt.
    """

    def __init__(
        self,
        repo: Repository,
        transports: Mapping[str, httpx.AsyncBaseTransport],
        given: Mapping[str, Provider] | None,
    ) -> None:
        self._repo = repo
        self._transports = transports
        self._given = given
        self.current: dict[str, Provider] = {}
        self._built_with: dict[str, object] = {}  # provider id -> what it was built from
        self._uses: Counter[int] = Counter()  # id(provider) -> leases holding it
        self._retired: dict[int, Provider] = {}  # replaced, closed when the last lease ends

    def build(self, settings: Settings, env: ProviderEnv) -> None:
        """The first set of providers (`Engine.start`)."""
        if self._given is not None:
            self.current = dict(self._given)
            return
        self.current = build_providers(settings, env, transports=self._transports)
        self._built_with = {pid: _recipe(settings, pid) for pid in self.current}

    async def rebuild(self, settings: Settings, env: ProviderEnv) -> None:
        """Use `settings` from now on; providers no lease holds are closed now, others later."""
        if self._given is not None:
            return
        fresh: dict[str, Provider] = {}
        recipes: dict[str, object] = {}
        for entry in known_providers():  # priority order, like `build_providers`
            ps = settings.provider(entry.id)
            if not (ps.enabled and ps.configured):
                continue
            recipe = _recipe(settings, entry.id)
            old = self.current.get(entry.id)
            if old is not None and self._built_with.get(entry.id) == recipe:
                fresh[entry.id] = old
            else:
                fresh[entry.id] = build_providers(
                    settings, env, transports=self._transports, only=entry.id
                )[entry.id]
            recipes[entry.id] = recipe
        kept = {id(p) for p in fresh.values()}
        dropped = [p for p in self.current.values() if id(p) not in kept]
        self.current, self._built_with = fresh, recipes
        for provider in dropped:
            if self._uses[id(provider)]:
                self._retired[id(provider)] = provider
            else:
                await _close(provider)

    @asynccontextmanager
    async def lease(self) -> AsyncIterator[dict[str, Provider]]:
        """The current providers, kept open until the block ends even if settings change."""
        providers = dict(self.current)
        self._uses.update(id(p) for p in providers.values())
        try:
            yield providers
        finally:
            self._uses.subtract(id(p) for p in providers.values())
            for provider in providers.values():
                key = id(provider)
                if self._uses[key] <= 0:
                    del self._uses[key]
                    retired = self._retired.pop(key, None)
                    if retired is not None:
                        await _close(retired)

    async def aclose(self) -> None:
        """Close every provider, current or retired (`Engine.stop`, after runs are stopped)."""
        providers = [*self.current.values(), *self._retired.values()]
        self.current, self._retired = {}, {}
        for provider in providers:
            await _close(provider)

    async def health(self, settings: Settings) -> list[ProviderHealth]:
        """Every known provider: enabled, configured, quota use, limits and the last answer."""
        now = time.time()
        return provider_health(settings, await self._repo.provider_usage(now), now)

    async def test(self, settings: Settings, env: ProviderEnv, provider_id: str) -> ProviderCheck:
        """Check a provider's key with one cheap request (enabled or not)."""
        entry = next((e for e in known_providers() if e.id == provider_id), None)
        if entry is None:
            known = ", ".join(e.id for e in known_providers())
            raise UsageError(f"unknown provider {provider_id!r} (known: {known})")
        if settings.offline:
            return ProviderCheck(
                provider_id, False, "offline = true in the config: no request sent"
            )
        if not settings.provider(provider_id).configured:
            return ProviderCheck(
                provider_id, False, f"not configured: no API key ({entry.key_help})"
            )
        if self._given is not None and provider_id in self._given:
            return await check_provider(self._given[provider_id])
        built = build_providers(settings, env, transports=self._transports, only=provider_id)
        provider = built[provider_id]
        try:
            return await check_provider(provider)
        finally:
            await provider.aclose()


def _recipe(settings: Settings, provider_id: str) -> object:
    """What a provider is built from: its section and the engine-wide settings it reads."""
    return (settings.provider(provider_id), settings.offline, settings.cache.ttl_days)


async def _close(provider: Provider) -> None:
    try:
        await provider.aclose()
    except Exception:  # closing must not fail a settings change or a run's end
        log.exception("closing provider %s failed", provider.id)
