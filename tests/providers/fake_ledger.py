"""An in-memory `Ledger` for ProviderHttp tests (the store-backed one has its own tests)."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from matinee.errors import QuotaExhausted
from matinee.providers.ledger import CachedResponse


class FakeLedger:
    def __init__(self) -> None:
        self.count = 0
        self.limits: list[int | None] = []
        self.exhausted_at: datetime | bool | None = False
        self.records: list[tuple[int | None, str | None, float | None]] = []
        self.cache: dict[str, CachedResponse] = {}

    async def reserve(self, provider: str, limit: int | None) -> None:
        self.limits.append(limit)
        if self.exhausted_at is not False or (limit is not None and self.count >= limit):
            raise QuotaExhausted(provider, "daily quota reached")
        self.count += 1

    async def record(
        self,
        provider: str,
        *,
        status: int | None,
        error: str | None,
        rate_limited_until: float | None = None,
    ) -> None:
        self.records.append((status, error, rate_limited_until))

    async def exhausted(self, provider: str, reset_at: datetime | None, message: str) -> None:
        self.exhausted_at = reset_at

    async def cache_get(self, provider: str, key: str) -> CachedResponse | None:
        return self.cache.get(key)

    async def cache_put(self, provider: str, key: str, status: int, body: Any) -> None:
        self.cache[key] = CachedResponse(status, body, time.time())

    def age(self, key: str, seconds: float) -> None:
        """Make a cached entry `seconds` old."""
        entry = self.cache[key]
        self.cache[key] = CachedResponse(entry.status, entry.body, time.time() - seconds)
