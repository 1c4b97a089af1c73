"""TMDB v3 routes of the catalog server: `/tmdb/3/...` and the images under `/tmdb-images/t/p`.

Paths arrive here without their prefix; key checks, rate limits and faults are the server's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from matinee.demo import tmdb_responses as tmdb
from matinee.demo.artwork import ArtCache, size_for
from matinee.demo.catalog import Catalog
from matinee.demo.http_util import Query, Response, json_response, parse_int

__all__ = ["MAX_APPENDS", "TmdbRoutes", "error", "image_languages"]

MAX_APPENDS = 20

_MOVIE = re.compile(r"^/movie/(\d+)(?:/([a-z_]+))?$")
_TV = re.compile(r"^/tv/(\d+)(?:/([a-z_]+))?$")
_SEASON = re.compile(r"^/tv/(\d+)/season/(\d+)(?:/episode/(\d+))?$")
_FIND = re.compile(r"^/find/([^/]+)$")
_IMAGE = re.compile(r"^/([wh]\d+|original)(/[A-Za-z0-9]+\.(?:jpg|png))$")


def error(code: int, message: str | None = None, headers: dict[str, str] | None = None) -> Response:
    """TMDB's error response for a TMDB status code (7, 9, 25, 34, ...)."""
    status, body = tmdb.error_body(code, message)
    return json_response(status, body, headers)


def image_languages(query: Query) -> frozenset[str | None] | None:
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


class TmdbRoutes:
    """Answers TMDB API paths and TMDB image paths from a catalog."""

    def __init__(self, catalog: Catalog, images: ArtCache, image_base_url: Callable[[], str]):
        self.catalog = catalog
        self.images = images
        self._image_base_url = image_base_url

    def api(self, path: str, query: Query) -> Response:
        """One TMDB API path (after `/tmdb/3`)."""
        catalog = self.catalog
        if path == "/configuration":
            return json_response(200, tmdb.configuration(self._image_base_url() + "/"))
        if path in ("/search/movie", "/search/tv"):
            return self._search(path, query)
        appends = [name.strip() for name in query.get("append_to_response", "").split(",")]
        appends = [name for name in appends if name]
        if len(appends) > MAX_APPENDS:
            return error(27)
        languages = image_languages(query)
        if match := _MOVIE.match(path):
            movie = catalog.movie(int(match.group(1)))
            if movie is None:
                return error(34)
            if match.group(2):
                return self._part(tmdb.movie_part(movie, match.group(2), languages), movie["id"])
            return json_response(200, tmdb.movie_details(movie, appends, languages))
        if match := _SEASON.match(path):
            return self._season(int(match.group(1)), int(match.group(2)), match.group(3))
        if match := _TV.match(path):
            show = catalog.show(int(match.group(1)))
            if show is None:
                return error(34)
            if match.group(2):
                return self._part(tmdb.tv_part(show, match.group(2), languages), show["id"])
            return json_response(200, tmdb.tv_details(show, appends, languages))
        if match := _FIND.match(path):
            source = query.get("external_source", "")
            if source not in ("imdb_id", "tvdb_id"):
                return json_response(422, {"errors": ["external_source must be provided"]})
            return json_response(200, tmdb.find(catalog, match.group(1), source))
        return error(34)

    def _search(self, path: str, query: Query) -> Response:
        text = query.get("query", "").strip()
        if not text:
            return json_response(422, {"errors": ["query must be provided"]})
        page = parse_int(query.get("page", "1"))
        if page is None or not 1 <= page <= 500:
            return error(22)
        if path == "/search/movie":
            year = parse_int(query.get("year")) or parse_int(query.get("primary_release_year"))
            return json_response(200, tmdb.search_movies(self.catalog, text, year, page))
        year = parse_int(query.get("first_air_date_year")) or parse_int(query.get("year"))
        return json_response(200, tmdb.search_tv(self.catalog, text, year, page))

    @staticmethod
    def _part(body: dict[str, Any] | None, tmdb_id: int) -> Response:
        if body is None:
            return error(34)
        return json_response(200, {"id": tmdb_id, **body})

    def _season(self, show_id: int, number: int, episode: str | None) -> Response:
        if episode is not None:
            found = self.catalog.episode(show_id, number, int(episode))
            if found is None:
                return error(34)
            return json_response(200, tmdb.episode_details(found))
        season = self.catalog.season(show_id, number)
        if season is None:
            return error(34)
        return json_response(200, tmdb.season_details(season))

    def image(self, path: str) -> Response:
        """One TMDB image path (after `/tmdb-images/t/p`): `/{size}/{file}`."""
        match = _IMAGE.match(path)
        spec = self.catalog.artwork.get(match.group(2)) if match else None
        if match is None or spec is None:
            return error(34)
        size = size_for(spec, match.group(1))
        if size is None or max(size) > 4000:
            return error(34)
        body = self.images.get(match.group(2), spec, *size)
        content_type = "image/png" if spec.fmt == "PNG" else "image/jpeg"
        return 200, {"Content-Type": content_type, "Cache-Control": "max-age=31536000"}, body
