"""TMDB (The Movie Database, API v3): search, details, seasons and images for movies and series.

TMDB is the primary metadata source (DESIGN.md §5 and §6). This module turns TMDB's JSON, as
documented in `provider-samples/PROVIDERS.md` §1, into the registry-named fields of a
`ProviderRecord`, with one request per title (`append_to_response`). Only a cleaned title, a
year and a kind (or an id) are ever sent. TMDB's shapes stop here: a missing or odd key becomes
an absent field or a `BadResponse`, never a `KeyError` for the caller.
"""

from __future__ import annotations

import re
from typing import Any

from matinee.config import ProviderSettings
from matinee.errors import AuthFailed, BadResponse, NotFound, ProviderError, Unavailable
from matinee.model import Candidate, EntityKind, Ids
from matinee.providers.base import (
    Artwork,
    Credit,
    EpisodeRecord,
    ProviderRecord,
    SearchQuery,
)
from matinee.providers.http import ProviderEnv, ProviderHttp
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

__all__ = ["CAST_LIMIT", "TmdbProvider", "map_tmdb_error"]

CAST_LIMIT = 15
"""How many cast members (by billing order) a record keeps."""
MOVIE_APPEND = "credits,images,release_dates,external_ids,keywords,videos"
TV_APPEND = "external_ids,content_ratings,credits,images,keywords,videos"
# TMDB's release types: 3 theatrical first, then limited, premiere, digital, physical, TV.
_RELEASE_TYPE_ORDER = (3, 2, 1, 4, 5, 6)
_IMDB_RE = re.compile(r"^tt\d{5,}$")
_PROVIDER = "tmdb"


def map_tmdb_error(status: int, body: Any) -> ProviderError | None:
    """Map a TMDB error response (`{status_code, status_message}` or `{errors: [...]}`).

    429 (status_code 25) never gets here: `ProviderHttp` turns it into `RateLimited` itself.
    """
    body = body if isinstance(body, dict) else {}
    code = body.get("status_code")
    message = text(body.get("status_message"))
    errors = body.get("errors")
    if status == 401 or code in (7, 10):
        reason = "key suspended" if code == 10 else "invalid key"
        return AuthFailed(_PROVIDER, reason, status=status)
    if status == 404 or code in (6, 34):
        return NotFound(_PROVIDER, message or "not found", status=status)
    if status >= 500 or code in (9, 24):
        return Unavailable(_PROVIDER, message or f"HTTP {status}", status=status)
    if status == 422 or isinstance(errors, list):
        detail = "; ".join(str(e) for e in errors) if isinstance(errors, list) else message
        return BadResponse(_PROVIDER, f"rejected: {detail or 'validation failed'}", status=status)
    if message:
        return BadResponse(_PROVIDER, f"HTTP {status}: {message}", status=status)
    return None


class TmdbProvider:
    """The TMDB provider (implements `matinee.providers.base.Provider`)."""

    id: str = "tmdb"
    name: str = "TMDB"
    kinds: frozenset[EntityKind] = frozenset({EntityKind.MOVIE, EntityKind.SERIES})

    def __init__(self, settings: ProviderSettings, env: ProviderEnv | None = None) -> None:
        self._settings = settings
        # A v4 read access token is a JWT ("eyJ..."); a v3 key goes in the query.
        bearer = settings.api_key.startswith("eyJ")
        self.http = ProviderHttp(
            self.id,
            settings,
            env,
            map_error=map_tmdb_error,
            secret_params=None if bearer else {"api_key": settings.api_key},
            bearer=settings.api_key if bearer else None,
        )
        self._images = settings.image_base_url.rstrip("/")
        lang = settings.language.split("-")[0].lower()
        self._image_languages = ",".join(dict.fromkeys([lang, "en", "null"]))
        self._sizes: dict[str, tuple[str, ...]] | None = None

    @property
    def requests_made(self) -> int:
        return self.http.requests_made

    async def aclose(self) -> None:
        await self.http.aclose()

    async def check(self) -> None:
        """`/configuration`: the cheapest call that still needs a valid key."""
        await self.http.get_json("/configuration", {}, cache=False)

    # --- identification --------------------------------------------------------------------

    async def search(self, query: SearchQuery) -> list[Candidate]:
        """Search by cleaned title (and year); nothing else about the file is sent."""
        movie = query.kind is EntityKind.MOVIE
        path = "/search/movie" if movie else "/search/tv"
        params: dict[str, str | int] = {
            "query": query.title,
            "include_adult": "false",
            "language": self._settings.language,
        }
        if query.year is not None:
            params["year" if movie else "first_air_date_year"] = query.year
        body = _dict(await self.http.get_json(path, params), path)
        results = body.get("results")
        if not isinstance(results, list):
            raise BadResponse(self.id, f"{path}: no results list")
        return [c for r in results if (c := _candidate(r, query.kind)) is not None]

    async def find_by_imdb(self, imdb_id: str) -> list[Candidate]:
        """Movies and series that carry this IMDb id (`/find`)."""
        if not _IMDB_RE.match(imdb_id):
            raise NotFound(self.id, f"{imdb_id!r} is not an IMDb id")
        path = f"/find/{imdb_id}"
        body = _dict(await self.http.get_json(path, {"external_source": "imdb_id"}), "/find")
        movies, shows = body.get("movie_results"), body.get("tv_results")
        if not isinstance(movies, list) or not isinstance(shows, list):
            raise BadResponse(self.id, "/find: no movie_results or tv_results list")
        found = [_candidate(r, EntityKind.MOVIE) for r in movies]
        found += [_candidate(r, EntityKind.SERIES) for r in shows]
        return [c for c in found if c is not None]

    # --- details -----------------------------------------------------------------------------

    def can_fetch(self, kind: EntityKind, ids: Ids, hint: SearchQuery | None = None) -> bool:
        return kind in self.kinds and ids.tmdb is not None

    async def fetch(
        self, kind: EntityKind, ids: Ids, hint: SearchQuery | None = None
    ) -> ProviderRecord:
        """Everything TMDB knows about one movie or series, in one request."""
        if ids.tmdb is None:
            raise NotFound(self.id, "no TMDB id")
        provider_id = str(ids.tmdb)
        if kind not in self.kinds:
            raise NotFound(self.id, f"TMDB records movies and series, not {kind.value}")
        movie = kind is EntityKind.MOVIE
        path = f"/movie/{provider_id}" if movie else f"/tv/{provider_id}"
        params: dict[str, str | int] = {
            "append_to_response": MOVIE_APPEND if movie else TV_APPEND,
            "language": self._settings.language,
            "include_image_language": self._image_languages,
        }
        body = _dict(await self.http.get_json(path, params), "details")
        return self.parse_details(kind, body)

    def parse_details(self, kind: EntityKind, body: dict[str, Any]) -> ProviderRecord:
        """Normalize a details body (with its appended sub-responses) into a record."""
        if (tmdb_id := integer(body.get("id"))) is None:
            raise BadResponse(self.id, "details: no numeric id")
        try:
            return self._record(kind, tmdb_id, body)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadResponse(self.id, f"details: odd shape ({type(exc).__name__})") from None

    def _record(self, kind: EntityKind, tmdb_id: int, body: dict[str, Any]) -> ProviderRecord:
        movie = kind is EntityKind.MOVIE
        external, people = as_dict(body.get("external_ids")), as_dict(body.get("credits"))
        date = body.get("release_date" if movie else "first_air_date")
        imdb_id = text(body.get("imdb_id")) or text(external.get("imdb_id"))
        tvdb_id = None if movie else positive(external.get("tvdb_id"))
        keywords = as_dict(body.get("keywords")).get("keywords" if movie else "results")
        f: dict[str, Any] = {
            "title": text(body.get("title" if movie else "name")),
            "original_title": text(body.get("original_title" if movie else "original_name")),
            "year": year_of(date),
            "release_date": iso_date(date),
            "plot": text(body.get("overview")),
            "tagline": text(body.get("tagline")),
            "runtime": positive(body.get("runtime")) if movie else _tv_runtime(body),
            "content_rating": _movie_rating(body) if movie else _tv_rating(body),
            "genres": _names(body.get("genres")),
            "studios": _names(body.get("production_companies")),
            "keywords": _names(keywords),
            "trailer": _trailer(body),
            "languages": _languages(body.get("spoken_languages")),
            "tmdb_id": tmdb_id,
            "imdb_id": imdb_id,
            "tvdb_id": tvdb_id,
            "poster": self._image("original", body.get("poster_path")),
            "fanart": self._image("original", body.get("backdrop_path")),
            **_votes(body),
        }
        cast = [c for c in dicts(people.get("cast")) if text(c.get("name"))]
        cast.sort(key=lambda c: (integer(c.get("order")) is None, integer(c.get("order")) or 0))
        cast = cast[:CAST_LIMIT]
        f["cast"] = [
            {"name": text(c.get("name")), "character": text(c.get("character")), "order": order}
            for c in cast
            for order in [integer(c.get("order"))]
        ]
        credits = [self._credit(c, "actor") for c in cast]
        if movie:
            crew = dicts(people.get("crew"))
            directors = [c for c in crew if c.get("job") == "Director"]
            writers = [c for c in crew if c.get("department") == "Writing"]
            f["directors"] = unique(text(c.get("name")) for c in directors)
            f["writers"] = unique(text(c.get("name")) for c in writers)
            f["collection"] = text(as_dict(body.get("belongs_to_collection")).get("name"))
            f["countries"] = _names(body.get("production_countries"))
            credits += _unique_credits(self._credit(c, "director") for c in directors)
            credits += _unique_credits(self._credit(c, "writer") for c in writers)
        else:
            creators = dicts(body.get("created_by"))
            f["creators"] = unique(text(c.get("name")) for c in creators)
            f["networks"] = _names(body.get("networks"))
            origin = body.get("origin_country")
            f["countries"] = unique(text(c) for c in origin) if isinstance(origin, list) else []
            f["status"] = text(body.get("status"))
            credits += _unique_credits(self._credit(c, "creator") for c in creators)
        alt = as_dict(body.get("alternative_titles")).get("titles" if movie else "results")
        seasons = (
            [] if movie else [integer(s.get("season_number")) for s in dicts(body.get("seasons"))]
        )
        return ProviderRecord(
            provider=self.id,
            kind=kind,
            ids=Ids(tmdb=tmdb_id, imdb=imdb_id, tvdb=tvdb_id),
            fields=present(f),
            credits=tuple(credits),
            alternative_titles=tuple(unique(text(t.get("title")) for t in dicts(alt))),
            seasons=tuple(n for n in seasons if n is not None),
            artwork=self._artwork(as_dict(body.get("images"))),
        )

    def _artwork(self, images: dict[str, Any]) -> tuple[Artwork, ...]:
        """Candidates from `images.posters/backdrops/logos`, with declared size and votes."""
        found: list[Artwork] = []
        for key, slot, preview in (
            ("posters", "poster", "w185"),
            ("backdrops", "fanart", "w300"),
            ("logos", "clearlogo", "w185"),
        ):
            for image in dicts(images.get(key)):
                url = self._image("original", image.get("file_path"))
                if url is None:
                    continue
                average = image.get("vote_average")
                found.append(
                    Artwork(
                        slot=slot,
                        url=url,
                        provider=self.id,
                        asset_id=text(image.get("file_path")),
                        preview_url=self._image(preview, image.get("file_path")),
                        language=text(image.get("iso_639_1")),
                        votes=integer(image.get("vote_count")) or 0,
                        rating=float(average) if isinstance(average, int | float) else None,
                        width=positive(image.get("width")),
                        height=positive(image.get("height")),
                    )
                )
        return tuple(found)

    def _credit(self, person: dict[str, Any], role: str) -> Credit:
        pid = integer(person.get("id"))
        return Credit(
            name=text(person.get("name")) or "",
            role=role,
            provider_id=str(pid) if pid is not None else None,
            character=text(person.get("character")) if role == "actor" else None,
            job=text(person.get("job")) if role in ("director", "writer") else None,
            order=integer(person.get("order")) if role == "actor" else None,
            image_url=self._image("w185", person.get("profile_path")),
        )

    def _image(self, size: str, path: Any) -> str | None:
        if not isinstance(path, str) or not path.startswith("/"):
            return None
        return f"{self._images}/{size}{path}"

    # --- seasons and configuration -----------------------------------------------------------

    async def fetch_season(self, ids: Ids, season: int) -> list[EpisodeRecord]:
        """The episodes of one season, with their own directors, writers and stills."""
        if ids.tmdb is None:
            raise NotFound(self.id, "no TMDB id")
        series_id = str(ids.tmdb)
        path = f"/tv/{series_id}/season/{int(season)}"
        params: dict[str, str | int] = {"language": self._settings.language}
        body = _dict(await self.http.get_json(path, params), "season")
        episodes = body.get("episodes")
        if not isinstance(episodes, list):
            raise BadResponse(self.id, "season: no episodes list")
        return [e for raw in episodes if (e := self._episode(raw, season)) is not None]

    def _episode(self, raw: Any, season: int) -> EpisodeRecord | None:
        if not isinstance(raw, dict) or (number := integer(raw.get("episode_number"))) is None:
            return None
        crew = dicts(raw.get("crew"))
        tmdb_id = integer(raw.get("id"))
        f: dict[str, Any] = {
            "title": text(raw.get("name")),
            "plot": text(raw.get("overview")),
            "release_date": iso_date(raw.get("air_date")),
            "runtime": positive(raw.get("runtime")),
            "directors": unique(text(c.get("name")) for c in crew if c.get("job") == "Director"),
            "writers": unique(
                text(c.get("name")) for c in crew if c.get("department") == "Writing"
            ),
            "thumb": self._image("original", raw.get("still_path")),
            "tmdb_id": tmdb_id,
            **_votes(raw),
        }
        season_number = integer(raw.get("season_number"))
        return EpisodeRecord(
            season=season if season_number is None else season_number,
            episode=number,
            fields=present(f),
            ids=Ids(tmdb=tmdb_id),
        )

    async def image_sizes(self) -> dict[str, tuple[str, ...]]:
        """TMDB's image sizes per kind (`poster`, `backdrop`, ...), fetched once per instance."""
        if self._sizes is None:
            body = _dict(await self.http.get_json("/configuration", {}), "/configuration")
            images = body.get("images")
            if not isinstance(images, dict):
                raise BadResponse(self.id, "/configuration: no images")
            self._sizes = {
                key.removesuffix("_sizes"): tuple(str(s) for s in value if isinstance(s, str))
                for key, value in images.items()
                if key.endswith("_sizes") and isinstance(value, list)
            }
        return self._sizes


# --- pure helpers over TMDB's JSON -------------------------------------------------------------


def _candidate(raw: Any, kind: EntityKind) -> Candidate | None:
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


def _movie_rating(body: dict[str, Any]) -> str | None:
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


def _tv_rating(body: dict[str, Any]) -> str | None:
    for entry in dicts(as_dict(body.get("content_ratings")).get("results")):
        if entry.get("iso_3166_1") == "US" and (rating := text(entry.get("rating"))):
            return rating
    return None


def _tv_runtime(body: dict[str, Any]) -> int | None:
    run_times = body.get("episode_run_time")
    first = next(iter(run_times), None) if isinstance(run_times, list) else None
    return positive(first) or positive(as_dict(body.get("last_episode_to_air")).get("runtime"))


def _trailer(body: dict[str, Any]) -> str | None:
    """The first YouTube trailer, an official one if there is any."""
    videos = [
        v
        for v in dicts(as_dict(body.get("videos")).get("results"))
        if v.get("site") == "YouTube" and v.get("type") == "Trailer" and text(v.get("key"))
    ]
    best = next((v for v in videos if v.get("official") is True), videos[0] if videos else None)
    return f"https://www.youtube.com/watch?v={text(best.get('key'))}" if best else None


def _votes(body: dict[str, Any]) -> dict[str, Any]:
    """TMDB rating and votes; an average over zero votes is no rating at all."""
    votes, average = integer(body.get("vote_count")), body.get("vote_average")
    if not votes or not isinstance(average, int | float) or isinstance(average, bool):
        return {"tmdb_votes": votes}
    return {"tmdb_votes": votes, "tmdb_rating": float(average)}


def _languages(value: Any) -> list[str]:
    return unique(text(lang.get("english_name")) or text(lang.get("name")) for lang in dicts(value))


def _names(value: Any) -> list[str]:
    return unique(text(item.get("name")) for item in dicts(value))


def _unique_credits(credits: Any) -> list[Credit]:
    seen: dict[str, Credit] = {}
    for credit in credits:
        if credit.name:
            seen.setdefault(credit.provider_id or credit.name, credit)
    return list(seen.values())


def _dict(value: Any, what: str) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise BadResponse(_PROVIDER, f"{what}: expected a JSON object")
