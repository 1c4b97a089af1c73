"""The identify screen: which title is this? Candidates with explained scores, and a choice.

On open it asks `engine.search_candidates(ref)` and lists the candidates (best first) with the
highlighted one's score explained reason by reason, as the automatic match scored it. `/`
searches again with another title or year, `#` takes a TMDB or IMDb id, Enter applies the
highlighted candidate; each is one engine verb in a named worker. Errors (no identifier
configured, nothing found, a year that is not a number) are messages, never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from operator import attrgetter
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from matinee.engine.api import EngineAPI
from matinee.errors import MatineeError, UsageError
from matinee.model import Candidate, Ref
from matinee.tui.widgets.virtual_table import Column, VirtualTable
from matinee.tui.workers import group_busy, run_engine

__all__ = ["COLUMNS", "IdentifyScreen", "explain", "parse_id", "parse_year"]

_IMDB = re.compile(r"^tt\d{5,}$")


def _key(candidate: Candidate) -> Hashable:
    return (candidate.provider, candidate.id)


def _tier_style(tier: str) -> str:
    return {"strong": "good", "medium": "warn"}.get(tier, "bad")


COLUMNS: tuple[Column, ...] = (
    Column("title", "Title", 0, value=attrgetter("title"), min_width=16),
    Column("year", "Year", 4, "right", value=attrgetter("year")),
    Column("id", "Provider:id", 14, value=lambda c: f"{c.provider}:{c.id}"),
    Column("score", "Score", 5, "right", value=attrgetter("score"),
           text=lambda s: f"{s * 100:.0f}%"),
    Column("tier", "Tier", 6, value=lambda c: c.tier.value, style=_tier_style),
)  # fmt: skip


def parse_year(text: str) -> int | None:
    """A year typed in the search form: blank is None, anything but a number is refused."""
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or not 1800 <= int(text) <= 2200:
        raise UsageError(f"The year must be a number like 1999, not {text!r}")
    return int(text)


def parse_id(text: str) -> dict[str, int | str]:
    """`603` -> {"tmdb": 603}; `tt0133093` -> {"imdb": "tt0133093"}; anything else refused."""
    text = text.strip()
    if text.isdigit() and int(text) > 0:
        return {"tmdb": int(text)}
    if _IMDB.match(text.lower()):
        return {"imdb": text.lower()}
    raise UsageError(f"Not an id: {text!r}. Type a TMDB number (603) or an IMDb id (tt0133093).")


def explain(candidate: Candidate) -> str:
    """The candidate's score, reason by reason, as Textual content markup."""
    head = (
        f"[b]{escape(candidate.title)}[/b]"
        + (f" ({candidate.year})" if candidate.year else "")
        + f" · {escape(candidate.provider)}:{escape(candidate.id)}"
        + f" · score [b]{candidate.score * 100:.0f}%[/b] ({candidate.tier.value})"
    )
    if candidate.original_title and candidate.original_title != candidate.title:
        head += f" · original title {escape(candidate.original_title)}"
    if not candidate.reasons:
        return head + "\n  [$text-muted]no reasons given[/]"
    width = max(len(r.name) for r in candidate.reasons)
    lines = [
        f"  {escape(r.name.ljust(width))}  {r.score * 100:4.0f}% × {r.weight:.2f}"
        f"  [$text-muted]{escape(r.detail)}[/]"
        for r in candidate.reasons
    ]
    return "\n".join([head, *lines])


class IdentifyScreen(Screen[None]):
    """Search candidates for one title, see why each scores as it does, and apply one."""

    CSS_PATH = "identify.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        # A priority binding, so Enter also answers on an empty table; `check_action` hands it
        # back to the search and id boxes.
        Binding("enter", "apply", "Apply", priority=True,
                tooltip="Identify as the highlighted candidate"),
        Binding("slash", "search", "Search", tooltip="Search again with another title or year"),
        Binding("number_sign", "enter_id", "By id", tooltip="A TMDB number or an IMDb tt… id"),
    ]  # fmt: skip

    def __init__(self, engine: EngineAPI, ref: Ref) -> None:
        super().__init__()
        self.engine = engine
        self.ref = ref
        self.candidates: list[Candidate] = []
        self.searched: tuple[str | None, int | None] = (None, None)
        """The title and year of the last search (None: the title's own)."""
        self.title_text = str(ref)
        self.year: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Identify {self.ref}", id="heading", markup=False)
        with Horizontal(id="search-form", classes="-hidden"):
            yield Input(placeholder="Title", id="search-title")
            yield Input(placeholder="Year", id="search-year", max_length=4)
        yield Input(
            placeholder="TMDB number (603) or IMDb id (tt0133093), then enter",
            id="id-input",
            classes="-hidden",
        )
        yield Static("Searching…", id="message")
        yield VirtualTable(COLUMNS, row_key=_key, id="candidates")
        yield Static(id="reasons")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "apply" and isinstance(self.focused, Input))

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#candidates", VirtualTable)

    @property
    def message(self) -> Static:
        return self.query_one("#message", Static)

    def on_mount(self) -> None:
        self.sub_title = f"Identify {self.ref}"
        self.query_one("#search-title", Input).border_title = "Title"
        self.query_one("#search-year", Input).border_title = "Year"
        self.query_one("#id-input", Input).border_title = "Id"
        self.table.focus()
        self._load_title()
        self.search()

    def _load_title(self) -> None:
        async def work() -> None:
            detail = await self.engine.show(self.ref)
            s = detail.summary
            self.title_text, self.year = s.title, s.year
            if self.is_running:
                self.query_one("#heading", Static).update(
                    f"Identify {s.title}" + (f" ({s.year})" if s.year else "") + f" · {self.ref}"
                )

        run_engine(self, work, group="identify-title", label=f"Loading {self.ref}")

    # -- searching --------------------------------------------------------------------------

    def search(self, title: str | None = None, year: int | None = None) -> None:
        """Ask the identifiers (with another title and year if given) in a worker."""
        self.searched = (title, year)
        self._set_message("Searching…")

        async def work() -> None:
            try:
                found = await self.engine.search_candidates(self.ref, title=title, year=year)
            except MatineeError as exc:
                self._show([])
                self._set_message(f"[$error]{escape(str(exc))}[/]")
                self.notify(str(exc), title="Search failed", severity="error")
                return
            if self.is_running:
                self._show(found)

        run_engine(self, work, group="identify-search", label="Searching candidates")

    def _what(self) -> str:
        title, year = self.searched
        what = f"“{title}”" if title else f"“{self.title_text}” (its own title)"
        return what + (f", year {year}" if year else "")

    def _show(self, candidates: list[Candidate]) -> None:
        self.candidates = candidates
        self.table.set_rows(candidates)
        if candidates:
            self._set_message(
                f"{len(candidates)} candidate{'s' if len(candidates) != 1 else ''} for "
                f"{escape(self._what())}"
            )
        else:
            self._set_message(
                f"[$warning]Nothing found for {escape(self._what())}.[/] "
                "Search again with another title or year (/), or enter an id (#)."
            )
        self._explain(self.table.cursor_key)

    def _set_message(self, markup: str) -> None:
        if self.is_mounted:
            self.message.update(markup)

    @on(VirtualTable.RowHighlighted, "#candidates")
    def _on_highlighted(self, message: VirtualTable.RowHighlighted) -> None:
        self._explain(message.key)

    def _explain(self, key: Hashable | None) -> None:
        chosen = self._candidate(key)
        self.query_one("#reasons", Static).update(explain(chosen) if chosen else "")

    def _candidate(self, key: Hashable | None) -> Candidate | None:
        return next((c for c in self.candidates if _key(c) == key), None)

    def action_search(self) -> None:
        self._close_forms()
        form = self.query_one("#search-form")
        form.remove_class("-hidden")
        title_box = self.query_one("#search-title", Input)
        year_box = self.query_one("#search-year", Input)
        title_box.value = self.searched[0] or self.title_text
        year = self.searched[1] or self.year
        year_box.value = str(year) if year else ""
        title_box.focus()

    @on(Input.Submitted, "#search-title, #search-year")
    def _on_search_submitted(self) -> None:
        title = self.query_one("#search-title", Input).value.strip()
        year_text = self.query_one("#search-year", Input).value
        try:
            year = parse_year(year_text)
        except UsageError as exc:
            self.notify(str(exc), title="Search", severity="error")
            self.query_one("#search-year", Input).focus()
            return
        self._close_forms()
        self.table.focus()
        self.search(title or None, year)

    # -- applying ---------------------------------------------------------------------------

    def action_enter_id(self) -> None:
        self._close_forms()
        box = self.query_one("#id-input", Input)
        box.remove_class("-hidden")
        box.focus()

    @on(Input.Submitted, "#id-input")
    def _on_id_submitted(self, message: Input.Submitted) -> None:
        try:
            ids = parse_id(message.value)
        except UsageError as exc:
            self.notify(str(exc), title="Identify", severity="error")
            return
        label = next(f"{k} {v}" for k, v in ids.items())
        tmdb, imdb = ids.get("tmdb"), ids.get("imdb")
        self._identify(
            label,
            tmdb=tmdb if isinstance(tmdb, int) else None,
            imdb=imdb if isinstance(imdb, str) else None,
        )

    @on(VirtualTable.RowSelected, "#candidates")
    def _on_row_selected(self, message: VirtualTable.RowSelected) -> None:
        self.action_apply()

    def action_apply(self) -> None:
        chosen = self._candidate(self.table.cursor_key)
        if chosen is None:
            self.notify("No candidate to apply: search again (/) or enter an id (#)",
                        severity="warning")  # fmt: skip
            return
        label = f"{chosen.title} ({chosen.year}) · {chosen.provider}:{chosen.id}"
        self._identify(label, chosen=chosen)

    def _identify(
        self,
        label: str,
        *,
        tmdb: int | None = None,
        imdb: str | None = None,
        chosen: Candidate | None = None,
    ) -> None:
        group = f"identify:{self.ref}"
        if group_busy(self.app, group):
            self.notify(f"{self.ref} is already being identified")
            return
        self._set_message(f"Identifying as {escape(label)} and enriching again…")

        async def work() -> None:
            try:
                detail = await self.engine.identify(self.ref, tmdb=tmdb, imdb=imdb, chosen=chosen)
            except MatineeError as exc:
                self.notify(str(exc), title="Identify failed", severity="error")
                self._set_message(f"[$error]{escape(str(exc))}[/]")
                return
            s = detail.summary
            self.app.notify(
                f"{s.title}" + (f" ({s.year})" if s.year else "") + f": identified as {label}",
                title="Identified",
            )
            if self.is_running and self.app.screen is self:
                self.app.pop_screen()

        # On the app, not the screen: leaving the screen must not cancel an identification
        # half-way (the engine pins the id, then enriches again).
        run_engine(self.app, work, group=group, label=f"Identifying {self.ref}")

    # -- forms ------------------------------------------------------------------------------

    def _close_forms(self) -> None:
        self.query_one("#search-form").add_class("-hidden")
        self.query_one("#id-input").add_class("-hidden")

    def action_back(self) -> None:
        forms = [self.query_one("#search-form"), self.query_one("#id-input")]
        if any(not f.has_class("-hidden") for f in forms):
            self._close_forms()
            self.table.focus()
            return
        self.app.pop_screen()
