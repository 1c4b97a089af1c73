"""What a provider client is given besides its settings: the engine's environment and the
provider-specific hooks `ProviderHttp` calls."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from matinee.errors import ProviderError
from matinee.providers.ledger import Ledger
from matinee.providers.ratelimit import Clock, Sleep

__all__ = ["BodyCheck", "ErrorMapper", "Login", "ProviderEnv", "RateLimitCallback"]

ErrorMapper = Callable[[int, Any], ProviderError | None]
"""`(status, parsed body or None) -> error`; None falls back to the generic mapping."""
BodyCheck = Callable[[Any], ProviderError | None]
"""An error hidden in a 2xx body (OMDb's `"Response": "False"`), or None."""
RateLimitCallback = Callable[[str, float | None], None]
"""Called with `(provider_id, retry_after)` on every 429."""
Login = Callable[[], Awaitable[str]]
"""Fetches a fresh bearer token (TheTVDB `/login`)."""


@dataclass(frozen=True)
class ProviderEnv:
    """What a provider client gets from the engine besides its settings.

    Attributes:
        transport: an httpx transport (tests, the demo server); None for the network.
        ledger: durable quota counts, health and response cache; None for none of them.
        offline: never send a request; answer from the cache (stale or not) or fail.
        cache_ttl_s: how long a cached answer is fresh.
        on_rate_limited: called with `(provider_id, retry_after)` on every 429.
        sleep, clock, jitter: injected so tests never wait.
    """

    transport: httpx.AsyncBaseTransport | None = None
    ledger: Ledger | None = None
    offline: bool = False
    cache_ttl_s: float = 7 * 86400.0
    on_rate_limited: RateLimitCallback | None = None
    sleep: Sleep = asyncio.sleep
    clock: Clock = time.monotonic
    jitter: Callable[[], float] = random.random
