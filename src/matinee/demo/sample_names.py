"""File-name styles for the demo's sample library (pure string functions, no I/O).

Each function turns a catalog title into a relative path the way a real collection would hold
it: Plex/Jellyfin folders, scene release names, names carrying id tags, Kodi layouts and TV
episode conventions. `sample_library` chooses which title gets which style.
"""

from __future__ import annotations

import random
import re
import unicodedata
from typing import Any

__all__ = [
    "GROUPS",
    "episode_path",
    "movie_nfo",
    "movie_path",
    "plex_title",
    "scene_movie",
    "scene_title",
    "video_bytes",
]

GROUPS = ("SPARKS", "AMIABLE", "GECKOS", "DRONES", "FGT", "CMRG", "NTb", "EVO", "ROVERS", "TOPAZ")
_SOURCES = (
    ("1080p", "BluRay", "x264", "mkv"),
    ("720p", "BluRay", "x264", "mkv"),
    ("2160p", "UHD.BluRay", "x265", "mkv"),
    ("1080p", "WEB-DL", "H.264", "mkv"),
    ("1080p", "WEBRip", "x265", "mp4"),
    ("", "DVDRip", "XviD", "avi"),
    ("", "BDRip", "XviD", "avi"),
    ("1080p", "BluRay.REMUX", "AVC", "mkv"),
)
_AUDIO = ("", "", "DTS", "AC3", "DD5.1", "AAC2.0", "DTS-HD.MA.5.1")
_TAGS = ("", "", "", "", "PROPER", "REPACK", "EXTENDED", "REMASTERED")
_MAGIC = {
    "mkv": b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm",
    "mp4": b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom",
    "avi": b"RIFF\x00\x00\x00\x00AVI LIST",
}
_EDITIONS = ("Director's Cut", "Extended Edition", "Theatrical Cut")
_INVALID = re.compile(r'[<>"|?*]')


def plex_title(title: str) -> str:
    """A title as Plex/Radarr write folder names (no `:` or other reserved characters)."""
    text = title.replace(": ", " - ").replace(":", "-").replace("/", "-")
    return _INVALID.sub("", text).strip().rstrip(".")


def scene_title(title: str) -> str:
    """A title as scene releases write it: ASCII words joined by dots."""
    plain = unicodedata.normalize("NFKD", title)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    plain = plain.encode("ascii", "ignore").decode("ascii")
    plain = plain.replace("&", "and").replace("'", "").replace("’", "")
    return ".".join(re.sub(r"[^A-Za-z0-9]+", " ", plain).split())


def scene_movie(title: str, year: str, rng: random.Random) -> tuple[str, str]:
    """A scene release name for a movie and its container extension."""
    quality, source, codec, ext = rng.choice(_SOURCES)
    parts = [scene_title(title), year, rng.choice(_TAGS), quality, source, rng.choice(_AUDIO)]
    name = ".".join(part for part in parts if part)
    return f"{name}.{codec}-{rng.choice(GROUPS)}", ext


def video_bytes(ext: str, seed: str) -> bytes:
    """A few hundred bytes that start like a real container of that type."""
    rng = random.Random(seed)
    body = bytes(rng.getrandbits(8) for _ in range(rng.randint(280, 900)))
    return _MAGIC.get(ext, b"") + body


def movie_path(movie: dict[str, Any], style: str, rng: random.Random) -> str:
    """The relative path of a movie file in naming style `style`."""
    title, year = movie["title"], movie["release_date"][:4]
    plex = f"{plex_title(title)} ({year})"
    ext = "mp4" if rng.random() < 0.15 else "mkv"
    if style == "plex":
        return f"Movies/{plex}/{plex}.{ext}"
    if style == "plex-flat":
        return f"Movies/{plex}.{ext}"
    if style == "plex-quality":
        quality = rng.choice(("1080p", "2160p", "720p", "Bluray-1080p", "WEBDL-1080p"))
        return f"Movies/{plex}/{plex} - {quality}.{ext}"
    if style == "plex-edition":
        edition = rng.choice(_EDITIONS)
        return f"Movies/{plex} {{edition-{edition}}}/{plex} {{edition-{edition}}}.{ext}"
    if style in ("plex-noyear", "ambiguous"):
        bare = plex_title(title)
        return f"Movies/{bare}/{bare}.{ext}" if style == "plex-noyear" else f"Movies/{bare}.avi"
    if style == "original-title":
        original = f"{plex_title(movie['original_title'])} ({year})"
        return f"Movies/{original}/{original}.{ext}"
    if style == "tmdb-tag":
        return f"Movies/{plex} {{tmdb-{movie['id']}}}/{plex}.{ext}"
    if style == "imdb-tag":
        return f"Movies/{plex} [imdbid-{movie['imdb_id']}]/{plex}.{ext}"
    if style == "nfo":
        messy = rng.choice((plex, scene_title(title).lower(), f"{plex_title(title)} [{year}]"))
        return f"Movies/{messy}/{scene_title(title).lower() or 'movie'}.{ext}"
    release, scene_ext = scene_movie(title, year, rng)
    if style == "scene":
        return f"Movies/{release}.{scene_ext}"
    if style == "scene-folder":
        return f"Movies/{release}/{release}.{scene_ext}"
    short = "".join(word[0] for word in scene_title(title).split(".") if word).lower()
    return f"Movies/{release}/{release.rsplit('-', 1)[-1].lower()}-{short}{year[2:]}.{scene_ext}"


def movie_nfo(movie: dict[str, Any], variant: int) -> str:
    """A Kodi NFO for the movie; `variant` 0-4 picks one of the forms found in the wild."""
    tmdb_id, imdb_id = movie["id"], movie["imdb_id"]
    if variant == 0:
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>\n<movie>\n'
            f"  <title>{movie['title']}</title>\n"
            f'  <uniqueid type="tmdb" default="true">{tmdb_id}</uniqueid>\n'
            f'  <uniqueid type="imdb">{imdb_id}</uniqueid>\n</movie>\n'
        )
    if variant == 1:
        return f'<movie>\n  <uniqueid type="imdb" default="true">{imdb_id}</uniqueid>\n</movie>\n'
    if variant == 2:
        return f"<movie>\n  <imdbid>{imdb_id}</imdbid>\n</movie>\n"
    if variant == 3:
        return f"<movie>\n  <tmdbid>{tmdb_id}</tmdbid>\n</movie>\n"
    return f"https://www.imdb.com/title/{imdb_id}/\n"  # a bare URL, as Kodi accepts


def episode_path(show: dict[str, Any], style: str, s: int, e: int, title: str) -> str:
    """The relative path of an episode file in naming style `style`."""
    name, year = show["name"], show["first_air_date"][:4]
    clean = plex_title(title)
    if style == "tv-scene":
        release = f"{scene_title(name)}.S{s:02d}E{e:02d}.720p.HDTV.x264-GRP"
        return f"TV/{name}/Season {s:02d}/{release}.mkv"
    if style == "tv-tag":
        tag = f"{{tvdb-{show['external_ids']['tvdb_id']}}}"
        return f"TV/{name} {tag}/Season {s:02d}/{name} - S{s:02d}E{e:02d} - {clean}.mkv"
    if style == "tv-x":
        return f"TV/{name} (US)/Season {s}/{name} (US) - {s}x{e:02d} - {clean}.avi"
    if style == "tv-words":
        return f"TV/{name} ({year})/Season {s}/{name} Season {s} Episode {e} - {clean}.mkv"
    if style == "tv-lower-scene":
        scene = scene_title(name).lower()
        return f"TV/{name}/Season {s}/{scene}.s{s:02d}e{e:02d}.1080p.web.h264-glhf.mkv"
    if style == "tv-nfo":
        release = f"{scene_title(name)}.S{s:02d}E{e:02d}.GERMAN.1080p.WEB.x264-TVARCHiV"
        return f"TV/{name} ({year})/Season {s}/{release}.mkv"
    if style == "tv-folder-short":
        return f"TV/{name}/S{s:02d}/{name} - S{s:02d}E{e:02d} - {clean.replace(':', '')}.mp4"
    return f"TV/{name} ({year})/Season {s}/{name} - S{s:02d}E{e:02d} - {clean}.mkv"
