"""The `Ledger` the providers use, backed by the repository (quota, health, response cache).

Providers never touch the database; the engine gives each `ProviderHttp` this adapter. A
refused reservation becomes `QuotaExhausted` with the time the quota resets.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from matinee.errors import QuotaExhausted
from matinee.providers.ledger import CachedResponse
from matinee.store.repo import Repository

__all__ = ["StoreLedger"]


class StoreLedger:
    """Implements `matinee.providers.ledger.Ledger` over a `Repository`."""

    def __init__(self, repo: Repository, *, clock: Callable[[], float] = time.time) -> None:
        self._repo = repo
        self._clock = clock

    async def reserve(self, provider: str, limit: int | None) -> None:
        result = await self._repo.reserve_request(provider, limit, self._clock())
        if not result.allowed:
            reset = datetime.fromtimestamp(result.reset_at, UTC) if result.reset_at else None
            when = f", resets {reset:%Y-%m-%d %H:%M} UTC" if reset else ""
            raise QuotaExhausted(
                provider, f"daily quota reached ({result.reason}{when})", reset_at=reset
            )

    async def record(
        self,
        provider: str,
        *,
        status: int | None,
        error: str | None,
        rate_limited_until: float | None = None,
    ) -> None:
        await self._repo.record_provider(provider, status, error, rate_limited_until, self._clock())

    async def exhausted(self, provider: str, reset_at: datetime | None, message: str) -> None:
        until = reset_at.timestamp() if reset_at is not None else None
        await self._repo.mark_exhausted(provider, until, message, self._clock())

    async def cache_get(self, provider: str, key: str) -> CachedResponse | None:
        found = await self._repo.cache_get(provider, key)
        return None if found is None else CachedResponse(*found)

    async def cache_put(self, provider: str, key: str, status: int, body: Any) -> None:
        await self._repo.cache_put(provider, key, status, body, self._clock())
