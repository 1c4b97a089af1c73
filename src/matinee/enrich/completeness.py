"""How complete a title is: the share of the expected fields it has filled.

Expected fields come from config (`[completeness] expected_fields`), limited to the fields the
entity's kind has in the registry (a series has no directors). Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from matinee.model import FIELD_BY_NAME, EntityKind, MissingField, is_empty

__all__ = ["expected_for", "measure"]


def expected_for(kind: EntityKind, expected: Sequence[str]) -> tuple[str, ...]:
    """The expected fields that apply to `kind`, in config order."""
    return tuple(f for f in expected if f in FIELD_BY_NAME and kind in FIELD_BY_NAME[f].kinds)


def measure(
    kind: EntityKind, fields: Mapping[str, Any], expected: Sequence[str]
) -> tuple[float, tuple[MissingField, ...]]:
    """Completeness in percent (0-100) and the expected fields still empty."""
    names = expected_for(kind, expected)
    if not names:
        return 100.0, ()
    missing = tuple(
        MissingField(n, FIELD_BY_NAME[n].display_name, FIELD_BY_NAME[n].category.value)
        for n in names
        if is_empty(fields.get(n))
    )
    filled = len(names) - len(missing)
    return round(100.0 * filled / len(names), 1), missing
