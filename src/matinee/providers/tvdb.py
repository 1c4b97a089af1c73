"""TheTVDB (API v4): login, search, extended series records, episodes and artwork for series.

TheTVDB is a secondary series source (DESIGN.md §5). This module turns TheTVDB's JSON, as
documented in `provider-samples/PROVIDERS.md` §3 and the official spec it cites, into the
registry-named fields of a `ProviderRecord`, with one request per series
(`/series/{id}/extended`). Authentication is a bearer token from `POST /login`, which
`ProviderHttp` fetches on first use and renews once after a 401. Only a cleaned title, a year
and a kind (or an id) are ever sent. TheTVDB's shapes stop here: a missing or odd key becomes
an absent field or a `BadResponse`, never a `KeyError` for the caller.
"""

from __future__ import annotations

import logging
from typing import Any

from matinee.config import ProviderSettings
from matinee.errors import AuthFailed, BadResponse, NotFound, ProviderError, Unavailable
from matinee.model import Candidate, EntityKind, Ids
from matinee.providers.base import Artwork, Credit, EpisodeRecord, ProviderRecord, SearchQuery
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
from matinee.providers.tvdb_json import (
    ART_TYPE_SLOTS,
    IMDB_RE,
    SEASON_POSTER_TYPE,
    content_rating,
    image_url,
    language_2,
    language_3,
    names,
    official_seasons,
    remote_ids,
    remoteid_candidate,
    score_votes,
    search_candidate,
    season_records,
    translated,
)

__all__ = ["CAST_LIMIT", "MAX_EPISODE_PAGES", "TvdbProvider", "map_tvdb_error", "tvdb_body_error"]

log = logging.getLogger(__name__)

CAST_LIMIT = 15
"""How many cast members (by TheTVDB's `sort`) a record keeps."""
MAX_EPISODE_PAGES = 50
"""A season never needs more pages than this (500 episodes a page); a guard against loops."""
DEFAULT_IMAGE_BASE = "https://artworks.thetvdb.com"
_PROVIDER = "tvdb"


def tvdb_body_error(body: Any) -> ProviderError | None:
    """The failure envelope (`{"status": "failure", "message": ...}`) inside a 2xx answer."""
    if isinstance(body, dict) and body.get("status") == "failure":
        return BadResponse(_PROVIDER, text(body.get("message")) or "request failed")
    return None


def map_tvdb_error(status: int, body: Any) -> ProviderError | None:
    """Map a TheTVDB error response (the failure envelope, or no JSON body at all).

    429 never gets here: `ProviderHttp` turns it into `RateLimited` itself.
    """
    message = text(as_dict(body).get("message"))
    if status == 401:
        return AuthFailed(_PROVIDER, "invalid key", status=status)
    if status == 404:
        return NotFound(_PROVIDER, message or "not found", status=status)
    if status >= 500:
        return Unavailable(_PROVIDER, message or f"HTTP {status}", status=status)
    if status == 400 or message:
        return BadResponse(_PROVIDER, f"HTTP {status}: {message or 'bad request'}", status=status)
    return None


class TvdbProvider:
    """The TheTVDB provider (implements `Provider`, `Identifier` and `SeasonSource`)."""

    id: str = "tvdb"
    name: str = "TheTVDB"
    kinds: frozenset[EntityKind] = frozenset({EntityKind.SERIES})

    def __init__(self, settings: ProviderSettings, env: ProviderEnv | None = None) -> None:
        self._settings = settings
        self.http = ProviderHttp(
            self.id,
            settings,
            env,
            map_error=map_tvdb_error,
            check_body=tvdb_body_error,
            login=self._login,
        )
        self._images = (settings.image_base_url or DEFAULT_IMAGE_BASE).rstrip("/")
        self._lang = language_3(settings.language or "eng")

    @property
    def requests_made(self) -> int:
        return self.http.requests_made

    async def aclose(self) -> None:
        await self.http.aclose()

    async def _login(self) -> str:
        """`POST /login` with the key (and the subscriber pin, only when there is one)."""
        body = {"apikey": self._settings.api_key}
        if self._settings.pin:
            body["pin"] = self._settings.pin
        answer = await self.http.post_json("/login", body, authenticated=False)
        token = text(as_dict(as_dict(answer).get("data")).get("token"))
        if token is None:
            raise BadResponse(self.id, "/login: no token in the answer")
        return token

    async def check(self) -> None:
        """A fresh `POST /login`: the one call that proves the key (and pin) work."""
        await self.http.login()

    # --- identification --------------------------------------------------------------------

    async def search(self, query: SearchQuery) -> list[Candidate]:
        """Search series by cleaned title (and year); nothing else about the file is sent."""
        if query.kind is not EntityKind.SERIES:
            return []
        params: dict[str, str | int] = {"query": query.title, "type": "series"}
        if query.year is not None:
            params["year"] = query.year
        results = _list(_data(await self.http.get_json("/search", params), "/search"), "/search")
        return [c for r in results if (c := search_candidate(r, self._lang)) is not None]

    async def find_by_imdb(self, imdb_id: str) -> list[Candidate]:
        """Series that carry this IMDb id (`/search/remoteid`); none when TheTVDB has none."""
        if not IMDB_RE.match(imdb_id):
            raise NotFound(self.id, f"{imdb_id!r} is not an IMDb id")
        path = f"/search/remoteid/{imdb_id}"
        try:
            body = await self.http.get_json(path)
        except NotFound:
            return []
        results = _list(_data(body, "/search/remoteid"), "/search/remoteid")
        found = [c for r in results if (c := remoteid_candidate(r)) is not None]
        return list({c.id: c for c in found}.values())

    # --- details -----------------------------------------------------------------------------

    def can_fetch(self, kind: EntityKind, ids: Ids, hint: SearchQuery | None = None) -> bool:
        return kind in self.kinds and ids.tvdb is not None

    async def fetch(
        self, kind: EntityKind, ids: Ids, hint: SearchQuery | None = None
    ) -> ProviderRecord:
        """Everything TheTVDB knows about one series, in one request."""
        if ids.tvdb is None:
            raise NotFound(self.id, "no TheTVDB id")
        if kind not in self.kinds:
            raise NotFound(self.id, f"TheTVDB records series here, not {kind.value}")
        path = f"/series/{int(ids.tvdb)}/extended"
        params: dict[str, str | int] = {"meta": "translations", "short": "false"}
        return self.parse_series(_object(await self.http.get_json(path, params), "series"))

    def parse_series(self, body: dict[str, Any]) -> ProviderRecord:
        """Normalize a `SeriesExtendedRecord` (the `data` of the answer) into a record."""
        if (tvdb_id := positive(body.get("id"))) is None:
            raise BadResponse(self.id, "series: no numeric id")
        try:
            return self._record(tvdb_id, body)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadResponse(self.id, f"series: odd shape ({type(exc).__name__})") from None

    def _record(self, tvdb_id: int, body: dict[str, Any]) -> ProviderRecord:
        lang = self._lang
        name = text(body.get("name"))
        imdb_id, tmdb_id = remote_ids(body)
        first_aired = body.get("firstAired")
        network_companies = [
            c for c in dicts(body.get("companies")) if integer(c.get("primaryCompanyType")) == 1
        ]
        original_network = text(as_dict(body.get("originalNetwork")).get("name"))
        latest_network = text(as_dict(body.get("latestNetwork")).get("name"))
        people = dicts(body.get("characters"))
        actors = [c for c in people if c.get("peopleType") == "Actor" and text(c.get("personName"))]
        actors.sort(key=lambda c: (integer(c.get("sort")) is None, integer(c.get("sort")) or 0))
        actors = actors[:CAST_LIMIT]
        creators = [
            c for c in people if c.get("peopleType") == "Creator" and text(c.get("personName"))
        ]
        f: dict[str, Any] = {
            "title": translated(body, "nameTranslations", "name", lang) or name,
            "original_title": name,
            "year": year_of(first_aired) or year_of(body.get("year")),
            "release_date": iso_date(first_aired),
            "plot": translated(body, "overviewTranslations", "overview", lang)
            or text(body.get("overview")),
            "runtime": positive(body.get("averageRuntime")),
            "content_rating": content_rating(body),
            "genres": names(body.get("genres")),
            "studios": names(network_companies) or unique([original_network]),
            "networks": unique([original_network, latest_network, *names(network_companies)]),
            "status": text(as_dict(body.get("status")).get("name")),
            "creators": unique(text(c.get("personName")) for c in creators),
            "cast": [
                {
                    "name": text(c.get("personName")),
                    "character": text(c.get("name")),
                    "order": integer(c.get("sort")),
                }
                for c in actors
            ],
            "trailer": next(
                (url for t in dicts(body.get("trailers")) if (url := text(t.get("url")))), None
            ),
            "tvdb_id": tvdb_id,
            "imdb_id": imdb_id,
            "tmdb_id": tmdb_id,
        }
        credits = [self._credit(c, "actor") for c in actors]
        creator_credits = [self._credit(c, "creator") for c in creators]
        credits += {c.provider_id or c.name: c for c in creator_credits}.values()
        seasons = official_seasons(body)
        return ProviderRecord(
            provider=self.id,
            kind=EntityKind.SERIES,
            ids=Ids(tmdb=tmdb_id, imdb=imdb_id, tvdb=tvdb_id),
            fields=present(f),
            credits=tuple(credits),
            alternative_titles=tuple(
                a
                for a in unique(text(x.get("name")) for x in dicts(body.get("aliases")))
                if a != f["title"]
            ),
            seasons=tuple(sorted(set(seasons.values()))),
            artwork=self._artwork(dicts(body.get("artworks")), seasons),
            season_records=season_records(body, self._images),
        )

    def _credit(self, person: dict[str, Any], role: str) -> Credit:
        people_id = positive(person.get("peopleId"))
        actor = role == "actor"
        return Credit(
            name=text(person.get("personName")) or "",
            role=role,
            provider_id=str(people_id) if people_id is not None else None,
            character=text(person.get("name")) if actor else None,
            order=integer(person.get("sort")) if actor else None,
            image_url=image_url(self._images, person.get("personImgURL"))
            or image_url(self._images, person.get("image")),
        )

    def _artwork(
        self, artworks: list[dict[str, Any]], seasons: dict[int, int]
    ) -> tuple[Artwork, ...]:
        """Candidates from `artworks[]` by type id; a season poster carries its season number."""
        found: list[Artwork] = []
        for art in artworks:
            kind = integer(art.get("type"))
            slot = ART_TYPE_SLOTS.get(kind) if kind is not None else None
            url = image_url(self._images, art.get("image"))
            if slot is None or url is None:
                continue
            season: int | None = None
            if kind == SEASON_POSTER_TYPE:
                season_id = integer(art.get("seasonId"))
                if season_id is None or (season := seasons.get(season_id)) is None:
                    continue  # a poster for a season of another order, or of none
            art_id = integer(art.get("id"))
            found.append(
                Artwork(
                    slot=slot,
                    url=url,
                    provider=self.id,
                    asset_id=str(art_id) if art_id is not None else None,
                    preview_url=image_url(self._images, art.get("thumbnail")),
                    language=language_2(art.get("language")),
                    votes=score_votes(art.get("score")),
                    width=positive(art.get("width")),
                    height=positive(art.get("height")),
                    season=season,
                )
            )
        return tuple(found)

    # --- seasons -----------------------------------------------------------------------------

    async def fetch_season(self, ids: Ids, season: int) -> list[EpisodeRecord]:
        """The episodes of one season in the default (aired) order, page by page from 0."""
        if ids.tvdb is None:
            raise NotFound(self.id, "no TheTVDB id")
        path = f"/series/{int(ids.tvdb)}/episodes/default"
        episodes: list[EpisodeRecord] = []
        for page in range(MAX_EPISODE_PAGES):
            params: dict[str, str | int] = {"page": page, "season": int(season)}
            body = await self.http.get_json(path, params)
            raw = _object(body, "episodes").get("episodes")
            if raw is not None and not isinstance(raw, list):
                raise BadResponse(self.id, "episodes: episodes is not a list")
            episodes += [e for r in raw or [] if (e := self._episode(r, season)) is not None]
            links = body.get("links")  # a `Links` object on paged lists: `next` null at the end
            if not raw or (isinstance(links, dict) and links.get("next") is None):
                return episodes
        log.warning("%s: more than %d pages of episodes; stopped", self.id, MAX_EPISODE_PAGES)
        return episodes

    def _episode(self, raw: Any, season: int) -> EpisodeRecord | None:
        """One `EpisodeBaseRecord` of the asked season (season 0 holds the specials)."""
        if not isinstance(raw, dict) or (number := integer(raw.get("number"))) is None:
            return None
        season_number = integer(raw.get("seasonNumber"))
        if season_number is not None and season_number != season:
            return None  # `season=0` may read as "no filter": keep only the asked season
        tvdb_id = positive(raw.get("id"))
        f: dict[str, Any] = {
            "title": text(raw.get("name")),
            "plot": text(raw.get("overview")),
            "release_date": iso_date(raw.get("aired")),
            "runtime": positive(raw.get("runtime")),
            "thumb": image_url(self._images, raw.get("image")),
            "tvdb_id": tvdb_id,
        }
        return EpisodeRecord(
            season=season, episode=number, fields=present(f), ids=Ids(tvdb=tvdb_id)
        )


# --- the envelope ------------------------------------------------------------------------------


def _data(body: Any, what: str) -> Any:
    """The `data` of a `{"status": "success", "data": ...}` envelope."""
    if not isinstance(body, dict):
        raise BadResponse(_PROVIDER, f"{what}: expected a JSON object")
    return body.get("data")


def _list(value: Any, what: str) -> list[Any]:
    """A `data` list; a null `data` is no results."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    raise BadResponse(_PROVIDER, f"{what}: data is not a list")


def _object(body: Any, what: str) -> dict[str, Any]:
    """A `data` object."""
    data = _data(body, what)
    if isinstance(data, dict):
        return data
    raise BadResponse(_PROVIDER, f"{what}: data is not an object")
