"""A token bucket that paces the requests one provider sends.

Each provider gets its own bucket (DESIGN.md §5), so a slow or limited provider never holds the
others back. The bucket only decides *when* a request may go; retries, 429s and daily quotas
live in `http.py` and the quota machinery. Time comes from an injected clock and sleep so tests
never wait for real.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

__all__ = ["Clock", "Sleep", "TokenBucket"]

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class TokenBucket:
    """`rate` tokens a second, at most `burst` saved up; one token per request.

    A caller that finds the bucket empty reserves the next token (the balance goes negative)
    and sleeps until it is due, so concurrent callers queue up in arrival order without a lock
    and the long-run rate never exceeds `rate`.
    """

    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be more than 0")
        if burst < 1:
            raise ValueError("burst must be at least 1")
        self.rate = float(rate)
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(burst)
        self._updated = clock()

    @property
    def tokens(self) -> float:
        """Tokens available now (negative when callers are already queued)."""
        self._refill()
        return self._tokens

    async def acquire(self) -> None:
        """Take one token, sleeping until it is available."""
        wait = self._reserve()
        if wait <= 0:
            return
        try:
            await self._sleep(wait)
        except asyncio.CancelledError:
            # A cancelled caller sends nothing: give its reservation back.
            self._tokens += 1
            raise

    def _reserve(self) -> float:
        self._refill()
        self._tokens -= 1
        return 0.0 if self._tokens >= 0 else -self._tokens / self.rate

    def _refill(self) -> None:
        now = self._clock()
        elapsed = max(0.0, now - self._updated)
        self._updated = now
        self._tokens = min(float(self.burst), self._tokens + elapsed * self.rate)
