"""The one HTTP client a provider talks through: pacing, quotas, retries, cache, secrets.

Every provider module builds one `ProviderHttp` from its `ProviderSettings` and a
`ProviderEnv`, and asks it for JSON. This is the edge where raw httpx exceptions stop: callers
only ever see the `ProviderError` tree of `errors.py`. It is also the only place a secret (API
key, personal key, bearer token) is attached to a request, and secrets never leave it: not in
exception messages, not in logs, not in `last_error`, not in cache keys.

A request passes: the response cache (a fresh entry sends nothing), this provider's 429 pause,
the daily quota (counted in the ledger), the token bucket, then retries for 429, 5xx and
timeouts. If the provider cannot be reached, an expired cache entry is served and the provider
named as stale in the `RequestContext`. Each provider says what its statuses and bodies mean
(`map_error`, `check_body`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from typing import Any

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
from matinee.providers.env import BodyCheck, ErrorMapper, Login, ProviderEnv, RateLimitCallback
from matinee.providers.ledger import CachedResponse, cache_key
from matinee.providers.ratelimit import TokenBucket
from matinee.providers.responses import (
    BACKOFF_BASE_S,
    BACKOFF_CAP_S,
    NotJson,
    Success,
    backoff_delay,
    generic_error,
    limited_message,
    parse_json,
    retry_after,
)
from matinee.providers.secrets import Secrets

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

RETRY_AFTER_CAP_S = 60.0
"""Longest `Retry-After` we wait out in place; a longer one is raised for the engine to pause."""


class ProviderHttp:
    """One provider's `httpx.AsyncClient` with its pacing, quota, cache and retry loop.

    Args:
        provider_id: the provider's id (`tmdb`).
        settings: its settings (base URL, rate, burst, connections, timeout, retries, quota).
        env: the engine's environment (transport, ledger, offline, clock).
        map_error: provider-specific meaning of an error status and body.
        check_body: provider-specific errors inside 2xx bodies.
        secret_params: query parameters that carry secrets (`{"api_key": KEY}`): never logged.
        bearer: a static bearer token (a TMDB read access token).
        login: fetches a bearer token on first use and again once after a 401 (TheTVDB).
        requires_key: fail with `AuthFailed` before sending anything when there is no key.

    Attributes:
        requests_made: every HTTP request actually sent, retries included.
        last_status: the HTTP status of the last response (None: none yet, or no answer).
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
        self._secrets = Secrets()
        # Keys can also travel in a body (TheTVDB's login): treat every configured one as secret.
        for secret in [*self._secret_params.values(), bearer or "", settings.api_key,
                       settings.pin, settings.client_key]:  # fmt: skip
            self._secrets.add(secret)
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
        log.info("%s: serving a cached answer (%s)", self.provider_id, self._secrets.redact(why))
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
            if isinstance(outcome, Success):
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
                await self._ledger.exhausted(
                    pid, outcome.reset_at, self._secrets.redact(str(outcome))
                )
            retryable = isinstance(outcome, Unavailable | RateLimited)
            if not retryable or delay is None or attempt >= self._max_retries:
                error = self._fail(outcome)
                await self._record(self.last_status, self.last_error)
                raise error
            log.debug(
                "%s %s: %s, retry %d in %.1fs",
                pid,
                path,
                self._secrets.redact(str(outcome)),
                attempt + 1,
                delay,
            )
            await self._env.sleep(delay)
            attempt += 1

    async def _wait_for_pause(self) -> None:
        """A 429 pauses this provider (only this one) for every caller: a short pause is
        waited out, a long one fails at once without sending anything."""
        wait = self._paused_until - self._env.clock()
        if wait > RETRY_AFTER_CAP_S:
            limited = RateLimited(self.provider_id, limited_message(wait), retry_after=wait)
            raise self._fail(limited)
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
                    self._secrets.add(token)
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
    ) -> tuple[ProviderError | Success, float | None]:
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

        body = parse_json(response)
        if 200 <= status < 300:
            if isinstance(body, NotJson):
                return BadResponse(pid, f"HTTP {status}: body is not JSON", status=status), None
            hidden = self._check_body(body) if self._check_body else None
            if hidden is not None:
                hidden.status = hidden.status if hidden.status is not None else status
                return hidden, (self._backoff(attempt) if isinstance(hidden, Unavailable) else None)
            return Success(body), None

        payload = None if isinstance(body, NotJson) else self._secrets.scrub(body)
        error = self._map_error(status, payload) or generic_error(pid, status)
        if error.status is None:
            error.status = status
        if isinstance(error, Unavailable | RateLimited):
            return error, self._backoff(attempt)
        return error, None

    async def _limited(
        self, response: httpx.Response, attempt: int
    ) -> tuple[ProviderError, float | None]:
        pid = self.provider_id
        wait = retry_after(response.headers.get("Retry-After"))
        if self._env.on_rate_limited is not None:
            try:
                self._env.on_rate_limited(pid, wait)
            except Exception:  # a listener's bug must not break the request
                log.exception("%s: on_rate_limited callback failed", pid)
        limited = RateLimited(pid, limited_message(wait), retry_after=wait)
        delay = self._backoff(attempt) if wait is None else wait
        self._paused_until = max(self._paused_until, self._env.clock() + delay)
        if self._ledger is not None:
            await self._ledger.record(
                pid, status=429, error=str(limited), rate_limited_until=time.time() + delay
            )
            self._recorded = (429, str(limited))
        if wait is not None and wait > RETRY_AFTER_CAP_S:
            return limited, None
        return limited, delay

    def _backoff(self, attempt: int) -> float:
        return backoff_delay(attempt, self._env.jitter())

    async def _record(self, status: int | None, error: str | None) -> None:
        """Tell the ledger the last outcome, only when it changed (one write per change)."""
        if self._ledger is None or self._recorded == (status, error):
            return
        self._recorded = (status, error)
        await self._ledger.record(self.provider_id, status=status, error=error)

    def _fail(self, error: ProviderError) -> ProviderError:
        """Record the failure (without secrets) and hand back a key-free error to raise."""
        message = self._secrets.redact(str(error))
        if message != str(error):
            error.args = (message,)
        self.last_error = message
        log.info("%s", self.last_error)
        return error
