"""Domain dataclasses and the field registry.

This module is the vocabulary every layer shares: the store converts its rows into these
dataclasses, the engine and enrichment work on them, and the TUI and the CLI render them. It
imports nothing from matinee but `errors`, and nothing from outside the standard library.

The field registry (`FIELDS`) is the single list of metadata fields. Completeness, authority,
locks, the detail screen and the JSON output all read it; adding a field is adding one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Final, Literal

from matinee.errors import UsageError

__all__ = [
    "CATEGORY_ENRICHED",
    "CATEGORY_PARTIAL",
    "CATEGORY_UNENRICHED",
    "FIELDS",
    "FIELD_BY_NAME",
    "ArtworkSlot",
    "Candidate",
    "EntityDetail",
    "EntityKind",
    "EntitySummary",
    "FieldCategory",
    "FieldKind",
    "FieldSpec",
    "FileInfo",
    "Identification",
    "Ids",
    "MatchReason",
    "MissingField",
    "Ref",
    "Tier",
    "category_for",
    "fields_for",
    "is_empty",
]


class EntityKind(StrEnum):
    MOVIE = "movie"
    SERIES = "series"
    SEASON = "season"
    EPISODE = "episode"


class FieldCategory(StrEnum):
    METADATA = "metadata"
    RATINGS = "ratings"
    PEOPLE = "people"
    ARTWORK = "artwork"
    IDS = "ids"


class FieldKind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    LIST = "list"
    ASSET = "asset"


class Tier(StrEnum):
    """How sure an identification is (DESIGN.md §4)."""

    STRONG = "strong"
    MEDIUM = "medium"
    WEAK = "weak"


_M, _S, _SE, _E = EntityKind.MOVIE, EntityKind.SERIES, EntityKind.SEASON, EntityKind.EPISODE
_MOVIE_SERIES = frozenset({_M, _S})
_ALL = frozenset({_M, _S, _SE, _E})


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One metadata field: its name, how it is shown and which entities have it."""

    name: str
    display_name: str
    category: FieldCategory
    kind: FieldKind
    kinds: frozenset[EntityKind]


def _f(
    name: str,
    display: str,
    category: FieldCategory,
    kind: FieldKind,
    kinds: frozenset[EntityKind] = _MOVIE_SERIES,
) -> FieldSpec:
    return FieldSpec(name, display, category, kind, kinds)


_MD, _RT, _PP, _AR, _ID = (
    FieldCategory.METADATA,
    FieldCategory.RATINGS,
    FieldCategory.PEOPLE,
    FieldCategory.ARTWORK,
    FieldCategory.IDS,
)
_T, _N, _D, _L, _A = (
    FieldKind.TEXT,
    FieldKind.NUMBER,
    FieldKind.DATE,
    FieldKind.LIST,
    FieldKind.ASSET,
)

FIELDS: Final[tuple[FieldSpec, ...]] = (
    _f("title", "Title", _MD, _T, _ALL),
    _f("original_title", "Original title", _MD, _T),
    _f("sort_title", "Sort title", _MD, _T),
    _f("year", "Year", _MD, _N, frozenset({_M, _S, _SE})),
    _f("release_date", "Release date", _MD, _D, _ALL),
    _f("plot", "Plot", _MD, _T, _ALL),
    _f("outline", "Outline", _MD, _T),
    _f("tagline", "Tagline", _MD, _T),
    _f("runtime", "Runtime", _MD, _N, frozenset({_M, _S, _E})),
    _f("content_rating", "Content rating", _MD, _T),
    _f("imdb_rating", "IMDb rating", _RT, _N, frozenset({_M, _S, _E})),
    _f("imdb_votes", "IMDb votes", _RT, _N, frozenset({_M, _S, _E})),
    _f("rotten_tomatoes_score", "Rotten Tomatoes", _RT, _N),
    _f("metacritic_score", "Metacritic", _RT, _N),
    _f("tmdb_rating", "TMDB rating", _RT, _N, frozenset({_M, _S, _E})),
    _f("tmdb_votes", "TMDB votes", _RT, _N, frozenset({_M, _S, _E})),
    _f("awards", "Awards", _RT, _T),
    _f("genres", "Genres", _MD, _L),
    _f("directors", "Directors", _PP, _L, frozenset({_M, _E})),
    _f("writers", "Writers", _PP, _L, frozenset({_M, _E})),
    _f("creators", "Creators", _PP, _L, frozenset({_S})),
    _f("studios", "Studios", _MD, _L),
    _f("networks", "Networks", _MD, _L, frozenset({_S})),
    _f("cast", "Cast", _PP, _L, frozenset({_M, _S, _E})),
    _f("keywords", "Keywords", _MD, _L),
    _f("trailer", "Trailer", _MD, _T),
    _f("collection", "Collection", _MD, _T, frozenset({_M})),
    _f("countries", "Countries", _MD, _L),
    _f("languages", "Languages", _MD, _L),
    _f("status", "Status", _MD, _T, frozenset({_S})),
    _f("tmdb_id", "TMDB id", _ID, _N, _ALL),
    _f("imdb_id", "IMDb id", _ID, _T, frozenset({_M, _S, _E})),
    _f("tvdb_id", "TheTVDB id", _ID, _N, frozenset({_S, _SE, _E})),
    _f("poster", "Poster", _AR, _A, frozenset({_M, _S, _SE})),
    _f("fanart", "Fanart", _AR, _A),
    _f("banner", "Banner", _AR, _A),
    _f("clearlogo", "Clear logo", _AR, _A),
    _f("clearart", "Clear art", _AR, _A),
    _f("discart", "Disc art", _AR, _A, frozenset({_M})),
    _f("landscape", "Landscape", _AR, _A),
    _f("keyart", "Key art", _AR, _A, frozenset({_M})),
    _f("thumb", "Thumb", _AR, _A, frozenset({_E})),
)

FIELD_BY_NAME: Final[dict[str, FieldSpec]] = {f.name: f for f in FIELDS}

ArtworkSlot = Literal[
    "poster", "fanart", "banner", "clearlogo", "clearart", "discart", "landscape", "keyart", "thumb"
]

CATEGORY_ENRICHED: Final = "enriched"
CATEGORY_PARTIAL: Final = "partial"
CATEGORY_UNENRICHED: Final = "unenriched"


def fields_for(kind: EntityKind) -> tuple[FieldSpec, ...]:
    """The registry's fields that an entity of `kind` has, in registry order."""
    return tuple(f for f in FIELDS if kind in f.kinds)


def category_for(completeness: float) -> str:
    """Completeness category: enriched >= 90, partial 60-89, unenriched < 60."""
    if completeness >= 90:
        return CATEGORY_ENRICHED
    if completeness >= 60:
        return CATEGORY_PARTIAL
    return CATEGORY_UNENRICHED


def is_empty(value: Any) -> bool:
    """True for the values that count as "no data": None, blank text, empty collections, 0 ids.

    Zero is a real value for a score or a vote count, so numbers are empty only when None.
    """
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict | set | frozenset):
        return len(value) == 0
    return False


_REF_RE = re.compile(r"^(?:(movie|series|season|episode):)?(\d+)$")


@dataclass(frozen=True, slots=True, order=True)
class Ref:
    """A reference to one entity, written `movie:12`; a bare number means a movie."""

    kind: EntityKind
    id: int

    @classmethod
    def parse(cls, text: str) -> Ref:
        m = _REF_RE.match(text.strip())
        if not m:
            raise UsageError(
                f"bad reference {text!r}: use movie:ID, series:ID, season:ID, episode:ID or an id"
            )
        return cls(EntityKind(m.group(1) or "movie"), int(m.group(2)))

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.id}"


@dataclass(frozen=True, slots=True)
class Ids:
    """External ids of an entity."""

    tmdb: int | None = None
    imdb: str | None = None
    tvdb: int | None = None

    def fill(self, other: Ids) -> Ids:
        """These ids, with the ones this lacks taken from `other`."""
        return Ids(
            self.tmdb if self.tmdb is not None else other.tmdb,
            self.imdb if self.imdb is not None else other.imdb,
            self.tvdb if self.tvdb is not None else other.tvdb,
        )

    def as_dict(self) -> dict[str, Any]:
        return {"tmdb": self.tmdb, "imdb": self.imdb, "tvdb": self.tvdb}


@dataclass(frozen=True, slots=True)
class Identification:
    """How an entity was identified.

    `status` is `unidentified`, `identified`, `review` or `manual`.
    """

    status: str = "unidentified"
    confidence: float | None = None
    tier: Tier | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "confidence": self.confidence,
            "tier": self.tier.value if self.tier else None,
        }


@dataclass(frozen=True, slots=True)
class MatchReason:
    """One named part of a match score, like beets' distance penalties."""

    name: str
    score: float
    weight: float
    detail: str

    def __str__(self) -> str:
        return f"{self.name} {self.score * 100:.0f}% ({self.detail})"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A provider's search hit with its explained score."""

    provider: str
    id: str
    kind: EntityKind
    title: str
    year: int | None
    original_title: str | None = None
    popularity: float = 0.0
    score: float = 0.0
    tier: Tier = Tier.WEAK
    reasons: tuple[MatchReason, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "id": self.id,
            "title": self.title,
            "year": self.year,
            "score": round(self.score, 3),
            "tier": self.tier.value,
            "reasons": [str(r) for r in self.reasons],
        }


@dataclass(frozen=True, slots=True)
class FileInfo:
    """A media file as the rest of matinee sees it."""

    id: int
    path: str
    size: int
    mtime: float
    missing: bool = False
    duration: float | None = None
    width: int | None = None
    height: int | None = None
    video_codec: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "size": self.size,
            "duration": self.duration,
            "width": self.width,
            "height": self.height,
            "videoCodec": self.video_codec,
        }


@dataclass(frozen=True, slots=True)
class MissingField:
    field: str
    display_name: str
    category: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "displayName": self.display_name, "category": self.category}


@dataclass(frozen=True, slots=True)
class EntitySummary:
    """One row of the library: what a list or a table needs, nothing more."""

    ref: Ref
    title: str
    year: int | None
    ids: Ids
    identification: Identification
    completeness: float
    category: str
    last_enriched: datetime | None
    partial: bool
    files: tuple[str, ...] = ()
    parent: Ref | None = None
    season_number: int | None = None
    episode_number: int | None = None
    on_disk: bool = True
    """False for an episode the provider lists but no file holds (yet)."""


@dataclass(frozen=True, slots=True)
class EntityDetail:
    """Everything known about one entity, for `show` and the detail screen."""

    summary: EntitySummary
    fields: dict[str, Any]
    field_sources: dict[str, str]
    field_fetched: dict[str, datetime]
    locks: frozenset[str]
    missing: tuple[MissingField, ...]
    enrichment_duration: float | None
    rate_limited_providers: tuple[str, ...]
    failed_providers: tuple[str, ...]
    files: tuple[FileInfo, ...]
    children: tuple[EntitySummary, ...] = field(default=())
    answered_providers: tuple[str, ...] = ()
    """The providers that answered at the last enrichment."""

    @property
    def ref(self) -> Ref:
        return self.summary.ref
