"""The demo's bundled catalog: ~240 real movies and a handful of series, plus generated extras.

Movies come from The Movies Dataset (Kaggle, CC0; see `data/SOURCES.md`), series are
handcrafted in `data/series.json`. Everything the dataset lacks (cast, crew, certification,
keywords, trailers, artwork, episode details) is generated deterministically by
`catalog_extras`, seeded by TMDB id. Records are kept in TMDB's own field names so the catalog
server only selects and copies; `override` changes a value at run time (a test changes the
catalog, re-enriches and sees the new value). No HTTP and no rendering here.
"""

from __future__ import annotations

import copy
import itertools
import json
import threading
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Literal

from matinee.demo.artwork import ArtSpec
from matinee.demo.catalog_extras import Extras, movie_extras, series_extras

__all__ = ["Catalog", "CatalogKind", "file_name", "grow_catalog", "load_catalog"]

Json = dict[str, Any]
CatalogKind = Literal["movie", "tv"]


@dataclass
class Catalog:
    """Movies and series by TMDB id, with the people and artwork they reference.

    Attributes:
        movies: TMDB movie id -> record (TMDB details fields plus `cast`, `crew`,
            `certification`, `keywords`, `videos`, `images`, `wikidata_id`).
        series: TMDB tv id -> record (TMDB details fields plus `cast`, `crew`,
            `content_ratings` {country: rating}, `external_ids`, `keywords`, `videos`,
            `images`, `seasons` with their `episodes`).
        people: TMDB person id -> person record.
        artwork: image file path (`/Abc…xyz.jpg`) -> what to draw.
    """

    movies: dict[int, Json]
    series: dict[int, Json]
    people: dict[int, Json] = field(default_factory=dict)
    artwork: dict[str, ArtSpec] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def movie(self, tmdb_id: int) -> Json | None:
        """The movie record, or None."""
        return self.movies.get(tmdb_id)

    def show(self, tmdb_id: int) -> Json | None:
        """The series record, or None."""
        return self.series.get(tmdb_id)

    def season(self, tmdb_id: int, season_number: int) -> Json | None:
        """One season of a series (with its episodes), or None."""
        show = self.series.get(tmdb_id)
        if show is None:
            return None
        for season in show["seasons"]:
            if season["season_number"] == season_number:
                return season  # type: ignore[no-any-return]
        return None

    def episode(self, tmdb_id: int, season_number: int, episode_number: int) -> Json | None:
        """One episode, or None."""
        season = self.season(tmdb_id, season_number)
        if season is None:
            return None
        for episode in season["episodes"]:
            if episode["episode_number"] == episode_number:
                return episode  # type: ignore[no-any-return]
        return None

    def find_external(self, external_id: str, source: str) -> tuple[CatalogKind, int] | None:
        """Which title carries `external_id` (`source` is `imdb_id` or `tvdb_id`)."""
        with self._lock:
            if source == "imdb_id":
                for movie_id, movie in self.movies.items():
                    if movie.get("imdb_id") == external_id:
                        return "movie", movie_id
            for show_id, show in self.series.items():
                value = show["external_ids"].get(source)
                if value is not None and str(value) == external_id:
                    return "tv", show_id
        return None

    def by_title(self, title: str) -> list[Json]:
        """Movies whose title is exactly `title` (case-insensitive), oldest first."""
        wanted = title.casefold()
        found = [m for m in self.movies.values() if m["title"].casefold() == wanted]
        return sorted(found, key=lambda movie: str(movie["release_date"]))

    def override(self, kind: CatalogKind | str, tmdb_id: int, field: str, value: Any) -> Any:
        """Change one value of a title at run time; return the previous value.

        Args:
            kind: "movie" or "tv" ("series" is accepted for "tv").
            tmdb_id: the title's TMDB id.
            field: a key of the record (`overview`, `title`, `runtime`, `certification`,
                `vote_average`, `cast`, ...); `external_ids.<name>` reaches a series' ids.
            value: the new value, in the record's shape.

        Raises:
            KeyError: unknown kind, id or field.
        """
        table = {"movie": self.movies, "tv": self.series, "series": self.series}.get(kind)
        if table is None:
            raise KeyError(f"unknown kind {kind!r}")
        with self._lock:
            record = table[tmdb_id]
            target, key = record, field
            if "." in field:
                head, key = field.split(".", 1)
                target = record[head]
            if key not in target:
                raise KeyError(f"{kind}:{tmdb_id} has no field {field!r}")
            previous = target[key]
            target[key] = value
            return previous


def _read_json(name: str) -> Any:
    text = resources.files("matinee.demo").joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text)


def load_catalog() -> Catalog:
    """Load the bundled catalog and generate its extras (about 50 ms; deterministic)."""
    extras = Extras(names=_read_json("names.json"))
    movies: dict[int, Json] = {}
    for movie in sorted(_read_json("movies.json"), key=lambda m: int(m["id"])):
        movie_extras(extras, movie)
        movies[int(movie["id"])] = _movie_defaults(movie)
    series: dict[int, Json] = {}
    for show in sorted(_read_json("series.json"), key=lambda s: int(s["id"])):
        series_extras(extras, show)
        series[int(show["id"])] = show
    return Catalog(movies=movies, series=series, people=extras.people, artwork=extras.art)


def _movie_defaults(movie: Json) -> Json:
    movie.setdefault("adult", False)
    movie.setdefault("video", False)
    movie.setdefault("status", "Released")
    return movie


_ADJECTIVES = [
    "Amber",
    "Brass",
    "Cobalt",
    "Dusky",
    "Ember",
    "Feral",
    "Gilded",
    "Hollow",
    "Ivory",
    "Jagged",
    "Lunar",
    "Marble",
    "Northern",
    "Obsidian",
    "Pale",
    "Quiet",
    "Rusted",
    "Scarlet",
    "Tidal",
    "Umber",
    "Velvet",
    "Wandering",
    "Xenial",
    "Yellow",
    "Zephyr",
    "Ashen",
    "Briny",
    "Cinder",
    "Drifting",
    "Eastern",
    "Frozen",
    "Granite",
    "Hidden",
    "Iron",
    "Juniper",
    "Kindled",
    "Lost",
]
_NOUNS = [
    "Harbor",
    "Orchard",
    "Lantern",
    "Meridian",
    "Quarry",
    "Canyon",
    "Estuary",
    "Furnace",
    "Glacier",
    "Hamlet",
    "Isthmus",
    "Junction",
    "Keep",
    "Lagoon",
    "Monastery",
    "Narrows",
    "Outpost",
    "Pavilion",
    "Reservoir",
    "Summit",
    "Terrace",
    "Viaduct",
    "Wharf",
    "Aqueduct",
    "Bastion",
    "Causeway",
]


_PLACES = ["Avalon", "Brixton", "Calder", "Dunmore", "Elsinore", "Fairhaven", "Glenrock",
           "Halcyon", "Inverness", "Jericho", "Kestrel", "Lowell", "Marigold", "Northam",
           "Oakridge", "Pemberton", "Quillon", "Redwater", "Sable", "Thornbury"]  # fmt: skip


def grow_catalog(catalog: Catalog, count: int) -> Catalog:
    """`catalog` with generated movies added (or movies dropped) to hold exactly `count`.

    Generated movies copy a bundled one's details under a new id, IMDb id and an invented
    title ("Amber Harbor Avalon") that no other title contains, so searches stay unambiguous.
    For benchmarks and tests at library scale.
    """
    base = list(catalog.movies.values())
    taken = {m["title"].casefold() for m in base}
    names = (
        f"{a} {n} {p}" for p, a, n in itertools.product(_PLACES, _ADJECTIVES, _NOUNS)
    )  # three words each: no title holds all the words of another
    next_id = 9_000_000
    while len(catalog.movies) < count:
        title = next(names)
        if title.casefold() in taken:
            continue
        source = base[next_id % len(base)]
        movie = copy.deepcopy(source)
        movie.update(id=next_id, title=title, original_title=title, imdb_id=f"tt9{next_id:07d}")
        catalog.movies[next_id] = movie
        next_id += 1
    while len(catalog.movies) > count:
        catalog.movies.popitem()
    return catalog


def file_name(movie: Json) -> str:
    """`Title (Year).mkv` for a catalog movie, named as a user would (no `/` or `:`)."""
    title = movie["title"].replace("/", " ").replace(":", "")
    return f"{title} ({movie['release_date'][:4]}).mkv"
