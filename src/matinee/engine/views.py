"""Read models the TUI's screens ask for beyond a title's detail: its history and the library's
facets. Plain frozen values, like `reports.py`; the store builds them, front ends render them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["FieldChange", "HistoryEntry", "LibraryFacets"]


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field's value before and after a write, and who supplied the new one."""

    field: str
    old: Any
    new: Any
    source: str | None
    """The provider, or "user" for an edit made by hand."""


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One row of a title's enrichment log: an enrichment, an edit, an identification."""

    at: datetime
    mode: str
    """"manual", "bulk", "scheduled", "user" (an edit) or "identify"."""
    changes: tuple[FieldChange, ...]
    providers_ok: tuple[str, ...] = ()
    providers_rate_limited: tuple[str, ...] = ()
    providers_failed: tuple[str, ...] = ()
    completeness_before: float | None = None
    completeness_after: float | None = None


@dataclass(frozen=True, slots=True)
class LibraryFacets:
    """What the library's filters can offer: every genre, and the fields that can be missing."""

    genres: tuple[str, ...]
    missing_fields: tuple[str, ...]
