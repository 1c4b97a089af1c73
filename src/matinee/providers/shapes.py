"""Reading provider JSON without trusting its shape.

Every provider normalizes bodies whose keys may be missing, null or of another type; these
readers turn anything unexpected into "no value", so an odd body never becomes a KeyError or a
TypeError in the caller.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = [
    "as_dict",
    "dicts",
    "integer",
    "iso_date",
    "positive",
    "present",
    "text",
    "unique",
    "year_of",
]


def as_dict(value: Any) -> dict[str, Any]:
    """`value` if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def dicts(value: Any) -> list[dict[str, Any]]:
    """The objects in `value` if it is a JSON array (other items dropped), else `[]`."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def text(value: Any) -> str | None:
    """Stripped text, or None for non-strings and blank strings."""
    if not isinstance(value, str):
        return None
    return value.strip() or None


def integer(value: Any) -> int | None:
    """An int (never a bool), or None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def positive(value: Any) -> int | None:
    """An int above zero (0 means "unknown" in provider payloads), or None."""
    number = integer(value)
    return number if number is not None and number > 0 else None


def iso_date(value: Any) -> str | None:
    """`YYYY-MM-DD` from a date or datetime string, or None."""
    value = text(value)
    return value[:10] if value and _DATE_RE.match(value) else None


def year_of(value: Any) -> int | None:
    """The year of a `YYYY...` date string (`""` gives None)."""
    value = text(value)
    return int(value[:4]) if value and _YEAR_RE.match(value) else None


def unique(values: Iterable[str | None]) -> list[str]:
    """The non-empty values, first occurrence kept, in order."""
    return list(dict.fromkeys(v for v in values if v))


def present(fields: dict[str, Any]) -> dict[str, Any]:
    """`fields` without the entries that carry no data (None, blank text, empty lists)."""
    return {k: v for k, v in fields.items() if v is not None and v != "" and v != []}


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_YEAR_RE = re.compile(r"^\d{4}")
