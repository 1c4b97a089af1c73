"""The key map (`?`): every key that applies on the screen below, then the ones that work
everywhere. Escape, `?` or `q` closes it."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from matinee.tui.bindings import listed_bindings

__all__ = ["KeysScreen", "key_map"]


def key_map(screen: Screen[object]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(this screen's keys, keys that work everywhere) as (key, description) pairs."""
    app = screen.app
    here: list[tuple[str, str]] = []
    everywhere: list[tuple[str, str]] = []
    for node, binding in listed_bindings(screen):
        pair = (app.get_key_display(binding), binding.description)
        target = everywhere if node is app else here
        if pair not in target:
            target.append(pair)
    return here, everywhere


class KeysScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    KeysScreen { align: center middle; }
    KeysScreen > VerticalScroll {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close", priority=True),
    ]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self._here, self._everywhere = key_map(under)
        self._title = under.title or under.__class__.__name__

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        table.add_row("[b]This screen[/b]", "")
        for key, text in self._here:
            table.add_row(key, text)
        table.add_row("", "")
        table.add_row("[b]Everywhere[/b]", "")
        for key, text in self._everywhere:
            table.add_row(key, text)
        table.add_row("ctrl+p", "Command palette: every action by name")
        with VerticalScroll():
            yield Static(table, id="keys")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
