"""Pure readers over TheTVDB v4 JSON (`provider-samples/PROVIDERS.md` §3).

No real TheTVDB payload was ever saved, so these readers follow the official OpenAPI spec
(`tvdb/OFFICIAL_swagger_v4.yml`, v4.7.10) and trust nothing about it: TheTVDB ids are ints in
records and strings in `/search`, languages are ISO 639-2 three-letter codes, image paths may
be relative, and anything missing or odd reads as "no value". Nothing here sends a request.
"""

from __future__ import annotations

import math
import re
from typing import Any

from matinee.model import Candidate, EntityKind, Ids
from matinee.providers.base import SeasonRecord
from matinee.providers.shapes import (
    as_dict,
    dicts,
    integer,
    positive,
    present,
    text,
    unique,
    year_of,
)

__all__ = [
    "ART_TYPE_SLOTS",
    "IMDB_RE",
    "SEASON_POSTER_TYPE",
    "content_rating",
    "image_url",
    "language_2",
    "language_3",
    "names",
    "official_seasons",
    "remote_ids",
    "remoteid_candidate",
    "score_votes",
    "search_candidate",
    "season_records",
    "translated",
]

ART_TYPE_SLOTS: dict[int, str] = {
    1: "banner",
    2: "poster",
    3: "fanart",
    7: "poster",  # a season poster: the season comes from `seasonId`
    22: "clearart",
    23: "clearlogo",
}
"""TheTVDB artwork type ids (as its own Kodi scraper reads them) -> our slots; 5 (icon) and the
rest are skipped."""
SEASON_POSTER_TYPE = 7
IMDB_RE = re.compile(r"^tt\d{5,}$")

_PROVIDER = "tvdb"
_LANG_3_TO_2 = {
    "eng": "en", "deu": "de", "ger": "de", "fra": "fr", "fre": "fr", "spa": "es", "ita": "it",
    "jpn": "ja", "por": "pt", "nld": "nl", "dut": "nl", "swe": "sv", "rus": "ru", "kor": "ko",
    "zho": "zh", "chi": "zh",
}  # fmt: skip
_LANG_2_TO_3 = {two: three for three, two in reversed(_LANG_3_TO_2.items())}


def language_2(value: Any) -> str | None:
    """ISO 639-1 (`en`) for a common three-letter TheTVDB code (`eng`); None otherwise."""
    code = text(value)
    return _LANG_3_TO_2.get(code.lower()) if code else None


def language_3(setting: str) -> str:
    """The three-letter code TheTVDB wants for a configured language (`eng`, `en`, `en-US`)."""
    code = setting.strip().lower()
    if len(code) == 3 and code.isalpha():
        return code
    return _LANG_2_TO_3.get(code.split("-")[0].split("_")[0], "eng")


def image_url(base: str, path: Any) -> str | None:
    """An absolute image URL: absolute ones as given, relative ones under `base`."""
    found = text(path)
    if found is None:
        return None
    if found.startswith(("https://", "http://")):
        return found
    return f"{base}/{found.lstrip('/')}"


def translated(body: dict[str, Any], key: str, field: str, lang: str) -> str | None:
    """`field` of the `lang` entry of `translations.<key>` (`nameTranslations`), if any.

    An entry flagged `isAlias` is an alternative name, not the translation, and is skipped.
    """
    for entry in dicts(as_dict(body.get("translations")).get(key)):
        if text(entry.get("language")) != lang or entry.get("isAlias") is True:
            continue
        if value := text(entry.get(field)):
            return value
    return None


def content_rating(body: dict[str, Any]) -> str | None:
    """The US rating (`contentRatings[].country == "usa"`), a TV one first."""
    usa = [r for r in dicts(body.get("contentRatings")) if text(r.get("country")) == "usa"]
    usa.sort(key=lambda r: text(r.get("contentType")) not in (None, "tv"))
    return next((rating for r in usa if (rating := text(r.get("name")))), None)


def remote_ids(body: dict[str, Any], key: str = "remoteIds") -> tuple[str | None, int | None]:
    """The IMDb id and the TMDB id among `remoteIds[]` (`sourceName` `IMDB`, `TheMovieDB.com`)."""
    imdb: str | None = None
    tmdb: int | None = None
    for remote in dicts(body.get(key)):
        source, value = text(remote.get("sourceName")), text(remote.get("id"))
        if value is None:
            continue
        if source == "IMDB" and imdb is None and IMDB_RE.match(value):
            imdb = value
        elif source == "TheMovieDB.com" and tmdb is None and _digits(value):
            tmdb = positive(int(value))
    return imdb, tmdb


def official_seasons(body: dict[str, Any]) -> dict[int, int]:
    """`seasons[].id -> number` for the seasons of the official (aired) order."""
    found: dict[int, int] = {}
    for season in dicts(body.get("seasons")):
        if text(as_dict(season.get("type")).get("type")) != "official":
            continue
        season_id, number = integer(season.get("id")), integer(season.get("number"))
        if season_id is not None and number is not None and number >= 0:
            found[season_id] = number
    return found


def season_records(body: dict[str, Any], base: str) -> tuple[SeasonRecord, ...]:
    """The official seasons' own fields: name, year, poster and TheTVDB id.

    The poster is the season's `image` (its season poster artwork), else the best-scored
    season poster (type 7) in `artworks[]` for that season.
    """
    posters: dict[int, tuple[int, str]] = {}
    for art in dicts(body.get("artworks")):
        season_id = integer(art.get("seasonId"))
        url = image_url(base, art.get("image"))
        if integer(art.get("type")) != SEASON_POSTER_TYPE or season_id is None or url is None:
            continue
        score = score_votes(art.get("score"))
        if season_id not in posters or score > posters[season_id][0]:
            posters[season_id] = (score, url)
    found: dict[int, SeasonRecord] = {}
    official = official_seasons(body)
    for season in dicts(body.get("seasons")):
        season_id = integer(season.get("id"))
        if season_id is None or (number := official.get(season_id)) is None or number in found:
            continue
        tvdb_id = positive(season_id)
        year = season.get("year")  # a string in the spec ("2008"); read an int as well
        fields = {
            "title": text(season.get("name")),
            "year": year_of(str(year)) if isinstance(year, str | int) else None,
            "poster": image_url(base, season.get("image")) or posters.get(season_id, (0, None))[1],
            "tvdb_id": tvdb_id,
        }
        found[number] = SeasonRecord(number, present(fields), Ids(tvdb=tvdb_id))
    return tuple(found[n] for n in sorted(found))


def score_votes(value: Any) -> int:
    """TheTVDB's `score` (a relative popularity, not comparable across kinds) as a vote count."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return 0
    return max(0, int(value))


def names(value: Any) -> list[str]:
    """The `name` of each object in a list (genres, companies)."""
    return unique(text(item.get("name")) for item in dicts(value))


def search_candidate(raw: Any, lang: str) -> Candidate | None:
    """A `SearchResult` as a series candidate (`tvdb_id` is a string of digits there)."""
    if not isinstance(raw, dict) or text(raw.get("type")) not in (None, "series"):
        return None
    tvdb_id = text(raw.get("tvdb_id"))
    if tvdb_id is None or not _digits(tvdb_id):
        return None
    name = text(raw.get("name"))
    # `translations` maps a language to a name; `name_translated` is declared a string, but
    # read it as the same map should the server send one.
    title = (
        text(as_dict(raw.get("translations")).get(lang))
        or text(as_dict(raw.get("name_translated")).get(lang))
        or name
    )
    if title is None:
        return None
    return Candidate(
        provider=_PROVIDER,
        id=str(int(tvdb_id)),
        kind=EntityKind.SERIES,
        title=title,
        year=year_of(raw.get("year")) or year_of(raw.get("first_air_time")),
        original_title=name,
        popularity=0.0,
    )


def remoteid_candidate(raw: Any) -> Candidate | None:
    """The series of a `SearchByRemoteIdResult` (a `SeriesBaseRecord`) as a candidate."""
    series = as_dict(as_dict(raw).get("series"))
    tvdb_id, name = positive(series.get("id")), text(series.get("name"))
    if tvdb_id is None or name is None:
        return None
    return Candidate(
        provider=_PROVIDER,
        id=str(tvdb_id),
        kind=EntityKind.SERIES,
        title=name,
        year=year_of(series.get("year")) or year_of(series.get("firstAired")),
        original_title=name,
        popularity=0.0,
    )


def _digits(value: str) -> bool:
    return value.isascii() and value.isdigit()
