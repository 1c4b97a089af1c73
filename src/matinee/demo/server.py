"""The demo's local catalog server: TMDB, OMDb, TheTVDB and fanart.tv on 127.0.0.1.

`matinee demo` points the real provider clients at this server, so they run unchanged with no
account and no internet. Each provider lives under its own prefix with its real response
shapes, key checks and error bodies (the routes are in `routes_*`):

* TMDB v3 under `/tmdb/3`, images under `/tmdb-images/t/p/{size}/{file}`;
* OMDb under `/omdb` (`/omdb/?apikey=...&i=...`);
* TheTVDB v4 under `/tvdb/v4` (login, bearer token), images under `/tvdb-art/banners/...`;
* fanart.tv v3 under `/fanart/v3`, files under `/fanart-assets/{fanart,preview}/...`.

This module keeps the lifecycle, the request log (secrets masked), dispatch by prefix and the
realism: TMDB's per-second limit, OMDb's daily quota, the `offline` switch (503 everywhere)
and seeded random faults (see `realism`). It uses the standard library's
`ThreadingHTTPServer` in a background thread: no new dependency, no asyncio loop of its own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from matinee.demo.artwork import ArtCache
from matinee.demo.catalog import Catalog, load_catalog
from matinee.demo.http_handler import QuietHTTPServer, make_handler
from matinee.demo.http_util import Query, Response, json_response
from matinee.demo.realism import (
    Fault,
    FaultPlan,
    RateLimiter,
    Realism,
    blank_response,
    malformed,
    offline_response,
    server_error,
)
from matinee.demo.request_log import RequestLog
from matinee.demo.routes_fanart import FanartRoutes
from matinee.demo.routes_omdb import OmdbRoutes
from matinee.demo.routes_tmdb import TmdbRoutes, error
from matinee.demo.routes_tvdb import TvdbRoutes

__all__ = [
    "FANART_ASSETS_PREFIX",
    "FANART_PREFIX",
    "IMAGE_PREFIX",
    "OMDB_PREFIX",
    "PROVIDER_PREFIXES",
    "TMDB_PREFIX",
    "TVDB_IMAGE_PREFIX",
    "TVDB_PREFIX",
    "CatalogServer",
    "Realism",
    "Response",
]

TMDB_PREFIX = "/tmdb/3"
IMAGE_PREFIX = "/tmdb-images/t/p"
OMDB_PREFIX = "/omdb"
TVDB_PREFIX = "/tvdb/v4"
TVDB_IMAGE_PREFIX = "/tvdb-art"
FANART_PREFIX = "/fanart/v3"
FANART_ASSETS_PREFIX = "/fanart-assets"
PROVIDER_PREFIXES = {
    "tmdb": TMDB_PREFIX,
    "omdb": OMDB_PREFIX,
    "tvdb": TVDB_PREFIX,
    "fanart": FANART_PREFIX,
}
_READ = ("GET", "HEAD")


def _provider(path: str) -> tuple[str, str] | None:
    """(provider id, the path below its prefix) for an API path, or None."""
    for provider, prefix in PROVIDER_PREFIXES.items():
        if path.startswith(prefix + "/") or (provider == "omdb" and path == prefix):
            return provider, path[len(prefix) :]
    return None


class CatalogServer:
    """A local HTTP server answering four providers' APIs from a `Catalog`.

    Args:
        catalog: what to serve; the bundled catalog when None.
        api_key: the key every provider expects (TMDB `api_key` or Bearer, OMDb `apikey`,
            TheTVDB `/login` apikey, fanart.tv `api_key`); None disables the checks.
        host: interface to bind; the demo only ever uses 127.0.0.1.
        port: TCP port; 0 picks a free one.
        rate_limit_per_second: TMDB's limit (sliding one-second window, 429 with
            `Retry-After: 1`); when None, `realism.rate_limit_per_second` applies.
        clock: monotonic clock in seconds (tests pass a fake one).
        image_cache_bytes: bound of the rendered-image LRU.
        realism: limits and random faults to imitate (none by default).
        tvdb_page_size: episodes per page of TheTVDB's episode list.
        sleep: how a timeout fault waits (tests inject a recorder); by default it waits
            on an event that `stop()` sets, so a hanging request never blocks shutdown.
    """

    def __init__(
        self,
        catalog: Catalog | None = None,
        *,
        api_key: str | None = "demo-key",
        host: str = "127.0.0.1",
        port: int = 0,
        rate_limit_per_second: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        image_cache_bytes: int = 64 * 1024 * 1024,
        realism: Realism | None = None,
        tvdb_page_size: int = 100,
        sleep: Callable[[float], Any] | None = None,
    ) -> None:
        self.catalog = catalog if catalog is not None else load_catalog()
        self.api_key = api_key
        self._realism = realism or Realism()
        self._faults = FaultPlan(self._realism)
        self.rate_limit_per_second = (
            rate_limit_per_second
            if rate_limit_per_second is not None
            else self._realism.rate_limit_per_second
        )
        self.offline = False  # when True every provider's API answers 503
        self.images = ArtCache(image_cache_bytes)
        self._host = host
        self._port = port
        self._clock = clock
        self._stopping = threading.Event()
        self._sleep = sleep or self._stopping.wait
        self.log = RequestLog()
        self._limiter = RateLimiter()
        self._httpd: QuietHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._base_url = ""
        self.tmdb = TmdbRoutes(self.catalog, self.images, lambda: self.tmdb_image_base_url)
        self.omdb = OmdbRoutes(self.catalog, api_key, lambda: self.tmdb_image_base_url,
                               lambda: self._realism.omdb_daily_quota)  # fmt: skip
        self.tvdb = TvdbRoutes(self.catalog, api_key, self.images, lambda: self.tvdb_base_url,
                               lambda: self.tvdb_image_base_url, tvdb_page_size)  # fmt: skip
        self.fanart = FanartRoutes(self.catalog, api_key, self.images,
                                   lambda: self.fanart_assets_base_url)  # fmt: skip

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> str:
        """Bind and serve in a background thread; return the base URL (`http://127.0.0.1:N`)."""
        if self._httpd is not None:
            return self._base_url
        self._stopping.clear()
        httpd = QuietHTTPServer((self._host, self._port), make_handler(self))
        host, port = httpd.server_address[:2]
        self._base_url = f"http://{host!s}:{port}"
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},  # so stop() returns promptly
            name="matinee-demo-catalog",
            daemon=True,
        )
        self._thread.start()
        return self._base_url

    def stop(self) -> None:
        """Stop serving and close the socket (safe to call twice)."""
        self._stopping.set()  # wakes requests hanging in a timeout fault
        httpd, thread = self._httpd, self._thread
        self._httpd = self._thread = None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> CatalogServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- realism -------------------------------------------------------------------------------

    @property
    def realism(self) -> Realism:
        """The limits and faults in force; setting it restarts the fault RNG from its seed."""
        return self._realism

    @realism.setter
    def realism(self, value: Realism) -> None:
        self._realism = value
        self._faults = FaultPlan(value)
        self.rate_limit_per_second = value.rate_limit_per_second

    @property
    def omdb_quota_used(self) -> int:
        """OMDb requests made with a valid key since the last `reset_omdb_quota`."""
        return self.omdb.quota_used

    def reset_omdb_quota(self) -> None:
        """A new UTC day for OMDb: the daily quota counts from zero again."""
        self.omdb.reset_quota()

    # -- addresses and the request log ---------------------------------------------------------

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:N` once started, else ""."""
        return self._base_url

    @property
    def tmdb_base_url(self) -> str:
        """What to configure as TMDB's `base_url` (replaces `https://api.themoviedb.org/3`)."""
        return self._base_url + TMDB_PREFIX

    @property
    def tmdb_image_base_url(self) -> str:
        """What to configure as TMDB's `image_base_url` (replaces `https://image.tmdb.org/t/p`)."""
        return self._base_url + IMAGE_PREFIX

    @property
    def omdb_base_url(self) -> str:
        """OMDb's `base_url` (replaces `https://www.omdbapi.com`; clients request `/`)."""
        return self._base_url + OMDB_PREFIX

    @property
    def tvdb_base_url(self) -> str:
        """TheTVDB's `base_url` (replaces `https://api4.thetvdb.com/v4`)."""
        return self._base_url + TVDB_PREFIX

    @property
    def tvdb_image_base_url(self) -> str:
        """TheTVDB's `image_base_url` (replaces `https://artworks.thetvdb.com`)."""
        return self._base_url + TVDB_IMAGE_PREFIX

    @property
    def fanart_base_url(self) -> str:
        """fanart.tv's `base_url` (replaces `https://webservice.fanart.tv/v3`)."""
        return self._base_url + FANART_PREFIX

    @property
    def fanart_assets_base_url(self) -> str:
        """Where fanart.tv art URLs point (replaces `https://assets.fanart.tv`)."""
        return self._base_url + FANART_ASSETS_PREFIX

    @property
    def requests(self) -> list[tuple[str, str, dict[str, str]]]:
        """A snapshot of every request so far: (method, path, query); secrets are masked."""
        return self.log.requests

    @property
    def statuses(self) -> list[int]:
        """The HTTP status answered to each logged request, in the same order."""
        return self.log.statuses

    @property
    def request_count(self) -> int:
        """How many requests were received (API and images)."""
        return len(self.log)

    @property
    def injected_faults(self) -> list[tuple[str, str]]:
        """(provider, fault) for each random fault injected so far, in order."""
        return self.log.faults

    def api_requests(self, prefix: str = TMDB_PREFIX) -> list[tuple[str, str, dict[str, str]]]:
        """Logged requests whose path starts with `prefix` (the TMDB API by default)."""
        return [entry for entry in self.requests if entry[1].startswith(prefix)]

    def provider_counts(self) -> dict[str, int]:
        """API requests per provider id (`tmdb`, `omdb`, `tvdb`, `fanart`; images excluded)."""
        return self.log.provider_counts()

    def status_counts(self, provider: str) -> dict[int, int]:
        """How often each HTTP status was answered to `provider`'s API requests."""
        return self.log.status_counts(provider)

    def clear_requests(self) -> None:
        """Forget the request log (the rate-limit window and the OMDb quota are kept)."""
        self.log.clear()

    # -- dispatch ------------------------------------------------------------------------------

    def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes = b""
    ) -> Response:
        """Answer one request (called from the HTTP threads; usable directly in tests)."""
        parts = urlsplit(target)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        headers = {key.lower(): value for key, value in headers.items()}
        api = _provider(parts.path)
        # secrets in the query are masked; headers and bodies are never logged
        index = self.log.add(method, parts.path, query, api[0] if api else None)
        try:
            if api is None:
                response = self._static(method, parts.path)
            else:
                response = self._api(api[0], method, api[1], query, headers, body)
        except Exception as exc:  # a bug here must not kill the serving thread
            response = json_response(
                500, {"status_code": 11, "status_message": f"Internal error: {exc}"}
            )
        self.log.answered(index, response[0])
        return response

    def _static(self, method: str, path: str) -> Response:
        if method not in _READ:
            return error(34)
        if path.startswith(IMAGE_PREFIX + "/"):
            return self.tmdb.image(path[len(IMAGE_PREFIX) :])
        if path.startswith(TVDB_IMAGE_PREFIX + "/"):
            return self.tvdb.image(path[len(TVDB_IMAGE_PREFIX) :])
        if path.startswith(FANART_ASSETS_PREFIX + "/"):
            return self.fanart.asset(path[len(FANART_ASSETS_PREFIX) :])
        return error(34)

    def _api(
        self,
        provider: str,
        method: str,
        path: str,
        query: Query,
        headers: dict[str, str],
        body: bytes,
    ) -> Response:
        if provider == "tmdb":
            if method not in _READ:
                return error(34)
            limited = self._rate_limited()
            if limited is not None:
                return limited
        if self.offline:
            return offline_response(provider)
        decision = self._faults.decide(provider)
        if decision is not None:
            self.log.fault(provider, decision.fault.value)
            if decision.fault is Fault.ERROR:
                return server_error(provider)
            if decision.fault is Fault.TIMEOUT:
                self._sleep(self._realism.timeout_s)
        response = self._answer(provider, method, path, query, headers, body)
        if decision is not None and response[0] == 200:
            if decision.fault is Fault.MALFORMED:
                return malformed(response, decision.seed)
            if decision.fault is Fault.EMPTY:
                return blank_response(response, provider, decision.seed)
        return response

    def _answer(
        self,
        provider: str,
        method: str,
        path: str,
        query: Query,
        headers: dict[str, str],
        body: bytes,
    ) -> Response:
        if provider == "omdb":
            return self.omdb.answer(method, path, query)
        if provider == "tvdb":
            return self.tvdb.answer(method, path, query, headers, body)
        if provider == "fanart":
            return self.fanart.answer(method, path, query, headers)
        if not self._tmdb_authorized(query, headers):
            return error(7)
        return self.tmdb.api(path, query)

    def _tmdb_authorized(self, query: Query, headers: dict[str, str]) -> bool:
        if self.api_key is None:
            return True
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip() == self.api_key
        return query.get("api_key") == self.api_key

    def _rate_limited(self) -> Response | None:
        limit = self.rate_limit_per_second
        count = self._limiter.check(limit, self._clock())
        if count is None:
            return None
        message = f"Your request count ({count}) is over the allowed limit of {limit:g}."
        return error(25, message, {"Retry-After": "1"})
