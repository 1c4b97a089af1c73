"""fanart.tv v3 bodies and their artwork, generated from the demo catalog (no HTTP).

`/v3/movies/{tmdb_id|imdb_id}` and `/v3/tv/{tvdb_id}` in the real v3 shape: `name`, the ids as
strings, then one array per art type whose items are `{id, url, lang, likes}` (all strings;
`moviedisc` adds `disc`/`disc_type`, season art and `showbackground` add `season`). Items are
seeded by the title's id; a deterministic ~15% of movies have no art at all (the API's 404).
Every `url` points at the server's `/fanart-assets/fanart/...`; the same path under
`/fanart-assets/preview/...` is a small preview, as on assets.fanart.tv. `asset` maps such a
path back to what to draw.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from matinee.demo.artwork import ArtSpec
from matinee.demo.catalog import Catalog
from matinee.demo.http_util import chance, seeded

__all__ = ["NO_ART_SHARE", "PREVIEW_WIDTH", "Asset", "asset", "movie_body", "tv_body"]

Json = dict[str, Any]
Items = dict[str, list[tuple[Json, ArtSpec]]]
NO_ART_SHARE = 0.15
PREVIEW_WIDTH = 200


@dataclass(frozen=True)
class _Kind:
    name: str
    art: str  # ArtSpec.kind
    size: tuple[int, int]
    counts: tuple[int, int]
    textless: float = 0.0  # share of items with lang "" / "00"

    @property
    def png(self) -> bool:
        return self.art in ("logo", "clearart", "disc", "character")


_MOVIE_KINDS = (
    _Kind("hdmovielogo", "logo", (800, 310), (1, 4)),
    _Kind("hdmovieclearart", "clearart", (1000, 562), (0, 3)),
    _Kind("moviedisc", "disc", (1000, 1000), (0, 3)),
    _Kind("movieposter", "poster", (1000, 1426), (1, 6), 0.1),
    _Kind("movieart", "clearart", (500, 281), (0, 1)),
    _Kind("movielogo", "logo", (400, 155), (0, 1)),
    _Kind("moviethumb", "thumb", (1000, 562), (0, 3)),
    _Kind("moviebackground", "backdrop", (1920, 1080), (2, 8), 0.9),
    _Kind("moviebanner", "banner", (1000, 185), (0, 2)),
)
_TV_KINDS = (
    _Kind("hdtvlogo", "logo", (800, 310), (1, 4)),
    _Kind("hdclearart", "clearart", (1000, 562), (1, 3)),
    _Kind("clearlogo", "logo", (400, 155), (0, 1)),
    _Kind("characterart", "character", (512, 512), (0, 4)),
    _Kind("tvposter", "poster", (1000, 1426), (1, 5), 0.1),
    _Kind("showbackground", "backdrop", (1920, 1080), (2, 8), 0.9),
    _Kind("tvthumb", "thumb", (1000, 562), (1, 4)),
    _Kind("tvbanner", "banner", (1000, 185), (1, 3)),
    _Kind("seasonposter", "poster", (1000, 1426), (1, 2)),
    _Kind("seasonthumb", "thumb", (1000, 562), (0, 1)),
)
_OTHER_LANGS = ("de", "fr", "es", "it", "pt", "ru")


@dataclass(frozen=True)
class Asset:
    """What one served fanart file shows, and at which size."""

    spec: ArtSpec
    width: int
    height: int
    content_type: str


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "art"


def _number(key: str, low: int, high: int) -> int:
    value = int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:8], 16)
    return low + value % (high - low)


def _items(
    section: str, ident: str, title: str, kinds: tuple[_Kind, ...], seasons: list[int]
) -> Items:
    """(art type -> [(item without url base, spec)]) for one title, best-liked first."""
    rng = seeded(f"fanart:{section}:{ident}")
    slug = _slug(title)
    found: Items = {}
    for kind in kinds:
        per_season = kind.name.startswith("season")
        groups = seasons if per_season else [-1]
        entries: list[tuple[Json, ArtSpec]] = []
        for season in groups:
            for index in range(rng.randint(*kind.counts)):
                key = f"fanart:{section}:{ident}:{kind.name}:{season}:{index}"
                ext = "png" if kind.png else "jpg"
                name = hashlib.sha1(key.encode("utf-8")).hexdigest()[:13]
                roll = rng.random()
                if roll < kind.textless:
                    lang = rng.choice(("", "00"))
                else:
                    lang = "en" if rng.random() < 0.85 else rng.choice(_OTHER_LANGS)
                item: Json = {
                    "id": str(_number(key, 1000, 240000)),
                    "url": f"/fanart/{section}/{ident}/{kind.name}/{slug}-{name}.{ext}",
                    "lang": lang,
                    "likes": str(max(0, int(rng.expovariate(0.25)))),
                }
                if kind.name == "moviedisc":
                    item["disc"] = str(1 + index // 2)
                    item["disc_type"] = rng.choice(("bluray", "bluray", "dvd"))
                if per_season:
                    item["season"] = str(season)
                elif kind.name == "showbackground":
                    item["season"] = "all" if rng.random() < 0.85 else str(rng.choice(seasons))
                text = title if lang not in ("", "00") else ""
                subtitle = f"Season {season}" if per_season else ""
                width, height = kind.size
                spec = ArtSpec(kind.art, text, width, height, key, subtitle,
                               "PNG" if kind.png else "JPEG")  # fmt: skip
                entries.append((item, spec))
        if entries:
            entries.sort(key=lambda entry: -int(entry[0]["likes"]))
            found[kind.name] = entries
    return found


def _movie(catalog: Catalog, ident: str) -> Json | None:
    if ident.startswith("tt"):
        hit = catalog.find_external(ident, "imdb_id")
        return catalog.movies[hit[1]] if hit and hit[0] == "movie" else None
    return catalog.movie(int(ident)) if ident.isdigit() else None


def _show(catalog: Catalog, tvdb_id: str) -> Json | None:
    for show in catalog.series.values():
        if str(show["external_ids"].get("tvdb_id")) == tvdb_id:
            return show
    return None


def _movie_items(movie: Json) -> Items | None:
    if chance(f"fanart:none:{movie['id']}") < NO_ART_SHARE:
        return None
    return _items("movies", str(movie["id"]), movie["title"], _MOVIE_KINDS, [])


def _tv_items(show: Json) -> Items:
    seasons = [season["season_number"] for season in show["seasons"]]
    tvdb_id = str(show["external_ids"]["tvdb_id"])
    return _items("tv", tvdb_id, show["name"], _TV_KINDS, seasons)


def _with_base(items: Items, base: str) -> Json:
    return {
        name: [{**item, "url": base + item["url"]} for item, _ in entries]
        for name, entries in items.items()
    }


def movie_body(catalog: Catalog, ident: str, assets_base: str) -> Json | None:
    """`/v3/movies/{ident}` (TMDB or IMDb id), or None when there is no art (404)."""
    movie = _movie(catalog, ident)
    items = _movie_items(movie) if movie is not None else None
    if movie is None or items is None:
        return None
    head = {"name": movie["title"], "tmdb_id": str(movie["id"]), "imdb_id": movie["imdb_id"]}
    return {**head, **_with_base(items, assets_base)}


def tv_body(catalog: Catalog, tvdb_id: str, assets_base: str) -> Json | None:
    """`/v3/tv/{tvdb_id}`, or None when no series has that TheTVDB id (404)."""
    show = _show(catalog, tvdb_id)
    if show is None:
        return None
    head = {"name": show["name"], "thetvdb_id": tvdb_id}
    return {**head, **_with_base(_tv_items(show), assets_base)}


_ASSET = re.compile(r"^/(fanart|preview)/(movies|tv)/(\d+)/([a-z]+)/([a-z0-9-]+\.(?:png|jpg))$")


def asset(catalog: Catalog, path: str) -> Asset | None:
    """What `/fanart/...` or `/preview/...` (below the assets prefix) shows, or None."""
    match = _ASSET.match(path)
    if match is None:
        return None
    root, section, ident, kind, _ = match.groups()
    if section == "movies":
        movie = catalog.movie(int(ident))
        items = _movie_items(movie) if movie is not None else None
    else:
        show = _show(catalog, ident)
        items = _tv_items(show) if show is not None else None
    wanted = "/fanart" + path[len(root) + 1 :]
    for item, spec in (items or {}).get(kind, []):
        if item["url"] == wanted:
            width, height = spec.width, spec.height
            if root == "preview":
                width, height = PREVIEW_WIDTH, max(1, round(PREVIEW_WIDTH * height / width))
            content_type = "image/png" if spec.fmt == "PNG" else "image/jpeg"
            return Asset(spec, width, height, content_type)
    return None
