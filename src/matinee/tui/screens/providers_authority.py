"""Per-field authority: which providers a field trusts, most trusted first (`[authority.fields]`).

A screen pushed over the Providers screen (escape goes back). It lists every registry field
with its order from `engine.settings.authority` and writes changes to the config file through
`settings_file` (comments kept, validated before writing): a field's own list, its removal
(back to the default), and the field's place in `[authority] exclusive`.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from typing import ClassVar, NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from matinee.config import Settings
from matinee.config_authority import DEFAULT_AUTHORITY_FIELDS, KNOWN_PROVIDERS
from matinee.config_edit import remove_key
from matinee.engine.api import EngineAPI
from matinee.errors import ConfigError
from matinee.model import FIELDS
from matinee.tui.screens.settings_file import ConfigSaved, save_change, save_edits
from matinee.tui.widgets.virtual_table import Column, VirtualTable
from matinee.tui.workers import run_engine

__all__ = ["AuthorityRow", "FieldAuthorityScreen", "authority_rows", "parse_order"]

FIELDS_TABLE = "authority.fields"


class AuthorityRow(NamedTuple):
    """One field's line (the first item is the row key)."""

    name: str
    providers: tuple[str, ...]
    exclusive: bool


def authority_rows(settings: Settings) -> list[AuthorityRow]:
    """Every registry field, in registry order, with its own order and exclusive mark."""
    authority = settings.authority
    return [
        AuthorityRow(f.name, tuple(authority.fields.get(f.name, ())), f.name in authority.exclusive)
        for f in FIELDS
    ]


def parse_order(text: str) -> tuple[str, ...]:
    """`"tmdb, omdb"` (commas or spaces) as provider ids, checked against the known ones.

    Raises:
        ValueError: an unknown provider, or one named twice.
    """
    names = tuple(n for n in re.split(r"[\s,]+", text.strip().lower()) if n)
    for name in names:
        if name not in KNOWN_PROVIDERS:
            raise ValueError(f"unknown provider {name!r} (known: {', '.join(KNOWN_PROVIDERS)})")
    if len(set(names)) != len(names):
        raise ValueError("a provider is named twice")
    return names


def _default_words(name: str, priority: Sequence[str]) -> str:
    default = DEFAULT_AUTHORITY_FIELDS.get(name)
    if default:
        return "its default list: " + ", ".join(default)
    return "the priority order: " + ", ".join(priority)


COLUMNS = (
    Column("name", "Field", 22),
    Column("providers", "Providers, most trusted first", 0, min_width=16,
           text=lambda p: ", ".join(p) if p else "(priority order)",
           style=lambda p: None if p else "dim"),
    Column("exclusive", "Exclusive", 9, "center", text=lambda x: "yes" if x else "",
           style=lambda x: "warn" if x else None),
)  # fmt: skip


class FieldAuthorityScreen(Screen[None]):
    """Edit the provider order of one field at a time."""

    CSS_PATH = "providers_authority.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("e", "edit", "Edit", tooltip="Type the field's providers (or Enter)"),
        Binding("delete,backspace", "reset", "Default", tooltip="Remove the field's own list"),
        Binding("x", "toggle_exclusive", "Exclusive",
                tooltip="Take values only from the field's own list (no fallback)"),
    ]  # fmt: skip

    def __init__(self, engine: EngineAPI) -> None:
        super().__init__()
        self.engine = engine
        self._shown: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "A field takes the value of the first provider in its order, then falls back to the "
            "priority order unless it is exclusive.",
            id="help",
            markup=False,
        )
        yield VirtualTable(COLUMNS, id="fields")
        yield Input(placeholder="providers, most trusted first: tmdb, omdb", id="order")
        yield Static(id="status", markup=False)
        yield Footer()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#fields", VirtualTable)

    @property
    def order_input(self) -> Input:
        return self.query_one("#order", Input)

    @property
    def highlighted(self) -> AuthorityRow | None:
        key = self.table.cursor_key
        row = self.table.get_row(key) if key is not None else None
        return row if isinstance(row, AuthorityRow) else None

    def on_mount(self) -> None:
        self.sub_title = "Field authority"
        self.table.set_rows(authority_rows(self.engine.settings))
        self.table.focus()

    @on(ConfigSaved)
    def _on_config_saved(self) -> None:
        if self.is_running:
            self.table.set_rows(authority_rows(self.engine.settings))

    @on(VirtualTable.RowHighlighted, "#fields")
    def _on_highlight(self) -> None:
        row = self.highlighted
        if row is None or row.name == self._shown:
            return  # the same field after a reload: keep what the status line says
        self._shown = row.name
        priority = self.engine.settings.authority.priority
        self._status(f"{row.name}: an empty order restores {_default_words(row.name, priority)}")
        self.order_input.value = ""

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#status", Static)
        status.update(text)
        status.set_class(error, "-error")

    def action_back(self) -> None:
        if self.order_input.has_focus:
            self.table.focus()
        else:
            self.app.pop_screen()

    @on(VirtualTable.RowSelected, "#fields")
    def action_edit(self) -> None:
        row = self.highlighted
        if row is None:
            return
        self.order_input.value = ", ".join(row.providers)
        self.order_input.focus()
        priority = self.engine.settings.authority.priority
        self._status(
            f"{row.name}: Enter saves, Escape goes back; empty restores "
            f"{_default_words(row.name, priority)}"
        )

    @on(Input.Submitted, "#order")
    def _on_submitted(self, message: Input.Submitted) -> None:
        row = self.highlighted
        if row is None:
            return
        try:
            order = parse_order(message.value)
        except ValueError as exc:
            self._status(f"Not saved: {exc}", error=True)
            return
        if not order:
            self.action_reset()
            return
        edit = (FIELDS_TABLE, row.name, list(order))
        self._save(
            lambda: save_edits(self.app, self.engine, [edit]), f"{row.name}: {', '.join(order)}"
        )

    def action_reset(self) -> None:
        row = self.highlighted
        if row is None:
            return
        name = row.name

        async def remove() -> Settings | None:
            saved = await save_change(
                self.app, self.engine, lambda text: remove_key(text, FIELDS_TABLE, name)
            )
            if saved is None:
                self._status(f"{name} has no list of its own in the file: nothing to remove")
            return saved

        priority = self.engine.settings.authority.priority
        self._save(remove, f"{name}: back to {_default_words(name, priority)}")

    def action_toggle_exclusive(self) -> None:
        row = self.highlighted
        if row is None:
            return
        exclusive = list(self.engine.settings.authority.exclusive)
        if row.exclusive:
            exclusive.remove(row.name)
            done = f"{row.name} may fall back to the priority order"
        else:
            exclusive.append(row.name)
            done = f"{row.name} takes values only from its own list"
        edit = ("authority", "exclusive", exclusive)
        self._save(lambda: save_edits(self.app, self.engine, [edit]), done)

    def _save(self, write: Callable[[], Awaitable[Settings | None]], done: str) -> None:
        """Run `write`; a ConfigError stays on screen with its line, the input keeps its text."""

        async def work() -> None:
            try:
                saved = await write()
            except ConfigError as exc:
                self._status(f"Not saved: {exc}", error=True)
                self.notify(str(exc), title="Not saved", severity="error", timeout=10)
                return
            if saved is not None:
                self._status(done)
                self.notify(done, title="Field authority")
                self.table.focus()

        run_engine(
            self, work, group="authority-save", label="Saving field authority", exclusive=False
        )
