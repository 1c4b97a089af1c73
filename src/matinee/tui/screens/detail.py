"""The detail screen: every registry field of one entity, where it came from, and its lock.

It shows `engine.show(ref)` and nothing else: the rows are the field registry's fields for the
entity's kind (`model.fields_for`), so a field added to the registry appears here unasked. Keys
become `lock`/`unlock`/`enrich` calls in named workers; engine events naming this ref reload it.
"""

from __future__ import annotations

from operator import itemgetter
from typing import ClassVar, NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from matinee.engine.api import EngineAPI
from matinee.model import EntityDetail, Ref, fields_for, is_empty
from matinee.tui import format as fmt
from matinee.tui.bridge import EngineEvents, refs_touched
from matinee.tui.widgets.virtual_table import Column, VirtualTable
from matinee.tui.workers import group_busy, run_engine

__all__ = ["DetailScreen", "FieldRow", "field_rows"]


class FieldRow(NamedTuple):
    """One line of the fields table (the first item is the row key)."""

    name: str
    display: str
    value: str
    source: str
    locked: bool
    category: str
    missing: bool


def field_rows(detail: EntityDetail) -> list[FieldRow]:
    """A row per registry field of the entity's kind, in registry order."""
    rows = []
    for spec in fields_for(detail.ref.kind):
        value = detail.fields.get(spec.name)
        rows.append(
            FieldRow(
                spec.name,
                spec.display_name,
                fmt.field_value(value),
                detail.field_sources.get(spec.name, ""),
                spec.name in detail.locks,
                spec.category.value,
                is_empty(value),
            )
        )
    return rows


COLUMNS = (
    Column("display", "Field", 16, value=itemgetter(1)),
    Column("value", "Value", 0, value=itemgetter(2), min_width=20),
    Column("source", "Source", 8, value=itemgetter(3), style=lambda s: "dim"),
    Column(
        "locked", "🔒", 2, "center", value=itemgetter(4), text=lambda v: fmt.LOCK_MARK if v else ""
    ),
    Column("category", "Category", 8, value=itemgetter(5), style=lambda c: "dim"),
    Column(
        "missing",
        "",
        7,
        value=itemgetter(6),
        text=lambda m: "missing" if m else "",
        style=lambda m: "bad" if m else None,
    ),
)


class DetailScreen(Screen[None]):
    """One entity's fields with source badges, locks, missing fields and files."""

    CSS_PATH = "detail.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("l", "toggle_lock", "Lock/unlock"),
        Binding("r", "refresh(False)", "Refresh"),
        Binding("R,shift+r", "refresh(True)", "Force refresh"),
    ]

    def __init__(self, engine: EngineAPI, ref: Ref) -> None:
        super().__init__()
        self.engine = engine
        self.ref = ref
        self.detail: EntityDetail | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(str(self.ref), id="title", markup=False)
        yield Static(id="summary", markup=False)
        yield Static(id="warning", classes="-hidden", markup=False)
        yield VirtualTable(COLUMNS, id="fields")
        yield Static(id="missing", markup=False)
        yield Static(id="files", markup=False)
        yield Footer()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#fields", VirtualTable)

    def on_mount(self) -> None:
        self.sub_title = str(self.ref)
        self.table.focus()
        self.reload()

    def reload(self) -> None:
        async def work() -> None:
            detail = await self.engine.show(self.ref)
            if self.is_running:
                self._show(detail)

        run_engine(self, work, group="detail-load", label=f"Loading {self.ref}")

    def _show(self, detail: EntityDetail) -> None:
        self.detail = detail
        s = detail.summary
        self.query_one("#title", Static).update(f"{s.title} ({s.year})" if s.year else s.title)
        ident = s.identification
        tier = f", {ident.tier.value}" if ident.tier else ""
        summary = self.query_one("#summary", Static)
        summary.update(
            f"{fmt.bar(s.completeness, 10)} {s.completeness:.0f}% · {s.category} · "
            f"{ident.status}{tier} · last enriched {fmt.last_enriched(s.last_enriched)}"
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
        missing = ", ".join(f"{m.display_name} ({m.category})" for m in detail.missing)
        self.query_one("#missing", Static).update(
            f"Missing ({len(detail.missing)}): {missing}" if detail.missing else "Nothing missing"
        )
        files = [
            f"{f.path} · {fmt.size(f.size)} · {fmt.duration(f.duration)} · "
            f"{fmt.resolution(f.width, f.height)}"
            + (f" · {f.video_codec}" if f.video_codec else "")
            + (" · MISSING" if f.missing else "")
            for f in detail.files
        ]
        self.query_one("#files", Static).update("\n".join(files) or "No files")

    @on(EngineEvents)
    def _on_engine_events(self, message: EngineEvents) -> None:
        if self.is_running and self.ref in refs_touched(message.events):
            self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()

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

        async def work() -> None:
            report = await self.engine.enrich([self.ref], force=force)
            self.notify(
                f"{report.updated} updated, {report.failed} failed"
                + (", partial" if report.partial else ""),
                title="Force refresh" if force else "Refresh",
            )
            self.reload()

        run_engine(self, work, group=group, label=f"Refreshing {self.ref}")
