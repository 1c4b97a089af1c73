"""Command palette entries for the screens' actions, so every key has a searchable name.

Each entry runs an action on the screen the palette was opened from (`screen.<action>`); an
entry is offered only when that screen has the action, so the list follows the screen.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

__all__ = ["ACTIONS", "MatineeCommands"]

# (title, action with arguments, help)
ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("Refresh selected", "refresh_selected(False)", "Enrich the highlighted title if stale"),
    ("Force refresh selected", "refresh_selected(True)", "Re-fetch the highlighted title"),
    ("Refresh this title", "refresh(False)", "Enrich this title if stale"),
    ("Force refresh this title", "refresh(True)", "Re-fetch this title from every provider"),
    ("Lock or unlock field", "toggle_lock", "Toggle the lock of the highlighted field"),
    ("Enrich queue", "enrich_queue", "Enrich the next batch of the staleness queue"),
    ("Toggle movies / series", "toggle_kind", "Switch the library between movies and series"),
    ("Filter by title", "filter", "Type to narrow the library"),
    ("Quit", "app.quit", "Leave matinee"),
)


class MatineeCommands(Provider):
    """matinee's actions for the command palette."""

    def _available(self) -> list[tuple[str, str, str]]:
        out = []
        for title, action, help_text in ACTIONS:
            name = action.split("(", 1)[0]
            if name.startswith("app.") or hasattr(self.screen, f"action_{name}"):
                target = action if name.startswith("app.") else f"screen.{action}"
                out.append((title, target, help_text))
        return out

    async def discover(self) -> Hits:
        for title, action, help_text in self._available():
            yield DiscoveryHit(title, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, help_text in self._available():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self.app.run_action, action),
                    text=title,
                    help=help_text,
                )
