"""TheTVDB v4 response bodies from the demo catalog (pure functions, no HTTP, no auth).

Envelopes are TheTVDB's: `{"status":"success","data":...}` (plus `links` on paged lists) and
`{"status":"failure","message":...,"data":null}`. Records: `SeriesExtendedRecord`
(`/series/{id}/extended`), `SearchResult` (`/search`, ids as strings), search by remote id,
paged `EpisodeBaseRecord`s (`/series/{id}/episodes/{season-type}`, pages from 0), series
translations and `/artwork/types`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matinee.demo.catalog import Catalog
from matinee.demo.tmdb_search import matches
from matinee.demo.tvdb_artwork import ARTWORK_TYPES, artworks
from matinee.demo.tvdb_records import (
    OFFICIAL,
    UPDATED,
    air_weekday,
    characters,
    companies,
    country3,
    episode_records,
    genres,
    lang3,
    network,
    remote_ids,
    season_id,
    series_base,
    slug,
    status,
    tvdb_id,
)

__all__ = [
    "artwork_types",
    "episodes_page",
    "failure",
    "remote_id_results",
    "search_results",
    "series_extended",
    "success",
    "translation",
]

Json = dict[str, Any]
_EXTRA_LANGS = ("fra", "spa")


def success(data: Any, links: Json | None = None) -> Json:
    """TheTVDB's success envelope."""
    body: Json = {"status": "success", "data": data}
    if links is not None:
        body["links"] = links
    return body


def failure(message: str) -> Json:
    """TheTVDB's failure envelope."""
    return {"status": "failure", "message": message, "data": None}


def _languages(show: Json) -> list[str]:
    original = lang3(show["original_language"]) or "eng"
    return list(dict.fromkeys([original, "eng", *_EXTRA_LANGS]))


def _name_in(show: Json, language: str) -> str:
    original = lang3(show["original_language"])
    return str(show["original_name"] if language == original else show["name"])


def translation(show: Json, language: str) -> Json | None:
    """`/series/{id}/translations/{language}`, or None when there is none."""
    if language not in _languages(show):
        return None
    return {
        "aliases": [],
        "isAlias": False,
        "isPrimary": language == lang3(show["original_language"]),
        "language": language,
        "name": _name_in(show, language),
        "overview": show["overview"] if language == "eng" else None,
        "tagline": show.get("tagline") if language == "eng" else None,
    }


def _translations(show: Json) -> Json:
    names = [translation(show, language) for language in _languages(show)]
    overview = translation(show, "eng")
    return {"nameTranslations": names, "overviewTranslations": [overview], "alias": []}


def _best(records: list[Json], type_id: int, season: int | None = None) -> Json | None:
    for record in records:  # sorted best first within each type
        if record["type"] == type_id and (season is None or record["seasonId"] == season):
            return record
    return None


def _seasons(show: Json, art: list[Json]) -> list[Json]:
    found = []
    for season in show["seasons"]:
        number = season["season_number"]
        poster = _best(art, 7, season_id(show, number))
        found.append(
            {
                "id": season_id(show, number),
                "image": poster["image"] if poster else None,
                "imageType": 7 if poster else None,
                "lastUpdated": UPDATED,
                "name": season["name"],
                "nameTranslations": [],
                "number": number,
                "overviewTranslations": [],
                "companies": {
                    "studio": None,
                    "network": None,
                    "production": None,
                    "distributor": None,
                    "special_effects": None,
                },
                "seriesId": tvdb_id(show),
                "type": dict(OFFICIAL),
                "year": season["air_date"][:4],
            }
        )
    return found


def _trailers(show: Json) -> list[Json]:
    return [
        {"id": 10_000 + index, "language": "eng", "name": video["name"],
         "url": f"https://www.youtube.com/watch?v={video['key']}", "runtime": 0}
        for index, video in enumerate(show["videos"])
        if video["site"] == "YouTube"
    ]  # fmt: skip


def _content_ratings(show: Json) -> list[Json]:
    return [
        {"id": 100 + order, "name": rating, "description": "", "country": country3(country),
         "contentType": "", "order": order, "fullName": None}
        for order, (country, rating) in enumerate(show["content_ratings"].items())
    ]  # fmt: skip


def series_extended(show: Json, *, meta: str = "", short: bool = False) -> Json:
    """`SeriesExtendedRecord` (`short` drops characters and artworks, as the API does)."""
    art = artworks(show)
    poster = _best(art, 2)
    base = series_base(show, poster["image"] if poster else None)
    weekly = show.get("release_pattern", "weekly") == "weekly"
    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    record: Json = {
        **base,
        "abbreviation": None,
        "airsDays": {day: weekly and day == air_weekday(show) for day in days},
        "airsTime": "21:00" if weekly else "",
        "artworks": None if short else art,
        "characters": None if short else characters(show),
        "companies": companies(show),
        "contentRatings": _content_ratings(show),
        "genres": genres(show),
        "latestNetwork": network(show),
        "lists": [],
        "originalNetwork": network(show),
        "overview": show["overview"],
        "remoteIds": remote_ids(show),
        "seasonTypes": [dict(OFFICIAL)],
        "seasons": _seasons(show, art),
        "tags": [],
        "trailers": _trailers(show),
    }
    if meta == "translations":
        record["translations"] = _translations(show)
    if meta == "episodes":
        record["episodes"] = episode_records(show)
    return record


def _search_result(show: Json, image_base_url: str) -> Json:
    art = artworks(show)
    poster = _best(art, 2)
    sid = str(tvdb_id(show))
    country = country3((show["origin_country"] or [None])[0])
    return {
        "objectID": f"series-{sid}",
        "aliases": [],
        "companies": [company["name"] for company in companies(show)],
        "country": country,
        "id": f"series-{sid}",
        "image_url": f"{image_base_url}{poster['image']}" if poster else None,
        "name": series_base(show, None)["name"],
        "first_air_time": show["first_air_date"],
        "overview": show["overview"],
        "primary_language": lang3(show["original_language"]),
        "primary_type": "series",
        "status": status(show)["name"],
        "type": "series",
        "tvdb_id": sid,
        "year": show["first_air_date"][:4],
        "slug": slug(show["name"]),
        "overviews": {"eng": show["overview"]},
        "translations": {language: _name_in(show, language) for language in _languages(show)},
        "network": show["networks"][0]["name"] if show["networks"] else None,
        "remote_ids": remote_ids(show),
        "thumbnail": f"{image_base_url}{poster['thumbnail']}" if poster else None,
        "genres": [genre["name"] for genre in genres(show)],
        "studios": [company["name"] for company in show["production_companies"]],
    }


def search_results(
    catalog: Catalog, query: str, *, kind: str = "", year: int | None = None,
    remote_id: str = "", image_base_url: str = "",
) -> list[Json]:  # fmt: skip
    """`SearchResult[]` for `/search` (series only: the demo has no TheTVDB movies)."""
    if kind not in ("", "series"):
        return []
    hits = []
    for show in catalog.series.values():
        if year is not None and show["first_air_date"][:4] != str(year):
            continue
        if remote_id and remote_id not in {ref["id"] for ref in remote_ids(show)}:
            continue
        if query and not matches(query, (show["name"], show["original_name"])):
            continue
        hits.append(show)
    hits.sort(key=lambda show: (-float(show["popularity"]), tvdb_id(show)))
    return [_search_result(show, image_base_url) for show in hits]


def remote_id_results(catalog: Catalog, remote_id: str) -> list[Json]:
    """`SearchByRemoteIdResult[]` for `/search/remoteid/{id}` (IMDb or TMDB ids of series)."""
    found = []
    for show in catalog.series.values():
        if remote_id in {ref["id"] for ref in remote_ids(show)}:
            poster = _best(artworks(show), 2)
            found.append({"series": series_base(show, poster["image"] if poster else None)})
    return found


def episodes_page(
    show: Json, page: int, page_size: int, url_for: Callable[[int], str], *,
    season: int | None = None, episode_number: int | None = None, air_date: str = "",
) -> Json:  # fmt: skip
    """One page (from 0) of `/series/{id}/episodes/{season-type}` with TheTVDB's `links`."""
    episodes = episode_records(show)
    if season is not None:
        episodes = [episode for episode in episodes if episode["seasonNumber"] == season]
    if episode_number is not None:
        episodes = [episode for episode in episodes if episode["number"] == episode_number]
    if air_date:
        episodes = [episode for episode in episodes if episode["aired"] == air_date]
    start = page * page_size
    chunk = episodes[start : start + page_size]
    poster = _best(artworks(show), 2)
    links = {
        "prev": url_for(page - 1) if page > 0 else None,
        "self": url_for(page),
        "next": url_for(page + 1) if start + page_size < len(episodes) else None,
        "total_items": len(episodes),
        "page_size": page_size,
    }
    data = {"series": series_base(show, poster["image"] if poster else None), "episodes": chunk}
    return success(data, links)


def artwork_types() -> list[Json]:
    """`/artwork/types` for the types the demo serves."""
    return [
        {"id": kind.id, "name": kind.name, "recordType": "season" if kind.id == 7 else "series",
         "slug": slug(kind.name), "imageFormat": "png" if kind.png else "jpg",
         "width": kind.size[0], "height": kind.size[1],
         "thumbWidth": kind.thumb[0], "thumbHeight": kind.thumb[1]}
        for kind in ARTWORK_TYPES
    ]  # fmt: skip
