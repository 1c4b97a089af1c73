"""Plain records the engine hands to the repository to write, and reads back for enrichment.

They sit in `store/` because they describe units of database work; they hold only plain values
and `model.py` types, never rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from matinee.assets.model import AssetCandidate
from matinee.model import EntityKind, FileInfo, Identification, Ids, Ref
from matinee.providers.base import Credit

__all__ = [
    "EntityState",
    "EntityWrite",
    "FileTarget",
    "FileUpsert",
    "KnownFile",
    "LogEntry",
    "NewEpisode",
    "ScanApplied",
]


@dataclass(frozen=True, slots=True)
class KnownFile:
    id: int
    size: int
    mtime: float
    missing: bool
    root: str


@dataclass(frozen=True, slots=True)
class FileTarget:
    """The entity a file belongs to, as the parser and the grouping rules see it."""

    kind: EntityKind  # movie or episode
    group_key: str  # movie key, or the series key for episodes
    title: str
    year: int | None
    season: int | None = None
    episodes: tuple[int, ...] = ()
    episode_key: str | None = None  # date-based or absolute episodes without a number
    episode_title: str | None = None
    ids: Ids = field(default_factory=Ids)


@dataclass(frozen=True, slots=True)
class FileUpsert:
    path: str
    root: str
    size: int
    mtime: float
    parsed: dict[str, Any]
    target: FileTarget
    probe: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class ScanApplied:
    movies: int
    series: int
    episodes: int


@dataclass(frozen=True, slots=True)
class EntityState:
    """What enrichment needs to know about one entity before asking providers.

    A series read for enrichment carries its episode rows (`children`, in season and episode
    order) and its season rows (`seasons`, by season number); neither nests further.
    """

    ref: Ref
    title: str
    year: int | None
    ids: Ids
    identification: Identification
    fields: dict[str, Any]
    sources: dict[str, str]
    locks: frozenset[str]
    completeness: float
    last_enriched_at: float | None
    season_number: int | None = None
    episode_number: int | None = None
    files: tuple[FileInfo, ...] = ()
    children: tuple[EntityState, ...] = ()
    seasons: tuple[EntityState, ...] = ()
    partial: bool = False


@dataclass(frozen=True, slots=True)
class LogEntry:
    mode: str
    providers_ok: tuple[str, ...] = ()
    providers_rate_limited: tuple[str, ...] = ()
    providers_failed: tuple[str, ...] = ()
    changes: tuple[dict[str, Any], ...] = ()
    completeness_before: float | None = None
    completeness_after: float | None = None
    duration: float | None = None
    visible_change: bool = False


@dataclass(frozen=True, slots=True)
class NewEpisode:
    """Where an episode row that does not exist yet goes: a provider's episode with no file.

    The row is created by the write (not on disk), under the series' existing season row; a
    season without a row is never created for it. A row with that number that appeared in the
    meantime (a scan found its file) is written instead of a second one.
    """

    series_id: int
    season: int
    episode: int


@dataclass(frozen=True, slots=True)
class EntityWrite:
    """Everything one enrichment (or one user edit) changes on one entity, written at once.

    `artwork` and `credits` are by provider: each provider named replaces what it offered
    before for this entity (see `assets.upsert_candidates` and `people.save_credits`); a
    provider left out keeps what it had.
    """

    entity_id: int
    fields: dict[str, Any]
    sources: dict[str, str]  # field -> provider, for the fields this write set
    fetched_at: float
    ids: Ids
    identification: Identification
    completeness: float
    title: str
    year: int | None
    sort_title: str
    candidates: list[dict[str, Any]] | None = None
    enriched: bool = True  # set last_enriched_at and the run flags below
    duration: float | None = None
    partial: bool = False
    rate_limited: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    log: LogEntry | None = None
    locks_added: tuple[str, ...] = ()
    create: NewEpisode | None = None  # set: `entity_id` is ignored, the row is made (or found)
    artwork: Mapping[str, tuple[AssetCandidate, ...]] = field(default_factory=dict)
    credits: Mapping[str, tuple[Credit, ...]] = field(default_factory=dict)
