"""TheTVDB v4 routes of the catalog server: `/tvdb/v4/...` and the images under `/tvdb-art`.

`POST /login` with `{"apikey", "pin"?}` issues an opaque bearer token; every other call
needs `Authorization: Bearer <token>` (else 401 with the failure envelope). Then: `/search`,
`/search/remoteid/{id}`, `/series/{id}`, `/series/{id}/extended`,
`/series/{id}/episodes/{season-type}` (pages from 0, `links.next` null on the last),
`/series/{id}/translations/{language}` and `/artwork/types`.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from matinee.demo.artwork import ArtCache
from matinee.demo.catalog import Catalog
from matinee.demo.http_util import Query, Response, json_response, parse_int
from matinee.demo.tvdb_artwork import TvdbImages
from matinee.demo.tvdb_records import find_series, series_base
from matinee.demo.tvdb_responses import (
    artwork_types,
    episodes_page,
    failure,
    remote_id_results,
    search_results,
    series_extended,
    success,
    translation,
)

__all__ = ["SEASON_TYPES", "TvdbRoutes"]

SEASON_TYPES = frozenset({"default", "official", "dvd", "absolute", "alternate", "regional",
                          "altdvd"})  # fmt: skip
SEARCH_LIMIT = 50

_SERIES = re.compile(r"^/series/([^/]+)(?:/(extended|episodes|translations)(?:/([^/]+))?)?$")
_REMOTE = re.compile(r"^/search/remoteid/([^/]+)$")


def _failure(status: int, message: str) -> Response:
    return json_response(status, failure(message))


class TvdbRoutes:
    """Answers TheTVDB v4 paths (below `/tvdb/v4`) and image paths (below `/tvdb-art`)."""

    def __init__(
        self,
        catalog: Catalog,
        api_key: str | None,
        images: ArtCache,
        base_url: Callable[[], str],
        image_base_url: Callable[[], str],
        page_size: int = 100,
    ) -> None:
        self.catalog = catalog
        self.api_key = api_key
        self.page_size = page_size
        self.images = images
        self.art = TvdbImages(catalog)
        self._base_url = base_url
        self._image_base_url = image_base_url
        self._tokens: set[str] = set()
        self._lock = threading.Lock()

    @property
    def logins(self) -> int:
        """How many tokens were issued."""
        with self._lock:
            return len(self._tokens)

    def revoke_tokens(self) -> None:
        """Invalidate every issued token (the next call gets 401, as after expiry)."""
        with self._lock:
            self._tokens.clear()

    def answer(
        self, method: str, path: str, query: Query, headers: dict[str, str], body: bytes
    ) -> Response:
        """One API request; `path` is what follows `/tvdb/v4`."""
        if path == "/login":
            if method != "POST":
                return _failure(405, "Method Not Allowed")
            return self._login(body)
        if not self._authorized(headers):
            return _failure(401, "Unauthorized")
        if method not in ("GET", "HEAD"):
            return _failure(405, "Method Not Allowed")
        if path == "/search":
            return self._search(query)
        if match := _REMOTE.match(path):
            return json_response(200, success(remote_id_results(self.catalog, match.group(1))))
        if path == "/artwork/types":
            return json_response(200, success(artwork_types()))
        if match := _SERIES.match(path):
            return self._series(match.group(1), match.group(2), match.group(3), query)
        return _failure(404, "Not Found")

    def _login(self, body: bytes) -> Response:
        try:
            payload = json.loads(body or b"{}")
        except ValueError:
            return _failure(400, "InvalidJSON")
        apikey = payload.get("apikey") if isinstance(payload, dict) else None
        if self.api_key is not None and apikey != self.api_key:
            return _failure(401, "InvalidAPIKey")
        token = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9." + secrets.token_urlsafe(96)
        with self._lock:
            self._tokens.add(token)
        return json_response(200, {"status": "success", "data": {"token": token}})

    def _authorized(self, headers: dict[str, str]) -> bool:
        if self.api_key is None:
            return True
        auth = headers.get("authorization", "")
        if not auth.lower().startswith("bearer "):
            return False
        with self._lock:
            return auth[7:].strip() in self._tokens

    def _search(self, query: Query) -> Response:
        text = (query.get("query") or query.get("q") or "").strip()
        remote_id = query.get("remote_id", "").strip()
        if not text and not remote_id:
            return _failure(400, "query is required")
        limit = parse_int(query.get("limit")) or SEARCH_LIMIT
        offset = parse_int(query.get("offset")) or 0
        if limit < 1 or offset < 0:
            return _failure(400, "Max results overflow")
        found = search_results(
            self.catalog, text, kind=query.get("type", "").strip(),
            year=parse_int(query.get("year")), remote_id=remote_id,
            image_base_url=self._image_base_url(),
        )  # fmt: skip
        page = found[offset : offset + limit]

        def url(start: int) -> str:
            params = {k: v for k, v in query.items() if k != "offset"}
            return f"{self._base_url()}/search?{urlencode({**params, 'offset': start})}"

        links = {
            "prev": url(max(0, offset - limit)) if offset > 0 else None,
            "self": url(offset),
            "next": url(offset + limit) if offset + limit < len(found) else None,
            "total_items": len(found),
            "page_size": limit,
        }
        return json_response(200, success(page, links))

    def _series(self, ident: str, part: str | None, arg: str | None, query: Query) -> Response:
        if not ident.isdigit():
            return _failure(400, "InvalidSeriesId")
        show = find_series(self.catalog, int(ident))
        if show is None:
            return _failure(404, "NotFoundException: series not found")
        if part is None:
            return json_response(200, success(series_base(show, None)))
        if part == "extended" and arg is None:
            short = query.get("short", "false").lower() == "true"
            record = series_extended(show, meta=query.get("meta", ""), short=short)
            return json_response(200, success(record))
        if part == "translations" and arg is not None:
            found = translation(show, arg)
            if found is None:
                return _failure(404, "Not Found")
            return json_response(200, success(found))
        if part == "episodes" and arg in SEASON_TYPES:
            return self._episodes(show, ident, arg, query)
        return _failure(404 if part != "episodes" else 400, "Not Found")

    def _episodes(
        self, show: dict[str, Any], ident: str, season_type: str, query: Query
    ) -> Response:
        page = parse_int(query.get("page", "0"))
        season = parse_int(query.get("season")) if query.get("season") else None
        number = parse_int(query.get("episodeNumber")) if query.get("episodeNumber") else None
        if page is None or page < 0:
            return _failure(400, "InvalidPage")
        if number is not None and season is None:
            return _failure(400, "episodeNumber is not null then season must be present")
        extra = {k: query[k] for k in ("season", "episodeNumber", "airDate") if query.get(k)}

        def url(number_: int) -> str:
            params = urlencode({"page": number_, **extra})
            return f"{self._base_url()}/series/{ident}/episodes/{season_type}?{params}"

        body = episodes_page(
            show, page, self.page_size, url, season=season, episode_number=number,
            air_date=query.get("airDate", ""),
        )  # fmt: skip
        return json_response(200, body)

    def image(self, path: str) -> Response:
        """One image file; `path` is what follows `/tvdb-art` (`/banners/v4/...`)."""
        found = self.art.get(path)
        if found is None:
            return 404, {"Content-Type": "text/plain"}, b"Not Found"
        body = self.images.get("tvdb:" + path, found.spec, found.width, found.height)
        headers = {"Content-Type": found.content_type, "Cache-Control": "max-age=31536000"}
        return 200, headers, body
