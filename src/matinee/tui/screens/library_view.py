"""What the library shows, without Textual: its rows, columns, sort and status line.

`LibraryRows` holds the loaded summaries and answers which of them are shown (title search,
filters, sort). The movie table and the series tree draw a title with the same `Column`s, so
they read alike and sort alike; the sort keys are every column, in the order they appear. The
status line and the progress text are built from plain values, tested without a terminal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from operator import attrgetter

from matinee.engine.events import (
    Event,
    RunFinished,
    RunProgressed,
    RunStarted,
    ScanFinished,
    ScanProgressed,
    ScanStarted,
)
from matinee.model import EntitySummary, Ref
from matinee.tui import format as fmt
from matinee.tui.screens.library_filters import LibraryFilter, title_search
from matinee.tui.widgets.virtual_table import Column, sort_rows

__all__ = [
    "COLUMNS",
    "EPISODE_COLUMNS",
    "SORT_KEYS",
    "LibraryRows",
    "column",
    "cycle_sort",
    "move_sort",
    "progress_text",
    "sort_label",
    "status_text",
]


def _status_style(status: str) -> str | None:
    return {"review": "warn", "unidentified": "bad", "manual": "dim"}.get(status)


COLUMNS: tuple[Column, ...] = (
    Column("title", "Title", 0, value=attrgetter("title"), min_width=20),
    Column("year", "Year", 5, "right", value=attrgetter("year")),
    Column(
        "done",
        "Done",
        10,
        value=attrgetter("completeness"),
        text=fmt.completeness_badge,
        style=fmt.category_style,
    ),
    Column("category", "Category", 10, value=attrgetter("category"), style=fmt.category_style),
    Column(
        "last_enriched",
        "Last enriched",
        14,
        value=attrgetter("last_enriched"),
        text=fmt.last_enriched,
    ),
    Column(
        "partial",
        "!",
        1,
        "center",
        value=attrgetter("partial"),
        text=fmt.partial_mark,
        style=lambda p: "warn" if p else None,
    ),
    Column("status", "Status", 12, value=attrgetter("identification.status"), style=_status_style),
)


def episode_code(e: EntitySummary) -> str:
    """`S02E05`, with `??` for a number the provider did not give."""
    season = "??" if e.season_number is None else f"{e.season_number:02d}"
    number = "??" if e.episode_number is None else f"{e.episode_number:02d}"
    return f"S{season}E{number}"


MISSING = "missing"

# An episode under its series, in the series' columns: its code and title, how complete it is,
# and "missing" in the category's place when the provider lists it but no file holds it.
EPISODE_COLUMNS: tuple[Column, ...] = (
    Column("title", "Title", 0, value=lambda e: f"{episode_code(e)}  {e.title}", min_width=20),
    Column("year", "Year", 5, "right", value=lambda e: None),
    Column(
        "done",
        "Done",
        10,
        value=lambda e: e.completeness if e.on_disk else None,
        text=fmt.completeness_badge,
        style=fmt.category_style,
    ),
    Column(
        "category",
        "Category",
        10,
        value=lambda e: e.category if e.on_disk else MISSING,
        style=lambda c: "warn" if c == MISSING else fmt.category_style(c),
    ),
    Column(
        "last_enriched",
        "Last enriched",
        14,
        value=attrgetter("last_enriched"),
        text=lambda d: fmt.last_enriched(d) if d else "",
    ),
    Column("partial", "!", 1, value=lambda e: None),  # blank: keeps the columns in line
    Column("status", "Status", 12, value=lambda e: None),
)

SORT_KEYS: tuple[str, ...] = tuple(c.key for c in COLUMNS)
SORT_NAMES = {"partial": "Partial", "done": "Done"}
FIRST_SORT = "year"  # `s` with no sort yet: the rows already come in title order


def column(key: str) -> Column:
    return next(c for c in COLUMNS if c.key == key)


def cycle_sort(current: str | None, reverse: bool) -> tuple[str, bool]:
    """`s`: ascending, then descending, then the next column ascending."""
    if current in SORT_KEYS and not reverse:
        return current, True
    if current not in SORT_KEYS:
        return FIRST_SORT, False
    return SORT_KEYS[(SORT_KEYS.index(current) + 1) % len(SORT_KEYS)], False


def move_sort(current: str | None, reverse: bool, step: int) -> tuple[str, bool]:
    """`<` / `>`: the column to the left or right (wrapping), keeping the direction."""
    if current not in SORT_KEYS:
        return SORT_KEYS[0 if step > 0 else -1], False
    return SORT_KEYS[(SORT_KEYS.index(current) + step) % len(SORT_KEYS)], reverse


def sort_label(current: str | None, reverse: bool) -> str:
    """`Year ▼`, or `title` when no sort was chosen (the engine's order)."""
    if current not in SORT_KEYS:
        return "title"
    name = SORT_NAMES.get(current, column(current).label)
    return f"{name} {'▼' if reverse else '▲'}"


def progress_text(event: Event) -> str | None:
    """The status line's progress part for a scan or run event (None for other events)."""
    if isinstance(event, ScanStarted):
        return "Scanning…"
    if isinstance(event, ScanProgressed):
        return f"Scanning: {event.seen:,} files · {event.current}"
    if isinstance(event, ScanFinished):
        return (
            f"Scan done: {event.new} new, {event.changed} changed, "
            f"{event.missing} missing, {event.errors} errors"
        )
    if isinstance(event, RunStarted):
        return f"Enriching 0/{event.total:,}"
    if isinstance(event, RunProgressed):
        return (
            f"Enriching {event.processed:,}/{event.total:,} · {event.current}"
            f" · {event.elapsed:.0f}s"
        )
    if isinstance(event, RunFinished):
        return (
            f"Run {'stopped' if event.stopped else 'done'}: {event.updated} updated, "
            f"{event.failed} failed, {event.partial} partial, {event.needs_review} to review"
        )
    return None


def status_text(
    label: str,
    shown: int,
    rows: LibraryRows,
    progress: str = "",
    next_run: datetime | None = None,
) -> str:
    """`Movies: 500 of 1,000 · genre Drama · partial · 300 enriched · …  │  progress`; the
    filters come first so they stay visible on a narrow terminal."""
    text = f"{label}: {shown:,} of {len(rows.all):,}"
    if rows.filter.active:
        text += f" · {rows.filter.describe()}"
    if rows.search:
        text += f" · search “{rows.search}”"
    counts = rows.counts
    text += (
        f" · {counts['enriched']:,} enriched · {counts['partial']:,} partial · "
        f"{counts['unenriched']:,} unenriched"
    )
    if progress:
        text += f"  │  {progress}"
    busy = progress.startswith(("Enriching", "Scanning"))
    if not busy and next_run is not None:
        text += f"  │  next scheduled run {next_run:%a %H:%M}"
    return text


class LibraryRows:
    """The loaded summaries of one kind, in the engine's order, and which of them are shown.

    Attributes:
        all: Every summary loaded.
        counts: How many of them are in each completeness category.
        search: The title search, any case.
        filter: The filters in force.
        matched: The engine's refs for the filter's genre/person/missing part (None: not asked).
    """

    def __init__(self) -> None:
        self.all: list[EntitySummary] = []
        self.counts: Counter[str] = Counter()
        self.search = ""
        self.filter = LibraryFilter()
        self.matched: frozenset[Ref] | None = None
        self._folded: list[str] = []
        self._pos: dict[Ref, int] | None = None

    def load(self, summaries: list[EntitySummary]) -> None:
        self.all = summaries
        self._folded = [s.title.casefold() for s in summaries]
        self._pos = None  # built on the first `replace`: a load must stay one pass
        self.counts = Counter(s.category for s in summaries)

    def replace(self, summary: EntitySummary) -> bool:
        """Put a re-fetched summary in its place; False if its ref is not loaded."""
        if self._pos is None:
            self._pos = {s.ref: i for i, s in enumerate(self.all)}
        index = self._pos.get(summary.ref)
        if index is None:
            return False
        self.counts[self.all[index].category] -= 1
        self.counts[summary.category] += 1
        self.all[index] = summary
        self._folded[index] = summary.title.casefold()
        return True

    def shown(self, sort: str | None = None, reverse: bool = False) -> Sequence[EntitySummary]:
        """The rows that pass the search and the filters, sorted by column `sort` if given."""
        rows = title_search(self.all, self._folded, self.search)
        if self.filter.active:
            rows = self.filter.apply(rows, self.matched if self.filter.needs_engine else None)
        if sort is not None:
            rows = sort_rows(list(rows), column(sort).value or (lambda row: None), reverse)
        return rows
