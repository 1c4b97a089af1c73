"""The Artwork screen (placeholder until it is built)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from matinee.engine.api import EngineAPI
from matinee.model import Ref

__all__ = ["AssetScreen"]


class AssetScreen(Screen[None]):
    def __init__(self, engine: EngineAPI, ref: Ref) -> None:
        super().__init__()
        self.engine = engine
        self.ref = ref

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Artwork")
        yield Footer()
