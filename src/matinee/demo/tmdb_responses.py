"""TMDB v3 response bodies built from the demo catalog (pure functions, no HTTP).

Every body has the shape of the real API as saved in `provider-samples/tmdb/`: same keys, same
nesting, same types. Appended sub-responses (`append_to_response`) carry the standalone body
minus its top-level `id`, as TMDB does. Records are copied, never handed out, so a client can
not change the catalog by mutating a response.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from matinee.demo.catalog import Catalog
from matinee.demo.tmdb_search import paginate, search

__all__ = [
    "ERRORS",
    "MOVIE_APPENDS",
    "TV_APPENDS",
    "configuration",
    "episode_details",
    "error_body",
    "find",
    "movie_details",
    "movie_part",
    "search_movies",
    "search_tv",
    "season_details",
    "tv_details",
    "tv_part",
]

Json = dict[str, Any]
ImageLanguages = frozenset[str | None] | None

ERRORS: dict[int, tuple[int, str]] = {
    6: (404, "Invalid id: The pre-requisite id is invalid or not found."),
    7: (401, "Invalid API key: You must be granted a valid key."),
    22: (400, "Invalid page: Pages start at 1 and max at 500. They are expected to be an integer."),
    25: (429, "Your request count (#) is over the allowed limit of (40)."),
    27: (400, "Too many append to response objects: The maximum number of remote calls is 20."),
    34: (404, "The resource you requested could not be found."),
    9: (503, "Service offline: This service is temporarily offline, try again later."),
}

MOVIE_APPENDS = (
    "alternative_titles",
    "credits",
    "external_ids",
    "images",
    "keywords",
    "release_dates",
    "videos",
)
TV_APPENDS = ("content_ratings", "credits", "external_ids", "images", "keywords", "videos")

_MOVIE_KEYS = (
    "adult", "backdrop_path", "belongs_to_collection", "budget", "genres", "homepage", "id",
    "imdb_id", "origin_country", "original_language", "original_title", "overview",
    "popularity", "poster_path", "production_companies", "production_countries",
    "release_date", "revenue", "runtime", "spoken_languages", "status", "tagline", "title",
    "video", "vote_average", "vote_count",
)  # fmt: skip
_COMPANY_KEYS = ("id", "logo_path", "name", "origin_country")
_TV_CAST_DROP = ("cast_id",)
_RELEASE_TYPES = ((1, -14, False), (3, 0, True), (4, 120, True), (5, 150, True))


def error_body(code: int, message: str | None = None) -> tuple[int, Json]:
    """HTTP status and TMDB's error body for a TMDB status code."""
    status, text = ERRORS[code]
    return status, {"status_code": code, "status_message": message or text, "success": False}


def configuration(image_base_url: str) -> Json:
    """The `/configuration` body with image URLs pointing at `image_base_url` (ends in `/`)."""
    return {
        "images": {
            "base_url": image_base_url,
            "secure_base_url": image_base_url,
            "backdrop_sizes": ["w300", "w780", "w1280", "original"],
            "logo_sizes": ["w45", "w92", "w154", "w185", "w300", "w500", "original"],
            "poster_sizes": ["w92", "w154", "w185", "w342", "w500", "w780", "original"],
            "profile_sizes": ["w45", "w185", "h632", "original"],
            "still_sizes": ["w92", "w185", "w300", "original"],
        },
        "change_keys": [
            "adult", "air_date", "also_known_as", "alternative_titles", "biography", "birthday",
            "budget", "cast", "certifications", "character_names", "created_by", "crew",
            "deathday", "episode", "episode_number", "episode_run_time", "freebase_id",
            "freebase_mid", "general", "genres", "guest_stars", "homepage", "images", "imdb_id",
            "languages", "name", "network", "origin_country", "original_name", "original_title",
            "overview", "parts", "place_of_birth", "plot_keywords", "production_code",
            "production_companies", "production_countries", "releases", "revenue", "runtime",
            "season", "season_number", "season_regular", "spoken_languages", "status", "tagline",
            "title", "translations", "tvdb_id", "tvrage_id", "type", "video", "videos",
        ],
    }  # fmt: skip


def movie_summary(movie: Json, *, media_type: bool = False) -> Json:
    """A movie as search and find results show it."""
    body: Json = {
        "adult": movie["adult"],
        "backdrop_path": movie["backdrop_path"],
        "genre_ids": [genre["id"] for genre in movie["genres"]],
        "id": movie["id"],
        "original_language": movie["original_language"],
        "original_title": movie["original_title"],
        "overview": movie["overview"],
        "popularity": movie["popularity"],
        "poster_path": movie["poster_path"],
        "release_date": movie["release_date"],
        "title": movie["title"],
        "video": movie["video"],
        "vote_average": movie["vote_average"],
        "vote_count": movie["vote_count"],
    }
    if media_type:
        body["media_type"] = "movie"
    return body


def tv_summary(show: Json, *, media_type: bool = False) -> Json:
    """A series as search and find results show it."""
    body: Json = {
        "adult": False,
        "backdrop_path": show["backdrop_path"],
        "genre_ids": [genre["id"] for genre in show["genres"]],
        "id": show["id"],
        "origin_country": list(show["origin_country"]),
        "original_language": show["original_language"],
        "original_name": show["original_name"],
        "overview": show["overview"],
        "popularity": show["popularity"],
        "poster_path": show["poster_path"],
        "first_air_date": show["first_air_date"],
        "name": show["name"],
        "vote_average": show["vote_average"],
        "vote_count": show["vote_count"],
    }
    if media_type:
        body["media_type"] = "tv"
    return body


def search_movies(catalog: Catalog, query: str, year: int | None, page: int) -> Json:
    """`/search/movie`."""
    hits = search(
        catalog.movies.values(),
        query,
        title_keys=("title", "original_title"),
        date_key="release_date",
        year=year,
    )
    return paginate([movie_summary(movie) for movie in hits], page)


def search_tv(catalog: Catalog, query: str, year: int | None, page: int) -> Json:
    """`/search/tv`."""
    hits = search(
        catalog.series.values(),
        query,
        title_keys=("name", "original_name"),
        date_key="first_air_date",
        year=year,
    )
    return paginate([tv_summary(show) for show in hits], page)


def _images(record: Json, languages: ImageLanguages) -> Json:
    def keep(entries: list[Json]) -> list[Json]:
        if languages is None:
            return copy.deepcopy(entries)
        return [dict(entry) for entry in entries if entry["iso_639_1"] in languages]

    images = record["images"]
    return {name: keep(images[name]) for name in ("backdrops", "logos", "posters")}


def _release_dates(movie: Json) -> Json:
    released = date.fromisoformat(movie["release_date"])
    us: list[Json] = []
    for kind, offset, rated in _RELEASE_TYPES:
        when = released + timedelta(days=offset)
        us.append(
            {
                "certification": movie["certification"] if rated else "",
                "descriptors": [],
                "iso_639_1": "",
                "note": "Premiere" if kind == 1 else "",
                "release_date": f"{when.isoformat()}T00:00:00.000Z",
                "type": kind,
            }
        )
    results = [{"iso_3166_1": "US", "release_dates": us}]
    gb = {"G": "U", "PG": "PG", "PG-13": "12A", "R": "15"}.get(movie["certification"], "")
    gb_date = released + timedelta(days=30)
    gb_entry = {
        "certification": gb,
        "descriptors": [],
        "iso_639_1": "",
        "note": "",
        "release_date": f"{gb_date.isoformat()}T00:00:00.000Z",
        "type": 3,
    }
    results.insert(0, {"iso_3166_1": "GB", "release_dates": [gb_entry]})
    return {"results": results}


def movie_part(movie: Json, name: str, languages: ImageLanguages = None) -> Json | None:
    """One appendable sub-response of a movie (without `id`), or None if unknown."""
    if name == "credits":
        return {"cast": copy.deepcopy(movie["cast"]), "crew": copy.deepcopy(movie["crew"])}
    if name == "images":
        return _images(movie, languages)
    if name == "release_dates":
        return _release_dates(movie)
    if name == "external_ids":
        return {
            "imdb_id": movie["imdb_id"],
            "wikidata_id": movie["wikidata_id"],
            "facebook_id": None,
            "instagram_id": None,
            "twitter_id": None,
        }
    if name == "keywords":
        return {"keywords": copy.deepcopy(movie["keywords"])}
    if name == "videos":
        return {"results": copy.deepcopy(movie["videos"])}
    if name == "alternative_titles":
        titles = []
        if movie["original_title"] != movie["title"]:
            country = (movie["origin_country"] or [""])[0]
            titles.append({"iso_3166_1": country, "title": movie["original_title"], "type": ""})
        return {"titles": titles}
    return None


def movie_details(movie: Json, appends: list[str], languages: ImageLanguages = None) -> Json:
    """`/movie/{id}` with the requested `append_to_response` parts."""
    body: Json = {key: copy.deepcopy(movie[key]) for key in _MOVIE_KEYS}
    body["production_companies"] = [
        {key: company.get(key) for key in _COMPANY_KEYS}
        for company in movie["production_companies"]
    ]
    for name in appends:
        part = movie_part(movie, name, languages)
        if part is not None:
            body[name] = part
    return body


def _episode_summary(episode: Json) -> Json:
    return {key: value for key, value in episode.items() if key not in ("crew", "guest_stars")}


def _season_summary(season: Json) -> Json:
    return {
        "air_date": season["air_date"],
        "episode_count": len(season["episodes"]),
        "id": season["id"],
        "name": season["name"],
        "overview": season["overview"],
        "poster_path": season["poster_path"],
        "season_number": season["season_number"],
        "vote_average": season["vote_average"],
    }


def tv_part(show: Json, name: str, languages: ImageLanguages = None) -> Json | None:
    """One appendable sub-response of a series (without `id`), or None if unknown."""
    if name == "credits":
        cast = [{k: v for k, v in e.items() if k not in _TV_CAST_DROP} for e in show["cast"]]
        return {"cast": copy.deepcopy(cast), "crew": copy.deepcopy(show["crew"])}
    if name == "content_ratings":
        ratings = [
            {"descriptors": [], "iso_3166_1": country, "rating": rating}
            for country, rating in show["content_ratings"].items()
        ]
        return {"results": ratings}
    if name == "external_ids":
        ids = show["external_ids"]
        return {
            "imdb_id": ids.get("imdb_id"),
            "freebase_mid": None,
            "freebase_id": None,
            "tvdb_id": ids.get("tvdb_id"),
            "tvrage_id": ids.get("tvrage_id"),
            "wikidata_id": ids.get("wikidata_id"),
            "facebook_id": None,
            "instagram_id": None,
            "twitter_id": None,
        }
    if name == "images":
        return _images(show, languages)
    if name == "keywords":  # TV keywords sit under `results`, movies' under `keywords`
        return {"results": copy.deepcopy(show["keywords"])}
    if name == "videos":
        return {"results": copy.deepcopy(show["videos"])}
    return None


def tv_details(show: Json, appends: list[str], languages: ImageLanguages = None) -> Json:
    """`/tv/{id}` with the requested `append_to_response` parts."""
    seasons = show["seasons"]
    episodes = [episode for season in seasons for episode in season["episodes"]]
    last = max(episodes, key=lambda episode: (episode["air_date"], episode["id"]))
    body: Json = {
        "adult": False,
        "backdrop_path": show["backdrop_path"],
        "created_by": copy.deepcopy(show["created_by"]),
        "episode_run_time": [],
        "first_air_date": show["first_air_date"],
        "genres": copy.deepcopy(show["genres"]),
        "homepage": "",
        "id": show["id"],
        "in_production": show["status"] == "Returning Series",
        "languages": [show["original_language"]],
        "last_air_date": last["air_date"],
        "last_episode_to_air": _episode_summary(last),
        "name": show["name"],
        "next_episode_to_air": None,
        "networks": copy.deepcopy(show["networks"]),
        "number_of_episodes": len(episodes),
        "number_of_seasons": len(seasons),
        "origin_country": list(show["origin_country"]),
        "original_language": show["original_language"],
        "original_name": show["original_name"],
        "overview": show["overview"],
        "popularity": show["popularity"],
        "poster_path": show["poster_path"],
        "production_companies": copy.deepcopy(show["production_companies"]),
        "production_countries": copy.deepcopy(show["production_countries"]),
        "seasons": [_season_summary(season) for season in seasons],
        "spoken_languages": copy.deepcopy(show["spoken_languages"]),
        "status": show["status"],
        "tagline": show["tagline"],
        "type": show["type"],
        "vote_average": show["vote_average"],
        "vote_count": show["vote_count"],
    }
    for name in appends:
        part = tv_part(show, name, languages)
        if part is not None:
            body[name] = part
    return body


def season_details(season: Json) -> Json:
    """`/tv/{id}/season/{n}`."""
    return {
        "_id": season["_id"],
        "air_date": season["air_date"],
        "episodes": copy.deepcopy(season["episodes"]),
        "name": season["name"],
        "overview": season["overview"],
        "id": season["id"],
        "poster_path": season["poster_path"],
        "season_number": season["season_number"],
        "vote_average": season["vote_average"],
    }


def episode_details(episode: Json) -> Json:
    """`/tv/{id}/season/{n}/episode/{m}`."""
    return copy.deepcopy(episode)


def find(catalog: Catalog, external_id: str, source: str) -> Json:
    """`/find/{external_id}?external_source=...`."""
    body: Json = {
        "movie_results": [],
        "person_results": [],
        "tv_results": [],
        "tv_episode_results": [],
        "tv_season_results": [],
    }
    hit = catalog.find_external(external_id, source)
    if hit is not None:
        kind, tmdb_id = hit
        if kind == "movie":
            body["movie_results"].append(movie_summary(catalog.movies[tmdb_id], media_type=True))
        else:
            body["tv_results"].append(tv_summary(catalog.series[tmdb_id], media_type=True))
    return body
