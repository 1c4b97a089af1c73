"""The catalog server's request log: what was asked of which provider and what it answered.

Entries are (method, path, query) with every secret query value masked (`api_key`,
`apikey`, `client_key` -> `****`); headers (so the Authorization header) and request bodies
are never recorded. Each entry carries its provider id ("tmdb", "omdb", "tvdb", "fanart",
or None for image files) and its HTTP status, for tests and benchmarks.
"""

from __future__ import annotations

import threading
from collections import Counter

from matinee.demo.http_util import Query, mask_query

__all__ = ["RequestLog"]

PROVIDER_IDS = ("tmdb", "omdb", "tvdb", "fanart")


class RequestLog:
    """A thread-safe, append-only log of requests, their providers and statuses."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: list[tuple[str, str, Query]] = []
        self._statuses: list[int] = []
        self._providers: list[str | None] = []
        self._faults: list[tuple[str, str]] = []

    def add(self, method: str, path: str, query: Query, provider: str | None) -> int:
        """Record a request (status 0 until answered); return its index."""
        with self._lock:
            self._requests.append((method, path, mask_query(query)))
            self._providers.append(provider)
            self._statuses.append(0)
            return len(self._statuses) - 1

    def answered(self, index: int, status: int) -> None:
        """Set the status of entry `index` (ignored if the log was cleared meanwhile)."""
        with self._lock:
            if index < len(self._statuses):
                self._statuses[index] = status

    def fault(self, provider: str, fault: str) -> None:
        """Record a random fault injected into an answer to `provider`."""
        with self._lock:
            self._faults.append((provider, fault))

    @property
    def requests(self) -> list[tuple[str, str, Query]]:
        with self._lock:
            return list(self._requests)

    @property
    def statuses(self) -> list[int]:
        with self._lock:
            return list(self._statuses)

    @property
    def faults(self) -> list[tuple[str, str]]:
        with self._lock:
            return list(self._faults)

    def __len__(self) -> int:
        with self._lock:
            return len(self._requests)

    def provider_counts(self) -> dict[str, int]:
        """API requests per provider id (image files are not counted)."""
        with self._lock:
            counts = Counter(p for p in self._providers if p is not None)
        return {provider: counts.get(provider, 0) for provider in PROVIDER_IDS}

    def status_counts(self, provider: str) -> dict[int, int]:
        """How often each HTTP status was answered to `provider`'s API requests."""
        with self._lock:
            pairs = list(zip(self._providers, self._statuses, strict=True))
        return dict(Counter(status for p, status in pairs if p == provider))

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._requests.clear()
            self._statuses.clear()
            self._providers.clear()
            self._faults.clear()
