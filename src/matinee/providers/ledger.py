"""What a provider client needs from durable storage: quota counts, health, cached answers.

`ProviderHttp` talks to a `Ledger`, never to the database: the engine hands it one backed by
the store (`engine/provider_ledger.py`), tests hand it none (no quota, no cache) or a fake.
Counting a request and checking the quota is one atomic step in the ledger, so two processes
on one database can never spend more than the quota between them, and a restart does not reset
the count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import urlencode

__all__ = ["CachedResponse", "Ledger", "cache_key"]


@dataclass(frozen=True, slots=True)
class CachedResponse:
    """A stored answer: HTTP status (200, or 404 for "the provider has no such item"), the
    parsed JSON body, and when it was fetched (Unix time)."""

    status: int
    body: Any
    fetched_at: float


class Ledger(Protocol):
    async def reserve(self, provider: str, limit: int | None) -> None:
        """Count one request about to be sent today.

        Args:
            limit: how many requests this caller may have sent today in all (the quota, or
                the quota minus the manual reserve for bulk work); None for no quota.

        Raises:
            QuotaExhausted: the limit is reached, or the provider said its quota is spent and
                the reset time has not come yet.
        """
        ...

    async def record(
        self,
        provider: str,
        *,
        status: int | None,
        error: str | None,
        rate_limited_until: float | None = None,
    ) -> None:
        """Remember the last answer (status, a key-free error line, a 429's pause end)."""
        ...

    async def exhausted(self, provider: str, reset_at: datetime | None, message: str) -> None:
        """The provider said its daily quota is spent: refuse requests until `reset_at`
        (None: the next UTC midnight)."""
        ...

    async def cache_get(self, provider: str, key: str) -> CachedResponse | None:
        """The stored answer for `key`, fresh or not."""
        ...

    async def cache_put(self, provider: str, key: str, status: int, body: Any) -> None:
        """Store an answer (replacing the previous one)."""
        ...


def cache_key(method: str, path: str, params: Mapping[str, str | int]) -> str:
    """`GET /movie/550?language=en-US`: the request without its secrets, params sorted.

    The caller passes only the non-secret parameters, so a key never holds an API key.
    """
    query = urlencode(sorted((k, str(v)) for k, v in params.items()))
    return f"{method} {path}?{query}" if query else f"{method} {path}"
