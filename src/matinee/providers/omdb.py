"""OMDb (the Open Movie Database): IMDb, Rotten Tomatoes and Metacritic ratings, plus basics.

OMDb is a secondary source (DESIGN.md §5): its value is the ratings TMDB lacks. This module turns
OMDb's answer, as documented in `provider-samples/PROVIDERS.md` §2, into the registry-named
fields of a `ProviderRecord`, with one request per title: by IMDb id, or else by a cleaned
title, a year and a kind (never a path or a file name). Every OMDb value is a string and `"N/A"`
means "unknown", so both stop here: a field OMDb does not know is absent, never `"N/A"`.
Errors come as `{"Response": "False", "Error": ...}`, in 200 answers as well as in 401s.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from rapidfuzz import fuzz

from matinee.config import ProviderSettings
from matinee.errors import (
    AuthFailed,
    BadResponse,
    NotFound,
    ProviderError,
    QuotaExhausted,
    Unavailable,
)
from matinee.model import EntityKind, Ids
from matinee.providers.base import Artwork, Credit, ProviderRecord, SearchQuery
from matinee.providers.http import ProviderEnv, ProviderHttp
from matinee.providers.shapes import as_dict, dicts, present, text, unique

__all__ = ["TITLE_MATCH_MIN", "OmdbProvider", "map_omdb_error", "omdb_body_error"]

TITLE_MATCH_MIN = 90
"""Least `rapidfuzz.fuzz.ratio` between normalized titles for a by-title answer to count."""
CHECK_IMDB_ID = "tt0133093"
"""The title `check()` asks for (The Matrix): any valid key can read it."""
_PROVIDER = "omdb"
_IMDB_RE = re.compile(r"^tt\d{5,}$")
_YEAR_RE = re.compile(r"^\s*(\d{4})")
_DATE_RE = re.compile(r"^\s*(\d{1,2}) ([A-Za-z]{3}) (\d{4})\s*$")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_NUMBER_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:[/%]|min\b|$)")
_ANNOTATION_RE = re.compile(r"\s*\([^)]*\)")
_POSTER_WIDTH_RE = re.compile(r"_SX(\d+)[._]")
_SUBTITLE_RE = re.compile(r"\s+-\s+|:\s")
_FOLD = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "&": " and "})
_MAX_SEASONS = 200
# OMDb's error texts (casefolded, without the final "!" or "."): what each means to us.
_ERRORS: dict[str, tuple[type[ProviderError], str | None]] = {
    "request limit reached": (QuotaExhausted, "daily request limit reached"),
    "invalid api key": (AuthFailed, "invalid key"),
    "no api key provided": (AuthFailed, "invalid key"),
    "movie not found": (NotFound, None),
    "series not found": (NotFound, None),
    "episode not found": (NotFound, None),
    "incorrect imdb id": (NotFound, None),
    "error getting data": (Unavailable, None),  # transient: retried
    "something went wrong": (Unavailable, None),
}


def omdb_body_error(body: Any) -> ProviderError | None:
    """The error inside an OMDb answer (`"Response": "False"`), or None for a real answer."""
    body = as_dict(body)
    if str(body.get("Response", "")).strip().casefold() != "false":
        return None
    message = text(body.get("Error")) or "Response False without an error message"
    error, fixed = _ERRORS.get(message.casefold().rstrip("!."), (BadResponse, f"error: {message}"))
    return error(_PROVIDER, fixed or message)


def map_omdb_error(status: int, body: Any) -> ProviderError | None:
    """Map a non-2xx OMDb answer: its error body first, then the status.

    OMDb answers 401 both for a bad key and for a spent daily quota (`Request limit reached!`,
    which must not be retried the same day); only the body tells them apart.
    """
    error = omdb_body_error(body)
    if error is not None and not isinstance(error, BadResponse):
        return error
    if status in (401, 403):
        return AuthFailed(_PROVIDER, "invalid key", status=status)
    if status == 404:
        return NotFound(_PROVIDER, "not found", status=status)
    if status >= 500:
        return Unavailable(_PROVIDER, f"HTTP {status}", status=status)
    return error


class OmdbProvider:
    """The OMDb provider (implements `matinee.providers.base.Provider`)."""

    id: str = "omdb"
    name: str = "OMDb"
    kinds: frozenset[EntityKind] = frozenset({EntityKind.MOVIE, EntityKind.SERIES})

    def __init__(self, settings: ProviderSettings, env: ProviderEnv | None = None) -> None:
        self.http = ProviderHttp(
            self.id,
            settings,
            env,
            map_error=map_omdb_error,
            check_body=omdb_body_error,
            secret_params={"apikey": settings.api_key},
        )

    @property
    def requests_made(self) -> int:
        return self.http.requests_made

    async def aclose(self) -> None:
        await self.http.aclose()

    async def check(self) -> None:
        """One uncached lookup by IMDb id: raises `AuthFailed` or `QuotaExhausted` on a bad key."""
        await self.http.get_json("/", {"i": CHECK_IMDB_ID}, cache=False)

    def can_fetch(self, kind: EntityKind, ids: Ids, hint: SearchQuery | None = None) -> bool:
        return kind in self.kinds and (ids.imdb is not None or hint is not None)

    async def fetch(
        self, kind: EntityKind, ids: Ids, hint: SearchQuery | None = None
    ) -> ProviderRecord:
        """Everything OMDb knows about one movie or series, by IMDb id or else by title.

        An answer to a by-title request is kept only when its title matches the hint's (and its
        year is within one of the hint's, when both are known): OMDb answers with its best
        guess, and asked for `Superman` in 2025 it answered with the 1978 film.
        """
        if kind not in self.kinds:
            raise NotFound(self.id, f"OMDb records movies and series, not {kind.value}")
        params: dict[str, str | int]
        if ids.imdb is not None:
            if not _IMDB_RE.match(ids.imdb):
                raise NotFound(self.id, f"{ids.imdb!r} is not an IMDb id")
            params = {"i": ids.imdb, "plot": "short", "type": kind.value}
        elif hint is not None:
            if hint.kind is not kind:
                raise NotFound(self.id, f"a {hint.kind.value} title hint for a {kind.value}")
            params = {"t": hint.title, "type": kind.value, "plot": "short"}
            if hint.year is not None:
                params["y"] = hint.year
        else:
            raise NotFound(self.id, "no IMDb id and no title to look up")
        body = await self.http.get_json("/", params)
        if not isinstance(body, dict):
            raise BadResponse(self.id, "expected a JSON object")
        if ids.imdb is None and hint is not None and not _confident(kind, hint, body):
            raise NotFound(self.id, "no confident title match")
        return self.parse(kind, body, ids)

    def parse(
        self, kind: EntityKind, body: dict[str, Any], ids: Ids | None = None
    ) -> ProviderRecord:
        """Normalize one OMDb title answer into a record (`ids` fills what OMDb leaves out)."""
        if _value(body.get("Title")) is None:
            raise BadResponse(self.id, "answer has no Title")
        movie = kind is EntityKind.MOVIE
        imdb_id = _imdb(body.get("imdbID")) or (ids.imdb if ids else None)
        ratings = {
            source: value
            for r in dicts(body.get("Ratings"))
            if (source := _value(r.get("Source"))) and (value := _value(r.get("Value")))
        }
        actors = _names(body.get("Actors"))
        directors = _names(body.get("Director"))
        writers = _names(body.get("Writer"))  # for a series these are its creators
        f: dict[str, Any] = {
            "title": _value(body.get("Title")),
            "year": _year(body.get("Year")),
            "release_date": _date(body.get("Released")),
            "outline": _value(body.get("Plot")),
            "runtime": _whole(_number(body.get("Runtime"))) or None,
            "content_rating": _value(body.get("Rated")),
            "imdb_rating": _number(body.get("imdbRating"))
            or _number(ratings.get("Internet Movie Database")),
            "imdb_votes": _votes(body.get("imdbVotes")),
            "rotten_tomatoes_score": _whole(_number(ratings.get("Rotten Tomatoes"))),
            "metacritic_score": _whole(
                _number(body.get("Metascore")) or _number(ratings.get("Metacritic"))
            ),
            "awards": _value(body.get("Awards")),
            "genres": _names(body.get("Genre")),
            "cast": [{"name": n, "character": None, "order": i} for i, n in enumerate(actors)],
            "countries": _names(body.get("Country")),
            "languages": _names(body.get("Language")),
            "imdb_id": imdb_id,
        }
        if movie:
            f["directors"], f["writers"] = directors, writers
        else:
            f["creators"] = writers
        credits = [Credit(name=n, role="actor", order=i) for i, n in enumerate(actors)]
        credits += [Credit(name=n, role="director") for n in (directors if movie else [])]
        credits += [Credit(name=n, role="writer" if movie else "creator") for n in writers]
        seasons = _whole(_number(body.get("totalSeasons"))) if not movie else None
        return ProviderRecord(
            provider=self.id,
            kind=kind,
            ids=Ids(imdb=imdb_id),
            fields=present(f),
            credits=tuple(credits),
            seasons=tuple(range(1, seasons + 1)) if seasons and seasons <= _MAX_SEASONS else (),
            artwork=self._poster(body.get("Poster")),
        )

    def _poster(self, value: Any) -> tuple[Artwork, ...]:
        url = _value(value)
        if url is None or not url.startswith(("https://", "http://")):
            return ()
        width = int(m.group(1)) if (m := _POSTER_WIDTH_RE.search(url)) else None
        return (Artwork(slot="poster", url=url, provider=self.id, width=width),)


# --- pure helpers over OMDb's strings --------------------------------------------------------


def _value(value: Any) -> str | None:
    """Stripped text, with OMDb's `"N/A"` (and blanks, and non-strings) as None."""
    value = text(value)
    return None if value is None or value.upper() == "N/A" else value


def _names(value: Any) -> list[str]:
    """A comma-separated list without annotations: `"Stan Lee (Groot created by)"` -> Stan Lee."""
    value = _value(value)
    if value is None:
        return []
    return unique(_value(part) for part in _ANNOTATION_RE.sub("", value).split(","))


def _year(value: Any) -> int | None:
    """The leading year: `"2017"`, and `"1992–1995"` or `"2023–"` for a series' run."""
    match = _YEAR_RE.match(_value(value) or "")
    return int(match.group(1)) if match else None


def _date(value: Any) -> str | None:
    """`"28 Jun 2013"` -> `"2013-06-28"` (English month names whatever the locale)."""
    match = _DATE_RE.match(_value(value) or "")
    if not match or (month := match.group(2).casefold()) not in _MONTHS:
        return None
    day = int(match.group(1))
    return f"{match.group(3)}-{_MONTHS.index(month) + 1:02d}-{day:02d}" if 1 <= day <= 31 else None


def _number(value: Any) -> float | None:
    """The leading number of `"7.3"`, `"8.3/10"`, `"90%"`, `"80/100"` or `"117 min"`."""
    match = _NUMBER_RE.match(_value(value) or "")
    return float(match.group(1)) if match else None


def _whole(number: float | None) -> int | None:
    return round(number) if number is not None else None


def _votes(value: Any) -> int | None:
    digits = (_value(value) or "").replace(",", "")
    return int(digits) if digits.isascii() and digits.isdigit() else None


def _imdb(value: Any) -> str | None:
    value = _value(value)
    return value if value and _IMDB_RE.match(value) else None


def _normalize(title: str) -> str:
    """Casefolded, without accents, punctuation or a leading article: `"the heat"` -> `heat`."""
    folded = unicodedata.normalize("NFKD", title.casefold().translate(_FOLD))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    words = re.sub(r"[\W_]+", " ", plain).split()
    if len(words) > 1 and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def _confident(kind: EntityKind, hint: SearchQuery, body: dict[str, Any]) -> bool:
    """Whether a by-title answer is the title the hint names (see `OmdbProvider.fetch`).

    With a year on both sides, the hint may name only the main title: `Yahsi Bati` matches
    `Yahsi Bati - The Ottoman Cowboys`.
    """
    title, year = _value(body.get("Title")), _year(body.get("Year"))
    answer_type = _value(body.get("Type"))
    if title is None or (answer_type is not None and answer_type != kind.value):
        return False
    if hint.year is not None and year is not None and abs(year - hint.year) > 1:
        return False
    wanted = _normalize(hint.title)
    if not wanted:
        return False
    if fuzz.ratio(wanted, _normalize(title)) >= TITLE_MATCH_MIN:
        return True
    main = _SUBTITLE_RE.split(title, maxsplit=1)[0]
    dated = hint.year is not None and year is not None
    return dated and fuzz.ratio(wanted, _normalize(main)) >= TITLE_MATCH_MIN
