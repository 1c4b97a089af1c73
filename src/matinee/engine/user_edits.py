"""What a person's edits turn into: typed values, locks, and the reset a re-identification needs.

A value typed by a user is stored with the source `user` and locks its field, so no provider
ever overwrites it. Re-identifying a title (a different TMDB id) forgets what the providers
said about the old match, keeping the user's own values and locks.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from matinee.enrich.authority import USER
from matinee.enrich.completeness import measure
from matinee.errors import UsageError
from matinee.model import FIELD_BY_NAME, FieldKind, Identification, Ids
from matinee.store.library_ops import sort_key
from matinee.store.records import EntityState, EntityWrite, LogEntry

__all__ = ["coerce_value", "locked_write", "reidentified_write"]


def coerce_value(name: str, value: Any) -> Any:
    """Turn a typed value (often a string from the CLI) into the field's kind."""
    kind = FIELD_BY_NAME[name].kind
    if not isinstance(value, str):
        return value
    text = value.strip()
    if kind is FieldKind.NUMBER:
        try:
            number = float(text)
        except ValueError:
            raise UsageError(f"{name} takes a number, not {value!r}") from None
        return int(number) if number.is_integer() and name not in _DECIMAL else number
    if kind is FieldKind.DATE:
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise UsageError(f"{name} takes a date like 1999-03-31, not {value!r}") from None
    if kind is FieldKind.LIST:
        return [part.strip() for part in text.split(",") if part.strip()]
    return text


_DECIMAL = frozenset({"imdb_rating", "tmdb_rating"})


def _ids_from(fields: Mapping[str, Any], ids: Ids) -> Ids:
    typed = Ids(fields.get("tmdb_id") or None, fields.get("imdb_id") or None,
                fields.get("tvdb_id") or None)  # fmt: skip
    return typed.fill(ids)


def locked_write(
    state: EntityState,
    values: Mapping[str, Any],
    lock: Sequence[str],
    *,
    expected: Sequence[str],
    ids: Ids | None = None,
    identification: Identification | None = None,
) -> EntityWrite:
    """Set `values` as the user's, lock `lock`, and log the change."""
    fields = dict(state.fields)
    changes = []
    for name, value in values.items():
        if fields.get(name) != value:
            changes.append({"field": name, "old": fields.get(name), "new": value, "provider": USER})
        fields[name] = value
    completeness, _ = measure(state.ref.kind, fields, expected)
    title = str(fields.get("title") or state.title)
    year = fields["year"] if isinstance(fields.get("year"), int) else state.year
    return EntityWrite(
        entity_id=state.ref.id,
        fields=fields,
        sources={name: USER for name in values},
        fetched_at=time.time(),
        ids=_ids_from(values, ids or state.ids),
        identification=identification or state.identification,
        completeness=completeness,
        title=title,
        year=year,
        sort_title=sort_key(title),
        enriched=False,
        log=LogEntry(
            mode="user",
            changes=tuple(changes),
            completeness_before=state.completeness,
            completeness_after=completeness,
        )
        if changes
        else None,
        locks_added=tuple(lock),
    )


def reidentified_write(
    state: EntityState, ids: Ids, identification: Identification, expected: Sequence[str]
) -> EntityWrite:
    """Point a title at other ids, dropping provider values that described the old match."""
    keep = {
        name: value
        for name, value in state.fields.items()
        if name in state.locks or state.sources.get(name) in (USER, None)
    }
    for name in ("tmdb_id", "imdb_id", "tvdb_id"):
        if name not in state.locks:
            keep.pop(name, None)
    for name, value in (("tmdb_id", ids.tmdb), ("imdb_id", ids.imdb), ("tvdb_id", ids.tvdb)):
        if value and name not in state.locks:
            keep[name] = value
    completeness, _ = measure(state.ref.kind, keep, expected)
    title = str(keep.get("title") or state.title)
    return EntityWrite(
        entity_id=state.ref.id,
        fields=keep,
        sources={},
        fetched_at=time.time(),
        ids=ids,
        identification=identification,
        completeness=completeness,
        title=title,
        year=state.year,
        sort_title=sort_key(title),
        enriched=False,
        log=LogEntry(
            mode="identify",
            changes=(
                {"field": "tmdb_id", "old": state.ids.tmdb, "new": ids.tmdb, "provider": USER},
            ),
        ),
    )
