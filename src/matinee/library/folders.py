"""Folder-aware parsing: `parse_path` and the helpers that read a video's folders.

Split out of `parse.py` so that module stays about one thing, what a single *name* says, and
this one about how a path's folders refine it: skipping disc folders (`CD1`, `VIDEO_TS`),
taking the show title and season from `Show/Season 01/`, a movie's title and year from its
folder when the file name is poor, and ids or release details the name lacks. Folder names
repeat for every episode of a season, so each is parsed once and cached.

This module builds on `parse.py` (it imports from it, never the reverse at import time);
`parse.py` re-exports `parse_path` lazily, so `from matinee.library.parse import parse_path`
keeps working. Nothing here touches the file system: it works on the path text alone.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from functools import lru_cache

from matinee.library.parse import (
    _EMPTY_IDS,
    _EXT_RE,
    ParsedName,
    _clean,
    parse_name,
)
from matinee.model import Ids

__all__ = ["parse_path"]


# Folder names that never carry a title.
_GENERIC_DIRS = frozenset(
    (
        "movies", "movie", "films", "film", "tv", "shows", "series", "tv shows", "tvshows",
        "tv series", "videos", "video", "media", "downloads", "download", "complete", "anime",
        "library", "documentaries", "kids", "4k", "uhd", "hd", "new movies",
    )
)  # fmt: skip
_SPECIAL_DIRS = frozenset(("specials", "special", "season specials", "extras specials"))
_DISC_DIR_RE = re.compile(r"(?i)^(?:(?:cd|dis[ck]|part|pt)[ ._-]?(\d{1,2})|video_ts|bdmv|stream)$")
_BARE_NUM_RE = re.compile(r"^(\d{1,3})(?:[ ._]*-[ ._]*|[ ._]+|$)(.*)$")
_NON_ALNUM_RE = re.compile(r"[\W_]+")
_POOR_RE = re.compile(r"(?i)^(?:movie|film|video|feature|main|index|video ts|vts \d+ \d+|\d{5})$")
_parse_folder = lru_cache(maxsize=8192)(parse_name)


def _loose(text: str) -> str:
    return _NON_ALNUM_RE.sub("", text.casefold())


def _folders(head: str, root: str | None) -> list[str]:
    """Folder names nearest-first, never above `root` (at most four)."""
    if root is not None:
        base = root.rstrip(os.sep) + os.sep
        if not (head + os.sep).startswith(base):
            return []
        head = head[len(base) :]
    parts = [p for p in head.split(os.sep) if p and p != "."]
    parts.reverse()
    return parts[:4]


def _folder_ids(folders: list[str]) -> Ids:
    ids = _EMPTY_IDS
    for f in folders:
        if "[" in f or "{" in f or "(" in f:
            ids = ids.fill(_parse_folder(f).ids)
    return ids


def _fill(p: ParsedName, f: ParsedName, changes: dict[str, object]) -> ParsedName:
    """Apply `changes` plus the release details the name lacks but its folder has.

    One `replace` call: it is the costliest step of `parse_path` after the name itself.
    """
    for key in ("edition", "resolution", "source", "codec", "group"):
        if getattr(p, key) is None and getattr(f, key) is not None:
            changes[key] = getattr(f, key)
    if f.proper and not p.proper:
        changes["proper"] = True
    if f.repack and not p.repack:
        changes["repack"] = True
    return replace(p, **changes) if changes else p  # type: ignore[arg-type]


def _season_of(folder: str) -> int | None:
    if folder.casefold() in _SPECIAL_DIRS:
        return 0
    f = _parse_folder(folder)
    if f.kind == "episode" and f.season is not None and not f.episodes and not f.absolute:
        return f.season
    return None


def parse_path(path: str, root: str | None = None) -> ParsedName:
    """Parse a file path, letting its folders fill what the file name lacks.

    Args:
        path: the file's path.
        root: the library root; folders at or above it are never read.

    Returns:
        The parsed fields, with the series title taken from the show folder for episodes in
        season folders, and a movie's title and year from its folder when the name is poor.
    """
    head, name = os.path.split(path)
    p = parse_name(name)
    folders = _folders(head, root)
    part = p.part
    while folders and (dm := _DISC_DIR_RE.match(folders[0])):
        if part is None and dm.group(1):
            part = int(dm.group(1))
        folders.pop(0)
    if part != p.part:
        p = replace(p, part=part)
    if not folders:
        return p
    ids = p.ids.fill(_folder_ids(folders))
    season_dir = _season_of(folders[0])
    if p.kind == "episode" or season_dir is not None:
        return _as_episode(p, name, folders, season_dir, ids)
    return _as_movie(p, folders[0], ids)


def _as_episode(
    p: ParsedName, name: str, folders: list[str], season_dir: int | None, ids: Ids
) -> ParsedName:
    title, year, episodes, ep_title = p.title, p.year, p.episodes, p.episode_title
    if p.kind == "movie":
        m = _BARE_NUM_RE.match(_EXT_RE.sub("", name))
        if m:
            episodes, ep_title, title = (int(m.group(1)),), _clean(m.group(2)) or None, ""
    show: ParsedName | None = None
    if season_dir is not None:
        own = _parse_folder(folders[0])
        if len(folders) > 1 and folders[1].casefold() not in _GENERIC_DIRS:
            show = _parse_folder(folders[1])
        if (show is None or not show.title) and own.title:
            show = own
        if show is not None and show.title:
            same = _loose(show.title) == _loose(title)
            title, year = (
                show.title,
                show.year if show.year is not None else (year if same else None),
            )
    elif folders[0].casefold() not in _GENERIC_DIRS:
        show = _parse_folder(folders[0])
        if show.title and (not title or _loose(show.title) == _loose(title)):
            title, year = show.title, year if year is not None else show.year
    changes: dict[str, object] = {
        "kind": "episode",
        "title": title,
        "year": year,
        "season": p.season if p.season is not None else season_dir,
        "episodes": episodes,
        "episode_title": ep_title,
        "ids": ids,
    }
    return _fill(p, _parse_folder(folders[0]), changes)


def _as_movie(p: ParsedName, folder: str, ids: Ids) -> ParsedName:
    changes: dict[str, object] = {"ids": ids} if ids != p.ids else {}
    f = None if folder.casefold() in _GENERIC_DIRS else _parse_folder(folder)
    if f is None or f.kind != "movie" or not f.title:
        return replace(p, **changes) if changes else p  # type: ignore[arg-type]
    poor = not p.title or _POOR_RE.match(p.title) is not None
    if poor or _loose(p.title) == _loose(f.title) or (p.year is None and f.year is not None):
        changes["title"] = f.title
        changes["year"] = p.year if p.year is not None else f.year
    return _fill(p, f, changes)
