"""fanart.tv routes of the catalog server: `/fanart/v3/{movies|tv}/{id}` and the art files.

The key goes in `api_key` (or the `api-key` header); `client_key` (or `client-key`) is the
optional personal key and is accepted as sent. Missing or wrong project key: 401 with
fanart.tv's `{"status":"error","error message":...}`; a title without art: 404.
Files live under `/fanart-assets/fanart/...` and, smaller, `/fanart-assets/preview/...`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from matinee.demo.artwork import ArtCache
from matinee.demo.catalog import Catalog
from matinee.demo.fanart_responses import asset, movie_body, tv_body
from matinee.demo.http_util import Query, Response, json_response

__all__ = ["FanartRoutes", "fanart_error"]

_MOVIES = re.compile(r"^/movies/(tt\d+|\d+)$")
_TV = re.compile(r"^/tv/(\d+)$")


def fanart_error(status: int, message: str) -> Response:
    """fanart.tv's error body."""
    return json_response(status, {"status": "error", "error message": message})


class FanartRoutes:
    """Answers fanart.tv v3 API paths (below `/fanart/v3`) and asset paths."""

    def __init__(
        self,
        catalog: Catalog,
        api_key: str | None,
        images: ArtCache,
        assets_base_url: Callable[[], str],
    ) -> None:
        self.catalog = catalog
        self.api_key = api_key
        self.images = images
        self._assets_base_url = assets_base_url

    def answer(self, method: str, path: str, query: Query, headers: dict[str, str]) -> Response:
        """One API request; `path` is what follows `/fanart/v3`."""
        if self.api_key is not None:
            key = query.get("api_key") or headers.get("api-key", "")
            if not key:
                return fanart_error(401, "API key is required")
            if key != self.api_key:
                return fanart_error(401, "Invalid API key")
        if method not in ("GET", "HEAD"):
            return fanart_error(404, "Not found")
        body = None
        if match := _MOVIES.match(path):
            body = movie_body(self.catalog, match.group(1), self._assets_base_url())
        elif match := _TV.match(path):
            body = tv_body(self.catalog, match.group(1), self._assets_base_url())
        if body is None:
            return fanart_error(404, "Not found")
        return json_response(200, body)

    def asset(self, path: str) -> Response:
        """One art file; `path` is what follows `/fanart-assets`."""
        found = asset(self.catalog, path)
        if found is None:
            return 404, {"Content-Type": "text/plain"}, b"Not Found"
        body = self.images.get("fanart:" + path, found.spec, found.width, found.height)
        headers = {"Content-Type": found.content_type, "Cache-Control": "max-age=31536000"}
        return 200, headers, body
