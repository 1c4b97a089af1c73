"""Our own filename parser: what a video file name says about the title.

The scan calls this for every file it finds, so it must be fast (tens of thousands of names a
second): every pattern is compiled once at import and each name costs a handful of regex
searches and no allocation-heavy tokenising.

The idea: the *title* is whatever comes before the first structural marker (an episode marker
such as `S01E02`, `1x02`, a date or an anime ` - 12`; the last plausible year; or a release
token such as `1080p`, `BluRay`, `x264`); everything after the markers is junk from which we
only pick the episode title, edition, resolution, source, codec, release group and flags.
Release words that are also ordinary English ("WEB", "PROPER", "LIMITED") only end a title when
written in capitals; after a marker they count in any case.

`parse_path` (the name read with its folders, no file system) is in `folders.py`, re-exported here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any, Literal

from matinee.model import Ids

__all__ = ["ParsedName", "parse_name", "parse_path"]
if TYPE_CHECKING:  # at run time `__getattr__` (bottom) imports it: `folders` imports this module
    from matinee.library.folders import parse_path


_EMPTY_IDS = Ids()


@dataclass(frozen=True, slots=True)
class ParsedName:
    """What a file name (and its folders) says about a video."""

    kind: Literal["movie", "episode"]
    title: str
    year: int | None = None
    season: int | None = None
    episodes: tuple[int, ...] = ()
    absolute: tuple[int, ...] = ()
    air_date: str | None = None
    episode_title: str | None = None
    edition: str | None = None
    resolution: str | None = None
    source: str | None = None
    codec: str | None = None
    group: str | None = None
    proper: bool = False
    repack: bool = False
    ids: Ids = _EMPTY_IDS
    part: int | None = None


_EXTS = frozenset((
    "mkv", "mp4", "m4v", "avi", "mov", "wmv", "mpg", "mpeg", "mpe", "m2ts", "mts", "ts", "vob",
    "iso", "webm", "flv", "ogm", "ogv", "divx", "xvid", "rmvb", "rm", "3gp", "asf", "f4v", "strm",
    "nfo", "srt", "ass", "ssa", "sub", "idx",
))  # fmt: skip
_EXT_RE = re.compile(r"\.([A-Za-z0-9]{2,4})$")
_ID_RE = re.compile(
    r"[\[{]\s*(tmdb|imdb|tvdb)(?:id)?\s*[-=:]\s*(\w+)\s*[\]}]|[\[{(](tt\d{7,9})[\]})]", re.I
)
_EDITION_TAG_RE = re.compile(r"\{edition[-=]([^}]+)\}", re.I)
_LEAD_GROUP_RE = re.compile(r"^\[([^\]]+)\][ ._-]*")
_CRC_RE = re.compile(r"[\[(][0-9A-Fa-f]{8}[\])]")

# Release tokens that are never ordinary words: they end a title in any case.
_CORE = r"""
    \d{3,4}[pi] | 4k | uhd
  | blu-?ray | bd-?rip | br-?rip | bd-?remux | remux | web-?dl | web-?rip | hdtv | pdtv | sdtv
  | dvd-?rip | dvd-?scr | dvd-?r | dvd[59] | hd-?rip | hd-?cam | hd-?dvd | telesync | telecine
  | [xh]\.?26[45] | hevc | avc | av1 | xvid | divx | vc-?1 | mpeg-?2 | vp9
  | dts(?:-?hd)?(?:-?ma)? | (?:e-?)?ac-?3 | aac(?:2\.0)? | dd\+?p?[257]\.[01] | ddp | truehd
  | atmos | flac | 10-?bit | 8-?bit | hdr10(?:\+|plus)? | dolby[ .]?vision
"""
# Words that are release tokens only when written in capitals (before any marker).
_CAPS = r"""
    PROPER | REPACK | RERIP | REAL | INTERNAL | iNTERNAL | LIMITED | CAM | TS | TC | WEB | DV | HDR
  | SDR | NF | AMZN | DSNP | HMAX | ATVP | HULU | PCOK | MULTi | MULTI | DUAL | SUBBED | DUBBED
  | COMPLETE | FRENCH | GERMAN | VOSTFR | NORDiC
"""
_EDITIONS: tuple[tuple[str, str], ...] = (
    (r"director'?s[ ._-]?cut", "Director's Cut"),
    (r"extended(?:[ ._-]?(?:cut|edition|version))?", "Extended"),
    (r"unrated", "Unrated"),
    (r"uncut", "Uncut"),
    (r"theatrical(?:[ ._-]?(?:cut|edition|version))?", "Theatrical"),
    (r"imax(?:[ ._-]?edition)?", "IMAX"),
    (r"remastered", "Remastered"),
    (r"criterion(?:[ ._-]?collection)?", "Criterion"),
    (r"special[ ._-]?edition", "Special Edition"),
    (r"ultimate[ ._-]?(?:cut|edition)", "Ultimate Edition"),
    (r"final[ ._-]?cut", "Final Cut"),
    (r"collector'?s[ ._-]?edition", "Collector's Edition"),
    (r"anniversary[ ._-]?edition", "Anniversary Edition"),
)
_EDITION_ALT = "|".join(f"(?P<ed{i}>{p})" for i, (p, _) in enumerate(_EDITIONS))
_B, _E = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"
_TECH_RE = re.compile(rf"{_B}(?:(?i:{_CORE})|(?:{_CAPS})){_E}", re.X)
_TAIL_RE = re.compile(
    rf"{_B}(?:(?i:{_CORE}|{_CAPS}|{'|'.join(p for p, _ in _EDITIONS)})){_E}", re.X
)
_EDITION_RE = re.compile(rf"(?i){_B}(?:{_EDITION_ALT}){_E}")
_EDITION_END_RE = re.compile(rf"(?i){_B}(?:{_EDITION_ALT})[ ._)\]-]*$")

_SXE_RE = re.compile(
    r"(?<![A-Za-z0-9])[Ss](\d{1,4})[ ._-]?[Ee](\d{1,4})"
    r"((?:[ ._-]*[Ee]\d{1,4}|-\d{1,4}(?![0-9pPiI]))*)(?![0-9])"
)
_NX_RE = re.compile(
    r"(?<![A-Za-z0-9])(\d{1,2})[xX](\d{2,3})((?:[-xX_]\d{2,3}(?![0-9pP]))*)(?![0-9])"
)
_MORE_RE = re.compile(r"([ ._xX-]*)[Ee]?(\d{1,4})")
_WORDS_RE = re.compile(
    r"(?i)(?<![a-z])season[ ._-]*(\d{1,3})[ ._,-]*(?:episode|ep)[ ._-]*(\d{1,4})(?![0-9])"
)
_DATE_RE = re.compile(
    r"(?<![0-9])((?:19|20)\d\d)[ ._-](0[1-9]|1[0-2])[ ._-](0[1-9]|[12]\d|3[01])(?![0-9])"
)
_BARE_EP_RE = re.compile(
    r"(?:^|\s-\s)[ ._-]*(?:[Ee]pisode|[Ee][Pp]?)[ ._-]?(\d{1,4})(?![0-9A-Za-z])"
)
_SEASON_ONLY_RE = re.compile(
    r"(?i)(?<![a-z0-9])(?:s|(?:season|saison|staffel|temporada|stagione)[ ._-]*)(\d{1,3})"
    r"(?![0-9a-z])"
)
_ABS_RE = re.compile(r"\s-\s(\d{1,4})(?:v\d)?(?:-(\d{1,4})(?:v\d)?)?(?=\s|$|[\[(])")
_YEAR_RE = re.compile(r"(?<![0-9A-Za-z])(19\d\d|20\d\d|2100)(?![0-9A-Za-z])")
_PART_RE = re.compile(r"(?i)(?<![a-z0-9])(?:(cd|dis[ck])|(part|pt))[ ._]?(\d{1,2})(?![0-9a-z])")
_GROUP_RE = re.compile(r"(?<=[^\s\-\[(])-([A-Za-z0-9][A-Za-z0-9_@]*(?:\.[A-Za-z]{2,3})?)$")
_TRAILING_TAGS_RE = re.compile(r"(?:[ ._-]*\[[^\]]*\])+$")
_ALNUM_RE = re.compile(r"[^\W_]")
_SPLIT_RE = re.compile(r"[._]+")
_RES_RE = re.compile(r"\d{3,4}[pi]")
_ACRONYM_END_RE = re.compile(r"(?:^|[ .])[A-Za-z]\.$")

_SOURCES = {
    "bluray": "BluRay", "bdrip": "BDRip", "brrip": "BRRip", "bdremux": "REMUX",
    "remux": "REMUX", "webdl": "WEB-DL", "webrip": "WEBRip", "web": "WEB", "hdtv": "HDTV",
    "pdtv": "PDTV", "sdtv": "SDTV", "dvdrip": "DVDRip", "dvdscr": "DVDSCR", "dvdr": "DVD-R",
    "dvd5": "DVD", "dvd9": "DVD", "hdrip": "HDRip", "hdcam": "HDCAM", "cam": "CAM",
    "ts": "TS", "telesync": "TS", "tc": "TC", "telecine": "TC", "hddvd": "HD-DVD",
}  # fmt: skip
_CODECS = {
    "x264": "x264", "x265": "x265", "h264": "H.264", "h265": "H.265", "hevc": "HEVC", "avc": "AVC",
    "av1": "AV1", "xvid": "XviD", "divx": "DivX", "vc1": "VC-1", "mpeg2": "MPEG-2", "vp9": "VP9",
}  # fmt: skip


def _take_ids(s: str) -> tuple[Ids, str]:
    tmdb: int | None = None
    imdb: str | None = None
    tvdb: int | None = None
    for m in _ID_RE.finditer(s):
        if m.group(3):
            imdb = imdb or m.group(3)
            continue
        kind, value = m.group(1).lower(), m.group(2)
        if kind == "imdb" and re.fullmatch(r"tt\d{7,9}", value):
            imdb = imdb or value
        elif kind == "tmdb" and value.isdigit():
            tmdb = tmdb or int(value)
        elif kind == "tvdb" and value.isdigit():
            tvdb = tvdb or int(value)
    if tmdb is None and imdb is None and tvdb is None:
        return _EMPTY_IDS, s
    return Ids(tmdb=tmdb, imdb=imdb, tvdb=tvdb), _ID_RE.sub(" ", s)


def _episodes(first: int, more: str) -> tuple[int, ...]:
    """Expand the tail of a multi-episode marker: `E02E03` lists, `-E05` / `-05` ranges."""
    eps = [first]
    for sep, num in _MORE_RE.findall(more):
        n = int(num)
        if "-" in sep and n > eps[-1] and n - eps[-1] <= 50:
            eps.extend(range(eps[-1] + 1, n + 1))
        elif n not in eps:
            eps.append(n)
    return tuple(eps)


def _clean(text: str) -> str:
    """Turn a raw title span into words: dots/underscores to spaces, acronyms kept."""
    if not text:
        return ""
    if " " in text:
        out = text.replace("_", " ")
    else:
        words: list[str] = []
        run: list[str] = []
        for tok in _SPLIT_RE.split(text):
            if len(tok) == 1 and tok.isalpha():
                run.append(tok)
                continue
            if run:
                words.append(".".join(run) + "." if len(run) > 1 else run[0])
                run = []
            if tok:
                words.append(tok)
        if run:
            words.append(".".join(run) + "." if len(run) > 1 else run[0])
        out = " ".join(words)
    out = " ".join(out.replace("()", " ").replace("[]", " ").split())
    out = out.lstrip(" -_.,").rstrip(" -_,([{")
    while out.endswith(".") and not _ACRONYM_END_RE.search(out):
        out = out[:-1].rstrip(" -_,([{")
    return out


@dataclass(slots=True)
class _Marker:
    """An episode marker found in a name: where it is and what it says."""

    start: int
    end: int
    season: int | None = None
    episodes: tuple[int, ...] = ()
    absolute: tuple[int, ...] = ()
    air_date: str | None = None


def _find_episode(prefix: str, lead_group: bool) -> _Marker | None:
    """The first episode marker in `prefix`, trying the most specific forms first."""
    m = _SXE_RE.search(prefix) or _NX_RE.search(prefix)
    if m:
        eps = _episodes(int(m.group(2)), m.group(3))
        return _Marker(m.start(), m.end(), season=int(m.group(1)), episodes=eps)
    m = _WORDS_RE.search(prefix)
    if m:
        return _Marker(m.start(), m.end(), int(m.group(1)), (int(m.group(2)),))
    m = _DATE_RE.search(prefix)
    if m and m.start() > 0:
        return _Marker(m.start(), m.end(), air_date=f"{m.group(1)}-{m.group(2)}-{m.group(3)}")
    m = _BARE_EP_RE.search(prefix)
    if m:
        return _Marker(m.start(), m.end(), episodes=(int(m.group(1)),))
    a = _ABS_RE.search(prefix)
    m = _SEASON_ONLY_RE.search(prefix)
    if m and (m.start() > 0 or not _ALNUM_RE.search(prefix, m.end())):
        marker = _Marker(m.start(), m.end(), season=int(m.group(1)))
        if a and a.start() >= m.end():
            marker.episodes, marker.end = (int(a.group(1)),), a.end()
        return marker
    if a and a.start() > 0:
        first = a.group(1)
        after = prefix[a.end() :].lstrip()
        if lead_group or (
            len(first) >= 2 and not _YEAR_RE.fullmatch(first) and (not after or after[0] in "[(-")
        ):
            n = int(first)
            last = int(a.group(2)) if a.group(2) else n
            nums = tuple(range(n, last + 1)) if n < last <= n + 50 else (n,)
            return _Marker(a.start(), a.end(), absolute=nums)
    return None


def parse_name(name: str) -> ParsedName:
    """Parse a bare file or folder name (an extension is allowed and ignored).

    Args:
        name: a file name such as `The.Matrix.1999.1080p.BluRay.x264-GROUP.mkv`.

    Returns:
        The parsed fields; `title` may be empty when the name holds only markers.
    """
    s = name
    m = _EXT_RE.search(s)
    if m and m.group(1).lower() in _EXTS:
        s = s[: m.start()]
    ids = _EMPTY_IDS
    edition: str | None = None
    group: str | None = None
    if "[" in s or "{" in s or "(" in s:
        ids, s = _take_ids(s)
        em = _EDITION_TAG_RE.search(s)
        if em:
            edition = em.group(1).strip()
            s = s[: em.start()] + " " + s[em.end() :]
        lm = _LEAD_GROUP_RE.match(s)
        if lm and not _TECH_RE.search(lm.group(1)):
            group = lm.group(1).strip() or None
            s = s[lm.end() :]
            if "_" in s and " " not in s:
                s = s.replace("_", " ")
        s = _CRC_RE.sub(" ", s)
    lead_group = group is not None

    t = _TECH_RE.search(s)
    while t is not None and not _ALNUM_RE.search(s, 0, t.start()):
        t = _TECH_RE.search(s, t.end())
    tech_start = t.start() if t else len(s)
    prefix = s[:tech_start]

    found = _find_episode(prefix, lead_group)
    if found is not None:
        region = prefix[: found.start]
        junk_from = found.end
    else:
        region = prefix
        junk_from = tech_start

    year: int | None = None
    if found is None or found.air_date is None:
        for y in _YEAR_RE.finditer(region):
            if _ALNUM_RE.search(region, 0, y.start()):
                year, ystart, yend = int(y.group(1)), y.start(), y.end()
        if year is not None:
            region = region[:ystart]
            if found is None:
                junk_from = yend

    part: int | None = None
    for pm in _PART_RE.finditer(s):
        in_title = pm.start() < len(region)
        before = s[: pm.start()].rstrip(" ._")
        if not in_title or pm.group(1) or before.endswith("-") or pm.group(0)[-2:-1].isalpha():
            part = int(pm.group(3))
            if in_title:
                region = region[: pm.start()]
            break

    gsrc = _TRAILING_TAGS_RE.sub("", s) if s.endswith("]") else s
    gm = _GROUP_RE.search(gsrc)
    cut = len(prefix)
    if gm and gm.start() >= junk_from and (t is not None or " " not in s.strip()):
        group = group or gm.group(1)
        cut = min(cut, gm.start())

    episode_title: str | None = None
    tail_start = junk_from
    if found is not None:
        ep_region = prefix[junk_from:cut]
        tm = _TAIL_RE.search(ep_region)
        if tm:
            ep_region = ep_region[: tm.start()]
        tail_start = junk_from + len(ep_region)
        ep_region = _PART_RE.sub(" ", ep_region) if part is not None else ep_region
        episode_title = _clean(ep_region) or None

    if edition is None:
        if year is not None and found is None:
            em2 = _EDITION_RE.search(s, junk_from)
        else:
            em2 = _EDITION_END_RE.search(region)
            if em2 and _ALNUM_RE.search(region, 0, em2.start()):
                region = region[: em2.start()]
            elif em2 is not None:
                em2 = None
        if em2 is not None:
            edition = next(_EDITIONS[int(k[2:])][1] for k, v in em2.groupdict().items() if v)

    resolution = source = codec = None
    proper = repack = False
    for tok in _TAIL_RE.finditer(s, tail_start):
        k = tok.group(0).lower().replace("-", "").replace(".", "")
        if k in _SOURCES:
            if source is None or k.endswith("remux") or (source == "WEB" and k != "web"):
                source = _SOURCES[k]
        elif k in _CODECS:
            codec = codec or _CODECS[k]
        elif resolution is None and (_RES_RE.fullmatch(k) or k in ("4k", "uhd")):
            resolution = "2160p" if k in ("4k", "uhd") else k
        elif k == "proper":
            proper = True
        elif k in ("repack", "rerip"):
            repack = True

    kind: Literal["movie", "episode"] = "episode" if found is not None else "movie"
    title = _clean(region)
    if not title and kind == "movie" and year is None:
        title = _clean(prefix)
    return ParsedName(
        kind=kind,
        title=title,
        year=year,
        season=found.season if found else None,
        episodes=found.episodes if found else (),
        absolute=found.absolute if found else (),
        air_date=found.air_date if found else None,
        episode_title=episode_title,
        edition=edition,
        resolution=resolution,
        source=source,
        codec=codec,
        group=group,
        proper=proper,
        repack=repack,
        ids=ids,
        part=part,
    )


def __getattr__(name: str) -> Any:
    if name == "parse_path":  # lazy re-export (PEP 562), see the `TYPE_CHECKING` import above
        return import_module("matinee.library.folders").parse_path
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
