"""The artwork picker: a title's candidates per slot, why each scored what it did, a preview,
and the user's choice (selecting locks the slot; unlocking hands it back to automatic).

It shows `engine.artwork.candidates(ref)` and nothing else: every key becomes one artwork verb
in a named worker, after which the candidates are loaded again, and engine events naming the
title reload them too. Previews are the files the engine cached (`artwork.image_path`), drawn
by `Poster`; nothing here fetches or decodes an image.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from operator import attrgetter, itemgetter
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from matinee.assets.model import AssetCandidate
from matinee.engine.api import EngineAPI
from matinee.errors import NotFoundError, UsageError
from matinee.model import Ref
from matinee.tui import format as fmt
from matinee.tui.asset_format import (
    SlotKey,
    explain,
    group_by_slot,
    is_locked,
    language_text,
    score_text,
    selection_mark,
    size_text,
    slot_label,
    slot_rows,
)
from matinee.tui.bridge import EngineEvents, refs_touched
from matinee.tui.widgets.poster import Poster
from matinee.tui.widgets.virtual_table import Column, VirtualTable
from matinee.tui.workers import group_busy, run_engine

__all__ = ["NO_CANDIDATES", "AssetScreen", "CandidateTable", "Preview"]

NO_CANDIDATES = (
    "No artwork candidates yet: refresh the title (r on the detail screen) with artwork enabled."
)


SLOT_COLUMNS = (
    Column("label", "Slot", 0, value=itemgetter(1), min_width=8),
    Column("locked", "", 2, value=itemgetter(2), text=lambda v: fmt.LOCK_MARK if v else ""),
)


def _row_style(c: AssetCandidate) -> str | None:
    return "good" if c.selected else None


CANDIDATE_COLUMNS = (
    Column("mark", "", 2, value=lambda c: c, text=selection_mark, style=_row_style),
    Column("provider", "Source", 7, value=attrgetter("provider")),
    Column("size", "Size", 9, "right", value=lambda c: size_text(c.width, c.height)),
    Column("votes", "Votes", 5, "right", value=attrgetter("votes")),
    Column("score", "Score", 5, "right", value=attrgetter("score"), text=score_text),
    # Last and flexible: a wide screen's spare room trails the row instead of splitting it.
    Column("language", "Language", 0, value=lambda c: language_text(c.language), min_width=8),
)


class CandidateTable(VirtualTable):
    """The candidates of one slot; Enter chooses the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Choose", tooltip="Use this image for the slot (locks it)"),
    ]


class Preview(Poster):
    EMPTY_TEXT: ClassVar[str] = "no preview cached yet"


class AssetScreen(Screen[None]):
    """One title's artwork: slots, candidates with their score parts, a preview."""

    CSS_PATH = "assets.tcss"
    AUTO_FOCUS = ""  # the candidate table is focused once there are candidates

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("l", "lock", "Lock", tooltip="Keep the slot's current image (lock the slot)"),
        Binding("u", "unlock", "Unlock", tooltip="Hand the slot back to automatic selection"),
        Binding(
            "r",
            "refresh",
            "Refresh artwork",
            show=False,
            tooltip="Score and select this title's artwork again",
        ),
        Binding("right", "slot(1)", "Next slot", show=False, priority=True),
        Binding("left", "slot(-1)", "Previous slot", show=False, priority=True),
        Binding("tab", "slot(1)", "Next slot", show=False),
        Binding("shift+tab", "slot(-1)", "Previous slot", show=False),
    ]

    def __init__(self, engine: EngineAPI, ref: Ref) -> None:
        super().__init__()
        self.engine = engine
        self.ref = ref
        self.groups: dict[SlotKey, list[AssetCandidate]] = {}
        self.slot: SlotKey | None = None
        self._title: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"{self.ref} · artwork", id="heading", markup=False)
        yield Static("Loading…", id="message", markup=False)
        with Horizontal(id="body") as body:
            body.display = False  # until candidates arrive
            slots = VirtualTable(SLOT_COLUMNS, id="slots")
            slots.can_focus = False  # slots change with left/right/tab; a click works too
            yield slots
            with Vertical(id="middle"):
                yield CandidateTable(CANDIDATE_COLUMNS, row_key=attrgetter("id"), id="candidates")
                yield Static(id="parts", markup=False)
            with Vertical(id="preview-box"):
                yield Preview(id="preview")
        yield Footer()

    @property
    def slots(self) -> VirtualTable:
        return self.query_one("#slots", VirtualTable)

    @property
    def table(self) -> CandidateTable:
        return self.query_one("#candidates", CandidateTable)

    @property
    def preview(self) -> Preview:
        return self.query_one("#preview", Preview)

    @property
    def candidate(self) -> AssetCandidate | None:
        """The highlighted candidate."""
        key = self.table.cursor_key
        return next((c for c in self.groups.get(self.slot or ("", None), []) if c.id == key), None)

    def on_mount(self) -> None:
        self.sub_title = f"{self.ref} · artwork"
        self.query_one("#preview-box").border_title = "Preview"
        self.reload()

    # -- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        async def work() -> None:
            try:
                if self._title is None:
                    s = (await self.engine.show(self.ref)).summary
                    self._title = f"{s.title} ({s.year})" if s.year else s.title
                candidates = await self.engine.artwork.candidates(self.ref)
            except (UsageError, NotFoundError) as exc:
                if self.is_running:
                    self.notify(str(exc), title="Artwork", severity="error")
                    self._show_heading()
                    self._show_message(str(exc))
                return
            if self.is_running:
                self._show(candidates)

        run_engine(self, work, group="assets-load", label=f"Loading artwork of {self.ref}")

    def _show_message(self, text: str) -> None:
        self.query_one("#message", Static).update(text)
        self.query_one("#message").display = True
        self.query_one("#body").display = False
        self.set_focus(None)  # the hidden table's keys (Enter) do not apply

    def _show_heading(self) -> None:
        self.query_one("#heading", Static).update(f"{self._title or self.ref} · artwork")
        title = ""
        if self.slot is not None and self.slot in self.groups:
            candidates = self.groups[self.slot]
            count = f"{len(candidates)} candidate" + ("s" if len(candidates) != 1 else "")
            state = "locked" if is_locked(candidates) else "automatic"
            title = f"{slot_label(*self.slot)} · {count} · {state}"
        self.query_one("#parts").border_title = title

    def _show(self, candidates: list[AssetCandidate]) -> None:
        self.groups = group_by_slot(candidates)
        if not self.groups:
            self.slot = None
            self._show_heading()
            self._show_message(NO_CANDIDATES)
            return
        self.query_one("#message").display = False
        self.query_one("#body").display = True
        if self.focused is None:
            self.table.focus()
        self.slots.set_rows(slot_rows(self.groups))  # keeps the cursor on the same slot
        self._show_slot(self.slots.cursor_key)

    def _show_slot(self, key: Any) -> None:
        if key not in self.groups:
            return
        changed, self.slot = key != self.slot, key
        candidates = self.groups[key]
        self.table.set_rows(candidates)  # keeps the cursor on the same candidate
        if changed:  # a slot opens on its current choice
            chosen = next((i for i, c in enumerate(candidates) if c.selected), 0)
            self.table.move_cursor(chosen)
        self._show_heading()
        self._show_candidate()

    def _show_candidate(self) -> None:
        c = self.candidate
        self.query_one("#parts", Static).update(explain(c) if c else "")
        self.preview.set_path(self.engine.artwork.image_path(c) if c else None)

    @on(VirtualTable.RowHighlighted, "#slots")
    def _slot_highlighted(self, message: VirtualTable.RowHighlighted) -> None:
        if message.key != self.slot:
            self._show_slot(message.key)

    @on(VirtualTable.RowHighlighted, "#candidates")
    def _candidate_highlighted(self, message: VirtualTable.RowHighlighted) -> None:
        self._show_candidate()

    @on(VirtualTable.RowSelected, "#candidates")
    def _candidate_selected(self, message: VirtualTable.RowSelected) -> None:
        self.action_choose()

    @on(EngineEvents)
    def _on_engine_events(self, message: EngineEvents) -> None:
        if self.is_running and self.ref in refs_touched(message.events):
            self.reload()

    # -- actions ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # With no candidates the slot verbs have nothing to act on: shown dimmed, not run.
        if action in ("lock", "unlock", "slot") and not self.groups:
            return None
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_slot(self, step: int) -> None:
        count = self.slots.row_count
        if count:
            self.slots.move_cursor((self.slots.cursor_row + step) % count)

    def action_choose(self) -> None:
        c = self.candidate
        if c is None or c.id is None:
            return
        label, asset_id = slot_label(c.slot, c.season), c.id
        if c.selected and c.selected_by == "user":
            self.notify(f"The {label} is this image already")
            return

        async def work() -> None:
            chosen = await self.engine.artwork.select(self.ref, c.slot, asset_id, c.season)
            self.notify(
                f"{chosen.provider} image ({language_text(chosen.language)}) chosen; "
                f"{label} is locked",
                title="Artwork",
            )

        self._run_verb(work, f"Choosing the {label}")

    def action_lock(self) -> None:
        if self.slot is None:
            return
        label = slot_label(*self.slot)
        chosen = next((c for c in self.groups[self.slot] if c.selected), None)
        if chosen is None or chosen.id is None:
            self.notify(f"No {label} is selected yet: choose one with Enter", severity="warning")
            return
        if chosen.selected_by == "user":
            self.notify(f"{label} is locked already")
            return
        slot, season, asset_id = chosen.slot, chosen.season, chosen.id

        async def work() -> None:
            await self.engine.artwork.select(self.ref, slot, asset_id, season)
            self.notify(f"{label} locked on its current image", title="Artwork")

        self._run_verb(work, f"Locking the {label}")

    def action_unlock(self) -> None:
        if self.slot is None:
            return
        slot, season = self.slot
        label = slot_label(slot, season)
        if not is_locked(self.groups[self.slot]):
            self.notify(f"{label} is automatic already")
            return

        async def work() -> None:
            await self.engine.artwork.unlock(self.ref, slot, season)
            self.notify(f"{label} is automatic again", title="Artwork")

        self._run_verb(work, f"Unlocking the {label}")

    def action_refresh(self) -> None:
        async def work() -> None:
            report = await self.engine.artwork.refresh(self.ref)
            text = (
                f"{report.analysed} analysed, {report.selected} selected, "
                f"{report.downloaded} downloaded"
            )
            if report.rejected:
                text += f", {len(report.rejected)} rejected"
            self.notify(text, title="Artwork refreshed")

        self._run_verb(work, f"Refreshing the artwork of {self.ref}")

    def _run_verb(self, verb: Callable[[], Awaitable[None]], label: str) -> None:
        """Run one artwork verb at a time; its usage errors become notifications, and the
        candidates are loaded again whatever happened."""
        group = "assets-verb"
        if group_busy(self, group):
            self.notify("The artwork is being changed; try again in a moment")
            return

        async def work() -> None:
            try:
                await verb()
            except (UsageError, NotFoundError) as exc:
                self.notify(str(exc), title="Artwork", severity="error")
            finally:
                if self.is_running:
                    self.reload()

        run_engine(self, work, group=group, label=label, exclusive=False)
