"""Fetching artwork bytes from image hosts, politely and safely.

Image hosts (image.tmdb.org, assets.fanart.tv, artworks.thetvdb.com) are not the providers' APIs:
they need no key and count no quota, but they do limit connections and request rates. Each host
gets its own semaphore (connections in flight) and token bucket (request starts), so downloads
to different hosts run side by side and none exceeds its host's limits.

A body is streamed and abandoned as soon as it passes `max_bytes`; a body a server labels as a
web page or JSON is refused before it is read. Redirects are followed here, one hop at a time,
rather than by httpx, because httpx reads a redirect's body whole (unbounded) and would send the
next hop past that host's limits and without checking its scheme. Callers only ever see
`FetchError`: no raw httpx exception leaves this module, and URLs in messages lose their query
string. Decoding what was fetched is `analyze.py`'s job, off the event loop.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import urlsplit, urlunsplit

import httpx

from matinee.errors import MatineeError
from matinee.providers.ratelimit import Clock, Sleep, TokenBucket
from matinee.providers.responses import backoff_delay, retry_after

__all__ = ["RETRY_AFTER_CAP_S", "FetchError", "ImageFetcher", "display_url"]

RETRY_AFTER_CAP_S = 60.0
"""Longest `Retry-After` waited out before retrying; a longer one fails the download."""

_NOT_IMAGES = frozenset({"application/json", "application/problem+json", "application/xml",
                         "application/xhtml+xml", "application/javascript"})  # fmt: skip
_SCHEMES = ("http", "https")


class FetchError(MatineeError):
    """An image could not be downloaded.

    Attributes:
        reason: what went wrong (`too large`, `not an image: text/html`, `HTTP 404`...).
        url: the URL asked for, without its query string.
        status: the HTTP status when there was one.
    """

    def __init__(self, reason: str, *, url: str = "", status: int | None = None) -> None:
        self.reason = reason
        self.url = url
        self.status = status
        super().__init__(f"{reason} ({url})" if url else reason)


class _Transient(Exception):
    """A failure worth retrying, with the wait the server asked for (None: back off)."""

    def __init__(
        self, reason: str, *, status: int | None = None, wait: float | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.wait = wait


@dataclass
class _Host:
    """One host's limits, shared by every download to it."""

    connections: asyncio.Semaphore
    bucket: TokenBucket
    paused_until: float = field(default=0.0)


def display_url(url: str) -> str:
    """The URL without its query string, fragment or user info: safe to show and log."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc.rpartition("@")[2]
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    except ValueError:
        return url.split("?", 1)[0].split("#", 1)[0]


class ImageFetcher:
    """Downloads images over one `httpx.AsyncClient`, within each host's limits.

    Args:
        transport: an httpx transport (tests); None for the network.
        timeout_s: connect/read/write timeout of each request.
        max_bytes: the largest body accepted; a larger one is abandoned mid-stream.
        per_host_connections: requests in flight to one host at a time.
        per_host_rps: requests started per second to one host (bursts up to the connection cap).
        retries: retries after a 429, 408, 5xx, timeout or dropped connection.
        max_redirects: redirects followed (http and https only).
        sleep, clock, jitter: time and randomness, injected by tests.

    Attributes:
        bytes_downloaded: body bytes received, failed and abandoned downloads included.
        requests_made: HTTP requests sent, redirects and retries included.
    """

    def __init__(
        self,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout_s: float = 20,
        max_bytes: int = 30 * 2**20,
        per_host_connections: int = 6,
        per_host_rps: float = 20,
        retries: int = 2,
        max_redirects: int = 3,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = time.monotonic,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        if per_host_connections < 1:
            raise ValueError("per_host_connections must be at least 1")
        if per_host_rps <= 0:
            raise ValueError("per_host_rps must be more than 0")
        if max_bytes < 1:
            raise ValueError("max_bytes must be at least 1")
        self.bytes_downloaded = 0
        self.requests_made = 0
        self.max_bytes = max_bytes
        self._timeout_s = timeout_s
        self._per_host_connections = per_host_connections
        self._per_host_rps = per_host_rps
        self._retries = max(0, retries)
        self._max_redirects = max(0, max_redirects)
        self._sleep = sleep
        self._clock = clock
        self._jitter = jitter
        self._hosts: dict[str, _Host] = {}
        self._client = httpx.AsyncClient(
            headers={"Accept": "image/*", "User-Agent": "matinee/0.1"},
            timeout=httpx.Timeout(timeout_s),
            # The per-host semaphores are the limit; the pool only keeps connections warm.
            limits=httpx.Limits(
                max_connections=None, max_keepalive_connections=max(20, per_host_connections)
            ),
            transport=transport,
            follow_redirects=False,
        )

    async def fetch(self, url: str) -> bytes:
        """Download one image and return its bytes.

        Raises:
            FetchError: a bad URL, a non-2xx status (after the retries for 429, 408 and 5xx),
                timeouts or connection failures after the retries, a body over `max_bytes`
                (`too large`), a web page or JSON (`not an image: text/html`), too many
                redirects or a redirect to another scheme.
        """
        shown = display_url(url)
        try:
            start = httpx.URL(url)
        except httpx.InvalidURL:
            raise FetchError("invalid URL", url=shown) from None
        attempt = 0
        while True:
            try:
                return await self._follow(start, shown)
            except _Transient as failure:
                if attempt >= self._retries:
                    raise FetchError(failure.reason, url=shown, status=failure.status) from None
                if failure.wait is None:
                    await self._sleep(backoff_delay(attempt, self._jitter()))
                attempt += 1

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def __aenter__(self) -> ImageFetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # --- one attempt ---------------------------------------------------------------------

    async def _follow(self, start: httpx.URL, shown: str) -> bytes:
        """One attempt: the request and its redirects, each hop within its own host's limits."""
        try:
            request = self._client.build_request("GET", start)
            for _ in range(self._max_redirects + 1):
                if request.url.scheme not in _SCHEMES or not request.url.host:
                    raise FetchError("not an http(s) URL", url=display_url(str(request.url)))
                async with self._slot(request.url):
                    response = await self._client.send(request, stream=True)
                    try:
                        if response.next_request is None:
                            return await self._read(response, shown)
                        request = response.next_request
                    finally:
                        await response.aclose()
            raise FetchError("too many redirects", url=shown)
        except httpx.TimeoutException:
            raise _Transient(f"timed out after {self._timeout_s:g}s") from None
        except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            raise _Transient(f"connection failed ({type(exc).__name__})") from None
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
            # Their text may carry the full URL: keep only the type.
            raise FetchError(f"request failed ({type(exc).__name__})", url=shown) from None

    @asynccontextmanager
    async def _slot(self, url: httpx.URL) -> AsyncIterator[None]:
        """Hold one of the host's connections, after its 429 pause and one of its tokens."""
        host = self._host(url.host)
        async with host.connections:
            wait = host.paused_until - self._clock()
            if wait > 0:
                await self._sleep(wait)
            await host.bucket.acquire()
            self.requests_made += 1
            yield

    def _host(self, name: str) -> _Host:
        host = self._hosts.get(name)
        if host is None:
            bucket = TokenBucket(
                self._per_host_rps,
                self._per_host_connections,
                clock=self._clock,
                sleep=self._sleep,
            )
            host = _Host(asyncio.Semaphore(self._per_host_connections), bucket)
            self._hosts[name] = host
        return host

    async def _read(self, response: httpx.Response, shown: str) -> bytes:
        status = response.status_code
        if status == 429:
            wait = retry_after(response.headers.get("Retry-After"))
            if wait is not None and wait > RETRY_AFTER_CAP_S:
                raise FetchError(f"rate limited for {wait:.0f}s", url=shown, status=status)
            if wait is None:
                raise _Transient("HTTP 429", status=status)
            # Every download to this host waits it out in `_slot`, this one's retry included.
            host = self._host(response.request.url.host)
            host.paused_until = max(host.paused_until, self._clock() + max(0.0, wait))
            raise _Transient("HTTP 429", status=status, wait=0.0)
        if status == 408 or status >= 500:
            raise _Transient(f"HTTP {status}", status=status)
        if not 200 <= status < 300:
            raise FetchError(f"HTTP {status}", url=shown, status=status)

        media_type = response.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if media_type.startswith("text/") or media_type in _NOT_IMAGES:
            raise FetchError(f"not an image: {media_type}", url=shown, status=status)
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError("too large", url=shown, status=status)

        body = bytearray()
        async for chunk in response.aiter_bytes():
            self.bytes_downloaded += len(chunk)
            body += chunk
            if len(body) > self.max_bytes:
                raise FetchError("too large", url=shown, status=status)
        return bytes(body)
