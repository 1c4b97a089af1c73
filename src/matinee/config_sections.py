"""What the settings are: one frozen dataclass per config section, with defaults and docs.

`config.py` reads, validates and builds them; everything else imports them from there. Every
setting is documented where it is declared (and in `config.example.toml`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matinee.config_assets import AssetsSettings
from matinee.config_authority import AuthoritySettings
from matinee.paths import default_cache_dir, default_db_path

__all__ = [
    "DEFAULT_EXPECTED_FIELDS",
    "DEFAULT_VIDEO_EXTENSIONS",
    "PROVIDER_DEFAULTS",
    "CacheSettings",
    "CompletenessSettings",
    "DatabaseSettings",
    "EnrichSettings",
    "LibrarySettings",
    "MatchSettings",
    "ProviderSettings",
    "ScheduleSettings",
    "Settings",
    "UiSettings",
    "provider_default",
]

DEFAULT_EXPECTED_FIELDS = (
    "title",
    "plot",
    "outline",
    "tagline",
    "imdb_rating",
    "imdb_votes",
    "rotten_tomatoes_score",
    "metacritic_score",
    "release_date",
    "runtime",
    "content_rating",
    "genres",
    "directors",
    "writers",
    "studios",
    "poster",
)

DEFAULT_VIDEO_EXTENSIONS = (
    ".mkv", ".mp4", ".m4v", ".avi", ".mov", ".wmv", ".mpg", ".mpeg", ".ts", ".m2ts", ".webm",
    ".flv", ".iso", ".vob", ".divx", ".ogm",
)  # fmt: skip


@dataclass(frozen=True)
class LibrarySettings:
    roots: tuple[Path, ...] = ()
    """Folders to scan. `matinee scan PATH` adds to these (stored in the database)."""
    video_extensions: tuple[str, ...] = DEFAULT_VIDEO_EXTENSIONS
    """File extensions that count as video, lower case with the dot."""
    ignore: tuple[str, ...] = ()
    """Glob patterns (matched against the path relative to its root) to leave out."""
    probe: bool = True
    """Run ffprobe on new and changed files when it is on PATH."""
    probe_concurrency: int = 2
    """How many ffprobe processes may run at once."""


@dataclass(frozen=True)
class DatabaseSettings:
    path: Path = field(default_factory=default_db_path)
    """The SQLite file. `MATINEE_DB` overrides it."""


@dataclass(frozen=True)
class CacheSettings:
    dir: Path = field(default_factory=default_cache_dir)
    """Where artwork and previews are cached."""
    ttl_days: float = 7
    """How long an enrichment (and a cached provider response) stays fresh."""


@dataclass(frozen=True)
class ProviderSettings:
    enabled: bool = True
    """Use this provider at all."""
    api_key: str = ""
    """The key; `MATINEE_<PROVIDER>_API_KEY` overrides it. Never printed whole."""
    base_url: str = ""
    """API root; point it at a mirror or the demo catalog server."""
    image_base_url: str = ""
    """Image root (TMDB)."""
    language: str = "en-US"
    """Metadata language."""
    requests_per_second: float = 35.0
    """Steady request rate (token bucket)."""
    burst: int = 10
    """How many requests may go at once above the steady rate."""
    max_connections: int = 10
    """Open connections to this provider at most."""
    timeout_s: float = 10.0
    """Per-request timeout in seconds."""
    max_retries: int = 3
    """Retries for 429, 5xx and timeouts."""
    daily_quota: int = 0
    """Requests allowed per UTC day (OMDb: 1000 on a free key); 0 for no daily quota."""
    quota_reserve: int = 0
    """Requests of the daily quota kept for manual requests (bulk runs stop short of them)."""
    pin: str = ""
    """TheTVDB subscriber PIN, for user-supported keys. Never printed."""
    client_key: str = ""
    """Fanart.tv personal key (optional; newer art, its own limits). Never printed whole."""

    @property
    def configured(self) -> bool:
        return bool(self.api_key)


PROVIDER_DEFAULTS: dict[str, dict[str, Any]] = {
    "tmdb": {
        "base_url": "https://api.themoviedb.org/3",
        "image_base_url": "https://image.tmdb.org/t/p",
        "requests_per_second": 35.0,
        "burst": 5,
        "max_connections": 20,
    },
    "omdb": {
        "base_url": "https://www.omdbapi.com",
        "requests_per_second": 20.0,
        "burst": 5,
        "max_connections": 10,
        "daily_quota": 1000,
        "quota_reserve": 50,
    },
    "tvdb": {
        "base_url": "https://api4.thetvdb.com/v4",
        "image_base_url": "https://artworks.thetvdb.com",
        "language": "eng",
        "requests_per_second": 10.0,
        "burst": 5,
        "max_connections": 10,
    },
    "fanart": {
        "base_url": "https://webservice.fanart.tv/v3",
        "requests_per_second": 20.0,
        "burst": 5,
        "max_connections": 10,
    },
}
"""Per-provider defaults; a section the user writes overrides them key by key."""


@dataclass(frozen=True)
class MatchSettings:
    strong: float = 0.85
    """Score at or above which a match is strong (applied automatically)."""
    medium: float = 0.65
    """Score at or above which a match is medium; below is weak (always reviewed)."""
    auto_apply: str = "strong"
    """Which tiers are applied without review: `strong` or `medium` (strong and medium)."""


@dataclass(frozen=True)
class CompletenessSettings:
    expected_fields: tuple[str, ...] = DEFAULT_EXPECTED_FIELDS
    """Fields counted by completeness; names from the field registry."""


@dataclass(frozen=True)
class ScheduleSettings:
    enrich_cron: str = "0 3 * * *"
    """Cron expression for scheduled enrichment (five fields, local time)."""
    batch_size: int = 100
    """How many queue items a scheduled run or a bare `matinee enrich` takes."""
    rescan_cron: str = ""
    """Cron expression for a scheduled rescan of the library roots; empty: no rescan."""


@dataclass(frozen=True)
class EnrichSettings:
    workers: int = 8
    """Titles enriched at once. Each waits on several providers in turn, so more workers
    than one keep the rate-limited providers busy; the token buckets still cap the rate."""


@dataclass(frozen=True)
class UiSettings:
    theme: str = "matinee-dark"
    """The TUI's colour theme: a bundled one (matinee-dark, matinee-light) or the name of a
    theme file in the user's themes folder (`<config dir>/themes/*.toml`)."""


@dataclass(frozen=True)
class Settings:
    library: LibrarySettings = field(default_factory=LibrarySettings)
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    cache: CacheSettings = field(default_factory=CacheSettings)
    providers: dict[str, ProviderSettings] = field(default_factory=dict)
    match: MatchSettings = field(default_factory=MatchSettings)
    completeness: CompletenessSettings = field(default_factory=CompletenessSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    enrich: EnrichSettings = field(default_factory=EnrichSettings)
    assets: AssetsSettings = field(default_factory=AssetsSettings)
    authority: AuthoritySettings = field(default_factory=AuthoritySettings)
    ui: UiSettings = field(default_factory=UiSettings)
    offline: bool = False
    """Send no request to any provider: answer from the response cache only."""
    source: Path | None = None
    """The file these settings came from (None when it did not exist)."""
    config_writable: bool = True
    """False when the settings are made in code (the demo's, for its catalog server): the TUI
    then saves no change to a config file. Not a config key."""

    def provider(self, name: str) -> ProviderSettings:
        return self.providers.get(name) or provider_default(name)


def provider_default(name: str) -> ProviderSettings:
    return ProviderSettings(**PROVIDER_DEFAULTS.get(name, {}))
