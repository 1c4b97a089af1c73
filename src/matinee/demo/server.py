"""The demo's local catalog server: real TMDB v3 endpoints on 127.0.0.1, from a bundled catalog.

`matinee demo` points the real provider clients at this server, so they run unchanged with no
account and no internet. It answers under `/tmdb/3` (search, details with
`append_to_response`, seasons, episodes, find, configuration) with TMDB's response shapes and
error bodies, checks the API key (query `api_key` or `Authorization: Bearer`), can enforce a
requests-per-second limit with TMDB's 429 body, and serves generated artwork under
`/tmdb-images/t/p/{size}/{file}`. Every request is logged (method, path, query) for tests.

It uses the standard library's `ThreadingHTTPServer` in a background thread: no new
dependency, and no asyncio loop of its own to fight with the app's.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from matinee.demo import tmdb_responses as tmdb
from matinee.demo.artwork import ArtCache, size_for
from matinee.demo.catalog import Catalog, load_catalog

__all__ = ["CatalogServer", "Response"]

Response = tuple[int, dict[str, str], bytes]
Query = dict[str, str]

TMDB_PREFIX = "/tmdb/3"
IMAGE_PREFIX = "/tmdb-images/t/p"
MAX_APPENDS = 20

_MOVIE = re.compile(r"^/movie/(\d+)(?:/([a-z_]+))?$")
_TV = re.compile(r"^/tv/(\d+)(?:/([a-z_]+))?$")
_SEASON = re.compile(r"^/tv/(\d+)/season/(\d+)(?:/episode/(\d+))?$")
_FIND = re.compile(r"^/find/([^/]+)$")
_IMAGE = re.compile(r"^/([wh]\d+|original)(/[A-Za-z0-9]+\.(?:jpg|png))$")


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    merged = {"Content-Type": "application/json;charset=utf-8", **(headers or {})}
    return status, merged, data


def _error(
    code: int, message: str | None = None, headers: dict[str, str] | None = None
) -> Response:
    status, body = tmdb.error_body(code, message)
    return _json(status, body, headers)


def _int(value: str | None) -> int | None:
    if value is None or not value.strip().lstrip("-").isdigit():
        return None
    return int(value)


def _image_languages(query: Query) -> frozenset[str | None] | None:
    """Which image languages to return: `language` plus `include_image_language` (or all)."""
    include = query.get("include_image_language")
    language = query.get("language")
    if include is None and not language:
        return None
    wanted: set[str | None] = set()
    if language:
        wanted.add(language.split("-")[0])
    for part in (include or "").split(","):
        part = part.strip()
        if part:
            wanted.add(None if part == "null" else part)
    return frozenset(wanted)


class CatalogServer:
    """A local HTTP server answering TMDB v3 from a `Catalog`.

    Args:
        catalog: what to serve; the bundled catalog when None.
        api_key: the key (or Bearer token) clients must send; None disables the check.
        host: interface to bind; the demo only ever uses 127.0.0.1.
        port: TCP port; 0 picks a free one.
        rate_limit_per_second: when set, API requests above this rate (sliding one-second
            window) get TMDB's 429 with `Retry-After: 1`. Images are not limited.
        clock: monotonic clock in seconds (tests pass a fake one).
        image_cache_bytes: bound of the rendered-image LRU.
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
    ) -> None:
        self.catalog = catalog if catalog is not None else load_catalog()
        self.api_key = api_key
        self.rate_limit_per_second = rate_limit_per_second
        self.offline = False  # when True the API answers 503 / status_code 9
        self.images = ArtCache(image_cache_bytes)
        self._host = host
        self._port = port
        self._clock = clock
        self._lock = threading.Lock()
        self._requests: list[tuple[str, str, Query]] = []
        self._statuses: list[int] = []
        self._window: deque[float] = deque()  # accepted API requests in the last second
        self._attempts: deque[float] = deque()  # all API requests in the last second
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._base_url = ""

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> str:
        """Bind and serve in a background thread; return the base URL (`http://127.0.0.1:N`)."""
        if self._httpd is not None:
            return self._base_url
        httpd = ThreadingHTTPServer((self._host, self._port), _make_handler(self))
        httpd.daemon_threads = True
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
    def requests(self) -> list[tuple[str, str, dict[str, str]]]:
        """A snapshot of every request so far: (method, path, query); `api_key` is masked."""
        with self._lock:
            return list(self._requests)

    @property
    def statuses(self) -> list[int]:
        """The HTTP status answered to each logged request, in the same order."""
        with self._lock:
            return list(self._statuses)

    @property
    def request_count(self) -> int:
        """How many requests were received (API and images)."""
        with self._lock:
            return len(self._requests)

    def api_requests(self, prefix: str = TMDB_PREFIX) -> list[tuple[str, str, dict[str, str]]]:
        """Logged requests whose path starts with `prefix` (the TMDB API by default)."""
        return [entry for entry in self.requests if entry[1].startswith(prefix)]

    def clear_requests(self) -> None:
        """Forget the request log (the rate-limit window is kept)."""
        with self._lock:
            self._requests.clear()
            self._statuses.clear()

    # -- dispatch ------------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: dict[str, str]) -> Response:
        """Answer one request (called from the HTTP threads; usable directly in tests)."""
        parts = urlsplit(target)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        logged = {k: ("****" if k == "api_key" else v) for k, v in query.items()}
        with self._lock:
            self._requests.append((method, parts.path, logged))
            index = len(self._statuses)
            self._statuses.append(0)
        try:
            response = self._route(method, parts.path, query, headers)
        except Exception as exc:  # a bug here must not kill the serving thread
            response = _json(500, {"status_code": 11, "status_message": f"Internal error: {exc}"})
        with self._lock:
            if index < len(self._statuses):
                self._statuses[index] = response[0]
        return response

    def _route(self, method: str, path: str, query: Query, headers: dict[str, str]) -> Response:
        if method not in ("GET", "HEAD"):
            return _error(34)
        if path.startswith(IMAGE_PREFIX + "/"):
            return self._image(path[len(IMAGE_PREFIX) :])
        if not path.startswith(TMDB_PREFIX + "/"):
            return _error(34)
        limited = self._rate_limited()
        if limited is not None:
            return limited
        if self.offline:
            return _error(9)
        if not self._authorized(query, headers):
            return _error(7)
        return self._tmdb(path[len(TMDB_PREFIX) :], query)

    def _authorized(self, query: Query, headers: dict[str, str]) -> bool:
        if self.api_key is None:
            return True
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip() == self.api_key
        return query.get("api_key") == self.api_key

    def _rate_limited(self) -> Response | None:
        limit = self.rate_limit_per_second
        if limit is None:
            return None
        now = self._clock()
        with self._lock:
            for window in (self._window, self._attempts):
                while window and now - window[0] >= 1.0:
                    window.popleft()
            self._attempts.append(now)
            count = len(self._attempts)  # TMDB counted refused requests too
            if len(self._window) < limit:
                self._window.append(now)
                return None
        message = f"Your request count ({count}) is over the allowed limit of {limit:g}."
        return _error(25, message, {"Retry-After": "1"})

    def _tmdb(self, path: str, query: Query) -> Response:
        catalog = self.catalog
        if path == "/configuration":
            return _json(200, tmdb.configuration(self.tmdb_image_base_url + "/"))
        if path in ("/search/movie", "/search/tv"):
            return self._search(path, query)
        appends = [name.strip() for name in query.get("append_to_response", "").split(",")]
        appends = [name for name in appends if name]
        if len(appends) > MAX_APPENDS:
            return _error(27)
        languages = _image_languages(query)
        if match := _MOVIE.match(path):
            movie = catalog.movie(int(match.group(1)))
            if movie is None:
                return _error(34)
            if match.group(2):
                return self._part(tmdb.movie_part(movie, match.group(2), languages), movie["id"])
            return _json(200, tmdb.movie_details(movie, appends, languages))
        if match := _SEASON.match(path):
            return self._season(int(match.group(1)), int(match.group(2)), match.group(3))
        if match := _TV.match(path):
            show = catalog.show(int(match.group(1)))
            if show is None:
                return _error(34)
            if match.group(2):
                return self._part(tmdb.tv_part(show, match.group(2), languages), show["id"])
            return _json(200, tmdb.tv_details(show, appends, languages))
        if match := _FIND.match(path):
            source = query.get("external_source", "")
            if source not in ("imdb_id", "tvdb_id"):
                return _json(422, {"errors": ["external_source must be provided"]})
            return _json(200, tmdb.find(catalog, match.group(1), source))
        return _error(34)

    def _search(self, path: str, query: Query) -> Response:
        text = query.get("query", "").strip()
        if not text:
            return _json(422, {"errors": ["query must be provided"]})
        page = _int(query.get("page", "1"))
        if page is None or not 1 <= page <= 500:
            return _error(22)
        if path == "/search/movie":
            year = _int(query.get("year")) or _int(query.get("primary_release_year"))
            return _json(200, tmdb.search_movies(self.catalog, text, year, page))
        year = _int(query.get("first_air_date_year")) or _int(query.get("year"))
        return _json(200, tmdb.search_tv(self.catalog, text, year, page))

    def _part(self, body: dict[str, Any] | None, tmdb_id: int) -> Response:
        if body is None:
            return _error(34)
        return _json(200, {"id": tmdb_id, **body})

    def _season(self, show_id: int, number: int, episode: str | None) -> Response:
        if episode is not None:
            found = self.catalog.episode(show_id, number, int(episode))
            if found is None:
                return _error(34)
            return _json(200, tmdb.episode_details(found))
        season = self.catalog.season(show_id, number)
        if season is None:
            return _error(34)
        return _json(200, tmdb.season_details(season))

    def _image(self, path: str) -> Response:
        match = _IMAGE.match(path)
        spec = self.catalog.artwork.get(match.group(2)) if match else None
        if match is None or spec is None:
            return _error(34)
        size = size_for(spec, match.group(1))
        if size is None or max(size) > 4000:
            return _error(34)
        body = self.images.get(match.group(2), spec, *size)
        content_type = "image/png" if spec.fmt == "PNG" else "image/jpeg"
        return 200, {"Content-Type": content_type, "Cache-Control": "max-age=31536000"}, body


def _make_handler(server: CatalogServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as httpx expects from a real API
        server_version = "matinee-demo"
        sys_version = ""

        def _answer(self, method: str) -> None:
            headers = {key.lower(): value for key, value in self.headers.items()}
            length = _int(headers.get("content-length"))
            if length:  # drain a body so the kept-alive connection stays in sync
                self.rfile.read(length)
            status, extra, body = server.handle(method, self.path, headers)
            self.send_response(status)
            for key, value in extra.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if method != "HEAD":
                self.wfile.write(body)

        def do_GET(self) -> None:
            self._answer("GET")

        def do_HEAD(self) -> None:
            self._answer("HEAD")

        def do_POST(self) -> None:
            self._answer("POST")

        def log_message(self, format: str, *args: Any) -> None:
            """Silence the default stderr access log (the TUI owns the terminal)."""

    return Handler
