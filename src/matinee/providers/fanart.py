"""Fanart.tv (API v3): logos, clear art, disc art, banners and more for movies and series.

Fanart.tv is an artwork-only source (DESIGN.md §5). This module turns its v3 JSON, as
documented in `provider-samples/PROVIDERS.md` §4, into `Artwork` candidates and the
registry's artwork fields of a `ProviderRecord`, with one request per title: movies by TMDB id
(or IMDb id), series by TheTVDB id. Only an id is ever sent. Every value fanart.tv serves is a
string (ids, likes, seasons, discs); an odd or missing one drops that image, never the call.
A 404 is fanart.tv's normal "no art for this title" and gives an empty record, not an error.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from matinee.config import ProviderSettings
from matinee.errors import AuthFailed, BadResponse, NotFound, ProviderError, Unavailable
from matinee.model import FIELD_BY_NAME, EntityKind, Ids
from matinee.providers.base import Artwork, ProviderRecord, SearchQuery
from matinee.providers.http import ProviderEnv, ProviderHttp
from matinee.providers.shapes import as_dict, dicts, text

__all__ = ["CHECK_PATH", "MOVIE_TYPES", "TV_TYPES", "FanartProvider", "map_fanart_error"]

CHECK_PATH = "/movies/603"
"""What `check` asks for (The Matrix): cheap, and a 404 still proves the key is accepted."""

MOVIE_TYPES: tuple[tuple[str, str], ...] = (
    ("movieposter", "poster"),
    ("moviebackground", "fanart"),
    ("hdmovielogo", "clearlogo"),
    ("movielogo", "clearlogo"),
    ("hdmovieclearart", "clearart"),
    ("movieart", "clearart"),
    ("moviedisc", "discart"),
    ("moviebanner", "banner"),
    ("moviethumb", "landscape"),
)
"""Fanart.tv movie art types and the slot each fills; HD before SD, so order is preference."""

TV_TYPES: tuple[tuple[str, str], ...] = (
    ("tvposter", "poster"),
    ("showbackground", "fanart"),
    ("hdtvlogo", "clearlogo"),
    ("clearlogo", "clearlogo"),
    ("hdclearart", "clearart"),
    ("clearart", "clearart"),
    ("tvbanner", "banner"),
    ("tvthumb", "landscape"),
    ("characterart", "characterart"),
    ("seasonposter", "poster"),
    ("seasonthumb", "landscape"),
    ("seasonbanner", "banner"),
)
"""Fanart.tv series art types and their slots; the `season*` ones carry a season number."""

_SEASONAL = frozenset({"seasonposter", "seasonthumb", "seasonbanner"})
_NO_LANGUAGE = frozenset({"00", ""})  # textless, or unknown
_IMDB_RE = re.compile(r"^tt\d{5,}$")
_KEY_RE = re.compile(r"\bkey\b", re.IGNORECASE)
_PROVIDER = "fanart"


def map_fanart_error(status: int, body: Any) -> ProviderError | None:
    """Map a fanart.tv error (`{"status": "error", "error message": "..."}`).

    Fanart.tv documents no status per error; clients have quoted "API key is required" and
    "Invalid project API key", so any message about a key means the key, whatever the status.
    429 never gets here: `ProviderHttp` turns it into `RateLimited` itself.
    """
    message = text(as_dict(body).get("error message"))
    if status in (401, 403) or (message and _KEY_RE.search(message)):
        return AuthFailed(_PROVIDER, "invalid key", status=status or None)
    if status == 404:
        return NotFound(_PROVIDER, message or "no art for this title", status=status)
    if status == 408 or status >= 500:
        return Unavailable(_PROVIDER, message or f"HTTP {status}", status=status)
    if message:
        return BadResponse(_PROVIDER, f"HTTP {status}: {message}", status=status or None)
    return None


def _error_in_body(body: Any) -> ProviderError | None:
    """An error body served with a 2xx status (fanart.tv does not document its codes)."""
    if not isinstance(body, dict) or body.get("status") != "error":
        return None
    return map_fanart_error(0, body) or BadResponse(_PROVIDER, "error without a message")


class FanartProvider:
    """The Fanart.tv provider (implements `matinee.providers.base.Provider`)."""

    id: str = "fanart"
    name: str = "Fanart.tv"
    kinds: frozenset[EntityKind] = frozenset({EntityKind.MOVIE, EntityKind.SERIES})

    def __init__(self, settings: ProviderSettings, env: ProviderEnv | None = None) -> None:
        self._settings = settings
        # The project key is required; a personal (client) key is optional, and ProviderHttp
        # drops it when empty. Both are secrets: never logged, never in errors or cache keys.
        self.http = ProviderHttp(
            self.id,
            settings,
            env,
            map_error=map_fanart_error,
            check_body=_error_in_body,
            secret_params={"api_key": settings.api_key, "client_key": settings.client_key},
        )
        lang = settings.language.split("-")[0].lower()
        self._languages: frozenset[str | None] = frozenset({lang or "en", "en", None})

    @property
    def requests_made(self) -> int:
        return self.http.requests_made

    async def aclose(self) -> None:
        await self.http.aclose()

    async def check(self) -> None:
        """One live movie lookup; a 404 (no art) still means the key was accepted."""
        with contextlib.suppress(NotFound):
            await self.http.get_json(CHECK_PATH, {}, cache=False)

    # --- details -----------------------------------------------------------------------------

    def can_fetch(self, kind: EntityKind, ids: Ids, hint: SearchQuery | None = None) -> bool:
        return _path(kind, ids) is not None

    async def fetch(
        self, kind: EntityKind, ids: Ids, hint: SearchQuery | None = None
    ) -> ProviderRecord:
        """Every artwork candidate fanart.tv has for one title, in one request.

        A movie is asked for by TMDB id when there is one, else by IMDb id; a series by
        TheTVDB id. No art (HTTP 404, live or cached) gives an empty record.

        Raises:
            NotFound: the ids hold nothing fanart.tv can look up (no request is sent).
            ProviderError: any other failure, mapped by `map_fanart_error`.
        """
        path = _path(kind, ids)
        if path is None:
            wanted = "a TMDB or IMDb id" if kind is EntityKind.MOVIE else "a TheTVDB id"
            if kind not in self.kinds:
                wanted = f"a movie or a series, not a {kind.value}"
            raise NotFound(self.id, f"needs {wanted}")
        try:
            body = await self.http.get_json(path, {})
        except NotFound:
            return ProviderRecord(provider=self.id, kind=kind, ids=Ids(), fields={})
        if not isinstance(body, dict):
            raise BadResponse(self.id, f"{path}: expected a JSON object")
        return self.parse(kind, body)

    def parse(self, kind: EntityKind, body: dict[str, Any]) -> ProviderRecord:
        """Normalize a `/movies/{id}` or `/tv/{id}` body into a record."""
        movie = kind is EntityKind.MOVIE
        artwork = _artwork(body, MOVIE_TYPES if movie else TV_TYPES)
        if movie:
            imdb = text(body.get("imdb_id"))
            ids = Ids(
                tmdb=_number(body.get("tmdb_id")),
                imdb=imdb if imdb and _IMDB_RE.match(imdb) else None,
            )
        else:
            ids = Ids(tvdb=_number(body.get("thetvdb_id")))
        return ProviderRecord(
            provider=self.id,
            kind=kind,
            ids=ids,
            fields=self._best(kind, artwork),
            artwork=artwork,
        )

    def _best(self, kind: EntityKind, artwork: tuple[Artwork, ...]) -> dict[str, Any]:
        """Per registry slot, the whole-title candidate with the most likes.

        Candidates in the metadata language, in English or textless come before the others;
        among equals the first listed wins, so HD beats SD on a tie.
        """
        fields: dict[str, Any] = {}
        ranked = sorted(
            (art for art in artwork if art.season is None),
            key=lambda art: (art.language not in self._languages, -art.votes),
        )  # sorted() is stable: ties keep the HD-first order of the type tables
        for art in ranked:
            spec = FIELD_BY_NAME.get(art.slot)
            if spec is not None and kind in spec.kinds:
                fields.setdefault(art.slot, art.url)
        return fields


# --- pure helpers over fanart.tv's JSON -------------------------------------------------------


def _path(kind: EntityKind, ids: Ids) -> str | None:
    """The request path for these ids, or None when there is nothing fanart.tv can look up."""
    if kind is EntityKind.MOVIE:
        if ids.tmdb is not None:
            return f"/movies/{int(ids.tmdb)}"
        if ids.imdb is not None and _IMDB_RE.match(ids.imdb):
            return f"/movies/{ids.imdb}"
    elif kind is EntityKind.SERIES and ids.tvdb is not None:
        return f"/tv/{int(ids.tvdb)}"
    return None


def _artwork(body: dict[str, Any], types: tuple[tuple[str, str], ...]) -> tuple[Artwork, ...]:
    found: list[Artwork] = []
    for key, slot in types:
        for item in dicts(body.get(key)):
            art = _image(item, slot, seasonal=key in _SEASONAL)
            if art is not None:
                found.append(art)
    return tuple(found)


def _image(item: dict[str, Any], slot: str, *, seasonal: bool) -> Artwork | None:
    """One candidate, or None for an item without a usable URL (or season, for season art)."""
    url = text(item.get("url"))
    if url is None or not url.startswith(("https://", "http://")):
        return None
    usable, season = _season(item.get("season"), seasonal=seasonal)
    if not usable:
        return None  # a season we cannot read: better no candidate than a wrong one
    lang = item.get("lang")
    language = lang.strip().lower() if isinstance(lang, str) else ""
    disc_type = text(item.get("disc_type"))
    return Artwork(
        slot=slot,
        url=url,
        provider=_PROVIDER,
        asset_id=_id_text(item.get("id")),
        preview_url=url.replace("/fanart/", "/preview/", 1) if "/fanart/" in url else None,
        language=None if language in _NO_LANGUAGE else language,
        votes=_number(item.get("likes")) or 0,
        season=season,
        disc=_number(item.get("disc")),
        disc_type=disc_type.lower() if disc_type else None,
    )


def _season(value: Any, *, seasonal: bool) -> tuple[bool, int | None]:
    """`(usable, season)`: `"all"` (or no season on whole-title art) is the whole title."""
    if value == "all" or (value is None and not seasonal):
        return True, None
    number = _number(value)
    return number is not None, number


def _number(value: Any) -> int | None:
    """A non-negative int from fanart.tv's digit strings (or a plain int), else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit() and value.strip().isascii():
        return int(value.strip())
    return None


def _id_text(value: Any) -> str | None:
    number = _number(value)
    return str(number) if number is not None else text(value)
