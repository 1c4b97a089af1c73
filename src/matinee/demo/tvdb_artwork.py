"""TheTVDB artwork for the demo series: `ArtworkExtendedRecord`s and the files behind them.

Type ids are the ones TheTVDB's own Kodi scraper reads: 1 banner, 2 poster, 3 background,
7 season poster (with `seasonId`), 22 clearart and 23 clearlogo (PNG). Languages are 3-letter
codes or null (textless), `score` ranks them, `thumbnail` is the same path with `_t`.
Paths are relative (`/banners/v4/...`). `TvdbImages` maps every path the records mention
(artwork, thumbnails, person photos, episode screencaps) back to what to draw.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from typing import Any

from matinee.demo.artwork import ArtSpec
from matinee.demo.catalog import Catalog
from matinee.demo.http_util import seeded
from matinee.demo.tvdb_records import (
    episode_records,
    number,
    people_id,
    person_photo,
    season_id,
    tvdb_id,
)

__all__ = ["ARTWORK_TYPES", "TvdbImage", "TvdbImages", "artworks"]

Json = dict[str, Any]


@dataclass(frozen=True)
class _Type:
    id: int
    name: str
    folder: str
    art: str
    size: tuple[int, int]
    thumb: tuple[int, int]
    counts: tuple[int, int]
    textless: float

    @property
    def png(self) -> bool:
        return self.id in (22, 23)


ARTWORK_TYPES = (
    _Type(1, "Banner", "banners", "banner", (758, 140), (379, 70), (1, 2), 0.1),
    _Type(2, "Poster", "posters", "poster", (680, 1000), (340, 500), (2, 4), 0.1),
    _Type(3, "Background", "backgrounds", "backdrop", (1920, 1080), (640, 360), (2, 5), 0.8),
    _Type(7, "Season Poster", "posters", "poster", (680, 1000), (340, 500), (1, 2), 0.0),
    _Type(22, "ClearArt", "clearart", "clearart", (1000, 562), (500, 281), (0, 2), 0.0),
    _Type(23, "ClearLogo", "clearlogo", "logo", (800, 310), (400, 155), (1, 2), 0.0),
)
_OTHER = ("deu", "fra", "spa", "ita")


@dataclass(frozen=True)
class TvdbImage:
    """One served TheTVDB image file."""

    spec: ArtSpec
    width: int
    height: int

    @property
    def content_type(self) -> str:
        return "image/png" if self.spec.fmt == "PNG" else "image/jpeg"


def _entries(show: Json) -> list[tuple[Json, ArtSpec, _Type]]:
    sid = tvdb_id(show)
    rng = seeded(f"tvdb:art:{sid}")
    found: list[tuple[Json, ArtSpec, _Type]] = []
    for kind in ARTWORK_TYPES:
        seasons: list[int | None] = [None]
        if kind.id == 7:
            seasons = [season["season_number"] for season in show["seasons"]]
        for season in seasons:
            for index in range(rng.randint(*kind.counts)):
                key = f"tvdb:art:{sid}:{kind.id}:{season}:{index}"
                name = hashlib.sha1(key.encode("utf-8")).hexdigest()[:13]
                ext = "png" if kind.png else "jpg"
                owner = f"season/{season_id(show, season)}" if season is not None else ""
                base = f"/banners/v4/{owner or f'series/{sid}'}/{kind.folder}/{name}"
                language: str | None = "eng" if rng.random() < 0.85 else rng.choice(_OTHER)
                if rng.random() < kind.textless:
                    language = None
                width, height = kind.size
                record = {
                    "episodeId": None,
                    "height": height,
                    "id": number(key, 1_000_000, 70_000_000),
                    "image": f"{base}.{ext}",
                    "includesText": language is not None,
                    "language": language,
                    "movieId": None,
                    "networkId": None,
                    "peopleId": None,
                    "score": rng.randint(100_000, 100_900) - 100 * index,
                    "seasonId": season_id(show, season) if season is not None else None,
                    "seriesId": sid,
                    "seriesPeopleId": None,
                    "status": {"id": 1, "name": None},
                    "tagOptions": None,
                    "thumbnail": f"{base}_t.{ext}",
                    "thumbnailHeight": kind.thumb[1],
                    "thumbnailWidth": kind.thumb[0],
                    "type": kind.id,
                    "updatedAt": 1_600_000_000 + number(key, 0, 120_000_000),
                    "width": width,
                }
                text = show["name"] if language is not None else ""
                subtitle = f"Season {season}" if season is not None else ""
                fmt = "PNG" if kind.png else "JPEG"
                spec = ArtSpec(kind.art, text, width, height, key, subtitle, fmt)
                found.append((record, spec, kind))
    return found


def artworks(show: Json) -> list[Json]:
    """`ArtworkExtendedRecord[]` of a series, by type then best score first."""
    records = [record for record, _, _ in _entries(show)]
    return sorted(records, key=lambda record: (record["type"], -record["score"]))


class TvdbImages:
    """Relative image path -> what to draw, over every series of a catalog (built lazily)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._index: dict[str, TvdbImage] | None = None
        self._lock = threading.Lock()

    def get(self, path: str) -> TvdbImage | None:
        """The image at `path` (`/banners/v4/...`), or None."""
        with self._lock:
            if self._index is None:
                self._index = self._build()
            return self._index.get(path)

    def _build(self) -> dict[str, TvdbImage]:
        index: dict[str, TvdbImage] = {}
        for show in self.catalog.series.values():
            for record, spec, kind in _entries(show):
                index[record["image"]] = TvdbImage(spec, spec.width, spec.height)
                index[record["thumbnail"]] = TvdbImage(spec, *kind.thumb)
            for member in [*show["cast"], *show["created_by"]]:
                if member.get("profile_path"):
                    pid = people_id(member["name"])
                    spec = ArtSpec("profile", member["name"], 300, 450, f"tvdb:person:{pid}")
                    index[person_photo(pid)] = TvdbImage(spec, 300, 450)
            for episode in episode_records(show):
                subtitle = f"S{episode['seasonNumber']:02d}E{episode['number']:02d}"
                spec = ArtSpec("still", "", 640, 360, f"tvdb:ep:{episode['id']}", subtitle)
                index[episode["image"]] = TvdbImage(spec, 640, 360)
        return index
