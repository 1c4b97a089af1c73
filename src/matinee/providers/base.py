"""The provider interface and the normalized records every provider returns.

A provider module (`tmdb.py`, later `omdb.py`, `tvdb.py`, `fanart.py`) implements `Provider`;
adding one adds a module and a config section, nothing else. `SearchQuery` is the privacy choke
point: searches can only carry a cleaned title, a year and a kind, never a path or file name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from matinee.model import Candidate, EntityKind, Ids

__all__ = ["Credit", "EpisodeRecord", "Provider", "ProviderRecord", "SearchQuery"]


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """What may leave the machine for a search: a cleaned title, a year and a kind."""

    kind: EntityKind
    title: str
    year: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in (EntityKind.MOVIE, EntityKind.SERIES):
            raise ValueError(f"search by title supports movies and series, not {self.kind}")
        if "/" in self.title or "\\" in self.title:
            raise ValueError("a search title must be a cleaned title, not a path")


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
class EpisodeRecord:
    """One episode as a provider knows it (season call)."""

    season: int
    episode: int
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


@runtime_checkable
class Provider(Protocol):
    """What the enrichment engine needs from a metadata provider."""

    id: str
    name: str
    kinds: frozenset[EntityKind]

    async def search(self, query: SearchQuery) -> list[Candidate]:
        """Candidates for a cleaned title (scores are filled in by the matcher)."""
        ...

    async def find_by_imdb(self, imdb_id: str) -> list[Candidate]:
        """Candidates that carry this IMDb id (TMDB `/find`)."""
        ...

    async def fetch(self, kind: EntityKind, provider_id: str) -> ProviderRecord:
        """Every field the provider has for one title, in one request where it can."""
        ...

    async def fetch_season(self, series_id: str, season: int) -> list[EpisodeRecord]:
        """The episodes of one season of a series."""
        ...

    async def aclose(self) -> None:
        """Close connections."""
        ...
