"""Pure readers over TMDB's JSON: candidates, certifications, runtimes, trailers, votes.

Split from `tmdb.py` so the provider class reads as requests and records; everything here is a
function of a parsed body, with no I/O. Odd shapes give "no value", never an exception (except
`as_object`, which raises `BadResponse` for a body that is not a JSON object).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matinee.errors import BadResponse
from matinee.model import Candidate, EntityKind, Ids
from matinee.providers.base import Credit, SeasonRecord
from matinee.providers.shapes import (
    as_dict,
    dicts,
    integer,
    iso_date,
    positive,
    present,
    text,
    unique,
    year_of,
)

__all__ = [
    "as_object",
    "candidate",
    "languages",
    "movie_rating",
    "names",
    "season_records",
    "trailer",
    "tv_rating",
    "tv_runtime",
    "unique_credits",
    "votes",
]

_PROVIDER = "tmdb"
# TMDB's release types: 3 theatrical first, then limited, premiere, digital, physical, TV.
_RELEASE_TYPE_ORDER = (3, 2, 1, 4, 5, 6)


def candidate(raw: Any, kind: EntityKind) -> Candidate | None:
    if not isinstance(raw, dict) or (tmdb_id := integer(raw.get("id"))) is None:
        return None
    movie = kind is EntityKind.MOVIE
    title = text(raw.get("title" if movie else "name"))
    if not title:
        return None
    popularity = raw.get("popularity")
    return Candidate(
        provider=_PROVIDER,
        id=str(tmdb_id),
        kind=kind,
        title=title,
        year=year_of(raw.get("release_date" if movie else "first_air_date")),
        original_title=text(raw.get("original_title" if movie else "original_name")),
        popularity=float(popularity) if isinstance(popularity, int | float) else 0.0,
    )


def season_records(value: Any, image: Callable[[str, Any], str | None]) -> tuple[SeasonRecord, ...]:
    """A series' `seasons[]` as records: name, overview, air date, poster and TMDB id.

    `image(size, path)` builds an image URL (the original size is kept, as for other TMDB art).
    """
    found: list[SeasonRecord] = []
    for season in dicts(value):
        if (number := integer(season.get("season_number"))) is None or number < 0:
            continue
        tmdb_id = positive(season.get("id"))
        air_date = season.get("air_date")
        fields = {
            "title": text(season.get("name")),
            "plot": text(season.get("overview")),
            "release_date": iso_date(air_date),
            "year": year_of(air_date),
            "poster": image("original", season.get("poster_path")),
            "tmdb_id": tmdb_id,
        }
        found.append(SeasonRecord(number, present(fields), Ids(tmdb=tmdb_id)))
    return tuple(found)


def movie_rating(body: dict[str, Any]) -> str | None:
    """US certification: theatrical first, then limited, premiere, digital, physical, TV."""
    countries = dicts(as_dict(body.get("release_dates")).get("results"))
    us = next((c for c in countries if c.get("iso_3166_1") == "US"), {})
    releases = dicts(us.get("release_dates"))
    for release_type in _RELEASE_TYPE_ORDER:
        for release in releases:
            cert = text(release.get("certification"))
            if cert and release.get("type") == release_type:
                return cert
    return None


def tv_rating(body: dict[str, Any]) -> str | None:
    for entry in dicts(as_dict(body.get("content_ratings")).get("results")):
        if entry.get("iso_3166_1") == "US" and (rating := text(entry.get("rating"))):
            return rating
    return None


def tv_runtime(body: dict[str, Any]) -> int | None:
    run_times = body.get("episode_run_time")
    first = next(iter(run_times), None) if isinstance(run_times, list) else None
    return positive(first) or positive(as_dict(body.get("last_episode_to_air")).get("runtime"))


def trailer(body: dict[str, Any]) -> str | None:
    """The first YouTube trailer, an official one if there is any."""
    videos = [
        v
        for v in dicts(as_dict(body.get("videos")).get("results"))
        if v.get("site") == "YouTube" and v.get("type") == "Trailer" and text(v.get("key"))
    ]
    best = next((v for v in videos if v.get("official") is True), videos[0] if videos else None)
    return f"https://www.youtube.com/watch?v={text(best.get('key'))}" if best else None


def votes(body: dict[str, Any]) -> dict[str, Any]:
    """TMDB rating and votes; an average over zero votes is no rating at all."""
    votes, average = integer(body.get("vote_count")), body.get("vote_average")
    if not votes or not isinstance(average, int | float) or isinstance(average, bool):
        return {"tmdb_votes": votes}
    return {"tmdb_votes": votes, "tmdb_rating": float(average)}


def languages(value: Any) -> list[str]:
    return unique(text(lang.get("english_name")) or text(lang.get("name")) for lang in dicts(value))


def names(value: Any) -> list[str]:
    return unique(text(item.get("name")) for item in dicts(value))


def unique_credits(credits: Any) -> list[Credit]:
    seen: dict[str, Credit] = {}
    for credit in credits:
        if credit.name:
            seen.setdefault(credit.provider_id or credit.name, credit)
    return list(seen.values())


def as_object(value: Any, what: str) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise BadResponse(_PROVIDER, f"{what}: expected a JSON object")
