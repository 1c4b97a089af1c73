"""The one HTTP client a provider talks through: pacing, retries, error mapping, secrets.

Every provider module builds one `ProviderHttp` from its `ProviderSettings` and asks it for
JSON. This is the edge where raw httpx exceptions stop: callers only ever see the
`ProviderError` tree of `errors.py`. It is also the only place an API key is attached to a
request, and the key never leaves it: not in exception messages, not in logs, not in
`last_error`. What an HTTP status means is provider-specific, so each provider passes a
`map_error` callable; 429, timeouts and connection errors are handled here for all of them.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal
from urllib.parse import quote

import httpx

from matinee.config import ProviderSettings
from matinee.errors import (
    AuthFailed,
    BadResponse,
    NotFound,
    ProviderError,
    RateLimited,
    Unavailable,
)
from matinee.providers.ratelimit import Clock, Sleep, TokenBucket

__all__ = [
    "BACKOFF_BASE_S",
    "BACKOFF_CAP_S",
    "RETRY_AFTER_CAP_S",
    "AuthStyle",
    "ErrorMapper",
    "ProviderHttp",
    "RateLimitCallback",
    "as_dict",
    "dicts",
    "integer",
    "iso_date",
    "positive",
    "present",
    "text",
    "unique",
    "year_of",
]

log = logging.getLogger(__name__)

ErrorMapper = Callable[[int, Any], ProviderError | None]
"""`(status, parsed body or None) -> error`; None falls back to the generic mapping."""
RateLimitCallback = Callable[[str, float | None], None]
"""Called with `(provider_id, retry_after)` on every 429."""
AuthStyle = Literal["query", "bearer", "none"]

BACKOFF_BASE_S = 0.5
"""First backoff delay; doubles on each retry."""
BACKOFF_CAP_S = 30.0
"""Longest backoff delay between two retries."""
RETRY_AFTER_CAP_S = 60.0
"""Longest `Retry-After` we wait out in place; a longer one is raised for the engine to pause."""

_REDACTED = "****"


class _SecretFilter(logging.Filter):
    """Blanks API keys out of httpx's own log lines, which print every request URL."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = clean = record.getMessage()
            for secret in self.secrets:
                clean = clean.replace(secret, _REDACTED)
            if clean != message:
                record.msg, record.args = clean, ()
        return True


_SECRET_FILTER = _SecretFilter()
logging.getLogger("httpx").addFilter(_SECRET_FILTER)


class ProviderHttp:
    """One provider's `httpx.AsyncClient` with a token bucket and a retry loop.

    Attributes:
        requests_made: every HTTP request actually sent, retries included.
        last_status: the HTTP status of the last response (None before any, or after a
            timeout or connection error).
        last_error: a one-line, key-free description of the last failure (None after a success).
    """

    def __init__(
        self,
        provider_id: str,
        settings: ProviderSettings,
        *,
        map_error: ErrorMapper,
        auth: AuthStyle = "query",
        key_param: str = "api_key",
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = time.monotonic,
        jitter: Callable[[], float] = random.random,
        on_rate_limited: RateLimitCallback | None = None,
    ) -> None:
        self.provider_id = provider_id
        self.requests_made = 0
        self.last_status: int | None = None
        self.last_error: str | None = None
        self._settings = settings
        self._map_error = map_error
        self._auth: AuthStyle = auth
        self._key_param = key_param
        self._secret = settings.api_key
        if self._secret:
            _SECRET_FILTER.secrets.update({self._secret, quote(self._secret, safe="")})
        self._sleep = sleep
        self._jitter = jitter
        self._on_rate_limited = on_rate_limited
        self._max_retries = max(0, settings.max_retries)
        self._bucket = TokenBucket(
            settings.requests_per_second, settings.burst, clock=clock, sleep=sleep
        )
        headers = {"Accept": "application/json", "User-Agent": "matinee/0.1"}
        if auth == "bearer" and self._secret:
            headers["Authorization"] = f"Bearer {self._secret}"
        self._client = httpx.AsyncClient(
            base_url=settings.base_url,
            headers=headers,
            timeout=httpx.Timeout(settings.timeout_s),
            limits=httpx.Limits(
                max_connections=settings.max_connections,
                max_keepalive_connections=settings.max_connections,
            ),
            transport=transport,
            follow_redirects=False,
        )

    async def get_json(self, path: str, params: dict[str, str | int]) -> Any:
        """GET `path` with `params` (the key is added here) and return the parsed JSON body.

        Raises:
            RateLimited: still limited after the retries, or asked to wait longer than
                `RETRY_AFTER_CAP_S`.
            Unavailable: 5xx, timeouts or connection errors after the retries.
            AuthFailed, NotFound, BadResponse: as mapped from the status and body.
        """
        if self._auth != "none" and not self._secret:
            raise self._fail(AuthFailed(self.provider_id, "no API key configured"))
        query: dict[str, str | int] = dict(params)
        if self._auth == "query":
            query[self._key_param] = self._secret
        attempt = 0
        while True:
            await self._bucket.acquire()
            error, delay = await self._attempt(path, query, attempt)
            if isinstance(error, _Success):
                self.last_error = None
                return error.body
            retryable = isinstance(error, Unavailable | RateLimited)
            if not retryable or delay is None or attempt >= self._max_retries:
                raise self._fail(error)
            log.debug(
                "%s %s: %s, retry %d in %.1fs",
                self.provider_id,
                path,
                self._redact(str(error)),
                attempt + 1,
                delay,
            )
            await self._sleep(delay)
            attempt += 1

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    # --- one attempt ---------------------------------------------------------------------

    async def _attempt(
        self, path: str, query: dict[str, str | int], attempt: int
    ) -> tuple[ProviderError | _Success, float | None]:
        """Send once; return the outcome and, for a retryable failure, how long to wait."""
        pid = self.provider_id
        self.requests_made += 1
        failure: ProviderError | None = None
        try:
            response = await self._client.get(path, params=query)
        except httpx.TimeoutException:
            failure = Unavailable(pid, f"timed out after {self._settings.timeout_s:g}s")
        except httpx.TransportError as exc:
            # The exception text can carry the URL (and so the key): keep only its type.
            failure = Unavailable(pid, f"connection failed ({type(exc).__name__})")
        if failure is not None:
            self.last_status = None
            return failure, self._backoff(attempt)

        status = response.status_code
        self.last_status = status
        if status == 429:
            retry_after = _retry_after(response.headers.get("Retry-After"))
            if self._on_rate_limited is not None:
                try:
                    self._on_rate_limited(pid, retry_after)
                except Exception:  # a listener's bug must not break the request
                    log.exception("%s: on_rate_limited callback failed", pid)
            limited = RateLimited(pid, _limited_message(retry_after), retry_after=retry_after)
            if retry_after is None:
                return limited, self._backoff(attempt)
            return limited, (retry_after if retry_after <= RETRY_AFTER_CAP_S else None)

        body = _parse_json(response)
        if 200 <= status < 300:
            if isinstance(body, _NotJson):
                return BadResponse(pid, f"HTTP {status}: body is not JSON", status=status), None
            return _Success(body), None

        payload = None if isinstance(body, _NotJson) else self._scrub(body)
        error = self._map_error(status, payload) or _generic_error(pid, status)
        if error.status is None:
            error.status = status
        if isinstance(error, Unavailable | RateLimited):
            return error, self._backoff(attempt)
        return error, None

    def _backoff(self, attempt: int) -> float:
        """Capped exponential backoff with jitter: between half and all of base * 2^attempt."""
        ceiling = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2.0**attempt)
        return ceiling * (0.5 + 0.5 * self._jitter())

    # --- secrets ---------------------------------------------------------------------------

    def _fail(self, error: ProviderError) -> ProviderError:
        """Record the failure (without the key) and hand back a key-free error to raise."""
        message = self._redact(str(error))
        if message != str(error):
            error.args = (message,)
        self.last_error = message
        log.info("%s", self.last_error)
        return error

    def _redact(self, value: str) -> str:
        return value.replace(self._secret, _REDACTED) if self._secret else value

    def _scrub(self, value: Any) -> Any:
        """A copy of a parsed body with the key blanked out of every string in it."""
        if not self._secret:
            return value
        if isinstance(value, str):
            return self._redact(value)
        if isinstance(value, list):
            return [self._scrub(v) for v in value]
        if isinstance(value, dict):
            return {k: self._scrub(v) for k, v in value.items()}
        return value


class _Success:
    __slots__ = ("body",)

    def __init__(self, body: Any) -> None:
        self.body = body


class _NotJson:
    __slots__ = ()


def _parse_json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:  # JSONDecodeError and UnicodeDecodeError are both ValueErrors
        return _NotJson()


def _generic_error(provider: str, status: int) -> ProviderError:
    """What a status means when the provider's own mapping has no opinion."""
    if status in (401, 403):
        return AuthFailed(provider, f"HTTP {status}: access denied", status=status)
    if status == 404:
        return NotFound(provider, "not found", status=status)
    if status == 408 or status >= 500:
        return Unavailable(provider, f"HTTP {status}", status=status)
    return BadResponse(provider, f"unexpected HTTP {status}", status=status)


def _retry_after(value: str | None) -> float | None:
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


def _limited_message(retry_after: float | None) -> str:
    if retry_after is None:
        return "rate limited"
    return f"rate limited, retry after {retry_after:g}s"


# --- reading provider JSON without trusting its shape ----------------------------------------
# Every provider normalizes bodies whose keys may be missing, null or of another type; these
# readers turn anything unexpected into "no value" so that never becomes a KeyError/TypeError.


def as_dict(value: Any) -> dict[str, Any]:
    """`value` if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def dicts(value: Any) -> list[dict[str, Any]]:
    """The objects in `value` if it is a JSON array (other items dropped), else `[]`."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def text(value: Any) -> str | None:
    """Stripped text, or None for non-strings and blank strings."""
    if not isinstance(value, str):
        return None
    return value.strip() or None


def integer(value: Any) -> int | None:
    """An int (never a bool), or None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def positive(value: Any) -> int | None:
    """An int above zero (0 means "unknown" in provider payloads), or None."""
    number = integer(value)
    return number if number is not None and number > 0 else None


def iso_date(value: Any) -> str | None:
    """`YYYY-MM-DD` from a date or datetime string, or None."""
    value = text(value)
    return value[:10] if value and _DATE_RE.match(value) else None


def year_of(value: Any) -> int | None:
    """The year of a `YYYY...` date string (`""` gives None)."""
    value = text(value)
    return int(value[:4]) if value and _YEAR_RE.match(value) else None


def unique(values: Iterable[str | None]) -> list[str]:
    """The non-empty values, first occurrence kept, in order."""
    return list(dict.fromkeys(v for v in values if v))


def present(fields: dict[str, Any]) -> dict[str, Any]:
    """`fields` without the entries that carry no data (None, blank text, empty lists)."""
    return {k: v for k, v in fields.items() if v is not None and v != "" and v != []}


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_YEAR_RE = re.compile(r"^\d{4}")
