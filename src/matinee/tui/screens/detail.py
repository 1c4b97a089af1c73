"""The detail screen: every registry field of one entity, where it came from, and its lock.

It shows `engine.show(ref)` and the selected poster, and nothing else. Keys become engine verbs
(`lock`, `unlock`, `set_field`, `enrich`) in named workers; engine events naming this ref reload
it, and the `ProviderAnswered` events of its enrichment drive the per-provider progress line.
The rows live in `detail_fields.py`, the in-place editor in `detail_edit.py`, the history modal
in `detail_history.py`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from matinee.engine.api import EngineAPI
from matinee.engine.events import (
    EnrichmentFailed,
    EnrichmentFinished,
    EnrichmentStarted,
    Event,
    ProviderAnswered,
)
from matinee.errors import MatineeError
from matinee.model import FIELD_BY_NAME, EntityDetail, FieldKind, Ref
from matinee.tui import format as fmt
from matinee.tui.bridge import EngineEvents, refs_touched
from matinee.tui.screens.assets import AssetScreen
from matinee.tui.screens.detail_edit import FieldEditor, edited_value
from matinee.tui.screens.detail_fields import COLUMNS, FieldRow, field_rows, missing_line
from matinee.tui.screens.detail_history import HistoryScreen
from matinee.tui.screens.identify import IdentifyScreen
from matinee.tui.widgets.completeness_bar import CompletenessBar
from matinee.tui.widgets.poster import Poster
from matinee.tui.widgets.provider_progress import ProviderProgress
from matinee.tui.widgets.virtual_table import VirtualTable
from matinee.tui.workers import group_busy, run_engine

__all__ = ["DetailScreen", "FieldRow", "field_rows", "missing_line"]

log = logging.getLogger(__name__)


class DetailScreen(Screen[None]):
    """One entity's fields with source badges, locks, missing fields, files and poster."""

    CSS_PATH = "detail.tcss"

    # Below 110 columns the poster is hidden so the fields keep their width. (Screen declares
    # it as an instance variable, which mypy would not let a ClassVar override.)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("e", "edit", "Edit", tooltip="Edit the highlighted field (saving locks it)"),
        Binding("l", "toggle_lock", "Lock", show=False,
                tooltip="Lock or unlock the highlighted field"),
        Binding("r", "refresh(False)", "Refresh", show=False,
                tooltip="Enrich this title if it is stale"),
        Binding("R,shift+r", "refresh(True)", "Force refresh", show=False,
                tooltip="Ask every provider again now"),
        Binding("i", "identify", "Identify", tooltip="Choose what this title is"),
        Binding("a", "artwork", "Art", tooltip="Choose the poster and other artwork"),
        Binding("h", "history", "History", show=False, tooltip="The history of changes"),
    ]  # fmt: skip

    def __init__(self, engine: EngineAPI, ref: Ref) -> None:
        super().__init__()
        self.engine = engine
        self.ref = ref
        self.detail: EntityDetail | None = None
        self.providers: tuple[str, ...] = ()
        """The configured providers, in order: the progress line's waiting list."""
        self._reload_on_resume = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(str(self.ref), id="title", markup=False)
        with Horizontal(id="summary-row"):
            yield CompletenessBar(id="completeness")
            yield Static(id="summary", markup=False)
        yield Static(id="warning", classes="-hidden", markup=False)
        yield ProviderProgress(id="progress")
        with Horizontal(id="body"):
            with Vertical(id="main"):
                yield VirtualTable(COLUMNS, id="fields")
                yield FieldEditor(id="editor")
            yield Poster(id="poster")
        yield Static(id="missing", markup=False)
        yield Static(id="files", markup=False)
        yield Footer()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#fields", VirtualTable)

    @property
    def editor(self) -> FieldEditor:
        return self.query_one("#editor", FieldEditor)

    @property
    def progress(self) -> ProviderProgress:
        return self.query_one("#progress", ProviderProgress)

    @property
    def poster(self) -> Poster:
        return self.query_one("#poster", Poster)

    def on_mount(self) -> None:
        self.sub_title = str(self.ref)
        self.table.focus()
        self.reload()
        self._load_providers()

    def on_screen_resume(self) -> None:
        # Back from the identify or artwork screen: the title or its poster may have changed.
        if self._reload_on_resume:
            self._reload_on_resume = False
            self.reload()

    # -- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Fetch the detail, then the selected poster's file (in a worker)."""

        async def work() -> None:
            detail = await self.engine.show(self.ref)
            if not self.is_running:
                return
            self._show(detail)
            path = await self._poster_path()
            if self.is_running:
                self.poster.set_path(path)

        run_engine(self, work, group="detail-load", label=f"Loading {self.ref}")

    async def _poster_path(self) -> Path | None:
        """The selected poster's cached file; None (the placeholder) on any failure."""
        try:
            candidates = await self.engine.artwork.candidates(self.ref)
            chosen = next(
                (c for c in candidates if c.slot == "poster" and c.selected and c.season is None),
                None,
            )
            return None if chosen is None else self.engine.artwork.image_path(chosen)
        except Exception:  # no poster is no reason to fail the whole screen
            log.exception("cannot find the poster of %s", self.ref)
            return None

    def _load_providers(self) -> None:
        async def work() -> None:
            self.providers = await self._fetch_providers()

        run_engine(self, work, group="detail-providers", label="Listing the providers")

    async def _fetch_providers(self) -> tuple[str, ...]:
        """The providers an enrichment asks: enabled, with a key, not offline."""
        try:
            health = await self.engine.provider_health()
            ids = [h.id for h in health if h.enabled and h.configured and not h.offline]
        except Exception:
            log.exception("cannot list the providers")
            ids = [n for n, p in self.engine.settings.providers.items() if p.enabled]
        return tuple(ids)

    def _show(self, detail: EntityDetail) -> None:
        self.detail = detail
        s = detail.summary
        self.query_one("#title", Static).update(f"{s.title} ({s.year})" if s.year else s.title)
        ident = s.identification
        tier = f", {ident.tier.value}" if ident.tier else ""
        summary = self.query_one("#summary", Static)
        self.query_one("#completeness", CompletenessBar).value = s.completeness
        summary.update(
            f"{s.category} · "
            f"{ident.status}{tier} · enriched {fmt.last_enriched(s.last_enriched)}"
            + (f" · answered: {', '.join(detail.answered_providers)}"
               if detail.answered_providers else "")
        )  # fmt: skip
        summary.set_classes(f"-{fmt.category_style(s.category)}")
        warning = self.query_one("#warning", Static)
        problems = []
        if detail.rate_limited_providers:
            problems.append("rate limited: " + ", ".join(detail.rate_limited_providers))
        if detail.failed_providers:
            problems.append("failed: " + ", ".join(detail.failed_providers))
        if s.partial or problems:
            warning.update(
                f"{fmt.PARTIAL_MARK} Partial enrichment — "
                + ("; ".join(problems) or "some providers did not answer")
            )
            warning.remove_class("-hidden")
        else:
            warning.add_class("-hidden")
        self.table.set_rows(field_rows(detail))
        self.query_one("#missing", Static).update(missing_line(detail))
        files = [
            f"{f.path} · {fmt.size(f.size)} · {fmt.duration(f.duration)} · "
            f"{fmt.resolution(f.width, f.height)}"
            + (f" · {f.video_codec}" if f.video_codec else "")
            + (" · MISSING" if f.missing else "")
            for f in detail.files
        ]
        self.query_one("#files", Static).update("\n".join(files) or "No files")

    # -- engine events ----------------------------------------------------------------------

    @on(EngineEvents)
    def _on_engine_events(self, message: EngineEvents) -> None:
        if not self.is_running:
            return
        for event in message.events:
            self._follow(event)
        if self.ref in refs_touched(message.events):
            self.reload()

    def _follow(self, event: Event) -> None:
        """Feed this title's enrichment events to the progress line."""
        if getattr(event, "ref", None) != self.ref:
            return
        progress = self.progress
        if isinstance(event, EnrichmentStarted):
            progress.start(self.providers)
        elif isinstance(event, ProviderAnswered):
            if not progress.running:
                progress.start(self.providers)
            progress.answer(event.provider, event.outcome, event.detail)
        elif isinstance(event, EnrichmentFinished):
            progress.finish(event.failed_providers, event.rate_limited_providers)
        elif isinstance(event, EnrichmentFailed):
            progress.finish()

    # -- actions ----------------------------------------------------------------------------

    def action_back(self) -> None:
        if self.editor.changed:
            self.editor.focus_editor()
            self.notify(
                f"{self._editing_name()} has an unsaved edit: ctrl+s (or enter) saves it, "
                "escape cancels it.",
                severity="warning",
            )
            return
        self.app.pop_screen()

    def _editing_name(self) -> str:
        spec = self.editor.spec
        return spec.display_name if spec else ""

    def action_toggle_lock(self) -> None:
        name = self.table.cursor_key
        if self.detail is None or not isinstance(name, str):
            return
        locked = name in self.detail.locks

        async def work() -> None:
            if locked:
                await self.engine.unlock(self.ref, [name])
            else:
                await self.engine.lock(self.ref, [name])
            self.notify(f"{name} {'unlocked' if locked else 'locked'}")
            self.reload()

        run_engine(self, work, group="detail-lock", label=f"Locking {name}")

    def action_refresh(self, force: bool = False) -> None:
        group = "detail-enrich"
        if group_busy(self, group):
            self.notify(f"{self.ref} is already being refreshed")
            return
        self.progress.start(self.providers)

        async def work() -> None:
            # The providers may have changed (enabled, keys) since the screen opened.
            providers = await self._fetch_providers()
            if providers != self.providers:
                self.providers = providers
                if self.progress.running and not self.progress.answered:
                    self.progress.start(providers)
            try:
                report = await self.engine.enrich([self.ref], force=force)
            finally:
                if self.is_running and self.progress.running:
                    self.progress.finish()
            self.notify(
                f"{report.updated} updated, {report.failed} failed"
                + (", partial" if report.partial else "")
                + (", up to date" if report.skipped else ""),
                title="Force refresh" if force else "Refresh",
            )
            self.reload()

        run_engine(self, work, group=group, label=f"Refreshing {self.ref}")

    def action_identify(self) -> None:
        self._reload_on_resume = True
        self.app.push_screen(IdentifyScreen(self.engine, self.ref))

    def action_artwork(self) -> None:
        self._reload_on_resume = True
        self.app.push_screen(AssetScreen(self.engine, self.ref))

    def action_history(self) -> None:
        title = self.detail.summary.title if self.detail else str(self.ref)
        self.app.push_screen(HistoryScreen(self.engine, self.ref, title))

    # -- editing ----------------------------------------------------------------------------

    def action_edit(self) -> None:
        name = self.table.cursor_key
        if self.detail is None or not isinstance(name, str):
            return
        editor = self.editor
        if editor.field == name:
            editor.focus_editor()  # already open here: keep what was typed
            return
        if editor.changed:
            editor.focus_editor()
            self.notify(
                f"Finish the edit of {self._editing_name()} first: ctrl+s saves, escape cancels.",
                severity="warning",
            )
            return
        spec = FIELD_BY_NAME[name]
        if spec.kind is FieldKind.ASSET:
            self.notify(f"{spec.display_name} is chosen on the artwork screen: press a.")
            return
        editor.open(spec, self.detail.fields.get(name))

    @on(FieldEditor.Cancelled)
    def _on_edit_cancelled(self, message: FieldEditor.Cancelled) -> None:
        self.editor.close()
        self.table.focus()

    @on(FieldEditor.Saved)
    def _on_edit_saved(self, message: FieldEditor.Saved) -> None:
        spec = FIELD_BY_NAME[message.field]
        current = self.detail.fields.get(spec.name) if self.detail else None
        value = edited_value(spec, message.text, current)
        self._save(spec.name, spec.display_name, value)

    def _save(self, name: str, display: str, value: Any) -> None:
        editor = self.editor

        async def work() -> None:
            try:
                await self.engine.set_field(self.ref, name, value)
            except MatineeError as exc:
                # The editor stays open with the typed text: nothing is lost.
                self.notify(str(exc), title=f"{display} not saved", severity="error")
                if self.is_running and editor.field == name:
                    editor.focus_editor()
                return
            if not self.is_running:
                return
            if editor.field == name:
                editor.close()
                self.table.focus()
            done = "cleared" if value is None else "saved"
            self.notify(f"{display} {done} and locked")
            self.reload()

        run_engine(self, work, group="detail-save", label=f"Saving {display}")
