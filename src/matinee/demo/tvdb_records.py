"""TheTVDB v4 building blocks from the demo catalog: ids, codes and base records (no HTTP).

Shapes follow the official swagger (`SeriesBaseRecord`, `EpisodeBaseRecord`, `Company`,
`Character`, `RemoteID`, `SeasonBaseRecord`): camelCase keys, 3-letter language and country
codes, `null` for what is unknown. TheTVDB ids come from each series' `external_ids.tvdb_id`;
season, episode, person and character ids are derived from it deterministically.
Image paths are relative (`/banners/v4/...`), to be prefixed with the image base URL.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import Any

from matinee.demo.catalog import Catalog

__all__ = [
    "LANG3",
    "OFFICIAL",
    "UPDATED",
    "air_weekday",
    "characters",
    "companies",
    "country3",
    "episode_id",
    "episode_records",
    "find_series",
    "genres",
    "lang3",
    "network",
    "number",
    "people_id",
    "person_photo",
    "remote_ids",
    "season_id",
    "series_base",
    "slug",
    "status",
    "tvdb_id",
]

Json = dict[str, Any]

LANG3 = {"en": "eng", "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "ja": "jpn",
         "pt": "por", "ko": "kor", "zh": "zho", "ru": "rus", "sv": "swe", "da": "dan"}  # fmt: skip
_COUNTRY3 = {"US": "usa", "GB": "gbr", "DE": "deu", "FR": "fra", "ES": "esp", "IT": "ita",
             "JP": "jpn", "CA": "can", "AU": "aus", "KR": "kor"}  # fmt: skip
_GENRES = {"Drama": 2, "Crime": 3, "Comedy": 15, "Mystery": 7, "Science Fiction": 22,
           "Fantasy": 13, "Action": 19, "Adventure": 18, "Thriller": 21, "Animation": 17,
           "Documentary": 11, "Family": 12, "War": 26, "Western": 27}  # fmt: skip
_TMDB_GENRES = {
    "Sci-Fi & Fantasy": ["Science Fiction", "Fantasy"],
    "Action & Adventure": ["Action", "Adventure"],
    "War & Politics": ["War"],
}
OFFICIAL = {"id": 1, "name": "Aired Order", "type": "official", "alternateName": None}
UPDATED = "2024-11-02 08:14:37"


def number(key: str, low: int, high: int) -> int:
    """A stable integer in [low, high) derived from `key`."""
    value = int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:10], 16)
    return low + value % (high - low)


def lang3(code: str | None) -> str | None:
    """ISO 639-1 -> TheTVDB's 3-letter language code."""
    return LANG3.get(code or "", code) if code else None


def country3(code: str | None) -> str | None:
    """ISO 3166-1 alpha-2 -> TheTVDB's 3-letter country code (lower case)."""
    return _COUNTRY3.get(code or "", (code or "").lower()) if code else None


def slug(name: str) -> str:
    """TheTVDB's URL slug of a name."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def tvdb_id(show: Json) -> int:
    """The series' TheTVDB id."""
    return int(show["external_ids"]["tvdb_id"])


def find_series(catalog: Catalog, series_id: int) -> Json | None:
    """The catalog series with that TheTVDB id, or None."""
    for show in catalog.series.values():
        if show["external_ids"].get("tvdb_id") == series_id:
            return show
    return None


def season_id(show: Json, season_number: int) -> int:
    """TheTVDB id of one (official) season."""
    return tvdb_id(show) * 100 + season_number


def episode_id(show: Json, season_number: int, episode_number: int) -> int:
    """TheTVDB id of one episode."""
    return tvdb_id(show) * 1000 + season_number * 100 + episode_number


def status(show: Json) -> Json:
    """`Status` of a series."""
    ended = show["status"] == "Ended"
    return {"id": 2 if ended else 1, "name": "Ended" if ended else "Continuing",
            "recordType": "series", "keepUpdated": not ended}  # fmt: skip


def genres(show: Json) -> list[Json]:
    """`GenreBaseRecord[]` from the TMDB genres."""
    names: list[str] = []
    for genre in show["genres"]:
        names.extend(_TMDB_GENRES.get(genre["name"], [genre["name"]]))
    unique = list(dict.fromkeys(names))
    return [{"id": _GENRES.get(name, number(f"genre:{name}", 30, 99)), "name": name,
             "slug": slug(name)} for name in unique]  # fmt: skip


def _company(name: str, country: str | None, kind: int, key: str) -> Json:
    return {
        "activeDate": None,
        "aliases": [],
        "country": country3(country) if country else None,
        "id": number(f"tvdb:company:{key}", 1000, 30000),
        "inactiveDate": None,
        "name": name,
        "nameTranslations": ["eng"],
        "overviewTranslations": [],
        "primaryCompanyType": kind,
        "slug": slug(name),
        "parentCompany": {"id": None, "name": None, "relation": {"id": None, "typeName": None}},
        "tagOptions": None,
    }


def network(show: Json) -> Json | None:
    """The original network as a `Company` (primaryCompanyType 1, Network)."""
    if not show["networks"]:
        return None
    first = show["networks"][0]
    return _company(first["name"], first.get("origin_country") or None, 1, f"n{first['id']}")


def companies(show: Json) -> list[Json]:
    """`Company[]`: networks (type 1) then production companies (type 3)."""
    found = [_company(n["name"], n.get("origin_country") or None, 1, f"n{n['id']}")
             for n in show["networks"]]  # fmt: skip
    found += [_company(c["name"], c.get("origin_country") or None, 3, f"c{c['id']}")
              for c in show["production_companies"]]  # fmt: skip
    return found


def remote_ids(show: Json) -> list[Json]:
    """`RemoteID[]`: IMDB, TheMovieDB.com and Wikidata where known."""
    ids = show["external_ids"]
    found = []
    if ids.get("imdb_id"):
        found.append({"id": ids["imdb_id"], "type": 2, "sourceName": "IMDB"})
    found.append({"id": str(show["id"]), "type": 12, "sourceName": "TheMovieDB.com"})
    if ids.get("wikidata_id"):
        found.append({"id": ids["wikidata_id"], "type": 18, "sourceName": "Wikidata"})
    return found


def person_photo(people_id: int) -> str:
    """The relative path of a person's photo."""
    name = hashlib.sha1(f"tvdb:person:{people_id}".encode()).hexdigest()[:13]
    return f"/banners/v4/person/{people_id}/photo/{name}.jpg"


def people_id(name: str) -> int:
    """TheTVDB id of a person (stable per name)."""
    return number(f"tvdb:people:{name}", 250_000, 9_000_000)


def characters(show: Json) -> list[Json]:
    """`Character[]`: the cast as peopleType "Actor" (in order) and the creators."""
    sid = tvdb_id(show)
    entries: list[tuple[Json, str, str, int]] = [
        (member, member["character"], "Actor", 3) for member in show["cast"]
    ]
    entries += [(creator, "", "Creator", 6) for creator in show["created_by"]]
    found = []
    for sort, (person, role, people_type, type_id) in enumerate(entries, start=1):
        pid = people_id(person["name"])
        photo = person_photo(pid) if person.get("profile_path") else None
        found.append(
            {
                "aliases": [],
                "episode": None,
                "episodeId": None,
                "id": number(f"tvdb:character:{sid}:{pid}:{people_type}", 60_000_000, 90_000_000),
                "image": photo,
                "isFeatured": sort <= 3 and people_type == "Actor",
                "movieId": None,
                "movie": None,
                "name": role,
                "nameTranslations": [],
                "overviewTranslations": [],
                "peopleId": pid,
                "personImgURL": photo,
                "peopleType": people_type,
                "seriesId": sid,
                "series": None,
                "sort": sort if people_type == "Actor" else 0,
                "tagOptions": None,
                "type": type_id,
                "url": f"https://thetvdb.com/people/{pid}-{slug(person['name'])}",
                "personName": person["name"],
            }
        )
    return found


def _episodes(show: Json) -> list[Json]:
    return [episode for season in show["seasons"] for episode in season["episodes"]]


def series_base(show: Json, image: str | None) -> Json:
    """`SeriesBaseRecord` (what search-by-remote-id and the episodes list carry)."""
    episodes = _episodes(show)
    last = max((episode["air_date"] for episode in episodes), default=None)
    original = lang3(show["original_language"])
    names = list(dict.fromkeys(filter(None, [original, "eng"])))
    return {
        "aliases": [],
        "averageRuntime": show.get("episode_runtime"),
        "country": country3((show["origin_country"] or [None])[0]),
        "defaultSeasonType": 1,
        "episodes": None,
        "firstAired": show["first_air_date"],
        "id": tvdb_id(show),
        "image": image,
        "isOrderRandomized": False,
        "lastAired": last if show["status"] == "Ended" else (last or ""),
        "lastUpdated": UPDATED,
        "name": show["original_name"] if original != "eng" else show["name"],
        "nameTranslations": names,
        "nextAired": "",
        "originalCountry": country3((show["origin_country"] or [None])[0]),
        "originalLanguage": original,
        "overviewTranslations": names,
        "score": int(show["popularity"] * 1000),
        "slug": slug(show["name"]),
        "status": status(show),
        "year": show["first_air_date"][:4],
    }


def episode_records(show: Json) -> list[Json]:
    """`EpisodeBaseRecord[]` of every episode in aired order (absolute numbers count on)."""
    sid = tvdb_id(show)
    ended = show["status"] == "Ended"
    found: list[Json] = []
    absolute = 0
    seasons = sorted(show["seasons"], key=lambda season: season["season_number"])
    for season in seasons:
        number_ = season["season_number"]
        for episode in season["episodes"]:
            absolute += 1 if number_ > 0 else 0
            eid = episode_id(show, number_, episode["episode_number"])
            shot = hashlib.sha1(f"tvdb:episode:{eid}".encode()).hexdigest()[:13]
            is_last = episode is season["episodes"][-1]
            finale = None
            if is_last:
                finale = "series" if ended and season is seasons[-1] else "season"
            found.append(
                {
                    "absoluteNumber": absolute if number_ > 0 else 0,
                    "aired": episode["air_date"],
                    "airsAfterSeason": None,
                    "airsBeforeEpisode": None,
                    "airsBeforeSeason": None,
                    "finaleType": finale,
                    "id": eid,
                    "image": f"/banners/v4/episode/{eid}/screencap/{shot}.jpg",
                    "imageType": 11,
                    "isMovie": 0,
                    "lastUpdated": UPDATED,
                    "linkedMovie": None,
                    "name": episode["name"],
                    "nameTranslations": ["eng"],
                    "number": episode["episode_number"],
                    "overview": episode["overview"],
                    "overviewTranslations": ["eng"],
                    "runtime": episode["runtime"],
                    "seasonNumber": number_,
                    "seasons": None,
                    "seriesId": sid,
                    "seasonName": season["name"],
                    "year": episode["air_date"][:4],
                }
            )
    return found


def air_weekday(show: Json) -> str:
    """The weekday a series first aired (`monday` ...)."""
    return date.fromisoformat(show["first_air_date"]).strftime("%A").lower()
