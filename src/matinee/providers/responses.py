"""Reading an HTTP answer the same way for every provider: JSON or not, what a bare status
means, and how long a `Retry-After` asks us to wait."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from matinee.errors import AuthFailed, BadResponse, NotFound, ProviderError, Unavailable

__all__ = [
    "BACKOFF_BASE_S",
    "BACKOFF_CAP_S",
    "NotJson",
    "Success",
    "backoff_delay",
    "generic_error",
    "limited_message",
    "parse_json",
    "retry_after",
]

BACKOFF_BASE_S = 0.5
"""First backoff delay; doubles on each retry."""
BACKOFF_CAP_S = 30.0
"""Longest backoff delay between two retries."""


def backoff_delay(attempt: int, jitter: float) -> float:
    """Capped exponential backoff with jitter (0..1): between half and all of base * 2^attempt."""
    ceiling = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2.0**attempt)
    return ceiling * (0.5 + 0.5 * jitter)


class Success:
    __slots__ = ("body",)

    def __init__(self, body: Any) -> None:
        self.body = body


class NotJson:
    __slots__ = ()


def parse_json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:  # JSONDecodeError and UnicodeDecodeError are both ValueErrors
        return NotJson()


def generic_error(provider: str, status: int) -> ProviderError:
    """What a status means when the provider's own mapping has no opinion."""
    if status in (401, 403):
        return AuthFailed(provider, f"HTTP {status}: access denied", status=status)
    if status == 404:
        return NotFound(provider, "not found", status=status)
    if status == 408 or status >= 500:
        return Unavailable(provider, f"HTTP {status}", status=status)
    return BadResponse(provider, f"unexpected HTTP {status}", status=status)


def retry_after(value: str | None) -> float | None:
    """Seconds from a `Retry-After` header: delta-seconds or an HTTP date."""
    if value is None or not value.strip():
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return max(0.0, seconds)


def limited_message(retry_after: float | None) -> str:
    if retry_after is None:
        return "rate limited"
    return f"rate limited, retry after {retry_after:g}s"
