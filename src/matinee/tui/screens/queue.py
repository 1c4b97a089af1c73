"""The Queue screen (placeholder until it is built)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from matinee.engine.api import EngineAPI

__all__ = ["QueueScreen"]


class QueueScreen(Screen[None]):
    def __init__(self, engine: EngineAPI) -> None:
        super().__init__()
        self.engine = engine

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Queue")
        yield Footer()
