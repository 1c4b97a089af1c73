"""The line under the header of each main screen: the five screens and their keys, the
current one marked, so every screen is reachable by keys shown on screen (at 80 columns too;
the footer has no room left for them)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

__all__ = ["SCREENS", "NavBar"]

SCREENS: tuple[tuple[str, str], ...] = (
    ("dashboard", "Dashboard"),
    ("library", "Library"),
    ("queue", "Queue"),
    ("providers", "Providers"),
    ("settings", "Settings"),
)


class NavBar(Static):
    DEFAULT_CSS = """
    NavBar { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    """

    def __init__(self, current: str) -> None:
        parts: list[Content | str] = []
        for n, (mode, label) in enumerate(SCREENS, start=1):
            style = "bold reverse" if mode == current else ""
            parts += [Content.styled(f" {n} ", "bold"), Content.styled(label, style), "  "]
        parts.append(Content.styled(" ? ", "bold"))
        parts.append("keys")
        super().__init__(Content.assemble(*parts), classes="nav-bar")
        self.current = current
