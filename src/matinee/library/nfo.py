"""IDs from Kodi/Jellyfin NFO files beside a video: local ids win over searching.

A user (or another media manager) who already identified a title wrote its ids into an NFO;
reading them saves a fuzzy search and a possible wrong match. NFO files come in many shapes:
proper XML with `<uniqueid type="tmdb">`, older tags (`<tmdbid>`, `<imdbid>`, `<id>`), XML
followed by a URL line, or just a URL, and scene NFOs full of ASCII art. Anything unreadable
yields empty `Ids`; this module never raises for a bad file and never reads more than 1 MB.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from typing import Final

from matinee.model import Ids

__all__ = ["MAX_NFO_BYTES", "ids_from_nfo_text", "read_nfo_ids"]

MAX_NFO_BYTES: Final = 1_000_000

_IMDB_RE = re.compile(r"\btt\d{7,9}\b")
_IMDB_FULL_RE = re.compile(r"tt\d{7,9}")
_TMDB_URL_RE = re.compile(r"themoviedb\.org/(?:movie|tv)/(\d+)", re.I)
_TVDB_URL_RE = re.compile(r"thetvdb\.com/\S*?[?&](?:id|seriesid)=(\d+)", re.I)
_UNIQUEID_RE = re.compile(
    r"<uniqueid[^>]*\btype\s*=\s*[\"']?(tmdb|imdb|tvdb)[\"']?[^>]*>\s*([^<\s]+)\s*<", re.I
)
_TAG_RE = re.compile(r"<(tmdbid|tvdbid|imdbid|imdb_id)>\s*([^<\s]+)\s*<", re.I)
_ROOT_END_RE = re.compile(rb"</(?:movie|tvshow|episodedetails|musicvideo)\s*>", re.I)
_ACTOR_RE = re.compile(r"<actor\b.*?</actor>", re.I | re.S)
_EMPTY: Final = Ids()

_TAG_KIND = {
    "tmdbid": "tmdb",
    "tmdb": "tmdb",
    "imdbid": "imdb",
    "imdb_id": "imdb",
    "imdb": "imdb",
    "tvdbid": "tvdb",
    "tvdb": "tvdb",
}


class _Acc:
    """First value wins per id kind; values are validated as they come."""

    def __init__(self) -> None:
        self.tmdb: int | None = None
        self.imdb: str | None = None
        self.tvdb: int | None = None

    def add(self, kind: str, value: str | None) -> None:
        value = (value or "").strip()
        if kind == "imdb":
            if self.imdb is None and _IMDB_FULL_RE.fullmatch(value):
                self.imdb = value
        elif value.isdigit() and int(value) > 0:
            if kind == "tmdb" and self.tmdb is None:
                self.tmdb = int(value)
            elif kind == "tvdb" and self.tvdb is None:
                self.tvdb = int(value)

    def ids(self) -> Ids:
        return Ids(tmdb=self.tmdb, imdb=self.imdb, tvdb=self.tvdb)


def _from_xml(root: ET.Element, acc: _Acc) -> None:
    # Only the root's direct children: <actor> blocks carry people's <tmdbid> too.
    children = list(root)
    for el in children:
        if el.tag.lower() == "uniqueid":
            acc.add(el.get("type", "").lower(), el.text)
    for el in children:
        tag = el.tag.lower()
        if tag in _TAG_KIND:
            acc.add(_TAG_KIND[tag], el.text)
        elif tag == "id" and el.text and _IMDB_FULL_RE.fullmatch(el.text.strip()):
            acc.add("imdb", el.text)


def _from_text(text: str, acc: _Acc) -> None:
    for kind, value in _UNIQUEID_RE.findall(text):
        acc.add(kind.lower(), value)
    for tag, value in _TAG_RE.findall(text):
        acc.add(_TAG_KIND[tag.lower()], value)
    m = _IMDB_RE.search(text)
    if m:
        acc.add("imdb", m.group(0))
    m = _TMDB_URL_RE.search(text)
    if m:
        acc.add("tmdb", m.group(1))
    m = _TVDB_URL_RE.search(text)
    if m:
        acc.add("tvdb", m.group(1))


def _parse_xml(data: bytes) -> ET.Element | None:
    if b"<!ENTITY" in data or b"<!DOCTYPE" in data:
        return None  # no entity expansion games; the text fallback still reads the ids
    try:
        return ET.fromstring(data)
    except ET.ParseError:
        pass
    # XML followed by a URL line (Kodi's "combination" NFO): parse up to the first root's end.
    m = _ROOT_END_RE.search(data)
    if m:
        try:
            return ET.fromstring(data[: m.end()])
        except ET.ParseError:
            return None
    return None


def ids_from_nfo_text(data: bytes) -> Ids:
    """The ids an NFO's content names (pure; used by `read_nfo_ids`).

    Args:
        data: the raw bytes of an NFO file.

    Returns:
        The ids found, empty `Ids` when there are none or the content is garbage.
    """
    acc = _Acc()
    root = _parse_xml(data) if data.lstrip()[:1] == b"<" else None
    if root is not None:
        _from_xml(root, acc)
    if acc.ids() == _EMPTY:
        # A URL-only NFO, a broken file, a scene NFO, or XML whose ids sit in odd places.
        text = _ACTOR_RE.sub(" ", data.decode("utf-8", "replace"))
        _from_text(text, acc)
    return acc.ids()


def _read(path: str) -> bytes | None:
    try:
        if os.path.getsize(path) > MAX_NFO_BYTES:
            return None
        with open(path, "rb") as fh:
            return fh.read(MAX_NFO_BYTES + 1)
    except OSError:
        return None


def read_nfo_ids(video_path: str, *, series_dir: str | None = None) -> tuple[Ids, str | None]:
    """The ids from the NFO file that describes `video_path`, if any.

    Looks at `<stem>.nfo` beside the video, then `movie.nfo` in the same folder; for an episode
    (when `series_dir` is given) at `<stem>.nfo`, then `tvshow.nfo` in the series folder.
    The first file that names at least one id wins.

    Args:
        video_path: the video file.
        series_dir: the series folder, for episodes.

    Returns:
        (ids, the NFO path they came from), or (empty Ids, None).
    """
    folder, name = os.path.split(video_path)
    stem = os.path.splitext(name)[0]
    candidates = [os.path.join(folder, stem + ".nfo"), os.path.join(folder, stem + ".NFO")]
    if series_dir is not None:
        candidates.append(os.path.join(series_dir, "tvshow.nfo"))
    else:
        candidates.append(os.path.join(folder, "movie.nfo"))
    for path in candidates:
        data = _read(path)
        if not data:
            continue
        try:
            ids = ids_from_nfo_text(data)
        except (ValueError, RecursionError):  # pathological content: treat as no ids
            continue
        if ids != _EMPTY:
            return ids, path
    return _EMPTY, None
