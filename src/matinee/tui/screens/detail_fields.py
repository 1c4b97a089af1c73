"""The detail screen's fields table: one row per registry field, and how its cells read.

Pure functions over an `EntityDetail`, so the rows are tested without a terminal. The rows are
the field registry's fields for the entity's kind (`model.fields_for`): a field added to the
registry appears on the detail screen unasked.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from operator import itemgetter
from typing import NamedTuple

from matinee.model import EntityDetail, fields_for, is_empty
from matinee.tui import format as fmt
from matinee.tui.widgets.virtual_table import Column

__all__ = ["COLUMNS", "USER_SOURCE", "FieldRow", "age", "field_rows", "missing_line"]

USER_SOURCE = "user"
"""The source badge of a value typed by hand."""


class FieldRow(NamedTuple):
    """One line of the fields table (the first item is the row key)."""

    name: str
    display: str
    value: str
    source: str
    locked: bool
    category: str
    missing: bool
    age: str = ""


def age(fetched: datetime | None, now: datetime | None = None) -> str:
    """How long ago a value was fetched, in one short word: `today`, `3d`, `5w`, `4mo`, `2y`."""
    if fetched is None:
        return ""
    now = now or datetime.now(fetched.tzinfo)
    days = (now - fetched).days
    if days < 1:
        return "today"
    if days < 14:
        return f"{days}d"
    if days < 60:
        return f"{days // 7}w"
    if days < 730:
        return f"{days // 30}mo"
    return f"{days // 365}y"


def field_rows(detail: EntityDetail, now: datetime | None = None) -> list[FieldRow]:
    """A row per registry field of the entity's kind, in registry order."""
    rows = []
    for spec in fields_for(detail.ref.kind):
        value = detail.fields.get(spec.name)
        rows.append(
            FieldRow(
                spec.name,
                spec.display_name,
                fmt.field_value(value),
                detail.field_sources.get(spec.name, ""),
                spec.name in detail.locks,
                spec.category.value,
                is_empty(value),
                age(detail.field_fetched.get(spec.name), now),
            )
        )
    return rows


def _source_style(source: str) -> str:
    return "warn" if source == USER_SOURCE else "dim"


COLUMNS = (
    Column("display", "Field", 16, value=itemgetter(1)),
    Column("value", "Value", 0, value=itemgetter(2), min_width=20),
    Column("source", "Source", 7, value=itemgetter(3), style=_source_style),
    Column("age", "Age", 5, "right", value=itemgetter(7), style=lambda a: "dim"),
    Column(
        "locked", "🔒", 2, "center", value=itemgetter(4), text=lambda v: fmt.LOCK_MARK if v else ""
    ),
    Column(
        "missing",
        "",
        7,
        value=itemgetter(6),
        text=lambda m: "missing" if m else "",
        style=lambda m: "bad" if m else None,
    ),
)


def missing_line(detail: EntityDetail) -> str:
    """`Missing 3 (metadata 2, ratings 1): Tagline, Outline, Metacritic` (one line; the table
    marks each missing field too)."""
    if not detail.missing:
        return "Nothing missing"
    counts = Counter(m.category for m in detail.missing)
    per_category = ", ".join(f"{category} {n}" for category, n in counts.items())
    names = ", ".join(m.display_name for m in detail.missing)
    return f"Missing {len(detail.missing)} ({per_category}): {names}"
