"""The library's filters: what they hold (`LibraryFilter`), how rows pass them, and the panel.

Genre, person and missing field need the titles' fields, which only the engine reads: they go
to one `engine.match_refs` call and come back as a set of refs. Category, needs review and
partial are on every `EntitySummary` already, so they are applied in memory, together with
that set, in one list comprehension: filtering 100k titles stays a pass of set lookups.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Footer, Input, Label, Select, Static

from matinee.engine.api import EngineAPI
from matinee.engine.views import LibraryFacets
from matinee.model import (
    CATEGORY_ENRICHED,
    CATEGORY_PARTIAL,
    CATEGORY_UNENRICHED,
    EntitySummary,
    Ref,
)

__all__ = [
    "CATEGORIES",
    "LibraryFilter",
    "LibraryFilterScreen",
    "load_facets",
    "title_search",
]

CATEGORIES = (CATEGORY_ENRICHED, CATEGORY_PARTIAL, CATEGORY_UNENRICHED)
REVIEW = "review"


@dataclass(frozen=True, slots=True)
class LibraryFilter:
    """The filters in force; the default filter lets everything through.

    Attributes:
        genre: A genre the title has (engine).
        person: Part of the name of someone in its cast or crew, any case (engine).
        missing: A field the title lacks (engine).
        category: `enriched`, `partial` or `unenriched` (in memory).
        needs_review: Only titles whose identification waits for review (in memory).
        partial: Only titles whose last enrichment was partial (in memory).
    """

    genre: str | None = None
    person: str | None = None
    missing: str | None = None
    category: str | None = None
    needs_review: bool = False
    partial: bool = False

    @property
    def active(self) -> bool:
        return self != LibraryFilter()

    @property
    def engine_criteria(self) -> dict[str, str | None]:
        """The keyword arguments of the `match_refs` call this filter needs."""
        return {"genre": self.genre, "person": self.person, "missing": self.missing}

    @property
    def needs_engine(self) -> bool:
        return any(v is not None for v in self.engine_criteria.values())

    def describe(self) -> str:
        """What the status line shows, e.g. `genre Drama · partial` (empty when inactive)."""
        parts = []
        if self.genre is not None:
            parts.append(f"genre {self.genre}")
        if self.person is not None:
            parts.append(f"person “{self.person}”")
        if self.missing is not None:
            parts.append(f"missing {self.missing}")
        if self.category is not None:
            parts.append(self.category)
        if self.needs_review:
            parts.append("needs review")
        if self.partial:
            parts.append("partial")
        return " · ".join(parts)

    def apply(
        self, rows: Sequence[EntitySummary], matched: AbstractSet[Ref] | None = None
    ) -> list[EntitySummary]:
        """The rows that pass: in `matched` (the engine's answer; None when the filter asks the
        engine nothing) and every in-memory criterion. Order is kept."""
        category, review, partial = self.category, self.needs_review, self.partial
        if matched is None and category is None and not review and not partial:
            return list(rows)
        # Cheapest tests first: hashing a `Ref` for the set lookup costs the most.
        return [
            s
            for s in rows
            if (not partial or s.partial)
            and (category is None or s.category == category)
            and (not review or s.identification.status == REVIEW)
            and (matched is None or s.ref in matched)
        ]


def title_search(
    rows: Sequence[EntitySummary], folded: Sequence[str], text: str
) -> Sequence[EntitySummary]:
    """The rows whose case-folded title (`folded`, aligned with `rows`) contains `text`."""
    needle = text.casefold().strip()
    if not needle:
        return rows
    return [s for s, t in zip(rows, folded, strict=True) if needle in t]


def _options(values: Iterable[str], current: str | None) -> list[tuple[str, str]]:
    names = list(values)
    if current is not None and current not in names:
        names.append(current)  # a value the library no longer offers stays choosable
    return [(name, name) for name in names]


def _value(select: Select[str]) -> str | None:
    value = select.value
    return value if isinstance(value, str) else None


class LibraryFilterScreen(ModalScreen[LibraryFilter | None]):
    """The filter panel: returns the new filter, `LibraryFilter()` to clear, None to cancel."""

    CSS_PATH = "library.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "apply", "Apply"),
        Binding("ctrl+l", "clear", "Clear all"),
    ]

    def __init__(self, current: LibraryFilter, facets: LibraryFacets) -> None:
        super().__init__()
        self.current = current
        self.facets = facets

    def compose(self) -> ComposeResult:
        f = self.current
        with Vertical(id="filter-panel"):
            yield Static("Filter the library", id="filter-title")
            with Horizontal(classes="filter-row"):
                yield Label("Genre")
                yield Select(
                    _options(self.facets.genres, f.genre),
                    prompt="any genre",
                    value=f.genre if f.genre is not None else Select.NULL,
                    id="genre",
                    compact=True,
                )
            with Horizontal(classes="filter-row"):
                yield Label("Person")
                yield Input(f.person or "", placeholder="name contains…", id="person", compact=True)
            with Horizontal(classes="filter-row"):
                yield Label("Missing field")
                yield Select(
                    _options(self.facets.missing_fields, f.missing),
                    prompt="any",
                    value=f.missing if f.missing is not None else Select.NULL,
                    id="missing",
                    compact=True,
                )
            with Horizontal(classes="filter-row"):
                yield Label("Category")
                yield Select(
                    _options(CATEGORIES, f.category),
                    prompt="any category",
                    value=f.category if f.category is not None else Select.NULL,
                    id="category",
                    compact=True,
                )
            with Horizontal(classes="filter-row"):
                yield Checkbox("Needs review", f.needs_review, id="review", compact=True)
                yield Checkbox("Partial", f.partial, id="partial", compact=True)
            with Horizontal(id="filter-buttons"):
                yield Button("Apply", id="apply", variant="primary", compact=True)
                yield Button("Clear all", id="clear", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#genre", Select).focus()

    def chosen(self) -> LibraryFilter:
        """The filter the panel's widgets describe now."""
        person = self.query_one("#person", Input).value.strip()
        return LibraryFilter(
            genre=_value(self.query_one("#genre", Select)),
            person=person or None,
            missing=_value(self.query_one("#missing", Select)),
            category=_value(self.query_one("#category", Select)),
            needs_review=self.query_one("#review", Checkbox).value,
            partial=self.query_one("#partial", Checkbox).value,
        )

    def action_apply(self) -> None:
        self.dismiss(self.chosen())

    def action_clear(self) -> None:
        self.dismiss(LibraryFilter())

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#person")
    def _on_person_submitted(self) -> None:
        self.action_apply()

    @on(Button.Pressed)
    def _on_button(self, event: Button.Pressed) -> None:
        actions: dict[str | None, Any] = {
            "apply": self.action_apply,
            "clear": self.action_clear,
            "cancel": self.action_cancel,
        }
        if (action := actions.get(event.button.id)) is not None:
            action()


async def load_facets(node: Widget, engine: EngineAPI) -> LibraryFacets:
    """The engine's facets; without genres (and a warning) when it cannot give them."""
    try:
        return await engine.facets()
    except Exception as exc:
        node.notify(f"{exc}", title="Could not load genres", severity="warning")
        return LibraryFacets((), ())
