"""Aggregate provider answers by field authority, then merge them into what we have.

The merge rules (DESIGN.md §6, "fill gaps, don't erase"), per field:
  - a locked field never changes;
  - an empty new value never replaces a value;
  - an empty field takes any value;
  - a different value replaces the old one only if its provider ranks at least as high for that
    field as the provider the current value came from, so a run with a provider down never
    flips data back and forth.
Pure functions: the engine decides when to call them and the store writes the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from matinee.enrich.authority import Authority
from matinee.model import FIELD_BY_NAME, is_empty

__all__ = ["VISIBLE_FIELDS", "Change", "MergeResult", "aggregate", "merge"]

# Fields a media player shows: a change here is worth telling a publisher about.
VISIBLE_FIELDS = frozenset(
    {"title", "plot", "poster", "fanart", "imdb_rating", "tmdb_rating", "rotten_tomatoes_score",
     "metacritic_score", "release_date", "cast"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Change:
    field: str
    old: Any
    new: Any
    provider: str

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new, "provider": self.provider}


@dataclass(slots=True)
class MergeResult:
    fields: dict[str, Any]
    sources: dict[str, str]
    changes: list[Change] = field(default_factory=list)

    @property
    def visible_change(self) -> bool:
        return any(c.field in VISIBLE_FIELDS for c in self.changes)


def aggregate(
    answers: Mapping[str, Mapping[str, Any]], authority: Authority
) -> dict[str, tuple[Any, str]]:
    """Pick one value per field by authority: `{field: (value, provider)}`.

    `answers` maps each provider that answered the title to its normalized fields; a provider
    that failed or was rate limited is absent, while one present with an empty value for a field
    answered without it. With `authority.fill_gaps` a field takes the first non-empty value in
    its order; without it, only the first provider in its order that answered at all counts,
    and when that provider had no value the field is left out of the result.
    """
    names: set[str] = set()
    for fields in answers.values():
        names.update(fields)
    out: dict[str, tuple[Any, str]] = {}
    for name in sorted(names):
        if name not in FIELD_BY_NAME:
            continue
        for provider in authority.order(name):
            if provider not in answers or not authority.allows(name, provider):
                continue
            value = answers[provider].get(name)
            if not is_empty(value):
                out[name] = (value, provider)
                break
            if not authority.fill_gaps:
                break
    return out


def merge(
    current: Mapping[str, Any],
    sources: Mapping[str, str],
    locks: frozenset[str],
    incoming: Mapping[str, tuple[Any, str]],
    authority: Authority,
) -> MergeResult:
    """Apply `incoming` values to `current` under the merge rules; returns the new state."""
    fields = dict(current)
    new_sources: dict[str, str] = {}
    changes: list[Change] = []
    for name, (value, provider) in incoming.items():
        if name in locks or is_empty(value):
            continue
        old = fields.get(name)
        old_source = sources.get(name)
        if is_empty(old):
            take = True
        elif old == value:
            take = False
            if authority.rank(name, provider) <= authority.rank(name, old_source):
                new_sources[name] = provider  # confirmed: refresh when and by whom it was seen
        else:
            take = authority.rank(name, provider) <= authority.rank(name, old_source)
        if take:
            fields[name] = value
            new_sources[name] = provider
            changes.append(Change(name, old, value, provider))
    return MergeResult(fields, new_sources, changes)
