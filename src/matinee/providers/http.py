"""The one HTTP client a provider talks through: pacing, quotas, retries, cache, secrets.

Every provider module builds one `ProviderHttp` from its `ProviderSettings` and a
`ProviderEnv`, and asks it for JSON. This is the edge where raw httpx exceptions stop: callers
only ever see the `ProviderError` tree of `errors.py`. It is also the only place a secret (API
key, personal key, bearer token) is attached to a request, and secrets never leave it: not in
exception messages, not in logs, not in `last_error`, not in cache keys.

One request goes through, in order: the response cache (fresh entry: no request at all), the
pause a 429 imposed on this provider, the daily quota (counted in the ledger, so in the
database), the token bucket, then up to `max_retries` retries for 429, 5xx and timeouts
(`Retry-After`, or capped exponential backoff with jitter). If the provider cannot be reached
and an expired cache entry exists, that entry is served and the provider is named as stale in
the `RequestContext`. What an HTTP status or body means is provider-specific, so each provider
passes `map_error` (and `check_body` for errors inside 200 answers).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import httpx

from matinee.config import ProviderSettings
from matinee.errors import (
    AuthFailed,
    BadResponse,
    NotFound,
    ProviderError,
    QuotaExhausted,
    RateLimited,
    Unavailable,
)
from matinee.providers.context import RequestContext, current_context
from matinee.providers.ledger import CachedResponse, Ledger, cache_key
from matinee.providers.ratelimit import Clock, Sleep, TokenBucket

__all__ = [
    "BACKOFF_BASE_S",
    "BACKOFF_CAP_S",
    "RETRY_AFTER_CAP_S",
    "BodyCheck",
    "ErrorMapper",
    "Login",
    "ProviderEnv",
    "ProviderHttp",
    "RateLimitCallback",
]

log = logging.getLogger(__name__)

ErrorMapper = Callable[[int, Any], ProviderError | None]
"""`(status, parsed body or None) -> error`; None falls back to the generic mapping."""
BodyCheck = Callable[[Any], ProviderError | None]
"""An error hidden in a 2xx body (OMDb's `"Response": "False"`), or None."""
RateLimitCallback = Callable[[str, float | None], None]
"""Called with `(provider_id, retry_after)` on every 429."""
Login = Callable[[], Awaitable[str]]
"""Fetches a fresh bearer token (TheTVDB `/login`)."""

BACKOFF_BASE_S = 0.5
"""First backoff delay; doubles on each retry."""
BACKOFF_CAP_S = 30.0
"""Longest backoff delay between two retries."""
RETRY_AFTER_CAP_S = 60.0
"""Longest `Retry-After` we wait out in place; a longer one is raised for the engine to pause."""

_REDACTED = "****"


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


class _SecretFilter(logging.Filter):
    """Blanks secrets out of httpx's own log lines, which print every request URL."""

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
    """One provider's `httpx.AsyncClient` with its pacing, quota, cache and retry loop.

    Args:
        provider_id: the provider's id (`tmdb`).
        settings: its settings (base URL, rate, burst, connections, timeout, retries, quota).
        env: the engine's environment (transport, ledger, offline, clock).
        map_error: provider-specific meaning of an error status and body.
        check_body: provider-specific errors inside 2xx bodies.
        secret_params: query parameters that carry secrets (`{"api_key": KEY}`); added to every
            request, never logged, never part of a cache key.
        bearer: a static bearer token (a TMDB read access token).
        login: fetches a bearer token on first use and again once after a 401 (TheTVDB).
        requires_key: fail with `AuthFailed` before sending anything when there is no key.

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
        env: ProviderEnv | None = None,
        *,
        map_error: ErrorMapper,
        check_body: BodyCheck | None = None,
        secret_params: Mapping[str, str] | None = None,
        bearer: str | None = None,
        login: Login | None = None,
        requires_key: bool = True,
    ) -> None:
        env = env or ProviderEnv()
        self.provider_id = provider_id
        self.requests_made = 0
        self.last_status: int | None = None
        self.last_error: str | None = None
        self._settings = settings
        self._env = env
        self._ledger = env.ledger
        self._map_error = map_error
        self._check_body = check_body
        self._secret_params = {k: v for k, v in (secret_params or {}).items() if v}
        self._login = login
        self._token: str | None = bearer or None
        self._login_lock = asyncio.Lock()
        self._requires_key = requires_key
        self._secrets: set[str] = set()
        # Keys can also travel in a body (TheTVDB's login): treat every configured one as secret.
        for secret in [*self._secret_params.values(), bearer or "", settings.api_key,
                       settings.pin, settings.client_key]:  # fmt: skip
            self._add_secret(secret)
        self._paused_until = 0.0
        self._recorded: tuple[int | None, str | None] | None = None
        self._max_retries = max(0, settings.max_retries)
        self._bucket = TokenBucket(
            settings.requests_per_second, settings.burst, clock=env.clock, sleep=env.sleep
        )
        self._client = httpx.AsyncClient(
            base_url=settings.base_url,
            headers={"Accept": "application/json", "User-Agent": "matinee/0.1"},
            timeout=httpx.Timeout(settings.timeout_s),
            limits=httpx.Limits(
                max_connections=settings.max_connections,
                max_keepalive_connections=settings.max_connections,
            ),
            transport=env.transport,
            follow_redirects=False,
        )

    @property
    def settings(self) -> ProviderSettings:
        return self._settings

    async def get_json(
        self, path: str, params: Mapping[str, str | int] | None = None, *, cache: bool = True
    ) -> Any:
        """GET `path` with `params` (secrets are added here) and return the parsed JSON body.

        Args:
            cache: read and write the response cache (off for calls whose answer must be live).

        Raises:
            QuotaExhausted: the daily quota (or its bulk share) is spent.
            RateLimited: still limited after the retries, or asked to wait longer than
                `RETRY_AFTER_CAP_S`.
            Unavailable: 5xx, timeouts or connection errors after the retries; or offline with
                nothing cached.
            AuthFailed, NotFound, BadResponse: as mapped from the status and body.
        """
        params = dict(params or {})
        ctx = current_context()
        key = cache_key("GET", path, params) if cache and self._ledger else None
        cached = (
            await self._ledger.cache_get(self.provider_id, key) if self._ledger and key else None
        )
        if cached is not None and not ctx.force and self._fresh(cached):
            return self._replay(cached)
        if self._env.offline:
            if cached is not None:
                return self._stale(cached, ctx, "offline")
            raise self._fail(Unavailable(self.provider_id, "offline, and not in the cache"))
        try:
            body = await self._send("GET", path, params)
        except NotFound:
            if self._ledger and key:
                await self._ledger.cache_put(self.provider_id, key, 404, None)
            raise
        except (Unavailable, RateLimited, QuotaExhausted) as exc:
            if cached is not None:
                return self._stale(cached, ctx, str(exc))
            raise
        if self._ledger and key:
            await self._ledger.cache_put(self.provider_id, key, 200, body)
        return body

    async def post_json(self, path: str, body: Any, *, authenticated: bool = True) -> Any:
        """POST a JSON body (never cached); `authenticated=False` sends no bearer token."""
        if self._env.offline:
            raise self._fail(Unavailable(self.provider_id, "offline"))
        return await self._send("POST", path, {}, body, authenticated=authenticated)

    async def login(self) -> None:
        """Fetch a fresh bearer token now (checking a key); later requests reuse it."""
        if self._login is None:
            raise ValueError(f"{self.provider_id} has no login")
        self._token = None
        await self._auth_headers(True)

    def add_secret(self, secret: str) -> None:
        """Treat `secret` (a login token) like a key: never logged, never in errors."""
        self._add_secret(secret)

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    # --- the cache -----------------------------------------------------------------------

    def _fresh(self, cached: CachedResponse) -> bool:
        return time.time() - cached.fetched_at < self._env.cache_ttl_s

    def _replay(self, cached: CachedResponse) -> Any:
        if cached.status == 404:
            raise self._map_error(404, None) or NotFound(self.provider_id, "not found")
        return cached.body

    def _stale(self, cached: CachedResponse, ctx: RequestContext, why: str) -> Any:
        log.info("%s: serving a cached answer (%s)", self.provider_id, self._redact(why))
        ctx.stale.add(self.provider_id)
        return self._replay(cached)

    # --- sending -----------------------------------------------------------------------------

    async def _send(
        self,
        method: str,
        path: str,
        params: dict[str, str | int],
        json_body: Any = None,
        *,
        authenticated: bool = True,
    ) -> Any:
        pid = self.provider_id
        if self._requires_key and not self._settings.api_key:
            raise self._fail(AuthFailed(pid, "no API key configured"))
        query: dict[str, str | int] = {**params, **self._secret_params}
        attempt = 0
        relogged = False
        while True:
            if attempt == 0:  # a retry has just waited out its own delay
                await self._wait_for_pause()
            await self._reserve()
            headers = await self._auth_headers(authenticated)
            await self._bucket.acquire()
            outcome, delay = await self._attempt(method, path, query, json_body, headers, attempt)
            if isinstance(outcome, _Success):
                await self._record(self.last_status, None)
                return outcome.body
            if (
                isinstance(outcome, AuthFailed)
                and self._login is not None
                and authenticated
                and not relogged
            ):
                relogged = True  # the token may have expired: log in again, once
                self._token = None
                continue
            if isinstance(outcome, QuotaExhausted) and self._ledger is not None:
                await self._ledger.exhausted(pid, outcome.reset_at, self._redact(str(outcome)))
            retryable = isinstance(outcome, Unavailable | RateLimited)
            if not retryable or delay is None or attempt >= self._max_retries:
                error = self._fail(outcome)
                await self._record(self.last_status, self.last_error)
                raise error
            log.debug(
                "%s %s: %s, retry %d in %.1fs",
                pid,
                path,
                self._redact(str(outcome)),
                attempt + 1,
                delay,
            )
            await self._env.sleep(delay)
            attempt += 1

    async def _wait_for_pause(self) -> None:
        """A 429 pauses this provider (only this one) for every caller, not just the one hit."""
        wait = self._paused_until - self._env.clock()
        if wait > 0:
            await self._env.sleep(wait)

    async def _reserve(self) -> None:
        if self._ledger is None:
            return
        quota = self._settings.daily_quota
        limit: int | None = None
        if quota > 0:
            manual = current_context().manual
            limit = quota if manual else max(0, quota - self._settings.quota_reserve)
        try:
            await self._ledger.reserve(self.provider_id, limit)
        except QuotaExhausted as exc:
            self.last_error = str(exc)
            raise

    async def _auth_headers(self, authenticated: bool) -> dict[str, str]:
        if not authenticated:
            return {}
        if self._token is None and self._login is not None:
            async with self._login_lock:
                if self._token is None:
                    token = await self._login()
                    self._add_secret(token)
                    self._token = token
        return {"Authorization": f"Bearer {self._token}"} if self._token else {}

    async def _attempt(
        self,
        method: str,
        path: str,
        query: dict[str, str | int],
        json_body: Any,
        headers: dict[str, str],
        attempt: int,
    ) -> tuple[ProviderError | _Success, float | None]:
        """Send once; return the outcome and, for a retryable failure, how long to wait."""
        pid = self.provider_id
        self.requests_made += 1
        failure: ProviderError | None = None
        try:
            response = await self._client.request(
                method, path, params=query, json=json_body, headers=headers
            )
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
            return await self._limited(response, attempt)

        body = _parse_json(response)
        if 200 <= status < 300:
            if isinstance(body, _NotJson):
                return BadResponse(pid, f"HTTP {status}: body is not JSON", status=status), None
            hidden = self._check_body(body) if self._check_body else None
            if hidden is not None:
                hidden.status = hidden.status if hidden.status is not None else status
                return hidden, (self._backoff(attempt) if isinstance(hidden, Unavailable) else None)
            return _Success(body), None

        payload = None if isinstance(body, _NotJson) else self._scrub(body)
        error = self._map_error(status, payload) or _generic_error(pid, status)
        if error.status is None:
            error.status = status
        if isinstance(error, Unavailable | RateLimited):
            return error, self._backoff(attempt)
        return error, None

    async def _limited(
        self, response: httpx.Response, attempt: int
    ) -> tuple[ProviderError, float | None]:
        pid = self.provider_id
        retry_after = _retry_after(response.headers.get("Retry-After"))
        if self._env.on_rate_limited is not None:
            try:
                self._env.on_rate_limited(pid, retry_after)
            except Exception:  # a listener's bug must not break the request
                log.exception("%s: on_rate_limited callback failed", pid)
        limited = RateLimited(pid, _limited_message(retry_after), retry_after=retry_after)
        delay = self._backoff(attempt) if retry_after is None else retry_after
        self._paused_until = max(
            self._paused_until, self._env.clock() + min(delay, RETRY_AFTER_CAP_S)
        )
        if self._ledger is not None:
            await self._ledger.record(
                pid, status=429, error=str(limited), rate_limited_until=time.time() + delay
            )
            self._recorded = (429, str(limited))
        if retry_after is not None and retry_after > RETRY_AFTER_CAP_S:
            return limited, None
        return limited, delay

    def _backoff(self, attempt: int) -> float:
        """Capped exponential backoff with jitter: between half and all of base * 2^attempt."""
        ceiling = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2.0**attempt)
        return ceiling * (0.5 + 0.5 * self._env.jitter())

    async def _record(self, status: int | None, error: str | None) -> None:
        """Tell the ledger the last outcome, only when it changed (one write per change)."""
        if self._ledger is None or self._recorded == (status, error):
            return
        self._recorded = (status, error)
        await self._ledger.record(self.provider_id, status=status, error=error)

    # --- secrets ---------------------------------------------------------------------------

    def _add_secret(self, secret: str) -> None:
        if secret:
            self._secrets.add(secret)
            _SECRET_FILTER.secrets.update({secret, quote(secret, safe="")})

    def _fail(self, error: ProviderError) -> ProviderError:
        """Record the failure (without secrets) and hand back a key-free error to raise."""
        message = self._redact(str(error))
        if message != str(error):
            error.args = (message,)
        self.last_error = message
        log.info("%s", self.last_error)
        return error

    def _redact(self, value: str) -> str:
        for secret in self._secrets:
            value = value.replace(secret, _REDACTED)
        return value

    def _scrub(self, value: Any) -> Any:
        """A copy of a parsed body with every secret blanked out of every string in it."""
        if not self._secrets:
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
