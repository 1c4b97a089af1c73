"""How domain values read on screen: bars, dates, field values, sizes.

Pure functions over `model.py` values, shared by the library and detail screens, and kept apart
so the rendering of 100k rows stays cheap (no Rich markup parsing per cell) and is tested
without a terminal. Colour is not decided here: `category_style` names a component class and
the theme decides what that looks like.
"""

from __future__ import annotations

from datetime import datetime

from matinee.display import field_value
from matinee.model import CATEGORY_ENRICHED, CATEGORY_PARTIAL, category_for

__all__ = [
    "bar",
    "category_style",
    "completeness_badge",
    "duration",
    "field_value",
    "last_enriched",
    "partial_mark",
    "resolution",
    "size",
]

BAR_CELLS = 5
LOCK_MARK = "🔒"
PARTIAL_MARK = "⚠"


def bar(percent: float, cells: int = BAR_CELLS) -> str:
    """A block bar like `███▌ ` for 0-100, in `cells` cells (half-block resolution)."""
    percent = max(0.0, min(100.0, percent))
    halves = round(percent / 100 * cells * 2)
    return ("█" * (halves // 2) + ("▌" if halves % 2 else "")).ljust(cells)


def completeness_badge(percent: float | None) -> str:
    if percent is None:
        return ""
    return f"{bar(percent)}{percent:4.0f}%"


def category_style(value: float | str | None) -> str | None:
    """Component-class suffix for a completeness (percent) or a category name."""
    if value is None:
        return None
    category = category_for(value) if isinstance(value, int | float) else value
    if category == CATEGORY_ENRICHED:
        return "good"
    if category == CATEGORY_PARTIAL:
        return "warn"
    return "bad"


def last_enriched(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "never"


def partial_mark(partial: bool) -> str:
    return PARTIAL_MARK if partial else ""


def size(num_bytes: int) -> str:
    value = float(num_bytes)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.2f} TB"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def resolution(width: int | None, height: int | None) -> str:
    return f"{width}x{height}" if width and height else "?"
