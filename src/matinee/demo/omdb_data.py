"""OMDb records generated from the demo catalog (pure functions, no HTTP).

OMDb has no data of its own in the demo: every value is derived from the catalog record,
seeded by the IMDb id, so it is plausible, consistent with TMDB's answer and stable across
runs. IMDb's rating sits near TMDB's `vote_average`, votes are `vote_count` times a factor
(with thousands separators), Rotten Tomatoes and Metacritic follow the rating with some noise,
awards use OMDb's older and newer phrasings, `Rated` is the catalog's certification.
A deterministic ~10% of titles lack Rotten Tomatoes, ~15% lack a Metascore and a few lack
awards. Every value is a string and "N/A" marks what is missing, as on the real API.
"""

from __future__ import annotations

import random
import re
from datetime import date
from typing import Any

from matinee.demo.http_util import chance, seeded

__all__ = [
    "NA",
    "awards_text",
    "first_sentence",
    "movie_record",
    "omdb_date",
    "series_record",
]

Json = dict[str, Any]
NA = "N/A"

_GENRES = {
    "Science Fiction": ["Sci-Fi"],
    "Action & Adventure": ["Action", "Adventure"],
    "Sci-Fi & Fantasy": ["Sci-Fi", "Fantasy"],
    "War & Politics": ["War"],
    "Kids": ["Family"],
    "TV Movie": [],
}
_COUNTRIES = {"United States of America": "United States"}
_WRITER_NOTES = {"Novel": "novel", "Screenplay": "screenplay", "Story": "story"}
_SENTENCE = re.compile(r"^(.+?[.!?])(?:\s+[A-Z\"'(]|$)", re.S)


def first_sentence(text: str) -> str:
    """The first sentence of `text` (OMDb's short plot), or the whole text."""
    text = " ".join(text.split())
    match = _SENTENCE.match(text)
    return match.group(1) if match else text


def omdb_date(iso: str | None) -> str:
    """`1999-10-15` -> `15 Oct 1999` (OMDb's `Released`/`DVD` format), or N/A."""
    if not iso:
        return NA
    try:
        return date.fromisoformat(iso[:10]).strftime("%d %b %Y")
    except ValueError:
        return NA


def _join(values: list[str]) -> str:
    unique = list(dict.fromkeys(value for value in values if value))
    return ", ".join(unique) if unique else NA


def _genres(genres: list[Json]) -> str:
    names: list[str] = []
    for genre in genres:
        names.extend(_GENRES.get(genre["name"], [genre["name"]]))
    return _join(names)


def _money(amount: int) -> str:
    return f"${amount:,}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def awards_text(rng: random.Random, rating: float) -> str:
    """An `Awards` string in one of OMDb's styles, more decorated for better-rated titles."""
    merit = max(0.0, rating - 5.0)
    wins = int(merit * rng.uniform(2, 25))
    nominations = wins + int(merit * rng.uniform(1, 20)) + rng.randint(0, 3)
    oscars = rng.randint(1, 7) if rating >= 7.6 and rng.random() < 0.45 else 0
    won = rng.randint(0, oscars) if oscars else 0
    newer = rng.random() < 0.4
    if oscars:
        lead = (
            f"Won {_plural(won, 'Oscar')}." if won else f"Nominated for {_plural(oscars, 'Oscar')}."
        )
        wins, nominations = max(wins, won), max(nominations, oscars)
        if newer:
            return f"{lead} {_plural(wins, 'win')} & {_plural(nominations, 'nomination')} total"
        rest_wins, rest_noms = max(0, wins - won), max(0, nominations - oscars)
        return f"{lead} Another {_plural(rest_wins, 'win')} & {_plural(rest_noms, 'nomination')}."
    if nominations == 0:
        nominations = 1
    if wins == 0:
        text = _plural(nominations, "nomination")
    else:
        text = f"{_plural(wins, 'win')} & {_plural(nominations, 'nomination')}"
    return text if newer else text + "."


def _ratings(key: str, vote_average: float, vote_count: int) -> Json:
    """imdbRating, imdbVotes, RT percent and Metascore (None when the title lacks it)."""
    rng = seeded(f"omdb:ratings:{key}")
    imdb = min(9.8, max(1.5, round(vote_average + rng.uniform(-0.4, 0.5), 1)))
    votes = max(5, int(vote_count * rng.uniform(45, 160)))
    rt = min(100, max(0, round((imdb - 5.2) * 24 + rng.gauss(0, 8))))
    metascore = min(100, max(1, round((imdb - 3.8) * 14 + rng.gauss(0, 7))))
    return {
        "imdb": imdb,
        "votes": votes,
        "rt": None if chance(f"omdb:no-rt:{key}") < 0.10 else rt,
        "metascore": None if chance(f"omdb:no-meta:{key}") < 0.15 else metascore,
    }


def _rating_fields(key: str, vote_average: float, vote_count: int) -> Json:
    values = _ratings(key, vote_average, vote_count)
    ratings = [{"Source": "Internet Movie Database", "Value": f"{values['imdb']:.1f}/10"}]
    if values["rt"] is not None:
        ratings.append({"Source": "Rotten Tomatoes", "Value": f"{values['rt']}%"})
    if values["metascore"] is not None:
        ratings.append({"Source": "Metacritic", "Value": f"{values['metascore']}/100"})
    awards = NA
    if chance(f"omdb:no-awards:{key}") >= 0.06:
        awards = awards_text(seeded(f"omdb:awards:{key}"), values["imdb"])
    return {
        "Awards": awards,
        "Ratings": ratings,
        "Metascore": NA if values["metascore"] is None else str(values["metascore"]),
        "imdbRating": f"{values['imdb']:.1f}",
        "imdbVotes": f"{values['votes']:,}",
    }


def _poster(record: Json, image_base_url: str) -> str:
    path = record.get("poster_path")
    return f"{image_base_url}/w300{path}" if path and image_base_url else NA


def _writers(crew: list[Json]) -> str:
    names = []
    for member in crew:
        if member["department"] != "Writing":
            continue
        note = _WRITER_NOTES.get(member["job"])
        names.append(f"{member['name']} ({note})" if note else member["name"])
    return _join(names)


def movie_record(movie: Json, image_base_url: str = "") -> Json:
    """The full OMDb body for a catalog movie (`Plot` is the full overview)."""
    key = movie["imdb_id"]
    release = movie.get("release_date") or ""
    rng = seeded(f"omdb:movie:{key}")
    dvd = NA
    if release[:4].isdigit() and int(release[:4]) >= 1997 and rng.random() < 0.8:
        released = date.fromisoformat(release)
        dvd = omdb_date(date.fromordinal(released.toordinal() + rng.randint(100, 200)).isoformat())
    revenue = int(movie.get("revenue") or 0)
    companies = movie.get("production_companies") or []
    record: Json = {
        "Title": movie["title"],
        "Year": release[:4] or NA,
        "Rated": movie.get("certification") or NA,
        "Released": omdb_date(release),
        "Runtime": f"{movie['runtime']} min" if movie.get("runtime") else NA,
        "Genre": _genres(movie.get("genres") or []),
        "Director": _join([m["name"] for m in movie["crew"] if m["job"] == "Director"]),
        "Writer": _writers(movie["crew"]),
        "Actors": _join([m["name"] for m in movie["cast"][:4]]),
        "Plot": movie.get("overview") or NA,
        "Language": _join([lang["english_name"] for lang in movie.get("spoken_languages") or []]),
        "Country": _join(
            [_COUNTRIES.get(c["name"], c["name"]) for c in movie.get("production_countries") or []]
        ),
        "Poster": _poster(movie, image_base_url),
        "imdbID": key,
        "Type": "movie",
        "DVD": dvd,
        "BoxOffice": _money(int(revenue * rng.uniform(0.3, 0.5))) if revenue > 0 else NA,
        "Production": companies[0]["name"] if companies else NA,
        "Website": movie.get("homepage") or NA,
        "Response": "True",
    }
    ratings = _rating_fields(key, float(movie["vote_average"]), int(movie["vote_count"]))
    return _ordered(record, ratings)


def series_record(show: Json, image_base_url: str = "") -> Json:
    """The full OMDb body for a catalog series (no DVD, BoxOffice, Production, Website)."""
    key = show["external_ids"]["imdb_id"]
    first = show["first_air_date"]
    episodes = [e for season in show["seasons"] for e in season["episodes"]]
    last_year = max((e["air_date"][:4] for e in episodes), default=first[:4])
    ended = show.get("status") == "Ended"
    year = f"{first[:4]}–{last_year}" if ended and last_year != first[:4] else first[:4]
    if not ended:
        year = f"{first[:4]}–"
    record: Json = {
        "Title": show["name"],
        "Year": year,
        "Rated": show.get("content_ratings", {}).get("US") or NA,
        "Released": omdb_date(first),
        "Runtime": f"{show['episode_runtime']} min" if show.get("episode_runtime") else NA,
        "Genre": _genres(show.get("genres") or []),
        "Director": NA,
        "Writer": _join([creator["name"] for creator in show.get("created_by") or []]),
        "Actors": _join([member["name"] for member in show["cast"][:4]]),
        "Plot": show.get("overview") or NA,
        "Language": _join([lang["english_name"] for lang in show.get("spoken_languages") or []]),
        "Country": _join(
            [_COUNTRIES.get(c["name"], c["name"]) for c in show.get("production_countries") or []]
        ),
        "Poster": _poster(show, image_base_url),
        "imdbID": key,
        "Type": "series",
        "totalSeasons": str(len(show["seasons"])),
        "Response": "True",
    }
    ratings = _rating_fields(key, float(show["vote_average"]), int(show["vote_count"]))
    return _ordered(record, ratings)


def _ordered(record: Json, ratings: Json) -> Json:
    """Merge in OMDb's key order: ... Plot, Language, Country, Awards, Poster, Ratings, ..."""
    order = [
        "Title", "Year", "Rated", "Released", "Runtime", "Genre", "Director", "Writer", "Actors",
        "Plot", "Language", "Country", "Awards", "Poster", "Ratings", "Metascore", "imdbRating",
        "imdbVotes", "imdbID", "Type", "totalSeasons", "DVD", "BoxOffice", "Production",
        "Website", "Response",
    ]  # fmt: skip
    merged = {**record, **ratings}
    return {key: merged[key] for key in order if key in merged}
