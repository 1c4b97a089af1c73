"""The provider interface and the normalized records every provider returns.

A provider module (`tmdb.py`, `omdb.py`, `tvdb.py`, `fanart.py`) implements `Provider`, plus
`Identifier` when it can search and `SeasonSource` when it knows episodes; adding one adds a
module, a registry line and a config section, nothing else. `SearchQuery` is the privacy choke
point: a title can only leave the machine inside one, and it carries a cleaned title, a year and
a kind, never a path or a file name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from matinee.model import Candidate, EntityKind, Ids

if TYPE_CHECKING:
    from matinee.providers.http import ProviderHttp

__all__ = [
    "ART_SLOTS",
    "Artwork",
    "Credit",
    "EpisodeRecord",
    "Identifier",
    "Provider",
    "ProviderRecord",
    "SearchQuery",
    "SeasonRecord",
    "SeasonSource",
]

ART_SLOTS = (
    "poster", "fanart", "banner", "clearlogo", "clearart", "discart", "landscape", "keyart",
    "thumb", "characterart",
)  # fmt: skip
"""Artwork slots a provider may offer candidates for (season art carries a `season`)."""

_REVEALING = ("/", "\\")
_EXTENSION_TAIL = (".mkv", ".mp4", ".avi", ".m4v", ".mov", ".wmv", ".ts", ".iso")


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """What may leave the machine about a title: a cleaned title, a year and a kind."""

    kind: EntityKind
    title: str
    year: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in (EntityKind.MOVIE, EntityKind.SERIES):
            raise ValueError(f"search by title supports movies and series, not {self.kind}")
        if any(mark in self.title for mark in _REVEALING):
            raise ValueError("a search title must be a cleaned title, not a path")
        if self.title.lower().endswith(_EXTENSION_TAIL):
            raise ValueError("a search title must be a cleaned title, not a file name")


@dataclass(frozen=True, slots=True)
class Credit:
    """One person's part in a title."""

    name: str
    role: str  # actor, director, writer, creator
    provider_id: str | None = None
    character: str | None = None
    job: str | None = None
    order: int | None = None
    image_url: str | None = None


@dataclass(frozen=True, slots=True)
class Artwork:
    """One artwork candidate as a provider declares it (scored and chosen later).

    Attributes:
        slot: one of `ART_SLOTS`.
        url: the full-size image.
        provider: the provider id.
        asset_id: the provider's own id for the image, when it has one.
        preview_url: a small rendition (TMDB `w300`/`w185`, Fanart.tv `/preview/`).
        language: ISO 639-1 (`en`), or None for textless or unknown.
        votes: community votes or likes (0 when the provider has none).
        rating: the provider's average rating for the image, when it has one.
        width, height: declared size in pixels, when the provider declares it.
        season: for season art, the season number (0 for specials); None for the whole title.
        disc, disc_type: for disc art (`1`, `bluray`).
    """

    slot: str
    url: str
    provider: str
    asset_id: str | None = None
    preview_url: str | None = None
    language: str | None = None
    votes: int = 0
    rating: float | None = None
    width: int | None = None
    height: int | None = None
    season: int | None = None
    disc: int | None = None
    disc_type: str | None = None


@dataclass(frozen=True, slots=True)
class EpisodeRecord:
    """One episode as a provider knows it (season call)."""

    season: int
    episode: int
    fields: dict[str, Any]
    ids: Ids = field(default_factory=Ids)


@dataclass(frozen=True, slots=True)
class SeasonRecord:
    """One season as a provider lists it on the series record (no extra request).

    `fields` are named as in the registry (title, plot, release_date, year, poster, ...);
    `ids` are the season's own ids at the provider (not the series').
    """

    season: int
    fields: dict[str, Any]
    ids: Ids = field(default_factory=Ids)


@dataclass(frozen=True, slots=True)
class ProviderRecord:
    """A provider's full answer for one title, with fields named as in the field registry.

    Values are normalized: text as `str`, numbers as `int`/`float`, dates as ISO `YYYY-MM-DD`,
    lists as `list[str]` (cast as `list[dict]` with name, character and order). A field the
    provider did not know is absent or empty; the merge decides what to do with that.
    """

    provider: str
    kind: EntityKind
    ids: Ids
    fields: dict[str, Any]
    credits: tuple[Credit, ...] = ()
    alternative_titles: tuple[str, ...] = ()
    seasons: tuple[int, ...] = ()
    artwork: tuple[Artwork, ...] = ()
    season_records: tuple[SeasonRecord, ...] = ()
    """A series' seasons with their own fields, as the series record lists them."""


@runtime_checkable
class Provider(Protocol):
    """What the enrichment engine needs from every metadata provider."""

    id: str
    name: str
    kinds: frozenset[EntityKind]
    http: ProviderHttp

    def can_fetch(self, kind: EntityKind, ids: Ids, hint: SearchQuery | None = None) -> bool:
        """Whether `fetch` has what it needs (the right id, or a title hint it accepts)."""
        ...

    async def fetch(
        self, kind: EntityKind, ids: Ids, hint: SearchQuery | None = None
    ) -> ProviderRecord:
        """Every field the provider has for one title, in one request where it can.

        Raises:
            NotFound: the provider has no such title (or `can_fetch` was False).
            ProviderError: any other failure, already mapped by `ProviderHttp`.
        """
        ...

    async def check(self) -> None:
        """One cheap authenticated request (`matinee providers test`); raises on failure."""
        ...

    async def aclose(self) -> None:
        """Close connections."""
        ...


@runtime_checkable
class Identifier(Provider, Protocol):
    """A provider that can find a title by name or by IMDb id."""

    async def search(self, query: SearchQuery) -> list[Candidate]:
        """Candidates for a cleaned title (scores are filled in by the matcher)."""
        ...

    async def find_by_imdb(self, imdb_id: str) -> list[Candidate]:
        """Candidates that carry this IMDb id."""
        ...


@runtime_checkable
class SeasonSource(Provider, Protocol):
    """A provider that lists the episodes of a series' seasons."""

    async def fetch_season(self, ids: Ids, season: int) -> list[EpisodeRecord]:
        """The episodes of one season of a series (`ids` as `fetch` takes them)."""
        ...
