"""How artwork candidates read on the picker: slots in order, marks, sizes, explained scores.

Pure functions over `AssetCandidate` values (no Textual, no engine calls), kept apart from the
screen so they are tested without a terminal. The score parts are explained against the
maxima the scoring declares (`matinee.assets.score`), so a change of weights shows here unasked.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from matinee.assets.model import TEXTLESS, AssetCandidate
from matinee.assets.score import (
    ASPECT_POINTS,
    LANGUAGE_POINTS,
    PROVIDER_POINTS,
    RESOLUTION_POINTS,
    VOTES_POINTS,
)
from matinee.config_assets import ASSET_SLOTS
from matinee.tui import format as fmt

__all__ = [
    "SELECTED_MARK",
    "SlotKey",
    "SlotRow",
    "explain",
    "group_by_slot",
    "is_locked",
    "language_text",
    "score_text",
    "selection_mark",
    "size_text",
    "slot_label",
    "slot_rows",
]

SlotKey = tuple[str, int | None]
"""A slot of the title (season None) or of one of its seasons."""

SELECTED_MARK = "✓"
PART_MAXIMA = {
    "resolution": RESOLUTION_POINTS,
    "aspect": ASPECT_POINTS,
    "language": LANGUAGE_POINTS[0],
    "votes": VOTES_POINTS,
    "provider": PROVIDER_POINTS,
}


class SlotRow(NamedTuple):
    """One line of the slot list (the first item is the row key)."""

    key: SlotKey
    label: str
    locked: bool


def slot_label(slot: str, season: int | None) -> str:
    return slot if season is None else f"season {season} {slot}"


def _slot_order(key: SlotKey) -> tuple[int, int, int, str]:
    slot, season = key
    known = ASSET_SLOTS.index(slot) if slot in ASSET_SLOTS else len(ASSET_SLOTS)
    return (season is not None, season or 0, known, slot)


def group_by_slot(candidates: Iterable[AssetCandidate]) -> dict[SlotKey, list[AssetCandidate]]:
    """Candidates per slot, slots in the configured order (title art first, then seasons),
    each slot's candidates best score first."""
    groups: dict[SlotKey, list[AssetCandidate]] = {}
    for c in candidates:
        groups.setdefault((c.slot, c.season), []).append(c)
    return {
        key: sorted(groups[key], key=lambda c: -(c.score if c.score is not None else -1.0))
        for key in sorted(groups, key=_slot_order)
    }


def is_locked(candidates: Iterable[AssetCandidate]) -> bool:
    return any(c.selected and c.selected_by == "user" for c in candidates)


def slot_rows(groups: dict[SlotKey, list[AssetCandidate]]) -> list[SlotRow]:
    return [SlotRow(key, slot_label(*key), is_locked(cs)) for key, cs in groups.items()]


def language_text(language: str | None) -> str:
    return language or TEXTLESS


def size_text(width: int | None, height: int | None) -> str:
    return f"{width}×{height}" if width and height else "?"


def score_text(score: float | None) -> str:
    return "—" if score is None else f"{score:.0f}%"


def selection_mark(c: AssetCandidate) -> str:
    if not c.selected:
        return ""
    return fmt.LOCK_MARK if c.selected_by == "user" else SELECTED_MARK


def _reason(c: AssetCandidate, part: str) -> str:
    if part == "resolution":
        return size_text(c.width, c.height) if c.width else "not declared"
    if part == "aspect":
        if c.real_width and c.real_height:
            return f"{c.real_width}×{c.real_height} seen"
        return size_text(c.width, c.height) if c.width else "unknown"
    if part == "language":
        return language_text(c.language)
    if part == "votes":
        return f"{c.votes} votes" + (f", rated {c.rating:g}" if c.rating is not None else "")
    return c.provider


def explain(c: AssetCandidate) -> str:
    """The candidate's score parts, one line each: bar, points out of the part's maximum and
    what the points were given for."""
    lines = [f"{c.provider} · {language_text(c.language)} · score {score_text(c.score)}"]
    if "rejected" in c.parts:
        lines.append("Rejected: its image could not be fetched or has the wrong shape.")
    for name, value in c.parts.items():
        if name in ("total", "rejected"):
            continue
        most = PART_MAXIMA.get(name)
        if most is None:  # a part this screen does not know: show it as it came
            lines.append(f"{name:<10} {value:g}")
            continue
        bar = fmt.bar(100 * value / most, 5)
        lines.append(f"{name:<10} {bar} {value:4.1f}/{most:<2g} {_reason(c, name)}")
    if c.selected:
        lines.append(
            "Chosen by you (locked; u unlocks)."
            if c.selected_by == "user"
            else "Chosen automatically (l locks it)."
        )
    return "\n".join(lines)
