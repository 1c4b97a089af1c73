"""Which provider is trusted for which field (DESIGN.md §6).

Each field has an ordered list of providers; an `exclusive` field takes values only from its
list. Values typed or locked by the user (`user`) outrank every provider; values guessed from
file names (`file`) rank below every provider. The per-field lists become configurable with the
engine issue; these are the design's defaults.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["DEFAULT_AUTHORITY", "FILE", "USER", "Authority"]

USER = "user"
FILE = "file"

DEFAULT_PRIORITY = ("tmdb", "omdb", "tvdb", "fanart")

_OMDB_ONLY = ("imdb_rating", "imdb_votes", "rotten_tomatoes_score", "metacritic_score", "awards",
              "outline")  # fmt: skip
_DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    **{f: ("omdb",) for f in _OMDB_ONLY},
    "plot": ("tmdb", "omdb"),
    "title": ("tmdb", "omdb"),
    "genres": ("tmdb", "tvdb"),
    "poster": ("tmdb", "fanart"),
    "fanart": ("fanart", "tmdb"),
}


@dataclass(frozen=True)
class Authority:
    priority: tuple[str, ...] = DEFAULT_PRIORITY
    fields: Mapping[str, Sequence[str]] = field(default_factory=lambda: dict(_DEFAULT_FIELDS))
    exclusive: frozenset[str] = frozenset(_OMDB_ONLY)

    def order(self, name: str) -> tuple[str, ...]:
        """Providers for `name`, most trusted first."""
        listed = tuple(self.fields.get(name, ()))
        if name in self.exclusive:
            return listed
        return listed + tuple(p for p in self.priority if p not in listed)

    def rank(self, name: str, source: str | None) -> int:
        """Lower is more trusted. `user` is 0; `file` and unknown sources rank last."""
        if source == USER:
            return 0
        order = self.order(name)
        if source in order:
            return 1 + order.index(source)
        return 1 + len(self.priority) + (1 if source == FILE else 0)

    def allows(self, name: str, provider: str) -> bool:
        return name not in self.exclusive or provider in self.fields.get(name, ())


DEFAULT_AUTHORITY = Authority()
