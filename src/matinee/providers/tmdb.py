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
from matinee.providers.tmdb_json import (
    as_object,
    candidate,
    languages,
    movie_rating,
    names,
    season_records,
    trailer,
    tv_rating,
    tv_runtime,
    unique_credits,
    votes,
)

__all__ = ["CAST_LIMIT", "TmdbProvider", "map_tmdb_error"]

CAST_LIMIT = 15
"""How many cast members (by billing order) a record keeps."""
MOVIE_APPEND = "credits,images,release_dates,external_ids,keywords,videos"
TV_APPEND = "external_ids,content_ratings,credits,images,keywords,videos"
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
        body = as_object(await self.http.get_json(path, params), path)
        results = body.get("results")
        if not isinstance(results, list):
            raise BadResponse(self.id, f"{path}: no results list")
        return [c for r in results if (c := candidate(r, query.kind)) is not None]

    async def find_by_imdb(self, imdb_id: str) -> list[Candidate]:
        """Movies and series that carry this IMDb id (`/find`)."""
        if not _IMDB_RE.match(imdb_id):
            raise NotFound(self.id, f"{imdb_id!r} is not an IMDb id")
        path = f"/find/{imdb_id}"
        body = as_object(await self.http.get_json(path, {"external_source": "imdb_id"}), "/find")
        movies, shows = body.get("movie_results"), body.get("tv_results")
        if not isinstance(movies, list) or not isinstance(shows, list):
            raise BadResponse(self.id, "/find: no movie_results or tv_results list")
        found = [candidate(r, EntityKind.MOVIE) for r in movies]
        found += [candidate(r, EntityKind.SERIES) for r in shows]
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
        body = as_object(await self.http.get_json(path, params), "details")
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
            "runtime": positive(body.get("runtime")) if movie else tv_runtime(body),
            "content_rating": movie_rating(body) if movie else tv_rating(body),
            "genres": names(body.get("genres")),
            "studios": names(body.get("production_companies")),
            "keywords": names(keywords),
            "trailer": trailer(body),
            "languages": languages(body.get("spoken_languages")),
            "tmdb_id": tmdb_id,
            "imdb_id": imdb_id,
            "tvdb_id": tvdb_id,
            "poster": self._image("original", body.get("poster_path")),
            "fanart": self._image("original", body.get("backdrop_path")),
            **votes(body),
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
            f["countries"] = names(body.get("production_countries"))
            credits += unique_credits(self._credit(c, "director") for c in directors)
            credits += unique_credits(self._credit(c, "writer") for c in writers)
        else:
            creators = dicts(body.get("created_by"))
            f["creators"] = unique(text(c.get("name")) for c in creators)
            f["networks"] = names(body.get("networks"))
            origin = body.get("origin_country")
            f["countries"] = unique(text(c) for c in origin) if isinstance(origin, list) else []
            f["status"] = text(body.get("status"))
            credits += unique_credits(self._credit(c, "creator") for c in creators)
        alt = as_dict(body.get("alternative_titles")).get("titles" if movie else "results")
        seasons = (
            [] if movie else [integer(s.get("season_number")) for s in dicts(body.get("seasons"))]
        )
        per_season = () if movie else season_records(body.get("seasons"), self._image)
        return ProviderRecord(
            provider=self.id,
            kind=kind,
            ids=Ids(tmdb=tmdb_id, imdb=imdb_id, tvdb=tvdb_id),
            fields=present(f),
            credits=tuple(credits),
            alternative_titles=tuple(unique(text(t.get("title")) for t in dicts(alt))),
            seasons=tuple(n for n in seasons if n is not None),
            artwork=self._artwork(as_dict(body.get("images"))),
            season_records=per_season,
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
        body = as_object(await self.http.get_json(path, params), "season")
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
            **votes(raw),
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
            body = as_object(await self.http.get_json("/configuration", {}), "/configuration")
            images = body.get("images")
            if not isinstance(images, dict):
                raise BadResponse(self.id, "/configuration: no images")
            self._sizes = {
                key.removesuffix("_sizes"): tuple(str(s) for s in value if isinstance(s, str))
                for key, value in images.items()
                if key.endswith("_sizes") and isinstance(value, list)
            }
        return self._sizes
