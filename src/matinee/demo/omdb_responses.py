"""OMDb answers from the demo catalog: lookups by IMDb id (`i`), title (`t`) and search (`s`).

Bodies and error texts are OMDb's (`{"Response":"False","Error":"..."}`); not-found errors come
with HTTP 200, as on the real API. Pure functions: no HTTP, no key checks.
"""

from __future__ import annotations

from typing import Any

from matinee.demo.catalog import Catalog
from matinee.demo.http_util import Query
from matinee.demo.omdb_data import NA, first_sentence, movie_record, series_record
from matinee.demo.tmdb_search import normalize, search

__all__ = ["ERRORS", "SEARCH_PAGE_SIZE", "answer", "failure"]

Json = dict[str, Any]

SEARCH_PAGE_SIZE = 10
ERRORS = {
    "invalid_key": "Invalid API key!",
    "no_key": "No API key provided.",
    "limit": "Request limit reached!",
    "bad_id": "Incorrect IMDb ID.",
    "movie_not_found": "Movie not found!",
    "series_not_found": "Series not found!",
    "too_many": "Too many results.",
    "wrong": "Something went wrong.",
}


def failure(message: str) -> Json:
    """OMDb's error body."""
    return {"Response": "False", "Error": message}


def _record(catalog: Catalog, kind: str, tmdb_id: int, image_base_url: str) -> Json:
    if kind == "movie":
        return movie_record(catalog.movies[tmdb_id], image_base_url)
    return series_record(catalog.series[tmdb_id], image_base_url)


def _with_plot(record: Json, plot: str) -> Json:
    if plot != "full" and record["Plot"] != NA:
        record["Plot"] = first_sentence(record["Plot"])
    return record


def _by_title(catalog: Catalog, title: str, year: str, kind: str) -> tuple[str, int] | None:
    wanted = normalize(title)
    found: list[tuple[int, str, int]] = []
    if kind in ("", "movie"):
        for movie in catalog.movies.values():
            titles = {normalize(movie["title"]), normalize(movie["original_title"])}
            if wanted in titles and (not year or movie["release_date"][:4] == year):
                found.append((int(movie["vote_count"]), "movie", movie["id"]))
    if kind in ("", "series"):
        for show in catalog.series.values():
            titles = {normalize(show["name"]), normalize(show["original_name"])}
            if wanted in titles and (not year or show["first_air_date"][:4] == year):
                found.append((int(show["vote_count"]), "tv", show["id"]))
    if not wanted or not found:
        return None
    _, found_kind, tmdb_id = max(found)  # OMDb answers the best-known title
    return found_kind, tmdb_id


def _search(catalog: Catalog, text: str, query: Query, image_base_url: str) -> Json:
    kind, year = query.get("type", ""), query.get("y", "")
    if len(normalize(text)) < 2:
        return failure(ERRORS["too_many"])
    page = int(query["page"]) if query.get("page", "").isdigit() else 1
    year_int = int(year) if year.isdigit() else None
    hits: list[tuple[float, Json]] = []
    if kind in ("", "movie"):
        for movie in search(catalog.movies.values(), text, title_keys=("title", "original_title"),
                            date_key="release_date", year=year_int):  # fmt: skip
            hits.append((float(movie["popularity"]), movie_record(movie, image_base_url)))
    if kind in ("", "series"):
        for show in search(catalog.series.values(), text, title_keys=("name", "original_name"),
                           date_key="first_air_date", year=year_int):  # fmt: skip
            hits.append((float(show["popularity"]), series_record(show, image_base_url)))
    hits.sort(key=lambda hit: -hit[0])
    start = (page - 1) * SEARCH_PAGE_SIZE
    if not hits or not 1 <= page <= 100 or start >= len(hits):
        return failure(ERRORS["series_not_found" if kind == "series" else "movie_not_found"])
    keys = ("Title", "Year", "imdbID", "Type", "Poster")
    results = [{key: record[key] for key in keys} for _, record in hits]
    return {
        "Search": results[start : start + SEARCH_PAGE_SIZE],
        "totalResults": str(len(results)),
        "Response": "True",
    }


def answer(catalog: Catalog, query: Query, image_base_url: str = "") -> Json:
    """The body OMDb sends for an authorized query (always HTTP 200)."""
    plot = query.get("plot", "short")
    kind = query.get("type", "").strip().lower()
    imdb_id = query.get("i", "").strip()
    if imdb_id:
        hit = catalog.find_external(imdb_id, "imdb_id")
        if hit is None:
            return failure(ERRORS["bad_id"])
        return _with_plot(_record(catalog, hit[0], hit[1], image_base_url), plot)
    title = query.get("t", "").strip()
    if title:
        found = _by_title(catalog, title, query.get("y", "").strip(), kind)
        if found is None:
            return failure(ERRORS["series_not_found" if kind == "series" else "movie_not_found"])
        return _with_plot(_record(catalog, found[0], found[1], image_base_url), plot)
    text = query.get("s", "").strip()
    if text:
        return _search(catalog, text, query, image_base_url)
    return failure(ERRORS["wrong"])
