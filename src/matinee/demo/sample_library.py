"""The demo's sample library: placeholder video files with realistic, mixed names, plus truth.

`build_sample_library` writes one small placeholder file for every catalog movie and episode,
named the way real collections are (Plex folders, scene releases, `{tmdb-…}`/`[imdbid-…]`
tags, Kodi NFO files, several episode conventions, a multi-episode file), plus a few files
that match nothing, a few whose bare title is ambiguous (remakes without a year) and a few
extras a scanner must skip. Beside the files, `truth.json` records what each file really is,
so tests and the demo can measure identification. Deterministic: same catalog, same tree.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from matinee.demo.catalog import Catalog
from matinee.demo.sample_names import episode_path, movie_nfo, movie_path, scene_title, video_bytes
from matinee.demo.tmdb_search import search

__all__ = ["TRUTH_FILE", "SampleTruth", "TruthEntry", "build_sample_library"]

TRUTH_FILE = "truth.json"
_SEED = "matinee-sample-library"
_EPOCH = 1_600_000_000  # mtimes are fixed so rescans of a fresh library are reproducible

# Styles given to a fixed number of randomly chosen movies (the rest are plain Plex folders).
_MOVIE_STYLES = (
    ("tmdb-tag", 12),
    ("imdb-tag", 8),
    ("plex-noyear", 4),
    ("plex-edition", 3),
    ("scene-obfuscated", 3),
    ("scene-folder", 30),
    ("scene", 45),
    ("plex-flat", 15),
    ("plex-quality", 15),
)
_PINNED = {550: "tmdb-tag", 603: "nfo", 949: "plex", 862: "plex", 101: "original-title"}
_NFO_COUNT = 6
_ORIGINAL_TITLE_COUNT = 4


@dataclass(frozen=True, slots=True)
class TruthEntry:
    """What one sample file really is.

    Attributes:
        path: relative POSIX path under the library root.
        kind: "movie", "episode" or "extra" (an extra must be skipped by a scan).
        tmdb_id: the catalog's TMDB id (the series' id for episodes), or None.
        why: None when identifiable, else "unmatchable", "ambiguous" or "extra".
        style: the naming style (`plex`, `scene`, `tmdb-tag`, `tv-scene`, ...).
        season: season number, for episodes.
        episodes: episode numbers in the file, for episodes (two for a multi-episode file).
        candidates: for ambiguous files, the catalog ids the bare title could mean.
    """

    path: str
    kind: str
    tmdb_id: int | None
    why: str | None
    style: str
    season: int | None = None
    episodes: tuple[int, ...] = ()
    candidates: tuple[int, ...] = ()


@dataclass(frozen=True)
class SampleTruth:
    """The expected identification of every file of a sample library."""

    root: Path
    entries: dict[str, TruthEntry] = field(default_factory=dict)

    def expected(self, path: Path | str) -> TruthEntry:
        """The entry for an absolute or root-relative path."""
        candidate = Path(path)
        if candidate.is_absolute():
            candidate = candidate.relative_to(self.root)
        return self.entries[candidate.as_posix()]

    def ids(self) -> dict[str, int | None]:
        """Relative path -> true TMDB id (None for unmatchable, ambiguous and extras)."""
        return {path: entry.tmdb_id for path, entry in self.entries.items()}

    def with_why(self, why: str) -> list[TruthEntry]:
        """Entries whose `why` is `why` ("unmatchable", "ambiguous", "extra")."""
        return [entry for entry in self.entries.values() if entry.why == why]

    @property
    def unmatchable(self) -> list[TruthEntry]:
        """Files that match nothing in the catalog."""
        return self.with_why("unmatchable")

    @property
    def ambiguous(self) -> list[TruthEntry]:
        """Files whose name fits several catalog titles."""
        return self.with_why("ambiguous")

    def count_by_style(self) -> dict[str, int]:
        """How many files use each naming style."""
        return dict(Counter(entry.style for entry in self.entries.values()))

    def count_by_kind(self) -> dict[str, int]:
        """How many files are movies, episodes and extras."""
        return dict(Counter(entry.kind for entry in self.entries.values()))

    def to_json(self) -> dict[str, Any]:
        """The `truth.json` document."""
        files = {}
        for path, entry in sorted(self.entries.items()):
            record = asdict(entry)
            del record["path"]
            record["episodes"] = list(entry.episodes)
            record["candidates"] = list(entry.candidates)
            files[path] = record
        return {"version": 1, "files": files}

    @classmethod
    def load(cls, root: Path) -> SampleTruth:
        """Read `truth.json` from a library root."""
        data = json.loads((root / TRUTH_FILE).read_text(encoding="utf-8"))
        entries = {
            path: TruthEntry(
                path=path,
                kind=record["kind"],
                tmdb_id=record["tmdb_id"],
                why=record["why"],
                style=record["style"],
                season=record.get("season"),
                episodes=tuple(record.get("episodes") or ()),
                candidates=tuple(record.get("candidates") or ()),
            )
            for path, record in data["files"].items()
        }
        return cls(root=root, entries=entries)


class _Writer:
    """Writes placeholder files and collects their truth."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.entries: dict[str, TruthEntry] = {}

    def video(self, relative: str, entry: dict[str, Any]) -> None:
        if relative in self.entries:
            raise ValueError(f"two sample files share the path {relative}")
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        ext = path.suffix.lstrip(".")
        path.write_bytes(video_bytes(ext, relative))
        stamp = _EPOCH + 3600 * len(self.entries)
        os.utime(path, (stamp, stamp))
        self.entries[relative] = TruthEntry(path=relative, **entry)

    def text(self, relative: str, content: str) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def _assign_styles(catalog: Catalog, rng: random.Random) -> dict[int, str]:
    styles: dict[int, str] = {}
    for group in _duplicate_groups(catalog):
        styles[group[0]] = "ambiguous"
    for tmdb_id, style in _PINNED.items():
        if tmdb_id in catalog.movies and tmdb_id not in styles:
            styles[tmdb_id] = style
    free = [tmdb_id for tmdb_id in sorted(catalog.movies) if tmdb_id not in styles]
    rng.shuffle(free)
    foreign = [i for i in free if catalog.movies[i]["original_title"] != catalog.movies[i]["title"]]
    wanted_original = _ORIGINAL_TITLE_COUNT - list(styles.values()).count("original-title")
    for tmdb_id in foreign[: max(0, wanted_original)]:
        styles[tmdb_id] = "original-title"
    free = [tmdb_id for tmdb_id in free if tmdb_id not in styles]
    for _ in range(_NFO_COUNT - list(styles.values()).count("nfo")):
        styles[free.pop()] = "nfo"
    unique_bare = [i for i in free if _finds_only(catalog, catalog.movies[i]["title"], i)]
    for style, count in _MOVIE_STYLES:
        pool = unique_bare if style == "plex-noyear" else free
        for tmdb_id in [i for i in pool if i not in styles][:count]:
            styles[tmdb_id] = style
    for tmdb_id in free:
        styles.setdefault(tmdb_id, "plex")
    return styles


def _duplicate_groups(catalog: Catalog) -> list[list[int]]:
    by_title: dict[str, list[int]] = {}
    for tmdb_id in sorted(catalog.movies):
        by_title.setdefault(catalog.movies[tmdb_id]["title"].casefold(), []).append(tmdb_id)
    return [ids for ids in by_title.values() if len(ids) > 1]


def _finds_only(catalog: Catalog, title: str, tmdb_id: int) -> bool:
    hits = search(
        catalog.movies.values(),
        title,
        title_keys=("title", "original_title"),
        date_key="release_date",
        year=None,
    )
    return [hit["id"] for hit in hits] == [tmdb_id]


def _write_movies(writer: _Writer, catalog: Catalog, rng: random.Random) -> None:
    styles = _assign_styles(catalog, rng)
    groups = {ids[0]: ids for ids in _duplicate_groups(catalog)}
    nfo_variant = 1  # variant 0 (the full Kodi form) goes to The Matrix, the documented example
    for tmdb_id in sorted(catalog.movies):
        movie, style = catalog.movies[tmdb_id], styles[tmdb_id]
        relative = movie_path(movie, style, rng)
        if tmdb_id in _PINNED:  # the documented examples keep their exact .mkv names
            relative = (
                relative.removesuffix(".mp4") + ".mkv" if relative.endswith(".mp4") else relative
            )
        entry: dict[str, Any]
        if style == "ambiguous":
            entry = {"kind": "movie", "tmdb_id": None, "why": "ambiguous", "style": style}
            entry["candidates"] = tuple(groups[tmdb_id])
        else:
            entry = {"kind": "movie", "tmdb_id": tmdb_id, "why": None, "style": style}
        writer.video(relative, entry)
        if style == "nfo":
            folder = relative.rsplit("/", 1)[0]
            variant = 0 if tmdb_id == 603 else nfo_variant % 5
            name = "movie.nfo" if variant % 2 else Path(relative).stem + ".nfo"
            writer.text(f"{folder}/{name}", movie_nfo(movie, variant))
            nfo_variant += tmdb_id != 603
        if style == "plex" and tmdb_id in (949, 862):  # extras a scan must skip
            folder, stem = relative.rsplit("/", 1)[0], Path(relative).stem
            extra = {"kind": "extra", "tmdb_id": None, "why": "extra"}
            writer.video(f"{folder}/{stem}-trailer.mp4", {**extra, "style": "extra-trailer"})
            writer.video(f"{folder}/Sample/{stem}-sample.mkv", {**extra, "style": "extra-sample"})
            writer.video(
                f"{folder}/Featurettes/Behind the Scenes.mkv",
                {**extra, "style": "extra-featurette"},
            )


_TV_STYLES = {
    1396: "tv-scene",
    1399: "tv-tag",
    2316: "tv-x",
    19885: "tv-plex",
    70523: "tv-nfo",
    66732: "tv-folder-short",
    95396: "tv-lower-scene",
}


def _write_series(writer: _Writer, catalog: Catalog) -> None:
    for show_id in sorted(catalog.series):
        show = catalog.series[show_id]
        base_style = _TV_STYLES.get(show_id, "tv-plex")
        for season in show["seasons"]:
            s = season["season_number"]
            episodes = season["episodes"]
            index = 0
            while index < len(episodes):
                episode = episodes[index]
                e = episode["episode_number"]
                style = base_style
                if show_id == 19885 and s == 3:
                    style = "tv-words"
                entry: dict[str, Any] = {"kind": "episode", "tmdb_id": show_id, "why": None}
                if show_id == 2316 and s == 2 and e == 1 and len(episodes) > 1:
                    release = f"{scene_title(show['name'])}.US.S02E01E02.DVDRip.XviD-TOPAZ"
                    relative = f"TV/{show['name']} (US)/Season 2/{release}.avi"
                    multi = {**entry, "style": "tv-multi", "season": s, "episodes": (1, 2)}
                    writer.video(relative, multi)
                    index += 2
                    continue
                relative = episode_path(show, style, s, e, episode["name"])
                writer.video(relative, {**entry, "style": style, "season": s, "episodes": (e,)})
                index += 1
        if base_style == "tv-nfo":
            ids = show["external_ids"]
            year = show["first_air_date"][:4]
            writer.text(
                f"TV/{show['name']} ({year})/tvshow.nfo",
                "<tvshow>\n"
                f'  <uniqueid type="tmdb" default="true">{show_id}</uniqueid>\n'
                f'  <uniqueid type="tvdb">{ids["tvdb_id"]}</uniqueid>\n'
                f'  <uniqueid type="imdb">{ids["imdb_id"]}</uniqueid>\n</tvshow>\n',
            )


_UNMATCHABLE = (
    ("Movies/home video 2019-07-04.mp4", "movie"),
    ("Movies/Untitled Project Final v2.mkv", "movie"),
    ("Movies/VID_20180812_134501.mp4", "movie"),
    ("Movies/The Quiet Orchard (2021)/The Quiet Orchard (2021).mkv", "movie"),
    ("TV/Family Trip Vlog/Season 01/Family Trip Vlog - S01E01.mkv", "episode"),
)


def build_sample_library(dest: Path, catalog: Catalog) -> SampleTruth:
    """Write the sample library under `dest` and its `truth.json`; return the truth.

    Args:
        dest: library root (created if needed; existing sample files are overwritten).
        catalog: the catalog the names are drawn from (normally `load_catalog()`).

    Returns:
        The expected identification of every video file written.
    """
    dest.mkdir(parents=True, exist_ok=True)
    writer = _Writer(dest)
    rng = random.Random(_SEED)
    _write_movies(writer, catalog, rng)
    _write_series(writer, catalog)
    for relative, kind in _UNMATCHABLE:
        entry: dict[str, Any] = {"kind": kind, "tmdb_id": None, "why": "unmatchable"}
        writer.video(relative, {**entry, "style": "unmatchable"})
    truth = SampleTruth(root=dest, entries=writer.entries)
    (dest / TRUTH_FILE).write_text(
        json.dumps(truth.to_json(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return truth
